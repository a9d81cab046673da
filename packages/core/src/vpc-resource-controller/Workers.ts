// The controller's worker queues (pkg/worker): per mode, one queue of jobs shared by all nodes and two
// workers. A job that touches EC2 (Create, Delete, ReSync) takes the provider's entry under its node's name
// when it starts, holds it to its end and runs under that entry's ENI mutex, in stages (ResourceJobs); a
// loop job runs ProcessDeleteQueue at once (DeleteQueueLoops). Jobs are reused objects.

import { Ec2Code } from "../ec2/Ec2.ts"
import type { Ipv4 } from "../ec2/Ipv4.ts"
import type { MapOrder } from "../go/MapOrder.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import type { NodeUpdateWatch } from "./NodeWorkers.ts"
import { Mode, type ProviderState } from "./ResourceProvider.ts"
import type { WindowsNode } from "./WindowsNode.ts"
import { JobType, PoolJob } from "./warm-pool/Pool.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"
import { poolReconcile } from "./warm-pool/PoolOperations.ts"

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).
export enum JobKind {
  CREATE = 1,
  DELETE = 2,
  RESYNC = 3,
  LOOP = 4,
}

export class Job {
  kind = 0
  node = 0
  mode: Mode = Mode.SecondaryIp
  /** Create: requested count (IPs or prefixes). Delete: groups. Loop: its chain (DeleteQueueLoops). */
  count = 0
  readonly groups: Ipv4[] = []
  /** Create: what the entries asked so far gave. Delete: what failed to unassign. */
  readonly created: Ipv4[] = []
  /** Create: what the current ENI entry is asked for. */
  asked = 0
  /** Create: the ENI entry asked now; Delete: the place in `entryOrder` of the entry whose call is out. */
  entry = 0
  /** Create: where the current entry's resources start in `created`. */
  entryStart = 0
  /** The ENI manager's generation when the job started (-1: not started). */
  eniGeneration = -1
  /** Delete: the entries its resources belong to, in the order their calls are made; each resource's entry. */
  readonly entryOrder: number[] = []
  readonly groupEntry: number[] = []
  /** Delete: the resources of the call that is out. */
  readonly batch: Ipv4[] = []
  /** Delete: calls that failed. */
  failures = 0
  stage = 0
  code: Ec2Code = Ec2Code.Ok
  visibleAt = 0
  polls = 0
  submittedAt = 0
  worker = -1
  /** The provider's entry the job took when it started (its node's current one then), held to its end. */
  prov: ProviderState | undefined = undefined
}

/** What runs a job once a worker takes it, and what follows the workers' contention. */
export interface JobRunner {
  /** A loop job of chain `chain`: ProcessDeleteQueue of the provider, then the chain's next loop. */
  runLoop(node: number, mode: Mode, chain: number): void
  /** A loop job found no pool for its node: its chain ends ("forgetting the delete queue processing job"). */
  loopForgotten(chain: number): void
  /** The next stage of an EC2 job (the worker holds the node's ENI mutex). */
  step(id: number): void
  /** Both workers of the mode became busy: loops would now wait in the queue. */
  workersBusy(mode: Mode): void
  /** A worker of the mode became free again. */
  workersFree(mode: Mode): void
  /** The last running job of a forgotten provider entry ended (ResourceProviders.releaseOrphan). */
  orphanReleased(prov: ProviderState): void
}

export class Workers {
  readonly jobs: Job[] = []
  readonly freeJobs: number[] = []
  /** The job a pool's reconcile returned (reused: no allocation per reconcile). */
  readonly poolJob = new PoolJob()
  private readonly queues: [number[], number[]] = [[], []]
  private readonly queueHead = [0, 0]
  /** Per mode, the job each worker runs (-1: free). */
  readonly workers: [number[], number[]] = [
    [-1, -1],
    [-1, -1],
  ]
  /** Per mode, whether both workers are busy. */
  readonly contended = [false, false]
  /** Per mode, whether startWorkers is running (a job that finishes at once must not recurse into it). */
  readonly dispatching = [false, false]
  private readonly jobCount = [0, 0]
  private readonly waitSum = [0, 0]
  private readonly waitMax = [0, 0]
  resyncJobs = 0
  runner!: JobRunner
  /** Told of every ReSync job submitted: a Node update before it runs would submit another. */
  watch: NodeUpdateWatch | undefined = undefined

  constructor(
    private readonly sim: Simulation,
    private readonly pools: PoolMemory,
    private readonly order: MapOrder,
    private readonly nodes: readonly WindowsNode[],
  ) {}

  /** ReconcilePool of the provider, and the job it returns submitted. */
  reconcileAndSubmit(node: number, mode: Mode): JobType {
    const key = node * 2 + mode
    if (!this.pools.has(key)) return JobType.NoReconcile
    return this.reconcilePoolAndSubmit(key, node, mode)
  }

  /**
   * ReconcilePool of pool `id` (the provider's, or a forgotten one a job still holds), and the job it
   * returns submitted for the node's name (a worker looks the pool up by name when it takes it).
   */
  reconcilePoolAndSubmit(id: number, node: number, mode: Mode): JobType {
    const type = poolReconcile(this.pools, id, this.poolJob, this.order)
    this.applyJob(node, mode, type)
    return type
  }

  /** Submits the job a pool returned (NoReconcile jobs are no-ops in the worker and are not queued). */
  applyJob(node: number, mode: Mode, type: JobType): void {
    const j = this.poolJob
    if (type === JobType.Create) this.submit(JobKind.CREATE, node, mode, j.count)
    else if (type === JobType.Deleted) {
      // Its resources are in the job before a worker can take it (its first stage groups them by ENI entry).
      const id = this.enqueue(JobKind.DELETE, node, mode, j.count)
      const job = this.jobs[id]!
      for (const g of j.groups) job.groups.push(g)
      this.startWorkers(mode)
    } else if (type === JobType.ReSync) {
      this.resyncJobs++
      this.submit(JobKind.RESYNC, node, mode, 0)
      this.watch?.mark(node)
    }
  }

  takeJobId(): number {
    let id = this.freeJobs.pop()
    if (id === undefined) {
      id = this.jobs.length
      this.jobs.push(new Job())
    }
    return id
  }

  submit(kind: number, node: number, mode: Mode, count: number): number {
    const id = this.enqueue(kind, node, mode, count)
    this.startWorkers(mode)
    return id
  }

  /** A job put on its mode's queue, not started yet. */
  private enqueue(kind: number, node: number, mode: Mode, count: number): number {
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
    job.entry = 0
    job.eniGeneration = -1
    job.failures = 0
    job.code = Ec2Code.Ok
    job.submittedAt = this.sim.now
    job.worker = -1
    job.prov = undefined
    this.queues[mode].push(id)
    return id
  }

  startWorkers(mode: Mode): void {
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
        const wait = this.sim.now - job.submittedAt
        this.jobCount[mode]!++
        this.waitSum[mode]! += wait
        if (wait > this.waitMax[mode]!) this.waitMax[mode] = wait
      }
      this.start(id)
      // The job may have finished already: look at every worker again.
      i = -1
    }
    this.dispatching[mode] = false
    const busy = w[0] !== -1 && w[1] !== -1
    if (busy && !this.contended[mode]) {
      this.contended[mode] = true
      this.runner.workersBusy(mode)
    } else if (!busy && this.contended[mode]) {
      this.contended[mode] = false
      this.runner.workersFree(mode)
    }
  }

  private start(id: number): void {
    const job = this.jobs[id]!
    const node = this.nodes[job.node]!
    // The worker looks the provider's entry up by the node's name (provider.go ~317, ~269).
    const prov = node.provider(job.mode)
    job.prov = prov
    if (prov.pool === undefined || node.node.status === NodeStatus.Gone) {
      if (job.kind === JobKind.LOOP) this.runner.loopForgotten(job.count)
      this.finish(id, false)
      return
    }
    if (job.kind === JobKind.LOOP) {
      this.runner.runLoop(job.node, job.mode, job.count)
      this.finish(id, false)
      return
    }
    if (prov.locked) {
      prov.lockWaiters.push(id)
      return
    }
    prov.locked = true
    this.runner.step(id)
  }

  /** Frees the worker (and the ENI lock if held), then starts what waits. */
  finish(id: number, heldLock: boolean): void {
    const job = this.jobs[id]!
    const mode = job.mode
    const prov = job.prov
    job.prov = undefined
    this.workers[mode][job.worker] = -1
    this.freeJobs.push(id)
    if (heldLock && prov !== undefined) {
      prov.locked = false
      const next = prov.lockWaiters.shift()
      if (next !== undefined) {
        // The waiting job's worker was blocked on the mutex; it proceeds now.
        prov.locked = true
        this.runner.step(next)
      } else if (prov.orphan) this.runner.orphanReleased(prov)
    }
    this.startWorkers(mode)
  }

  /** EC2 jobs started and how long they waited in the queue. */
  stats(mode: Mode): { jobs: number; meanWaitMs: number; maxWaitMs: number } {
    const jobs = this.jobCount[mode]!
    return {
      jobs,
      meanWaitMs: jobs === 0 ? 0 : Math.round(this.waitSum[mode]! / jobs),
      maxWaitMs: this.waitMax[mode]!,
    }
  }
}
