// The VPC CNI's ipamd on each Linux node: the second IP address manager behind the door
// (kubernetes/IpAddressManager.ts). A pod's CNI ADD takes an address from the node's datastore at once or
// fails, and kubelet retries the sandbox 10–15 s later (cni-ipamd.md §7); the pool manager wakes every 5 s
// plus the time its blocking EC2 work takes (§2) and grows or shrinks the pool by one action (PoolCycle).
// Idle loops are skipped exactly: a cycle that would change nothing is not run, and the loop wakes at the
// first 5 s tick at which a pod event or a timer (nextTimedChange) could change its decision.

import type { Ec2Calls } from "../ec2/Ec2Calls.ts"
import { isNitroInstance, type VpcLimits } from "../ec2/InstanceLimits.ts"
import { compileLatency, DEFAULT_LATENCIES } from "../ec2/Latency.ts"
import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import type { Subnet } from "../ec2/Subnet.ts"
import { SeededOrder } from "../go/MapOrder.ts"
import { Rng } from "../kernel/Rng.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import type { IpAddressManager } from "../kubernetes/IpAddressManager.ts"
import { NodeStatus, type SimNode } from "../kubernetes/Nodes.ts"
import { P, PodState, type Pods } from "../kubernetes/Pods.ts"
import type { Scheduler } from "../kubernetes/Scheduler.ts"
import type { AddressIntegrals } from "../metrics/Integral.ts"
import type { NodeSummary } from "../metrics/SimResult.ts"
import type { SubnetUse } from "../metrics/SubnetUse.ts"
import type { PodEvent } from "../workload/PodEvent.ts"
import { type AwsNodeConfig, readAwsNodeEnv } from "./AwsNodeEnv.ts"
import { BlockingEc2Work } from "./BlockingEc2Work.ts"
import { Datastore } from "./Datastore.ts"
import { IpamdEvent } from "./IpamdEvent.ts"
import { type IpamdSettings, IpamMode } from "./IpamdSettings.ts"
import { LinuxAddressCounts } from "./LinuxAddressCounts.ts"
import { LinuxNode } from "./LinuxNode.ts"
import { defaultCardEnis } from "./MaxPods.ts"
import { SlotPlaces } from "./PodIndex.ts"
import { CallResult, Ec2Op, PoolAction, PoolCycle } from "./PoolCycle.ts"
import { idleCycle, nextTimedChange } from "./PoolDecisions.ts"

/** The pool manager's period: 2.5 s sleep, updateIPPoolIfRequired, 2.5 s sleep, reconcile (ipamd.go). */
export const POOL_PERIOD_MS = 5_000
const FIRST_TICK_MS = 2_500
/** The DaemonSet pods every Linux node runs with the host's network (aws-node, kube-proxy). */
export const DAEMONSET_PODS = 2
/** kubelet's pod-worker back-off after a failed sync: jitter(10 s, 0.5) (cni-ipamd.md §7). */
const CNI_RETRY_MS = 10_000
const CNI_RETRY_JITTER_MS = 5_000

/** What ipamd is given: the shared parts of the cluster and the aws-node DaemonSet's environment. */
export interface IpamdParts {
  readonly sim: Simulation
  readonly seed: number
  readonly env: Readonly<Record<string, string>>
  /** The DaemonSet's env after each timed change (a rollout: every node's ipamd restarts with it). */
  readonly envChanges?: ReadonlyArray<{ readonly atMs: number; readonly env: Readonly<Record<string, string>> }>
  readonly nodeCount: number
  readonly nodeState: Int32Array
  readonly pods: Pods
  readonly scheduler: Scheduler
  readonly ec2: SimulatedEc2
  readonly calls: Ec2Calls
  readonly subnets: readonly Subnet[]
  readonly subnetUse: SubnetUse
  readonly groups: readonly AddressIntegrals[]
  readonly wakeIdleLoops: boolean
}

/** A Linux node group's own parts: its ENIConfig subnet under custom networking. */
export interface LinuxNodeOptions {
  readonly eniConfigSubnet: number
}

/** The settings ipamd derives for an instance from its limits and the environment (setupIPAMD). */
export const ipamdSettingsFor = (c: AwsNodeConfig, limits: VpcLimits, maxPods: number): IpamdSettings => {
  let maxENI = defaultCardEnis(limits)
  if (c.maxENI !== undefined && c.maxENI < maxENI) maxENI = c.maxENI
  // The trunk ENI's slot (ENABLE_POD_ENI on a trunking-compatible instance) is never the pool's.
  if (c.podEni && limits.IsTrunkingCompatible) maxENI = Math.max(maxENI - 1, 1)
  // Prefix delegation falls back to secondary IPs off Nitro (cni-ipamd.md §4).
  const pd = c.prefixDelegation && isNitroInstance(limits)
  const perEni = limits.IPv4PerInterface - 1
  return {
    mode: pd ? IpamMode.PD : IpamMode.SIP,
    maxENI,
    maxIPsPerENI: pd ? 16 * perEni : perEni,
    maxPrefixesPerENI: pd ? perEni : 0,
    maxPods,
    warmENITarget: c.warmENITarget,
    warmIPTarget: c.warmIPTarget,
    minimumIPTarget: c.minimumIPTarget,
    warmPrefixTarget: c.warmPrefixTarget,
    cooldownMs: c.cooldownMs,
    subnetDiscovery: c.subnetDiscovery,
    customNetworking: c.customNetworking,
  }
}

export class IpamdController implements IpAddressManager {
  readonly eventKinds = [IpamdEvent.TICK, IpamdEvent.CALL, IpamdEvent.CNI_RETRY]
  /** Its nodes by cluster node index (undefined: not a Linux node, or not joined yet). */
  readonly nodes: Array<LinuxNode | undefined> = []
  private readonly pending: Array<{ node: SimNode; options: LinuxNodeOptions } | undefined> = []
  config: AwsNodeConfig
  readonly counts: LinuxAddressCounts
  private readonly work: BlockingEc2Work
  private readonly rng: Rng
  /** The base of every node's map-order seeds. */
  private readonly orderBase: number
  /** Every Linux pod's record, by pod slot (slots are unique across nodes). */
  private readonly podPlaces = new SlotPlaces()
  enisCreated = 0
  enisDeleted = 0

  constructor(private readonly parts: IpamdParts) {
    this.config = readAwsNodeEnv(parts.env)
    this.rng = Rng.stream(parts.seed, "ipamd")
    this.orderBase = Rng.stream(parts.seed, "ipamd-map-order").nextU32()
    this.counts = new LinuxAddressCounts(parts.nodeState, parts.groups)
    this.work = new BlockingEc2Work(
      parts.sim,
      parts.ec2,
      parts.calls,
      parts.subnets,
      parts.subnetUse,
      compileLatency(DEFAULT_LATENCIES.EniVisibility),
      Rng.stream(parts.seed, "ipamd-ec2"),
      (ln, result, eni) => this.answered(ln, result, eni),
    )
    // A rollout is a TICK event whose node is -1 − the change's index.
    parts.envChanges?.forEach((c, i) => {
      parts.sim.events.push(c.atMs, IpamdEvent.TICK, -1 - i, 0)
    })
  }

  /** Whether the node is one of its Linux nodes. */
  isLinux(index: number): boolean {
    return this.pending[index] !== undefined
  }

  /** A Linux node of the cluster (before it joins). */
  addNode(node: SimNode, options: LinuxNodeOptions): void {
    this.pending[node.index] = { node, options }
  }

  /** The settings ipamd derives for an instance from its limits and the environment (setupIPAMD). */
  settingsFor(limits: VpcLimits, maxPods: number): IpamdSettings {
    return ipamdSettingsFor(this.config, limits, maxPods)
  }

  requestsAddress(_e: PodEvent): boolean {
    return false
  }

  nodeJoined(index: number): void {
    const p = this.pending[index]
    if (p === undefined) return
    const node = p.node
    const settings = this.settingsFor(node.limits, node.maxPods)
    const order = new SeededOrder()
    const ds = new Datastore(settings, order, order, this.podPlaces)
    const ln = new LinuxNode(
      node,
      ds,
      new PoolCycle(ds),
      p.options.eniConfigSubnet,
      node.limits.IPv4PerInterface,
      order,
    )
    const now = this.parts.sim.now
    // ipamd's init: the primary ENI, with no secondary addresses yet (node-init pre-scaling is not modelled).
    ds.addEni(node.eni, true, false, false, now)
    ln.countedAt = now
    ln.coolingCooldown = settings.cooldownMs
    ln.gridAt = now + FIRST_TICK_MS
    this.nodes[index] = ln
    node.managed = true
    node.status = NodeStatus.Ready
    // aws-node and kube-proxy, hostNetwork DaemonSet pods: the "+ 2" of the max-pods formula.
    node.podsBound += DAEMONSET_PODS
    this.schedule(ln, ln.gridAt)
  }

  nodeLeaving(index: number): void {
    const ln = this.nodes[index]
    if (ln === undefined) return
    ln.alive = false
    ln.nextTickAt = -1
    this.work.abandon(ln)
    ln.ds.forgetPods()
    this.counts.clear(ln, this.parts.sim.now)
    this.nodes[index] = undefined
    // The instance's attached ENIs go with it (DeleteOnTermination): their subnets change too.
    for (let i = 0; i < this.parts.subnets.length; i++) this.parts.subnetUse.touch(i, this.parts.sim.now)
  }

  podBound(pod: number, node: number): void {
    this.cniAdd(pod, this.nodes[node]!)
  }

  podDeleted(pod: number, node: number, _ip: number): void {
    const ln = this.nodes[node]
    if (ln === undefined) return
    const now = this.parts.sim.now
    this.counts.before(ln, now)
    if (ln.ds.unassign(pod, now) >= 0) this.counts.released(ln, now)
    this.counts.after(ln, now)
    this.wake(ln)
  }

  configChanged(_index: number): void {
    // ipamd does not read the amazon-vpc-cni ConfigMap's Windows keys.
  }

  catchUp(): void {
    const now = this.parts.sim.now
    for (const ln of this.nodes) if (ln !== undefined) this.counts.touch(ln, now)
  }

  onEvent(kind: number, a: number, b: number): void {
    if (kind === IpamdEvent.TICK) {
      if (a < 0) {
        this.rollOut(-1 - a)
        return
      }
      const ln = this.nodes[a]
      if (ln !== undefined && ln.nextTickAt === this.parts.sim.now) this.tick(ln)
    } else if (kind === IpamdEvent.CALL) {
      const ln = this.nodes[a]
      if (ln !== undefined) this.work.onCall(ln, b)
    } else {
      const pods = this.parts.pods
      const at = a * P.STRIDE
      if (pods.rec[at + P.GEN] !== b || pods.rec[at + P.STATE] !== PodState.WAITING) return
      const ln = this.nodes[pods.rec[at + P.NODE]!]
      if (ln !== undefined) this.cniAdd(a, ln)
    }
  }

  /** CNI ADD: an address from the datastore now, or a failed sandbox that kubelet retries. */
  private cniAdd(pod: number, ln: LinuxNode): void {
    const now = this.parts.sim.now
    const ds = ln.ds
    this.counts.before(ln, now)
    this.reseedOrder(ln, now, pod)
    const ip = ds.assign(pod, now)
    if (ip < 0) {
      const pods = this.parts.pods
      pods.linux.cniRetries++
      const gen = pods.rec[pod * P.STRIDE + P.GEN]!
      this.parts.sim.events.push(
        now + CNI_RETRY_MS + this.rng.int(CNI_RETRY_JITTER_MS + 1),
        IpamdEvent.CNI_RETRY,
        pod,
        gen,
      )
      // The next tick sees the pool empty (a failed ADD changes nothing in the datastore).
      return
    }
    this.parts.pods.gotAddress(pod, ip, now)
    this.counts.after(ln, now)
    this.wake(ln)
  }

  /**
   * The aws-node DaemonSet rolls out a new env: every node's ipamd restarts with it (all at once; the
   * DaemonSet's rolling update is not modelled). The datastore comes back as it was (ENIs from instance
   * metadata, pods from the checkpoint) with its in-memory timestamps reset; after a switch between secondary
   * IPs and prefixes, its first cycle is the init's release of the other mode's free CIDRs.
   */
  private rollOut(index: number): void {
    const change = this.parts.envChanges![index]!
    this.config = readAwsNodeEnv(change.env)
    const now = this.parts.sim.now
    for (const ln of this.nodes) {
      if (ln === undefined) continue
      const s = this.settingsFor(ln.node.limits, ln.node.maxPods)
      this.counts.before(ln, now)
      if (s.mode !== ln.ds.settings.mode) ln.cleanup = true
      ln.ds.settings = s
      ln.ds.lastDecrease = Number.NEGATIVE_INFINITY
      ln.ds.lastInsufficient = Number.NEGATIVE_INFINITY
      this.counts.resync(ln, now)
      this.wake(ln)
    }
  }

  /** updateIPPoolIfRequired at the loop's tick (or, after a mode switch, the init's cleanup). */
  private tick(ln: LinuxNode): void {
    const now = this.parts.sim.now
    ln.nextTickAt = -1
    if (ln.cleanup) {
      ln.cleanup = false
      this.run(ln, PoolAction.CLEANUP, now)
      return
    }
    this.reseedOrder(ln, now, -1)
    if (!this.parts.wakeIdleLoops && idleCycle(ln.ds, now)) {
      // Dormant: nothing changes until a pod event or the first timed change.
      ln.gridAt = now
      const t = nextTimedChange(ln.ds, now)
      if (t !== Number.POSITIVE_INFINITY) this.schedule(ln, this.gridTimeFrom(ln, t))
      return
    }
    this.run(ln, PoolAction.TICK, now)
  }

  private run(ln: LinuxNode, action: PoolAction, now: number): void {
    ln.busy = true
    this.counts.before(ln, now)
    this.reseedOrder(ln, now, -2)
    const waits = ln.cycle.start(action, now)
    if (waits) this.work.begin(ln)
    this.counts.resync(ln, now)
    if (!waits) this.cycleDone(ln)
  }

  /**
   * Go's map order for one operation of a node, drawn from a seed of (node, time, operation): the draws of
   * one operation never depend on how many others ran before, so skipping idle cycles changes no choice.
   */
  private reseedOrder(ln: LinuxNode, now: number, salt: number): void {
    let h = this.orderBase ^ Math.imul(ln.node.index + 1, 0x9e3779b1)
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ (now >>> 0)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ Math.floor(now / 4294967296)
    h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) ^ salt
    ln.order.setSeed(h >>> 0)
  }

  private answered(ln: LinuxNode, result: CallResult, eni: number): void {
    const now = this.parts.sim.now
    if (eni >= 0) this.enisCreated++
    const req = ln.cycle.request
    const deleting = req.op === Ec2Op.DELETE_ENI && result === CallResult.OK
    if (deleting) this.enisDeleted++
    this.counts.before(ln, now)
    this.reseedOrder(ln, now, -3)
    const waits = ln.cycle.answer(result, ln.got, eni, now)
    if (waits) this.work.begin(ln)
    this.counts.resync(ln, now)
    if (!waits) this.cycleDone(ln)
  }

  /** The cycle is over: the loop sleeps 2.5 s, reconciles (a no-op here), sleeps 2.5 s. */
  private cycleDone(ln: LinuxNode): void {
    ln.busy = false
    ln.gridAt = this.parts.sim.now + POOL_PERIOD_MS
    this.schedule(ln, ln.gridAt)
  }

  /** The datastore changed: a dormant loop wakes at its next tick. */
  private wake(ln: LinuxNode): void {
    if (ln.busy || this.parts.wakeIdleLoops) return
    const t = this.gridTimeFrom(ln, this.parts.sim.now)
    // A tick at or before t sees the change anyway.
    if (ln.nextTickAt >= 0 && ln.nextTickAt <= t) return
    // The tick at t with the datastore as it is now (a pod event before t wakes the loop again): when it
    // would do nothing, the loop sleeps on to the first tick that a timed change could make act.
    this.reseedOrder(ln, t, -1)
    if (!ln.cleanup && idleCycle(ln.ds, t)) {
      const c = nextTimedChange(ln.ds, t)
      if (c === Number.POSITIVE_INFINITY) return
      const at = this.gridTimeFrom(ln, c)
      if (ln.nextTickAt < 0 || at < ln.nextTickAt) this.schedule(ln, at)
      return
    }
    this.schedule(ln, t)
  }

  /**
   * The dormant loop's first tick at or after `t` that would see a change made now: a tick at this very
   * instant sees it only if it would run after the current event (EventQueue's order at a tie).
   */
  private gridTimeFrom(ln: LinuxNode, t: number): number {
    const now = this.parts.sim.now
    let k = Math.ceil((t - ln.gridAt) / POOL_PERIOD_MS)
    if (k < 0) k = 0
    let at = ln.gridAt + k * POOL_PERIOD_MS
    if (at === now && this.parts.sim.events.beforeCurrent(IpamdEvent.TICK, ln.node.index, 0)) at += POOL_PERIOD_MS
    return at
  }

  private schedule(ln: LinuxNode, t: number): void {
    ln.nextTickAt = t
    this.parts.sim.events.push(t, IpamdEvent.TICK, ln.node.index, 0)
  }

  /** A Linux node's line in the report. */
  nodeSummary(node: SimNode, group: string): NodeSummary {
    const ln = this.nodes[node.index]
    const settings = ln?.ds.settings ?? this.settingsFor(node.limits, node.maxPods)
    if (ln !== undefined) this.counts.touch(ln, this.parts.sim.now)
    return {
      name: node.name,
      group,
      instanceType: node.instanceType,
      mode: settings.mode === IpamMode.PD ? "prefix" : "secondary-ip",
      // Under custom networking the primary ENI gives pods no address.
      capacity: (settings.maxENI - (settings.customNetworking === true ? 1 : 0)) * settings.maxIPsPerENI,
      final: {
        used: ln?.used ?? 0,
        warm: ln === undefined ? 0 : ln.available - ln.cooling,
        cooling: ln?.cooling ?? 0,
        pending: ln?.reportedPending ?? 0,
      },
      os: "linux",
      enis: ln?.ds.eniCount ?? 0,
    }
  }
}
