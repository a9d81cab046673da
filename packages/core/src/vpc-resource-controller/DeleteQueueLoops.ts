// Each provider's 30 s loop (the ProcessDeleteQueue job, pkg/provider/{ip,prefix}/provider.go): cooled
// addresses back to warm, then a reconcile. A loop that cannot change anything is skipped exactly
// (DormantLoops) and put back on the event list at the time it would have run when its pool is touched
// or the mode's workers are both busy; a skipped loop that would only return cooled addresses to warm is
// applied late, at its own time (settle, mature).
//
// A loop job finds its pool by the node's name at each run and outlives DeInitResource (~194–199,
// ~268–285): a chain of loops ends only at a run that finds no pool for the node. Every InitResource
// starts a chain, so a provider de-initialised and initialised again before its chain's next run has two.
// The provider's own chain (id = its key) is the one skipped when idle; a further chain (ids from the
// number of keys on) always runs, and each of its runs is a touch of the pool that puts the own chain's
// skipped loop back first.

import type { MapOrder } from "../go/MapOrder.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { N, NodeStatus } from "../kubernetes/Nodes.ts"
import { Controller, ControllerEvent } from "./ControllerEvent.ts"
import { DormantLoops } from "./DormantLoops.ts"
import type { PoolCounts } from "./PoolCounts.ts"
import { K, type Mode } from "./ResourceProvider.ts"
import { JobKind, type Workers } from "./Workers.ts"
import { JobType, Pool } from "./warm-pool/Pool.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"
import {
  poolCoolDownSettles,
  poolCooling,
  poolOldestCoolingAt,
  poolProcessCoolDown,
  poolReconcile,
} from "./warm-pool/PoolOperations.ts"

export class DeleteQueueLoops {
  /** Per mode, the skipped loops. */
  readonly dormant: [DormantLoops, DormantLoops] = [new DormantLoops(), new DormantLoops()]
  /**
   * Providers that may have a pending maturation, the first `maturingCount` entries (listed once each;
   * entries forgotten since are dropped at a scan). The array keeps its length: shrinking it at every
   * timeline sample made it grow again, a new backing store each time.
   */
  private readonly maturing: number[] = []
  private maturingCount = 0
  /** Per mode, the provider whose loop is on the event list while the workers are busy (-1: none). */
  private readonly sentinel = [-1, -1]
  private readonly sentinelToken = [0, 0]
  /** Provider keys: the ids of their own chains. */
  private readonly keyCount: number
  /** Per provider key, 1 while its own chain lives (its loop is on the event list, queued or skipped). */
  private readonly alive: Uint8Array
  /** Further chains, by id − keyCount: their provider key (-1: ended); ended ids, reused. */
  private readonly chainKey: number[] = []
  private readonly freeChains: number[] = []

  constructor(
    private readonly sim: Simulation,
    private readonly pools: PoolMemory,
    private readonly order: MapOrder,
    private readonly keyState: Float64Array,
    private readonly nodeState: Int32Array,
    private readonly workers: Workers,
    private readonly counts: PoolCounts,
    /** Reference mode for tests: every loop runs, none is skipped. */
    private readonly wakeIdleLoops: boolean,
  ) {
    this.keyCount = keyState.length / K.STRIDE
    this.alive = new Uint8Array(this.keyCount)
  }

  /**
   * InitResource submits a new ProcessDeleteQueue job (provider.go ~189–190): the id of the chain it
   * starts, the provider's own when it has none alive, else a further one.
   */
  newChain(node: number, mode: Mode): number {
    const key = node * 2 + mode
    if (this.alive[key] === 0) {
      this.alive[key] = 1
      this.keyState[key * K.STRIDE + K.TOKEN]!++
      this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
      return key
    }
    const c = this.freeChains.pop()
    if (c !== undefined) {
      this.chainKey[c - this.keyCount] = key
      return c
    }
    this.chainKey.push(key)
    return this.keyCount + this.chainKey.length - 1
  }

  /** A chain's loop job found no pool for its node ("forgetting the delete queue processing job"): it ends. */
  forgetChain(chain: number): void {
    if (chain < this.keyCount) this.alive[chain] = 0
    else {
      this.chainKey[chain - this.keyCount] = -1
      this.freeChains.push(chain)
    }
  }

  /** A loop job in a worker: ProcessDeleteQueue's cool-down processing and reconcile, then AddAfter(30 s). */
  runLoop(node: number, mode: Mode, chain: number): void {
    const key = node * 2 + mode
    const now = this.sim.now
    // Another chain's run touches the pool: the provider's own skipped loop goes back on the list first.
    if (chain !== key) this.wake(node, mode)
    poolProcessCoolDown(this.pools, key, now)
    const type = poolReconcile(this.pools, key, this.workers.poolJob, this.order)
    this.workers.applyJob(node, mode, type)
    this.counts.touchPool(node, mode)
    if (chain !== key) {
      this.sim.events.push(now + Controller.LOOP_MS, ControllerEvent.LOOP, chain, 0)
      return
    }
    const idle = type === JobType.NoReconcile && poolCooling(this.pools, key) === 0
    if (idle && !this.wakeIdleLoops && !this.workers.contended[mode]) {
      // Until the pool is touched, every further loop would find it exactly like this: skip them.
      this.skipLoop(mode, key, now + Controller.LOOP_MS)
    } else {
      this.sim.events.push(
        now + Controller.LOOP_MS,
        ControllerEvent.LOOP,
        key,
        ++this.keyState[key * K.STRIDE + K.TOKEN]!,
      )
    }
  }

  /** The LOOP event: the loop job joins its mode's queue (or runs at once when a worker is free). */
  onLoop(chain: number, token: number): void {
    if (chain >= this.keyCount) {
      const key = this.chainKey[chain - this.keyCount]!
      if (this.hasPool(key)) this.runOrQueue(key >> 1, (key & 1) as Mode, chain)
      else this.endOrQueue(key >> 1, (key & 1) as Mode, chain)
      return
    }
    const key = chain
    const mode = (key & 1) as Mode
    if (this.keyState[key * K.STRIDE + K.TOKEN] === token) {
      if (this.hasPool(key)) {
        // A skipped loop's deadline (see settle): the loop runs from here on.
        this.dormant[mode].forget(key)
        this.runOrQueue(key >> 1, mode, key)
      } else this.endOrQueue(key >> 1, mode, key)
    }
    if (this.sentinel[mode] === key && this.sentinelToken[mode] === token) {
      this.sentinel[mode] = -1
      if (this.workers.contended[mode]) this.ensureSentinel(mode)
    }
  }

  /**
   * The pool's liveness from PoolMemory and the node's status from its table: a loop reads no node or
   * provider object.
   */
  private hasPool(key: number): boolean {
    return this.pools.has(key) && this.nodeState[(key >> 1) * N.STRIDE + N.STATUS] !== NodeStatus.Gone
  }

  private runOrQueue(node: number, mode: Mode, chain: number): void {
    const workers = this.workers
    const w = workers.workers[mode]
    if (w[0] === -1 || w[1] === -1) {
      // A free worker means an empty queue: the loop job would start and finish at once, so run it here.
      // Jobs it submits start after it, as they would from the worker; the loop still takes a job id, as
      // ids order simultaneous job steps.
      const id = workers.takeJobId()
      workers.dispatching[mode] = true
      this.runLoop(node, mode, chain)
      workers.dispatching[mode] = false
      workers.freeJobs.push(id)
      workers.startWorkers(mode)
    } else workers.submit(JobKind.LOOP, node, mode, chain)
  }

  /**
   * A loop whose node has no pool now: the job ends its chain when it starts, at once when a worker is
   * free; queued behind busy workers it may find a pool made meanwhile, and go on (Workers.start).
   */
  private endOrQueue(node: number, mode: Mode, chain: number): void {
    const w = this.workers.workers[mode]
    if (this.nodeState[node * N.STRIDE + N.STATUS] === NodeStatus.Gone || w[0] === -1 || w[1] === -1)
      this.forgetChain(chain)
    else this.workers.submit(JobKind.LOOP, node, mode, chain)
  }

  /** The next time a skipped loop at `t` would run: itself, or 30 s steps later if it ran before this event. */
  private loopTimeFrom(t: number, key: number, token: number): number {
    const now = this.sim.now
    let next = t
    if (next < now) next += Math.ceil((now - next) / Controller.LOOP_MS) * Controller.LOOP_MS
    if (next === now && this.sim.events.beforeCurrent(ControllerEvent.LOOP, key, token)) next += Controller.LOOP_MS
    return next
  }

  /** Before a pool changes: its skipped loop goes back on the event list at the time it would have run. */
  wake(node: number, mode: Mode): void {
    if (this.wakeLater(node, mode)) this.pushLoop(node, mode)
  }

  /** wake without putting the loop on the event list yet (settle does); true when the loop was skipped. */
  wakeLater(node: number, mode: Mode): boolean {
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

  pushLoop(node: number, mode: Mode): void {
    const key = node * 2 + mode
    const k = key * K.STRIDE
    this.sim.events.push(this.keyState[k + K.NEXT_LOOP_AT]!, ControllerEvent.LOOP, key, ++this.keyState[k + K.TOKEN]!)
  }

  /**
   * After a pod's address was assigned or freed on a pool whose loop was skipped until this touch (`wasDormant`)
   * and whose reconcile just returned `type`: when the loop's next run would change nothing (reconcile has
   * nothing to do and no cooling address matures by then), it stays skipped, with a deadline at the first
   * loop at which a cooling address matures. Loops until then would each find the pool exactly as now.
   */
  settle(node: number, mode: Mode, wasDormant: boolean, type: JobType): void {
    if (!wasDormant) return
    const key = node * 2 + mode
    const ks = this.keyState
    const next = ks[key * K.STRIDE + K.NEXT_LOOP_AT]!
    const oldest = poolOldestCoolingAt(this.pools, key)
    if (
      type !== JobType.NoReconcile ||
      this.workers.contended[mode] ||
      this.wakeIdleLoops ||
      (oldest >= 0 && next - oldest >= Pool.COOL_DOWN_MS)
    ) {
      this.pushLoop(node, mode)
      return
    }
    this.skipLoop(mode, key, next)
    if (oldest >= 0) {
      const deadline = next + Math.ceil((oldest + Pool.COOL_DOWN_MS - next) / Controller.LOOP_MS) * Controller.LOOP_MS
      const token = ++ks[key * K.STRIDE + K.TOKEN]!
      if (poolCoolDownSettles(this.pools, key, deadline)) {
        // That loop would only return the cooled addresses to warm: it is applied when the pool is next
        // touched, at its own time (the metrics' integrals take the change from then on).
        ks[key * K.STRIDE + K.MATURE_AT] = deadline
        if (ks[key * K.STRIDE + K.LISTED] === 0) {
          ks[key * K.STRIDE + K.LISTED] = 1
          if (this.maturingCount === this.maturing.length) this.maturing.push(key)
          else this.maturing[this.maturingCount] = key
          this.maturingCount++
        }
      } else this.sim.events.push(deadline, ControllerEvent.LOOP, key, token)
    }
  }

  /**
   * A skipped loop's pending maturation (see settle), when the pool wakes: applied if that loop has run by
   * now (before the current event at a tie), forgotten otherwise (the loops from now on run for real).
   */
  matureIfPassed(node: number, mode: Mode): void {
    const key = node * 2 + mode
    const at = this.keyState[key * K.STRIDE + K.MATURE_AT]!
    this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
    const now = this.sim.now
    if (
      at < now ||
      (at === now && this.sim.events.beforeCurrent(ControllerEvent.LOOP, key, this.keyState[key * K.STRIDE + K.TOKEN]!))
    )
      this.mature(node, mode, at)
  }

  /** Applies every pending maturation due by now (before a timeline sample, a state query and at the end). */
  matureDue(): void {
    const m = this.maturing
    const now = this.sim.now
    let w = 0
    for (let i = 0; i < this.maturingCount; i++) {
      const key = m[i]!
      const at = this.keyState[key * K.STRIDE + K.MATURE_AT]!
      if (at > now) {
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
    const g = this.counts.groups[this.nodeState[node * N.STRIDE + N.GROUP]!]!
    g.warm.addFrom(k, at)
    g.cooling.addFrom(-k, at)
  }

  /**
   * While both workers of a mode are busy a loop would wait in the queue, so skipped loops must run for
   * real: the earliest one goes back on the event list; when it runs, the next one follows.
   */
  ensureSentinel(mode: Mode): void {
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
      this.sim.events.push(t, ControllerEvent.LOOP, key, token)
      this.sentinel[mode] = key
      this.sentinelToken[mode] = token
      return
    }
  }

  /**
   * The provider's pool is forgotten (DeInitResource): a maturation that happened before counts until now.
   * Its chains outlive it (`keepChains`, the node stays): a skipped loop goes back on the event list, to
   * find at its time whether the node has a pool again. A node that leaves has none again: its own chain
   * stops now (a further one ends at its next run).
   */
  forget(node: number, mode: Mode, keepChains: boolean): void {
    const key = node * 2 + mode
    if (keepChains && this.alive[key] === 1) {
      this.wake(node, mode)
      return
    }
    if (this.dormant[mode].has(key) && this.keyState[key * K.STRIDE + K.MATURE_AT]! >= 0)
      this.matureIfPassed(node, mode)
    this.dormant[mode].forget(key)
    this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
    this.keyState[key * K.STRIDE + K.TOKEN]!++
    this.alive[key] = 0
  }
}
