// The event-driven cluster: Windows nodes with their pools, the controller's pod and node flows, the
// worker queues and jobs, EC2 and subnets, and the pods of a trace. research/vpc-resource-controller.md
// §2.6 (mode switches), §3 (pool), §4 (timing), §5 (EC2). Plain synchronous code over mutable state; an
// event is (time, kind, a, b) in EventQueue, dispatched in `step`.

import { Ec2Action, Ec2Code } from "./ec2/Ec2.ts"
import { Ec2Calls } from "./ec2/Ec2Calls.ts"
import { limitsOf, windowsCapacity } from "./ec2/InstanceLimits.ts"
import { type Ipv4, parseCidr, prefixOf } from "./ec2/Ipv4.ts"
import { compileLatency } from "./ec2/Latency.ts"
import { SimulatedEc2 } from "./ec2/SimulatedEc2.ts"
import { Subnet } from "./ec2/Subnet.ts"
import { type MapOrder, randomOrder } from "./go/MapOrder.ts"
import { EventQueue } from "./kernel/EventQueue.ts"
import { Rng } from "./kernel/Rng.ts"
import { grown } from "./kernel/TypedArrays.ts"
import { FreeSlotIndex } from "./kubernetes/FreeSlotIndex.ts"
import { PodNames } from "./kubernetes/PodNames.ts"
import { AddressIntegrals, Integral, SubnetTracker, Waits } from "./metrics/Metrics.ts"
import type { NodeSummary, SimResult, TimelineSeries } from "./metrics/SimResult.ts"
import { Mode, N, NodeStatus, nodeTable, type ProviderState, SimNode } from "./SimNode.ts"
import type { PodEvent, SimSpec } from "./spec/SimSpec.ts"
import {
  type ConfigMapData,
  getWinWarmPoolConfig,
  isWindowsIpamEnabled,
  isWindowsPrefixDelegationEnabled,
  parseWinIpTargetConfigs,
} from "./vpc-resource-controller/ConfigMap.ts"
import { DormantLoops } from "./vpc-resource-controller/DormantLoops.ts"
import { drainingConfig, sipLegacyConfig, type WarmPoolConfig } from "./vpc-resource-controller/WarmPoolConfig.ts"
import { PoolMemory } from "./vpc-resource-controller/warm-pool/PoolMemory.ts"
import {
  JobType,
  Pool,
  PoolError,
  PoolJob,
  poolAssigned,
  poolAssignUnheld,
  poolCoolDownSettles,
  poolCooling,
  poolFreeAt,
  poolOldestCoolingAt,
  poolPendingCreate,
  poolProcessCoolDown,
  poolReconcile,
  poolUsed,
  poolUsedAt,
  poolWarm,
  WarmPool,
} from "./vpc-resource-controller/warm-pool/WarmPool.ts"

// Integer constants are enums: a bundle (esbuild) writes their values into the code, where a module's
// `const` is a slot V8 loads and checks at every use (a fifth of a pod event's instructions; see
// docs/performance.md, "Constants as enums").

/** Cluster.keyState's fields, one line per provider key (node index × 2 + mode). */
enum K {
  STRIDE = 8,
  /**
   * Carried by the provider's loop events; bumped for every new one, so that only the latest counts (a
   * skipped loop's deadline is dropped when the loop is put back earlier, and an old pool's loop stops).
   */
  TOKEN = 0,
  /** The pool's counts as last reported to the metrics. */
  USED = 1,
  WARM = 2,
  COOLING = 3,
  PENDING = 4,
  /** When its loop would run next while it is skipped (DormantLoops says whether it is). */
  NEXT_LOOP_AT = 5,
  /**
   * While dormant, the loop time at which the skipped loop would return every cooling address to warm and
   * then find nothing to do (poolCoolDownSettles), or -1: applied when the pool is next touched, at a
   * timeline sample or at the end, at this time (see settle).
   */
  MATURE_AT = 6,
  /** 1 while the provider is listed in `maturing`. */
  LISTED = 7,
}

/** Event kinds. */
enum Ev {
  TRACE = 1,
  POD = 2,
  NODE_JOIN = 3,
  NODE_LEAVE = 4,
  NODE_INIT = 5,
  JOB_STEP = 6,
  LOOP = 7,
  CONFIGMAP = 8,
  TICK = 9,
  SCHEDULE = 10,
  NODE_RETRY_INIT = 11,
}

/** Controller constants (§4.1). */
enum Controller {
  LOOP_MS = 30_000,
  REQUEUE_WARM_POOL_EMPTY_MS = 600,
  REQUEUE_COOLING_MS = 20_000,
  REQUEUE_NO_PREFIX_MS = 120_000,
  REQUEUE_NODE_NOT_READY_MS = 1_000,
  INIT_RETRY_MS = 60_000,
  ATTACH_WAIT_ATTEMPTS = 7,
  ATTACH_WAIT_FIRST_SLEEP_MS = 250,
}

/** Cluster.pods' records: 32 bytes per pod, four int32 fields, then two doubles (Cluster.podF at 4 × slot). */
enum P {
  STRIDE = 8,
  STATE = 0,
  /** The node it is bound to; while pending, the node it asks for (-1: any, -2: one that does not exist). */
  NODE = 1,
  GEN = 2,
  /** Bit 0: it requests an address; the rest: failures in a row (PoolAtMaxCapacity's backoff) × 2. */
  FLAGS = 3,
}
/** P.FLAGS' parts. */
enum Flag {
  REQUESTS = 1,
  FAILURE = 2,
}
/** Its address (doubles: addresses pass 2³¹), read only while it is running; and when it was bound. */
enum PF {
  IP = 2,
  BOUND_AT = 3,
}

/** Pod states (P.STATE). */
enum PodState {
  FREE = 0,
  /** Created, waiting for the scheduler. */
  PENDING = 1,
  /** Bound, requests the address resource, no address yet. */
  WAITING = 2,
  /** Bound with an address. */
  RUNNING = 3,
  /** Bound, needs no address (hostNetwork) or never asked for one (no Windows nodeSelector / IPAM off). */
  NO_ADDRESS = 4,
  /** Its node left; kept until the trace deletes it. */
  EVICTED = 5,
}

/** Job kinds. */
enum JobKind {
  CREATE = 1,
  DELETE = 2,
  RESYNC = 3,
  LOOP = 4,
}

class Job {
  kind = 0
  node = 0
  mode: Mode = Mode.SecondaryIp
  /** Create: requested count (IPs or prefixes). Delete: groups. */
  count = 0
  readonly groups: Ipv4[] = []
  readonly created: Ipv4[] = []
  asked = 0
  stage = 0
  code: Ec2Code = Ec2Code.Ok
  visibleAt = 0
  polls = 0
  submittedAt = 0
  worker = -1
}

const WAIT_EDGES = [0, 100, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000]

export class Cluster {
  readonly events = new EventQueue(4096)
  now = 0
  private eventCount = 0
  private stopAt = Number.POSITIVE_INFINITY
  /** Time of the pending trace event (kept outside the event list), +Infinity when the trace is done. */
  private traceAt = Number.POSITIVE_INFINITY

  readonly ec2 = new SimulatedEc2()
  private readonly calls: Ec2Calls
  private readonly visibility: (rng: Rng) => number
  readonly subnets: Subnet[] = []
  private readonly subnetTrackers: SubnetTracker[] = []
  readonly nodes: SimNode[] = []
  private readonly nodeByName = new Map<string, number>()
  private readonly groupNames: string[]
  private readonly groupIntegrals: AddressIntegrals[]
  private readonly allocated = new Integral()

  // Randomness: one stream per concern.
  private readonly rngPick: Rng
  /** Go's map order for every pool, over rngPick (one object shared by all pools: it keeps no state of its own). */
  private readonly mapOrder: MapOrder
  private readonly rngSchedule: Rng
  private readonly rngEc2: Rng
  private readonly rngJitter: Rng

  // Configuration state.
  private configMap: ConfigMapData
  private ipamEnabled = false
  private pdEnabled = false
  private remembered = { ipam: false, pd: false, w: 0, m: 0, wpt: 0 }

  // Pods, indexed by pod id (the source's, or by name: PodEvent.podId).
  private readonly podNames = new PodNames()
  /**
   * Pods by slot, a 32-byte record each: P.STRIDE int32 (state, node, generation, flags) whose last half is,
   * as `podF`, two doubles (address, bind time). A pod event reads its pod on one cache line (a record of its
   * own per field, or a second array for the doubles, cost a miss each over 5,000 nodes). `podSlots` slots
   * are in use.
   */
  private pods = new Int32Array(P.STRIDE * 1024)
  private podF = new Float64Array(this.pods.buffer)
  private podSlots = 0
  private readonly pendingQueue: number[] = []
  private scheduleQueued = false
  private slotIndex!: FreeSlotIndex
  /** Pending pods that need no address (hostNetwork, no request): placed on max pods alone. */
  private pendingWithoutRequest = 0
  private waitingCount = 0

  // Pod counters.
  private created = 0
  private requesting = 0
  private withIp = 0
  private neverGotIp = 0
  private hostNetwork = 0
  private withoutResource = 0
  private evicted = 0
  private unknownDeletes = 0
  private ignoredNonWindows = 0
  private readonly waits = new Waits()
  private readonly retries: Record<string, number> = {}

  // Jobs and workers.
  private readonly jobs: Job[] = []
  private readonly freeJobs: number[] = []
  private readonly queues: [number[], number[]] = [[], []]
  private readonly queueHead = [0, 0]
  private readonly workers: [number[], number[]] = [
    [-1, -1],
    [-1, -1],
  ]
  private readonly workerJobs = [0, 0]
  private readonly workerWaitSum = [0, 0]
  private readonly workerWaitMax = [0, 0]
  private resyncJobs = 0
  // Idle loops skipped (see DormantLoops): per mode, the dormant loops, whether both workers are busy, and
  // the provider whose loop was put back on the event list while the workers are busy (-1: none).
  private readonly dormant: [DormantLoops, DormantLoops] = [new DormantLoops(), new DormantLoops()]
  /**
   * Per provider (key = node·2+mode), one 64-byte line of what its pod events read and write besides the
   * pool (fields K_*): the loop's token, the pool's counts as last reported to the metrics, when its
   * skipped loop runs next, its pending maturation and whether it is listed in `maturing`. One typed
   * array, not provider objects and three arrays: a pod event over thousands of nodes reaches them in
   * one cache line, at an offset computed from the key, and no time becomes a boxed heap number.
   */
  private keyState = new Float64Array(0)
  /**
   * Providers that may have a pending maturation, the first `maturingCount` entries (listed once each;
   * entries forgotten since are dropped at a scan). The array keeps its length: shrinking it at every
   * timeline sample made it grow again, a new backing store each time.
   */
  private readonly maturing: number[] = []
  private maturingCount = 0
  private readonly contended = [false, false]
  private readonly sentinel = [-1, -1]
  private readonly sentinelToken = [0, 0]
  private readonly dispatching = [false, false]
  private icbEvents = 0
  private nodeLaunchFailures = 0
  private nodeInitFailures = 0

  private readonly poolJob = new PoolJob()
  /** Every node's counters (SimNode's N_* fields): pod events and the scheduler read them by node index. */
  private nodeState: Int32Array
  /** Every pool's state, pool id = node index × 2 + mode (the key); a pod event calls its pool by key. */
  private readonly pools = new PoolMemory()
  private readonly scratchIps: Ipv4[] = []
  private readonly scratchPrefixes: Ipv4[] = []
  /** The trace's next event, run at `traceAt`. */
  private pendingEvent: PodEvent | undefined
  private readonly timeline: TimelineSeries

  constructor(private readonly spec: SimSpec) {
    const seed = spec.seed
    this.rngPick = Rng.stream(seed, "pool-map-order")
    this.mapOrder = randomOrder(this.rngPick)
    this.rngSchedule = Rng.stream(seed, "scheduler")
    this.rngEc2 = Rng.stream(seed, "ec2-calls")
    this.rngJitter = Rng.stream(seed, "attach-wait-jitter")
    this.calls = new Ec2Calls(spec.controller.ec2, this.rngEc2)
    this.visibility = compileLatency(spec.controller.visibility)
    const subnetRng = Rng.stream(seed, "subnet-addresses")
    const subnetIndex = new Map<string, number>()
    for (const s of spec.subnets) {
      const cidr = parseCidr(s.cidr)
      if (typeof cidr === "string") throw new Error(`subnet ${s.id}: ${cidr}`)
      const ranges = (s.usedByOthers?.ranges ?? []).map((r) => {
        const c = parseCidr(r)
        if (typeof c === "string") throw new Error(`subnet ${s.id} usedByOthers: ${c}`)
        return c
      })
      const reservations = (s.prefixReservations ?? []).map((r) => {
        const c = parseCidr(r)
        if (typeof c === "string") throw new Error(`subnet ${s.id} prefixReservations: ${c}`)
        return c
      })
      subnetIndex.set(s.id, this.subnets.length)
      this.subnets.push(
        new Subnet({
          id: s.id,
          cidr,
          rng: subnetRng,
          usedByOthers: { count: s.usedByOthers?.count ?? 0, ranges },
          prefixReservations: reservations,
        }),
      )
      this.subnetTrackers.push(new SubnetTracker())
    }
    this.groupNames = spec.nodeGroups.map((g) => g.name)
    this.groupIntegrals = spec.nodeGroups.map(() => new AddressIntegrals())
    this.nodeState = nodeTable(spec.nodeGroups.reduce((n, g) => n + g.count, 0))
    spec.nodeGroups.forEach((g, gi) => {
      const cap = windowsCapacity(g.instanceType, spec.extraLimits)
      const si = subnetIndex.get(g.subnet)
      if (si === undefined) throw new Error(`node group ${g.name}: unknown subnet "${g.subnet}"`)
      // kubelet's MaxPods is an int32, and so is the node table's field.
      if (!(g.maxPods >= 1 && g.maxPods <= 2147483647))
        throw new Error(`node group ${g.name}: maxPods ${g.maxPods} is not a kubelet max pods (1 to 2147483647)`)
      // A pool's capacity is an int32 in its region's header (EC2's largest is 49 × 16).
      if ((cap.prefix ?? cap.secondaryIp) > 2147483647)
        throw new Error(`node group ${g.name}: ${g.instanceType} holds more addresses than a pool can count`)
      const limits = limitsOf(g.instanceType, spec.extraLimits)
      for (let i = 0; i < g.count; i++) {
        const name = `${g.name}-${i}`
        const node = new SimNode(
          this.nodes.length,
          name,
          gi,
          g.instanceType,
          limits,
          cap.secondaryIp,
          cap.prefix,
          this.subnets[si]!,
          si,
          g.maxPods,
          this.nodeState,
        )
        this.nodeByName.set(name, node.index)
        this.nodes.push(node)
        this.events.push(g.joinAtMs + i * g.joinEveryMs, Ev.NODE_JOIN, node.index, 0)
        if (g.leaveAtMs !== undefined) this.events.push(g.leaveAtMs, Ev.NODE_LEAVE, node.index, 0)
      }
    })
    this.slotIndex = new FreeSlotIndex(this.nodes.length)
    this.keyState = new Float64Array(2 * this.nodes.length * K.STRIDE)
    for (let key = 0; key < 2 * this.nodes.length; key++) this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
    this.applyConfigMap(spec.configMap.data)
    spec.configMap.changes.forEach((c, i) => {
      this.events.push(c.atMs, Ev.CONFIGMAP, i, 0)
    })
    this.timeline = { t: [], subnets: {}, groups: {}, podsWaiting: [], podsPending: [] }
    for (const s of this.subnets) this.timeline.subnets[s.id] = { free: [], freeAligned: [] }
    for (const g of this.groupNames) this.timeline.groups[g] = { used: [], warm: [], cooling: [], pending: [] }
    if (spec.timelineEveryMs > 0) this.events.push(0, Ev.TICK, 0, 0)
    for (let i = 0; i < this.subnets.length; i++) this.touchSubnet(i)
    if (spec.durationMs !== undefined) this.stopAt = spec.durationMs
    this.pullTrace()
  }

  /** Runs to the stop condition and returns the report. */
  run(): SimResult {
    while (this.step()) {}
    return this.result()
  }

  /** Time of the next event (the trace's next pod event or the event list's first), or +Infinity. */
  nextEventTime(): number {
    const t = this.events.peekTime()
    return this.traceAt < t ? this.traceAt : t
  }

  /** Runs one event; false when the simulation is over. */
  step(): boolean {
    const q = this.events
    const listAt = q.peekTime()
    // The pending trace event stays outside the list; its kind is the lowest, so it runs first at a tie.
    const traceFirst = this.traceAt <= listAt
    const t = traceFirst ? this.traceAt : listAt
    if (t > this.stopAt || t === Number.POSITIVE_INFINITY) {
      if (this.stopAt !== Number.POSITIVE_INFINITY) this.now = this.stopAt
      return false
    }
    this.eventCount++
    if (traceFirst) {
      q.markCurrent(t, Ev.TRACE, 0, 0)
      this.now = t
      this.onTrace()
      if (this.spec.checkInvariants) this.checkInvariants()
      return true
    }
    q.pop()
    this.now = q.at
    const a = q.a
    const b = q.b
    switch (q.eventKind) {
      case Ev.POD:
        this.onPodReconcile(a, b)
        break
      case Ev.NODE_JOIN:
        this.onNodeJoin(a)
        break
      case Ev.NODE_LEAVE:
        this.onNodeLeave(a)
        break
      case Ev.NODE_INIT:
        this.onNodeInit(a, b === 1)
        break
      case Ev.NODE_RETRY_INIT:
        this.maybeManage(this.nodes[a]!)
        break
      case Ev.JOB_STEP:
        this.onJobStep(a)
        break
      case Ev.LOOP:
        this.onLoop(a, b)
        break
      case Ev.CONFIGMAP:
        this.onConfigMapChange(a)
        break
      case Ev.TICK:
        this.onTick()
        break
      case Ev.SCHEDULE:
        this.scheduleQueued = false
        this.schedulePending()
        break
    }
    if (this.spec.checkInvariants) this.checkInvariants()
    return true
  }

  // ---------------------------------------------------------------- trace

  private pullTrace(): void {
    const e = this.spec.trace.next()
    this.pendingEvent = e
    if (e === undefined) {
      this.traceAt = Number.POSITIVE_INFINITY
      if (this.spec.durationMs === undefined) this.stopAt = this.now + this.spec.drainMs
      return
    }
    this.traceAt = e.t
  }

  private onTrace(): void {
    const e = this.pendingEvent!
    if (e.type === "create") this.onPodCreate(e, e.podId ?? this.podNames.create(e.pod))
    else this.onPodDelete(e.podId ?? this.podNames.remove(e.pod))
    this.pullTrace()
  }

  // ---------------------------------------------------------------- pods

  private onPodCreate(e: PodEvent, slot: number): void {
    if (slot < this.podSlots && this.pods[slot * P.STRIDE + P.STATE] !== PodState.FREE) {
      // A second create of a live pod: the API server would refuse it. Count it with unknown events.
      this.unknownDeletes++
      return
    }
    const wantNode = e.node === undefined ? -1 : (this.nodeByName.get(e.node) ?? -2)
    if (!e.windowsSelector && !e.hostNetwork && wantNode === -1) {
      // Not for Windows nodes (Linux pods share traces); the Windows model does not place them.
      this.ignoredNonWindows++
      return
    }
    this.allocPod(slot)
    this.created++
    // The webhook: only pods with the Windows nodeSelector, not hostNetwork, and only while IPAM is enabled.
    const requests = e.windowsSelector && !e.hostNetwork && this.ipamEnabled
    this.pods[slot * P.STRIDE + P.FLAGS] = requests ? Flag.REQUESTS : 0
    this.pods[slot * P.STRIDE + P.NODE] = wantNode
    if (requests) this.requesting++
    else if (e.hostNetwork) this.hostNetwork++
    else this.withoutResource++
    this.pods[slot * P.STRIDE + P.STATE] = PodState.PENDING
    if (!requests) this.pendingWithoutRequest++
    // Nobody queued ahead of it: the scheduler binds it now if it fits (saves an event per pod).
    if (this.pendingQueue.length === 0) {
      const node = this.pickNode(slot)
      if (node >= 0) {
        this.bind(slot, node)
        return
      }
    }
    this.pendingQueue.push(slot, this.pods[slot * P.STRIDE + P.GEN]!)
    this.requestSchedule()
  }

  private allocPod(slot: number): void {
    while (this.podSlots <= slot) {
      const s = this.podSlots++
      if (s * P.STRIDE === this.pods.length) {
        this.pods = grown(this.pods, this.pods.length * 2)
        this.podF = new Float64Array(this.pods.buffer)
      }
      this.pods[s * P.STRIDE + P.NODE] = -1
    }
    this.pods[slot * P.STRIDE + P.GEN]!++
    this.pods[slot * P.STRIDE + P.NODE] = -1
    this.pods[slot * P.STRIDE + P.FLAGS] = 0
  }

  private freePod(slot: number): void {
    this.pods[slot * P.STRIDE + P.STATE] = PodState.FREE
    this.pods[slot * P.STRIDE + P.GEN]!++
  }

  private onPodDelete(slot: number): void {
    if (slot < 0 || slot >= this.podSlots || this.pods[slot * P.STRIDE + P.STATE] === PodState.FREE) {
      this.unknownDeletes++
      return
    }
    const state = this.pods[slot * P.STRIDE + P.STATE]!
    if (state === PodState.WAITING) {
      this.neverGotIp++
      this.waitingCount--
    }
    if (state === PodState.WAITING || state === PodState.RUNNING || state === PodState.NO_ADDRESS) {
      const node = this.pods[slot * P.STRIDE + P.NODE]!
      const o = node * N.STRIDE
      this.nodeState[o + N.PODS_BOUND]!--
      if ((this.pods[slot * P.STRIDE + P.FLAGS]! & Flag.REQUESTS) !== 0) this.nodeState[o + N.REQUESTED]!--
      this.reindex(node)
      if (state === PodState.RUNNING) this.handleDelete(node, slot)
      this.requestSchedule()
    } else if (state === PodState.PENDING) {
      if ((this.pods[slot * P.STRIDE + P.FLAGS]! & Flag.REQUESTS) !== 0) this.neverGotIp++
      else this.pendingWithoutRequest--
    }
    this.freePod(slot)
  }

  /** HandleDelete: the PD pool frees the pod if it holds it, else the secondary-IP pool. */
  private handleDelete(node: number, slot: number): void {
    const ip = this.podF[4 * slot + PF.IP]!
    const pools = this.pools
    // The pod's used pair, found once (the check of the PD pool and its free would each scan for it); the
    // place survives the region moving when wakeLater matures cooled addresses.
    const pdKey = node * 2 + Mode.Prefix
    let at = pools.has(pdKey) ? poolUsedAt(pools, pdKey, slot) : -1
    const mode = at >= 0 ? Mode.Prefix : Mode.SecondaryIp
    const key = node * 2 + mode
    if (!pools.has(key)) return
    if (mode === Mode.SecondaryIp) at = poolUsedAt(pools, key, slot)
    const wasDormant = this.wakeLater(node, mode)
    if (poolFreeAt(pools, key, at, ip, this.now) === 0) {
      const type = this.reconcileAndSubmit(node, mode)
      this.touchPool(node, mode)
      this.settle(node, mode, wasDormant, type)
    } else if (wasDormant) this.pushLoop(node, mode)
  }

  private requestSchedule(): void {
    // Nothing pending: a scheduling pass would do nothing (a pod created later queues its own).
    if (this.scheduleQueued || this.pendingQueue.length === 0) return
    this.scheduleQueued = true
    this.events.push(this.now, Ev.SCHEDULE, 0, 0)
  }

  /** kube-scheduler, simplified: bind pending pods in arrival order to the feasible node with most free address slots. */
  private schedulePending(): void {
    const q = this.pendingQueue
    // Nothing can be placed: no node has a free address slot and every pending pod needs one.
    if (this.pendingWithoutRequest === 0 && !this.slotIndex.hasRoom) return
    let w = 0
    for (let i = 0; i < q.length; i += 2) {
      const slot = q[i]!
      const gen = q[i + 1]!
      if (this.pods[slot * P.STRIDE + P.GEN] !== gen || this.pods[slot * P.STRIDE + P.STATE] !== PodState.PENDING)
        continue
      const node = this.pickNode(slot)
      if (node < 0) {
        q[w++] = slot
        q[w++] = gen
        continue
      }
      this.bind(slot, node)
    }
    q.length = w
  }

  private pickNode(slot: number): number {
    const requests = (this.pods[slot * P.STRIDE + P.FLAGS]! & Flag.REQUESTS) !== 0
    const want = this.pods[slot * P.STRIDE + P.NODE]!
    if (want === -2) return -1
    if (want >= 0) return this.fits(want, requests) ? want : -1
    if (requests) return this.slotIndex.pickMost(this.rngSchedule)
    let best = -1
    let bestFree = -1
    let ties = 0
    const ns = this.nodeState
    for (let n = 0; n < this.nodes.length; n++) {
      if (!this.fits(n, requests)) continue
      const o = n * N.STRIDE
      const free = requests ? ns[o + N.ADVERTISED]! - ns[o + N.REQUESTED]! : ns[o + N.MAX_PODS]! - ns[o + N.PODS_BOUND]!
      if (free > bestFree) {
        best = n
        bestFree = free
        ties = 1
      } else if (free === bestFree) {
        ties++
        if (this.rngSchedule.int(ties) === 0) best = n
      }
    }
    return best
  }

  /** Keeps the scheduler's index of free address slots current after a node's counts or status change. */
  private reindex(n: number): void {
    const o = n * N.STRIDE
    this.slotIndex.set(n, this.fits(n, true) ? this.nodeState[o + N.ADVERTISED]! - this.nodeState[o + N.REQUESTED]! : 0)
  }

  private fits(n: number, requests: boolean): boolean {
    const ns = this.nodeState
    const o = n * N.STRIDE
    const status = ns[o + N.STATUS]
    if (status !== NodeStatus.Ready && status !== NodeStatus.Registered) return false
    if (ns[o + N.PODS_BOUND]! >= ns[o + N.MAX_PODS]!) return false
    return !requests || ns[o + N.REQUESTED]! < ns[o + N.ADVERTISED]!
  }

  private bind(slot: number, node: number): void {
    this.pods[slot * P.STRIDE + P.NODE] = node
    this.podF[4 * slot + PF.BOUND_AT] = this.now
    this.nodeState[node * N.STRIDE + N.PODS_BOUND]!++
    if ((this.pods[slot * P.STRIDE + P.FLAGS]! & Flag.REQUESTS) === 0) this.pendingWithoutRequest--
    if ((this.pods[slot * P.STRIDE + P.FLAGS]! & Flag.REQUESTS) !== 0) {
      this.nodeState[node * N.STRIDE + N.REQUESTED]!++
      this.pods[slot * P.STRIDE + P.STATE] = PodState.WAITING
      this.waitingCount++
      // The pod controller sees the binding at once.
      this.onPodReconcile(slot, this.pods[slot * P.STRIDE + P.GEN]!)
    } else {
      this.pods[slot * P.STRIDE + P.STATE] = PodState.NO_ADDRESS
    }
    this.reindex(node)
  }

  private requeuePod(slot: number, delayMs: number, reason: string): void {
    this.retries[reason] = (this.retries[reason] ?? 0) + 1
    this.events.push(this.now + delayMs, Ev.POD, slot, this.pods[slot * P.STRIDE + P.GEN]!)
  }

  /** The pod controller's Reconcile and HandleCreate (§4.4, §3.1). */
  private onPodReconcile(slot: number, gen: number): void {
    if (this.pods[slot * P.STRIDE + P.GEN] !== gen || this.pods[slot * P.STRIDE + P.STATE] !== PodState.WAITING) return
    const node = this.pods[slot * P.STRIDE + P.NODE]!
    const o = node * N.STRIDE
    if (this.nodeState[o + N.MANAGED] === 0) return
    if (this.nodeState[o + N.STATUS] !== NodeStatus.Ready) {
      this.requeuePod(slot, Controller.REQUEUE_NODE_NOT_READY_MS, "NodeNotReady")
      return
    }
    const mode =
      this.pdEnabled && this.nodeState[o + N.NITRO] === 1 && this.spec.controller.prefixDelegationFlag
        ? Mode.Prefix
        : Mode.SecondaryIp
    const key = node * 2 + mode
    if (!this.pools.has(key)) return
    const wasDormant = this.wakeLater(node, mode)
    // A waiting pod holds no address (checkInvariants): AssignResource's first check cannot fail.
    const r = poolAssignUnheld(this.pools, key, slot, this.mapOrder)
    if (r >= 0) {
      this.podF[4 * slot + PF.IP] = r
      this.pods[slot * P.STRIDE + P.STATE] = PodState.RUNNING
      this.pods[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
      this.waitingCount--
      this.withIp++
      this.waits.push(this.now - this.podF[4 * slot + PF.BOUND_AT]!)
      const type = this.reconcileAndSubmit(node, mode)
      this.touchPool(node, mode)
      this.settle(node, mode, wasDormant, type)
      return
    }
    if (wasDormant) this.pushLoop(node, mode)
    switch (r) {
      case PoolError.WarmPoolEmpty:
        this.reconcileAndSubmit(node, mode)
        this.touchPool(node, mode)
        this.pods[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeuePod(slot, Controller.REQUEUE_WARM_POOL_EMPTY_MS, "ErrWarmPoolEmpty")
        break
      case PoolError.ResourcesAreBeingCreated:
        this.pods[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeuePod(slot, Controller.REQUEUE_WARM_POOL_EMPTY_MS, "ErrResourcesAreBeingCreated")
        break
      case PoolError.ResourceAreBeingCooledDown:
        this.pods[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeuePod(slot, Controller.REQUEUE_COOLING_MS, "ErrResourceAreBeingCooledDown")
        break
      case PoolError.InsufficientCidrBlocks:
        this.pods[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeuePod(slot, Controller.REQUEUE_NO_PREFIX_MS, "ErrInsufficientCidrBlocks")
        break
      case PoolError.PoolAtMaxCapacity: {
        // Returned as an error: the workqueue's per-item exponential backoff, 5 ms × 2^n up to 1000 s.
        const n = this.pods[slot * P.STRIDE + P.FLAGS]! >> 1
        this.pods[slot * P.STRIDE + P.FLAGS]! += Flag.FAILURE
        this.requeuePod(slot, Math.min(5 * 2 ** n, 1_000_000), "ErrPoolAtMaxCapacity")
        break
      }
      default:
        break
    }
  }

  // ---------------------------------------------------------------- nodes

  private onNodeJoin(index: number): void {
    const node = this.nodes[index]!
    node.eni = this.ec2.launch(node.subnet, node.limits.IPv4PerInterface)
    if (node.eni < 0) {
      // No address left for the instance's primary ENI: the instance fails to launch.
      this.nodeLaunchFailures++
      this.subnetTrackers[node.subnetIndex]!.insufficientErrors++
      node.status = NodeStatus.Gone
      return
    }
    this.touchSubnet(node.subnetIndex)
    node.status = NodeStatus.Registered
    this.maybeManage(node)
    this.reindex(node.index)
    this.requestSchedule()
  }

  /** AddNode: a Windows node is managed while IPAM is enabled; its Init job reads EC2 first. */
  private maybeManage(node: SimNode): void {
    if (!this.ipamEnabled || node.managed || node.status !== NodeStatus.Registered) return
    node.managed = true
    this.startInit(node)
  }

  private startInit(node: SimNode): void {
    // LoadDetails (DescribeInstances + DescribeSubnets), then InitResources per provider (DescribeInstances).
    let t = this.calls.call(Ec2Action.DescribeInstances, this.now)
    let ok = this.calls.code === Ec2Code.Ok
    t = this.calls.call(Ec2Action.DescribeSubnets, t)
    ok &&= this.calls.code === Ec2Code.Ok
    const providers = this.spec.controller.prefixDelegationFlag && node.isNitro ? 2 : 1
    for (let p = 0; p < providers; p++) {
      t = this.calls.call(Ec2Action.DescribeInstances, t)
      ok &&= this.calls.code === Ec2Code.Ok
    }
    this.events.push(t, Ev.NODE_INIT, node.index, ok ? 1 : 0)
  }

  private onNodeInit(index: number, ok: boolean): void {
    const node = this.nodes[index]!
    if (node.status !== NodeStatus.Registered || !node.managed) return
    if (!ok) {
      // Init failed: the node leaves the manager and is retried on a later node event.
      this.nodeInitFailures++
      node.managed = false
      this.events.push(this.now + Controller.INIT_RETRY_MS, Ev.NODE_RETRY_INIT, index, 0)
      return
    }
    this.initProvider(node, Mode.SecondaryIp)
    if (this.spec.controller.prefixDelegationFlag && node.isNitro) this.initProvider(node, Mode.Prefix)
    node.status = NodeStatus.Ready
    this.updateResourceCapacity(node)
    this.touchNode(node)
  }

  /** InitResource: a pool built from what EC2 holds and the running pods' annotations (§4.5). */
  private initProvider(node: SimNode, mode: Mode): void {
    const prov = node.provider(mode)
    const ips = this.scratchIps
    const prefixes = this.scratchPrefixes
    ips.length = 0
    prefixes.length = 0
    this.ec2.describeEni(node.eni, ips, prefixes)
    const isPd = mode === Mode.Prefix
    const pdOn = this.pdActive()
    prov.isPrevPdEnabled = pdOn
    const active = isPd ? pdOn : !pdOn
    const config: WarmPoolConfig = active ? this.poolConfig(isPd) : drainingConfig()
    const capacity = isPd ? node.capacityPrefix! : node.capacitySecondaryIp
    const pool = new WarmPool({
      capacity,
      isPrefixPool: isPd,
      config,
      order: this.mapOrder,
      legacySecondaryIp: !isPd && this.spec.controller.profile === "pre-v1.6.0",
      memory: this.pools,
      id: node.index * 2 + mode,
    })
    // Running pods whose annotation matches a present address become used; the rest is warm.
    const present = new Set<Ipv4>(isPd ? [] : ips)
    const presentPrefixes = new Set<Ipv4>(isPd ? prefixes : [])
    const usedIps = new Set<Ipv4>()
    // A node with no pod bound has no running pod to adopt: skip the scan of every pod.
    for (let slot = 0; node.podsBound > 0 && slot < this.podSlots; slot++) {
      if (
        this.pods[slot * P.STRIDE + P.STATE] !== PodState.RUNNING ||
        this.pods[slot * P.STRIDE + P.NODE] !== node.index
      )
        continue
      const ip = this.podF[4 * slot + PF.IP]!
      if (isPd ? presentPrefixes.has(prefixOf(ip)) : present.has(ip)) {
        usedIps.add(ip)
        pool.adoptUsed(slot, ip)
      }
    }
    const warm: Ipv4[] = []
    if (isPd) {
      for (const p of prefixes) for (let i = 0; i < Pool.IPS_PER_PREFIX; i++) if (!usedIps.has(p + i)) warm.push(p + i)
    } else {
      for (const ip of ips) if (!usedIps.has(ip)) warm.push(ip)
    }
    pool.adoptWarm(warm)
    prov.pool = pool
    prov.eniRemaining = this.ec2.remainingSlots(node.eni)
    const k = (node.index * 2 + mode) * K.STRIDE
    this.keyState[k + K.TOKEN]!++
    this.keyState[k + K.MATURE_AT] = -1
    this.reconcileAndSubmit(node.index, mode)
    if (!prov.loopActive) {
      prov.loopActive = true
      this.submitJob(JobKind.LOOP, node.index, mode, 0)
    }
  }

  private pdActive(): boolean {
    return this.spec.controller.prefixDelegationFlag && this.pdEnabled
  }

  /** GetWinWarmPoolConfig for the caller's mode, or the pre-v1.6.0 fixed config for secondary IPs. */
  private poolConfig(isPd: boolean): WarmPoolConfig {
    if (!isPd && this.spec.controller.profile === "pre-v1.6.0") return sipLegacyConfig()
    return getWinWarmPoolConfig(this.configMap, isPd)
  }

  /** UpdateResourceCapacity of both providers (§2.6 tables). */
  private updateResourceCapacity(node: SimNode): void {
    if (node.status !== NodeStatus.Ready) return
    this.wake(node.index, Mode.SecondaryIp)
    this.wake(node.index, Mode.Prefix)
    const curr = this.pdActive()
    const sip = node.provider(Mode.SecondaryIp)
    if (sip.pool !== undefined) {
      if (!node.isNitro || !this.spec.controller.prefixDelegationFlag) {
        sip.isPrevPdEnabled = false
        this.applyJob(node.index, Mode.SecondaryIp, sip.pool.setToActive(this.poolConfig(false), this.poolJob))
        node.advertised = node.capacitySecondaryIp
      } else if (sip.isPrevPdEnabled && curr) {
        // PD provider handles the node.
      } else if (!sip.isPrevPdEnabled && curr) {
        sip.isPrevPdEnabled = true
        this.applyJob(node.index, Mode.SecondaryIp, sip.pool.setToDraining(this.poolJob))
      } else {
        sip.isPrevPdEnabled = false
        this.applyJob(node.index, Mode.SecondaryIp, sip.pool.setToActive(this.poolConfig(false), this.poolJob))
        node.advertised = node.capacitySecondaryIp
      }
    }
    const pd = node.provider(Mode.Prefix)
    if (pd.pool !== undefined) {
      if (!curr) {
        if (pd.isPrevPdEnabled) {
          pd.isPrevPdEnabled = false
          this.applyJob(node.index, Mode.Prefix, pd.pool.setToDraining(this.poolJob))
        }
      } else {
        pd.isPrevPdEnabled = true
        this.applyJob(node.index, Mode.Prefix, pd.pool.setToActive(this.poolConfig(true), this.poolJob))
        node.advertised = node.capacityPrefix!
      }
    }
    this.touchNode(node)
    this.reindex(node.index)
    this.requestSchedule()
  }

  private onNodeLeave(index: number): void {
    const node = this.nodes[index]!
    if (node.status === NodeStatus.Gone || node.status === NodeStatus.Absent) {
      node.status = NodeStatus.Gone
      return
    }
    this.dropPools(node)
    node.status = NodeStatus.Gone
    node.managed = false
    node.advertised = 0
    for (let slot = 0; slot < this.podSlots; slot++) {
      if (this.pods[slot * P.STRIDE + P.NODE] !== index) continue
      const s = this.pods[slot * P.STRIDE + P.STATE]!
      if (s === PodState.WAITING) {
        this.neverGotIp++
        this.waitingCount--
      }
      if (s === PodState.WAITING || s === PodState.RUNNING || s === PodState.NO_ADDRESS) {
        this.pods[slot * P.STRIDE + P.STATE] = PodState.EVICTED
        this.pods[slot * P.STRIDE + P.NODE] = -1
        this.evicted++
      }
    }
    node.podsBound = 0
    node.requested = 0
    this.reindex(node.index)
    this.ec2.terminate(node.eni)
    this.touchSubnet(node.subnetIndex)
    this.touchNode(node)
  }

  /** DeInitResource: the pools are forgotten; nothing is unassigned in EC2. */
  private dropPools(node: SimNode): void {
    for (const mode of [Mode.SecondaryIp, Mode.Prefix]) {
      const prov = node.provider(mode)
      // A maturation that happened before the pools are forgotten counts in the metrics until now.
      const key = node.index * 2 + mode
      if (this.dormant[mode].has(key) && this.keyState[key * K.STRIDE + K.MATURE_AT]! >= 0)
        this.matureIfPassed(node.index, mode)
      prov.pool = undefined
      this.pools.drop(key)
      prov.loopActive = false
      this.dormant[mode].forget(key)
      this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
      this.keyState[key * K.STRIDE + K.TOKEN]!++
    }
  }

  // ---------------------------------------------------------------- ConfigMap

  private applyConfigMap(data: ConfigMapData): void {
    this.configMap = data
    this.ipamEnabled = isWindowsIpamEnabled(data)
    this.pdEnabled = isWindowsPrefixDelegationEnabled(data, true)
  }

  /** ConfigMapReconciler: when the flags or targets changed, UpdateNode on every node the manager knows. */
  private onConfigMapChange(index: number): void {
    const data = this.spec.configMap.changes[index]!.data
    this.applyConfigMap(data)
    const t = parseWinIpTargetConfigs(data)
    const next = {
      ipam: this.ipamEnabled,
      pd: isWindowsPrefixDelegationEnabled(data, this.spec.controller.prefixDelegationFlag),
      w: t.warmIpTarget,
      m: t.minIpTarget,
      wpt: t.warmPrefixTarget,
    }
    const r = this.remembered
    const changed =
      r.ipam !== next.ipam ||
      r.pd !== next.pd ||
      r.w !== next.w ||
      r.m !== next.m ||
      (t.isPdEnabled && r.wpt !== next.wpt)
    this.remembered = next
    if (!changed) return
    for (const node of this.nodes) {
      if (node.status !== NodeStatus.Registered && node.status !== NodeStatus.Ready) continue
      if (node.managed && !this.ipamEnabled) {
        // Unmanaged: pools dropped, addresses stay on the ENI, the loop stops, the webhook stops injecting.
        this.dropPools(node)
        node.managed = false
        node.status = NodeStatus.Registered
        this.touchNode(node)
        this.reindex(node.index)
      } else if (!node.managed && this.ipamEnabled) {
        this.maybeManage(node)
      } else if (node.managed) {
        this.updateResourceCapacity(node)
      }
    }
  }

  // ---------------------------------------------------------------- jobs and workers

  private reconcileAndSubmit(node: number, mode: Mode): JobType {
    const key = node * 2 + mode
    if (!this.pools.has(key)) return JobType.NoReconcile
    const type = poolReconcile(this.pools, key, this.poolJob, this.mapOrder)
    this.applyJob(node, mode, type)
    return type
  }

  /** Submits the job a pool returned (NoReconcile jobs are no-ops in the worker and are not queued). */
  private applyJob(node: number, mode: Mode, type: JobType): void {
    const j = this.poolJob
    if (type === JobType.Create) this.submitJob(JobKind.CREATE, node, mode, j.count)
    else if (type === JobType.Deleted) {
      const id = this.submitJob(JobKind.DELETE, node, mode, j.count)
      const job = this.jobs[id]!
      for (const g of j.groups) job.groups.push(g)
    } else if (type === JobType.ReSync) {
      this.resyncJobs++
      this.submitJob(JobKind.RESYNC, node, mode, 0)
    }
  }

  private takeJobId(): number {
    let id = this.freeJobs.pop()
    if (id === undefined) {
      id = this.jobs.length
      this.jobs.push(new Job())
    }
    return id
  }

  private submitJob(kind: number, node: number, mode: Mode, count: number): number {
    const id = this.takeJobId()
    const job = this.jobs[id]!
    job.kind = kind
    job.node = node
    job.mode = mode
    job.count = count
    if (job.groups.length !== 0) job.groups.length = 0
    if (job.created.length !== 0) job.created.length = 0
    job.stage = 0
    job.polls = 0
    job.code = Ec2Code.Ok
    job.submittedAt = this.now
    job.worker = -1
    this.queues[mode].push(id)
    this.startWorkers(mode)
    return id
  }

  private startWorkers(mode: Mode): void {
    // Jobs that finish at once (loops, dropped nodes) free their worker inside this loop; the guard keeps
    // that from recursing, and the loop hands the freed worker the next job.
    if (this.dispatching[mode]) return
    this.dispatching[mode] = true
    const q = this.queues[mode]
    const w = this.workers[mode]
    for (let i = 0; i < w.length; i++) {
      if (w[i] !== -1) continue
      if (this.queueHead[mode]! >= q.length) break
      const id = q[this.queueHead[mode]!++]!
      if (this.queueHead[mode]! > 1024 && this.queueHead[mode]! * 2 > q.length) {
        q.splice(0, this.queueHead[mode]!)
        this.queueHead[mode] = 0
      }
      w[i] = id
      const job = this.jobs[id]!
      job.worker = i
      if (job.kind !== JobKind.LOOP) {
        // Loop jobs take no time in the worker; the statistics are about EC2 jobs.
        const wait = this.now - job.submittedAt
        this.workerJobs[mode]!++
        this.workerWaitSum[mode]! += wait
        if (wait > this.workerWaitMax[mode]!) this.workerWaitMax[mode] = wait
      }
      this.startJob(id)
      // The job may have finished already: look at every worker again.
      i = -1
    }
    this.dispatching[mode] = false
    const busy = w[0] !== -1 && w[1] !== -1
    if (busy && !this.contended[mode]) {
      this.contended[mode] = true
      this.ensureSentinel(mode)
    } else if (!busy && this.contended[mode]) {
      this.contended[mode] = false
      this.dormant[mode].unorder()
    }
  }

  private startJob(id: number): void {
    const job = this.jobs[id]!
    const node = this.nodes[job.node]!
    const prov = node.provider(job.mode)
    if (prov.pool === undefined || node.status === NodeStatus.Gone) {
      this.finishJob(id, false)
      return
    }
    if (job.kind === JobKind.LOOP) {
      this.runLoop(job.node, job.mode)
      this.finishJob(id, false)
      return
    }
    if (prov.locked) {
      prov.lockWaiters.push(id)
      return
    }
    prov.locked = true
    this.onJobStep(id)
  }

  /** A loop job in a worker: ProcessDeleteQueue's cool-down processing and reconcile, then AddAfter(30 s). */
  private runLoop(node: number, mode: Mode): void {
    const key = node * 2 + mode
    poolProcessCoolDown(this.pools, key, this.now)
    const type = poolReconcile(this.pools, key, this.poolJob, this.mapOrder)
    this.applyJob(node, mode, type)
    this.touchPool(node, mode)
    const idle = type === JobType.NoReconcile && poolCooling(this.pools, key) === 0
    if (idle && !this.spec.wakeIdleLoops && !this.contended[mode]) {
      // Until the pool is touched, every further loop would find it exactly like this: skip them.
      this.skipLoop(mode, key, this.now + Controller.LOOP_MS)
    } else {
      this.events.push(this.now + Controller.LOOP_MS, Ev.LOOP, key, ++this.keyState[key * K.STRIDE + K.TOKEN]!)
    }
  }

  private onLoop(key: number, token: number): void {
    const mode = (key & 1) as Mode
    // The pool's liveness from PoolMemory and the node's status from its table: a loop reads no node or
    // provider object.
    if (
      this.keyState[key * K.STRIDE + K.TOKEN] === token &&
      this.pools.has(key) &&
      this.nodeState[(key >> 1) * N.STRIDE + N.STATUS] !== NodeStatus.Gone
    ) {
      const node = key >> 1
      // A skipped loop's deadline (see settle): the loop runs from here on.
      this.dormant[mode].forget(key)
      const w = this.workers[mode]
      if (w[0] === -1 || w[1] === -1) {
        // A free worker means an empty queue: the loop job would start and finish at once, so run it here.
        // Jobs it submits start after it, as they would from the worker; the loop still takes a job id, as
        // ids order simultaneous job steps.
        const id = this.takeJobId()
        this.dispatching[mode] = true
        this.runLoop(node, mode)
        this.dispatching[mode] = false
        this.freeJobs.push(id)
        this.startWorkers(mode)
      } else this.submitJob(JobKind.LOOP, node, mode, 0)
    }
    if (this.sentinel[mode] === key && this.sentinelToken[mode] === token) {
      this.sentinel[mode] = -1
      if (this.contended[mode]) this.ensureSentinel(mode)
    }
  }

  /** The next time a skipped loop at `t` would run: itself, or 30 s steps later if it ran before this event. */
  private loopTimeFrom(t: number, key: number, token: number): number {
    let next = t
    if (next < this.now) next += Math.ceil((this.now - next) / Controller.LOOP_MS) * Controller.LOOP_MS
    if (next === this.now && this.events.beforeCurrent(Ev.LOOP, key, token)) next += Controller.LOOP_MS
    return next
  }

  /** Before a pool changes: its skipped loop goes back on the event list at the time it would have run. */
  private wake(node: number, mode: Mode): void {
    if (this.wakeLater(node, mode)) this.pushLoop(node, mode)
  }

  /** wake without putting the loop on the event list yet (settle does); true when the loop was skipped. */
  private wakeLater(node: number, mode: Mode): boolean {
    const key = node * 2 + mode
    const heap = this.dormant[mode]
    if (!heap.has(key)) return false
    const ks = this.keyState
    const k = key * K.STRIDE
    if (ks[k + K.MATURE_AT]! >= 0) this.matureIfPassed(node, mode)
    heap.forget(key)
    ks[k + K.NEXT_LOOP_AT] = this.loopTimeFrom(ks[k + K.NEXT_LOOP_AT]!, key, ks[k + K.TOKEN]! + 1)
    return true
  }

  /** The provider's loop is skipped until `at` (see DormantLoops). */
  private skipLoop(mode: Mode, key: number, at: number): void {
    this.keyState[key * K.STRIDE + K.NEXT_LOOP_AT] = at
    this.dormant[mode].push(at, key)
  }

  private pushLoop(node: number, mode: Mode): void {
    const key = node * 2 + mode
    const k = key * K.STRIDE
    this.events.push(this.keyState[k + K.NEXT_LOOP_AT]!, Ev.LOOP, key, ++this.keyState[k + K.TOKEN]!)
  }

  /**
   * After a pod's address was assigned or freed on a pool whose loop was skipped until this touch (`wasDormant`)
   * and whose reconcile just returned `type`: when the loop's next run would change nothing (reconcile has
   * nothing to do and no cooling address matures by then), it stays skipped, with a deadline at the first
   * loop at which a cooling address matures. Loops until then would each find the pool exactly as now.
   */
  private settle(node: number, mode: Mode, wasDormant: boolean, type: JobType): void {
    if (!wasDormant) return
    const key = node * 2 + mode
    const next = this.keyState[key * K.STRIDE + K.NEXT_LOOP_AT]!
    const oldest = poolOldestCoolingAt(this.pools, key)
    if (
      type !== JobType.NoReconcile ||
      this.contended[mode] ||
      this.spec.wakeIdleLoops ||
      (oldest >= 0 && next - oldest >= Pool.COOL_DOWN_MS)
    ) {
      this.pushLoop(node, mode)
      return
    }
    this.skipLoop(mode, key, next)
    if (oldest >= 0) {
      const deadline = next + Math.ceil((oldest + Pool.COOL_DOWN_MS - next) / Controller.LOOP_MS) * Controller.LOOP_MS
      const token = ++this.keyState[key * K.STRIDE + K.TOKEN]!
      if (poolCoolDownSettles(this.pools, key, deadline)) {
        // That loop would only return the cooled addresses to warm: it is applied when the pool is next
        // touched, at its own time (the metrics' integrals take the change from then on).
        this.keyState[key * K.STRIDE + K.MATURE_AT] = deadline
        if (this.keyState[key * K.STRIDE + K.LISTED] === 0) {
          this.keyState[key * K.STRIDE + K.LISTED] = 1
          if (this.maturingCount === this.maturing.length) this.maturing.push(key)
          else this.maturing[this.maturingCount] = key
          this.maturingCount++
        }
      } else this.events.push(deadline, Ev.LOOP, key, token)
    }
  }

  /**
   * A skipped loop's pending maturation (see settle), when the pool wakes: applied if that loop has run by
   * now (before the current event at a tie), forgotten otherwise (the loops from now on run for real).
   */
  private matureIfPassed(node: number, mode: Mode): void {
    const key = node * 2 + mode
    const at = this.keyState[key * K.STRIDE + K.MATURE_AT]!
    this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
    if (
      at < this.now ||
      (at === this.now && this.events.beforeCurrent(Ev.LOOP, key, this.keyState[key * K.STRIDE + K.TOKEN]!))
    )
      this.mature(node, mode, at)
  }

  /** Applies every pending maturation due by now (before a timeline sample, and at the end). */
  private matureDue(): void {
    const m = this.maturing
    let w = 0
    for (let i = 0; i < this.maturingCount; i++) {
      const key = m[i]!
      const at = this.keyState[key * K.STRIDE + K.MATURE_AT]!
      if (at > this.now) {
        m[w++] = key
        continue
      }
      this.keyState[key * K.STRIDE + K.LISTED] = 0
      if (at < 0) continue
      this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
      // Integrals take each change from its own time on, so the order of the providers does not matter.
      this.mature(key >> 1, (key & 1) as Mode, at)
    }
    this.maturingCount = w
  }

  /** What the skipped loop at `at` did: cooled addresses back to warm (the pool stays idle and dormant). */
  private mature(node: number, mode: Mode, at: number): void {
    const key = node * 2 + mode
    const k = poolCooling(this.pools, key)
    poolProcessCoolDown(this.pools, key, at)
    this.keyState[key * K.STRIDE + K.WARM]! += k
    this.keyState[key * K.STRIDE + K.COOLING]! -= k
    const g = this.groupIntegrals[this.nodeState[node * N.STRIDE + N.GROUP]!]!
    g.warm.addFrom(k, at)
    g.cooling.addFrom(-k, at)
  }

  /**
   * While both workers of a mode are busy a loop would wait in the queue, so skipped loops must run for
   * real: the earliest one goes back on the event list; when it runs, the next one follows.
   */
  private ensureSentinel(mode: Mode): void {
    if (this.sentinel[mode] !== -1) return
    const heap = this.dormant[mode]
    heap.order()
    while (heap.size > 0) {
      const key = heap.minKey()
      const t = heap.minTime()
      const current = heap.minIsCurrent()
      heap.pop()
      if (!current) continue
      const next = this.loopTimeFrom(t, key, this.keyState[key * K.STRIDE + K.TOKEN]! + 1)
      // A pending maturation whose loop ran while the workers were free happened then.
      const at = this.keyState[key * K.STRIDE + K.MATURE_AT]!
      if (at >= 0 && at < next) {
        this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
        this.mature(key >> 1, mode, at)
      }
      if (next !== t) {
        // It passed while the workers were free: it changed nothing.
        this.skipLoop(mode, key, next)
        continue
      }
      // It runs for real from here on (a pending maturation's loop is this one or a later one).
      heap.forget(key)
      this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
      const token = ++this.keyState[key * K.STRIDE + K.TOKEN]!
      this.events.push(t, Ev.LOOP, key, token)
      this.sentinel[mode] = key
      this.sentinelToken[mode] = token
      return
    }
  }

  /** One stage of a Create, Delete or ReSync job; each EC2 call ends a stage at its answer time. */
  private onJobStep(id: number): void {
    const job = this.jobs[id]!
    const node = this.nodes[job.node]!
    const prov = node.provider(job.mode)
    if (prov.pool === undefined || node.status === NodeStatus.Gone) {
      this.finishJob(id, true)
      return
    }
    const isPd = job.mode === Mode.Prefix
    switch (job.kind) {
      case JobKind.CREATE:
        this.stepCreate(id, job, node, prov, isPd)
        return
      case JobKind.DELETE:
        this.stepDelete(id, job, node, prov, isPd)
        return
      case JobKind.RESYNC:
        this.stepResync(id, job, node, prov, isPd)
        return
    }
  }

  private stepCreate(id: number, job: Job, node: SimNode, prov: ProviderState, isPd: boolean): void {
    switch (job.stage) {
      case 0: {
        // CreateIPV4Resource: the ENI manager asks only for what its own count says fits.
        if (prov.eniRemaining <= 0) {
          job.code = Ec2Code.PrivateIpAddressLimitExceeded
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        job.asked = Math.min(prov.eniRemaining, job.count)
        this.callEc2(id, job, Ec2Action.AssignPrivateIpAddresses, 1)
        return
      }
      case 1: {
        if (job.code !== Ec2Code.Ok) {
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        const code = isPd
          ? this.ec2.assignPrefixes(node.eni, job.asked, job.created)
          : this.ec2.assignIps(node.eni, job.asked, job.created)
        if (code !== Ec2Code.Ok) {
          this.calls.fail(Ec2Action.AssignPrivateIpAddresses)
          job.code = code
          const tracker = this.subnetTrackers[node.subnetIndex]!
          if (code === Ec2Code.InsufficientCidrBlocks) tracker.prefixErrors++
          if (code === Ec2Code.InsufficientFreeAddressesInSubnet) tracker.insufficientErrors++
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        this.touchSubnet(node.subnetIndex)
        prov.eniRemaining -= job.asked
        job.visibleAt = this.now + this.visibility(this.rngEc2)
        job.stage = 2
        this.onJobStep(id)
        return
      }
      case 2: {
        // waitForIPAttachment: DescribeNetworkInterfaces until the new addresses show.
        this.callEc2(id, job, Ec2Action.DescribeNetworkInterfaces, 3)
        return
      }
      case 3: {
        if (job.code !== Ec2Code.Ok) {
          // Describe failed: reported as nothing created; a ReSync later finds the addresses.
          job.created.length = 0
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        if (this.now >= job.visibleAt) {
          if (job.asked < job.count) job.code = Ec2Code.PrivateIpAddressLimitExceeded
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        job.polls++
        if (job.polls >= Controller.ATTACH_WAIT_ATTEMPTS) {
          job.created.length = 0
          job.code = Ec2Code.RequestTimeout
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        const sleep = Controller.ATTACH_WAIT_FIRST_SLEEP_MS * 2 ** (job.polls - 1)
        job.stage = 2
        this.events.push(this.now + Math.round(sleep * (1 + 0.1 * this.rngJitter.float())), Ev.JOB_STEP, id, 0)
        return
      }
    }
  }

  private completeCreate(id: number, job: Job, node: SimNode, prov: ProviderState, isPd: boolean): void {
    let didSucceed = job.code === Ec2Code.Ok
    let prefixAvailable = isPd
    if (isPd && job.code === Ec2Code.InsufficientCidrBlocks && this.spec.controller.profile !== "current") {
      // SDK v1 error strings start with the code: non-retryable, prefixAvailable false, node event.
      didSucceed = true
      prefixAvailable = false
      this.icbEvents++
    }
    this.jobResult(id, job, node, prov, JobType.Create, job.created, didSucceed, prefixAvailable)
  }

  /** UpdatePool with a job's result, the reconcile it asks for, then the worker and the ENI lock are freed. */
  private jobResult(
    id: number,
    job: Job,
    node: SimNode,
    prov: ProviderState,
    type: JobType,
    resources: readonly Ipv4[],
    didSucceed: boolean,
    prefixAvailable: boolean,
  ): void {
    this.wake(node.index, job.mode)
    if (prov.pool!.updatePool(type, job.count, resources, didSucceed, prefixAvailable))
      this.reconcileAndSubmit(node.index, job.mode)
    this.touchPool(node.index, job.mode)
    this.finishJob(id, true)
  }

  /** An EC2 call of a job: the job's next stage runs at the answer's time. */
  private callEc2(id: number, job: Job, action: Ec2Action, nextStage: number): void {
    const t = this.calls.call(action, this.now)
    job.code = this.calls.code
    job.stage = nextStage
    this.events.push(t, Ev.JOB_STEP, id, 0)
  }

  private stepDelete(id: number, job: Job, node: SimNode, prov: ProviderState, isPd: boolean): void {
    if (job.stage === 0) {
      this.callEc2(id, job, Ec2Action.UnassignPrivateIpAddresses, 1)
      return
    }
    let failed: Ipv4[] = job.created
    failed.length = 0
    if (job.code === Ec2Code.Ok) {
      if (isPd) this.ec2.unassignPrefixes(node.eni, job.groups)
      else this.ec2.unassignIps(node.eni, job.groups)
      prov.eniRemaining += job.groups.length
      this.touchSubnet(node.subnetIndex)
    } else {
      failed = job.groups
    }
    this.jobResult(id, job, node, prov, JobType.Deleted, failed, job.code === Ec2Code.Ok, isPd)
  }

  private stepResync(id: number, job: Job, node: SimNode, prov: ProviderState, isPd: boolean): void {
    if (job.stage === 0) {
      this.callEc2(id, job, Ec2Action.DescribeInstances, 1)
      return
    }
    if (job.code === Ec2Code.Ok) {
      const ips = this.scratchIps
      const prefixes = this.scratchPrefixes
      ips.length = 0
      prefixes.length = 0
      this.ec2.describeEni(node.eni, ips, prefixes)
      prov.eniRemaining = this.ec2.remainingSlots(node.eni)
      this.wake(node.index, job.mode)
      prov.pool!.reSync(isPd ? prefixes : ips)
      this.touchPool(node.index, job.mode)
    }
    this.finishJob(id, true)
  }

  /** Frees the worker (and the ENI lock if held), then starts what waits. */
  private finishJob(id: number, heldLock: boolean): void {
    const job = this.jobs[id]!
    const mode = job.mode
    const prov = this.nodes[job.node]!.provider(mode)
    this.workers[mode][job.worker] = -1
    this.freeJobs.push(id)
    if (heldLock) {
      prov.locked = false
      const next = prov.lockWaiters.shift()
      if (next !== undefined) {
        // The waiting job's worker was blocked on the mutex; it proceeds now.
        prov.locked = true
        this.onJobStep(next)
      }
    }
    this.startWorkers(mode)
  }

  // ---------------------------------------------------------------- metrics

  /** Reports a node's pools' counts to the metrics after a change to either. */
  private touchNode(node: SimNode): void {
    this.touchPool(node.index, Mode.SecondaryIp)
    this.touchPool(node.index, Mode.Prefix)
  }

  /** Reports one pool's counts after a change to it alone (a pod event touches one pool's memory, not both). */
  private touchPool(node: number, mode: Mode): void {
    const pools = this.pools
    const key = node * 2 + mode
    const live = pools.has(key)
    const used = live ? poolUsed(pools, key) : 0
    const warm = live ? poolWarm(pools, key) : 0
    const cooling = live ? poolCooling(pools, key) : 0
    const pending = live ? poolPendingCreate(pools, key) : 0
    const ks = this.keyState
    const k = key * K.STRIDE
    const du = used - ks[k + K.USED]!
    const dw = warm - ks[k + K.WARM]!
    const dc = cooling - ks[k + K.COOLING]!
    const dp = pending - ks[k + K.PENDING]!
    if (du === 0 && dw === 0 && dc === 0 && dp === 0) return
    ks[k + K.USED] = used
    ks[k + K.WARM] = warm
    ks[k + K.COOLING] = cooling
    ks[k + K.PENDING] = pending
    // The cluster's integrals are the groups' sums (exact: integer values and times), taken at the end.
    this.groupIntegrals[this.nodeState[node * N.STRIDE + N.GROUP]!]!.add(du, dw, dc, dp, this.now)
  }

  private touchSubnet(index: number): void {
    const s = this.subnets[index]!
    this.subnetTrackers[index]!.update(s.freeOutsideReservations, s.freeAlignedBlocks, this.now)
    // Addresses held for pods (secondary IPs and prefixes); primary addresses belong to the nodes.
    const allocated = this.ec2.secondaryHeld
    if (allocated !== this.allocated.value) this.allocated.set(allocated, this.now)
  }

  private onTick(): void {
    this.matureDue()
    const tl = this.timeline
    tl.t.push(this.now)
    for (const s of this.subnets) {
      const series = tl.subnets[s.id]!
      series.free.push(s.freeOutsideReservations)
      series.freeAligned.push(s.freeAlignedBlocks)
    }
    this.groupNames.forEach((g, i) => {
      const gi = this.groupIntegrals[i]!
      const series = tl.groups[g]!
      series.used.push(gi.used.value)
      series.warm.push(gi.warm.value)
      series.cooling.push(gi.cooling.value)
      series.pending.push(gi.pending.value)
    })
    tl.podsWaiting.push(this.waitingCount)
    tl.podsPending.push(this.pendingCount())
    // Sample up to the stop time (unknown until the trace ends when the scenario gives no duration).
    const next = this.now + this.spec.timelineEveryMs
    if (this.traceAt !== Number.POSITIVE_INFINITY || next <= this.stopAt) this.events.push(next, Ev.TICK, 0, 0)
  }

  private pendingCount(): number {
    let n = 0
    const q = this.pendingQueue
    for (let i = 0; i < q.length; i += 2) {
      const slot = q[i]!
      if (this.pods[slot * P.STRIDE + P.GEN] === q[i + 1] && this.pods[slot * P.STRIDE + P.STATE] === PodState.PENDING)
        n++
    }
    return n
  }

  // ---------------------------------------------------------------- introspection

  /** What EC2 holds on a node's primary ENI: secondary IPs and prefixes (as the integration tests count them). */
  holdings(nodeName: string): { ips: number; prefixes: number } {
    const i = this.nodeByName.get(nodeName)
    if (i === undefined) throw new Error(`no node "${nodeName}"`)
    return this.ec2.heldCount(this.nodes[i]!.eni)
  }

  /** A node's pools: used, warm and cooling addresses of the secondary-IP and prefix pools. */
  poolState(
    nodeName: string,
  ): Array<{ used: number; warm: number; cooling: number; pendingCreate: number } | undefined> {
    const i = this.nodeByName.get(nodeName)
    if (i === undefined) throw new Error(`no node "${nodeName}"`)
    this.matureDue()
    const node = this.nodes[i]!
    return [node.provider(Mode.SecondaryIp), node.provider(Mode.Prefix)].map((p) =>
      p.pool === undefined
        ? undefined
        : {
            used: p.pool.usedCount,
            warm: p.pool.warmCountIps,
            cooling: p.pool.coolingCount,
            pendingCreate: p.pool.pendingCreate,
          },
    )
  }

  /** Runs events up to and including time t (then stops; call again to go on). */
  runUntil(t: number): void {
    while (this.nextEventTime() <= t && this.step()) {}
    if (this.now < t) this.now = t
  }

  /** The address and bind time of a running pod, by name (traces whose events carry no podId), or undefined. */
  podAddress(pod: string): { ip: number; boundAt: number } | undefined {
    const slot = this.podNames.get(pod)
    if (slot < 0 || slot >= this.podSlots || this.pods[slot * P.STRIDE + P.STATE] !== PodState.RUNNING) return undefined
    return { ip: this.podF[4 * slot + PF.IP]!, boundAt: this.podF[4 * slot + PF.BOUND_AT]! }
  }

  // ---------------------------------------------------------------- invariants (tests)

  /** Throws when an invariant breaks: addresses held twice, accounting not conserved, negative counters. */
  checkInvariants(): void {
    const owner = new Map<Ipv4, string>()
    const claim = (ip: Ipv4, who: string): void => {
      const prev = owner.get(ip)
      if (prev !== undefined) throw new Error(`t=${this.now}: address ${ip} held twice (${prev} and ${who})`)
      owner.set(ip, who)
    }
    const holdings = new Map<number, { ips: Set<Ipv4>; prefixes: Set<Ipv4> }>()
    for (const h of this.ec2.allHoldings()) {
      holdings.set(h.eni, { ips: new Set(h.ips), prefixes: new Set(h.prefixes) })
      for (const ip of h.ips)
        if (!h.subnet.isAllocatedIp(ip))
          throw new Error(`t=${this.now}: ENI ${h.eni} holds ${ip} the subnet thinks free`)
      for (const p of h.prefixes)
        if (!h.subnet.isAllocatedPrefix(p))
          throw new Error(`t=${this.now}: ENI ${h.eni} holds prefix ${p} the subnet thinks free`)
    }
    for (const node of this.nodes) {
      for (let m = 0; m < 2; m++) {
        const pool = node.provider(m as Mode).pool
        if (pool === undefined) continue
        if (pool.pendingCreate < 0 || pool.pendingDelete < 0)
          throw new Error(
            `t=${this.now}: ${node.name} pending counters negative (${pool.pendingCreate}, ${pool.pendingDelete})`,
          )
        const h = holdings.get(node.eni)
        const tracked = pool.trackedAddresses()
        for (const list of [tracked.used, tracked.warm, tracked.cooling]) {
          for (const ip of list) {
            claim(ip, `${node.name}/${m === 0 ? "sip" : "pd"}`)
            const inEc2 = m === 0 ? h?.ips.has(ip) : h?.prefixes.has(prefixOf(ip))
            // ReSync never drops used addresses; everything else a pool tracks must be on the ENI.
            if (!inEc2 && !tracked.used.includes(ip))
              throw new Error(`t=${this.now}: ${node.name} pool tracks ${ip} that its ENI does not hold`)
          }
        }
      }
    }
    // What poolAssignUnheld relies on: a pod waiting for an address holds none in its node's pools.
    for (let slot = 0; slot < this.podSlots; slot++) {
      if (this.pods[slot * P.STRIDE + P.STATE] !== PodState.WAITING) continue
      const key = this.pods[slot * P.STRIDE + P.NODE]! * 2
      for (let m = 0; m < 2; m++)
        if (this.pools.has(key + m) && poolAssigned(this.pools, key + m, slot) >= 0)
          throw new Error(`t=${this.now}: pod slot ${slot} waits for an address but holds one`)
    }
    for (const s of this.subnets) {
      const accounted =
        s.free + s.allocatedIps + s.allocatedPrefixes * Pool.IPS_PER_PREFIX + s.usedByOthers + s.awsReserved
      const reservedFree = s.free - s.freeOutsideReservations
      if (accounted !== s.size && accounted - reservedFree !== s.size)
        throw new Error(`t=${this.now}: subnet ${s.id} accounting ${accounted} ≠ size ${s.size}`)
    }
  }

  // ---------------------------------------------------------------- result

  result(): SimResult {
    this.matureDue()
    const now = this.now
    const sec = (v: number): number => Math.round(v) / 1000
    const [p50, p90, p99, max] = this.waits.percentiles([0.5, 0.9, 0.99, 1])
    let stillWaiting = 0
    let unscheduled = 0
    for (let slot = 0; slot < this.podSlots; slot++) {
      if (this.pods[slot * P.STRIDE + P.STATE] === PodState.WAITING) stillWaiting++
      if (
        this.pods[slot * P.STRIDE + P.STATE] === PodState.PENDING &&
        (this.pods[slot * P.STRIDE + P.FLAGS]! & Flag.REQUESTS) !== 0
      )
        unscheduled++
    }
    const sum = (pick: (g: AddressIntegrals) => Integral): number =>
      this.groupIntegrals.reduce((acc, g) => acc + pick(g).total(now), 0)
    const usedS = sum((g) => g.used)
    const allocS = this.allocated.total(now)
    const actionRecord = (arr: Float64Array): Record<string, number> => {
      const r: Record<string, number> = {}
      ;[
        "AssignPrivateIpAddresses",
        "UnassignPrivateIpAddresses",
        "DescribeNetworkInterfaces",
        "DescribeInstances",
        "DescribeSubnets",
      ].forEach((a, i) => {
        r[a] = arr[i]!
      })
      return r
    }
    const groups: Record<string, { used: number; warm: number; cooling: number; pending: number }> = {}
    this.groupNames.forEach((g, i) => {
      const gi = this.groupIntegrals[i]!
      groups[g] = {
        used: sec(gi.used.total(now)),
        warm: sec(gi.warm.total(now)),
        cooling: sec(gi.cooling.total(now)),
        pending: sec(gi.pending.total(now)),
      }
    })
    return {
      seed: this.spec.seed,
      simulatedMs: now,
      events: this.eventCount,
      pods: {
        created: this.created,
        requestingAddress: this.requesting,
        withIp: this.withIp,
        neverGotIp: this.neverGotIp + stillWaiting + unscheduled,
        stillWaiting,
        hostNetwork: this.hostNetwork,
        withoutResourceRequest: this.withoutResource,
        unscheduled,
        evicted: this.evicted,
        unknownDeletes: this.unknownDeletes,
        ignoredNonWindows: this.ignoredNonWindows,
        waitMs: {
          p50: p50!,
          p90: p90!,
          p99: p99!,
          max: max!,
          mean: this.waits.count === 0 ? 0 : Math.round(this.waits.sum / this.waits.count),
        },
        waitHistogram: { edgesMs: WAIT_EDGES, counts: this.waits.histogram(WAIT_EDGES) },
        retries: Object.fromEntries(Object.entries(this.retries).sort(([a], [b]) => (a < b ? -1 : 1))),
      },
      addresses: {
        ipSeconds: {
          used: sec(usedS),
          warm: sec(sum((g) => g.warm)),
          cooling: sec(sum((g) => g.cooling)),
          pending: sec(sum((g) => g.pending)),
          allocated: sec(allocS),
        },
        peakAllocated: this.allocated.max,
        wasteRatio: allocS === 0 ? 0 : Math.round(((allocS - usedS) / allocS) * 1e6) / 1e6,
      },
      subnets: this.subnets.map((s, i) => {
        const tr = this.subnetTrackers[i]!
        const snap = s.snapshot()
        const iv: Array<[number, number]> = []
        for (let k = 0; k < tr.intervals.length; k += 2)
          iv.push([tr.intervals[k]!, tr.intervals[k + 1]! < 0 ? now : tr.intervals[k + 1]!])
        return {
          id: s.id,
          cidr: snap.cidr,
          size: s.size,
          minFree: tr.minFree === Number.POSITIVE_INFINITY ? s.freeOutsideReservations : tr.minFree,
          finalFree: s.freeOutsideReservations,
          minFreeAlignedBlocks:
            tr.minFreeAligned === Number.POSITIVE_INFINITY ? s.freeAlignedBlocks : tr.minFreeAligned,
          finalFragmentedFree: s.fragmentedFree,
          firstExhaustedAtMs: tr.firstExhaustedAt < 0 ? null : tr.firstExhaustedAt,
          exhaustedMs: tr.exhaustedUntil(now),
          exhaustedIntervals: iv,
          insufficientErrors: tr.insufficientErrors,
          insufficientCidrBlocksErrors: tr.prefixErrors,
          freeIpSeconds: sec(tr.free.total(now)),
          blocks: snap.blocks,
        }
      }),
      ec2: {
        calls: actionRecord(this.calls.calls),
        attempts: actionRecord(this.calls.attempts),
        throttled: actionRecord(this.calls.throttled),
        failed: actionRecord(this.calls.failed),
      },
      workers: {
        "secondary-ip": this.workerStats(0),
        prefix: this.workerStats(1),
      },
      controller: {
        resyncJobs: this.resyncJobs,
        insufficientCidrBlocksEvents: this.icbEvents,
        nodeLaunchFailures: this.nodeLaunchFailures,
        nodeInitFailures: this.nodeInitFailures,
      },
      nodes: this.nodes.map((n) => this.nodeSummary(n)),
      groups,
      timeline: this.timeline,
    }
  }

  private workerStats(mode: number): { jobs: number; meanWaitMs: number; maxWaitMs: number } {
    const jobs = this.workerJobs[mode]!
    return {
      jobs,
      meanWaitMs: jobs === 0 ? 0 : Math.round(this.workerWaitSum[mode]! / jobs),
      maxWaitMs: this.workerWaitMax[mode]!,
    }
  }

  /** A node's count (K.USED…K.PENDING) as last reported, both providers. */
  private lastCount(n: SimNode, field: number): number {
    const k = n.index * 2 * K.STRIDE + field
    return this.keyState[k]! + this.keyState[k + K.STRIDE]!
  }

  private nodeSummary(n: SimNode): NodeSummary {
    const pdActive = n.provider(Mode.Prefix).pool !== undefined && n.provider(Mode.Prefix).isPrevPdEnabled
    return {
      name: n.name,
      group: this.groupNames[n.group]!,
      instanceType: n.instanceType,
      mode: pdActive ? "prefix" : "secondary-ip",
      capacity: pdActive ? n.capacityPrefix! : n.capacitySecondaryIp,
      final: {
        used: this.lastCount(n, K.USED),
        warm: this.lastCount(n, K.WARM),
        cooling: this.lastCount(n, K.COOLING),
        pending: this.lastCount(n, K.PENDING),
      },
    }
  }
}
