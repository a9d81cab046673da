// The node manager's async workers (pkg/worker/worker.go, started in pkg/node/manager/manager.go ~124):
// one client-go work queue and 10 workers (main.go ~161, --node-mgr-workers; ~362–363). The queue's items
// are (operation, node object) pairs (manager.go ~96–100), handed to workers first in, first out, with
// the work queue's rules: an item already waiting is not added again, and one being processed that is
// added again is queued again once its processing is done, never processed twice at once. Jobs are
// reused records; an item gets a record while it waits or runs.

import type { Mode } from "./ResourceProvider.ts"

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).
export enum NodeOp {
  INIT = 0,
  UPDATE = 1,
  DELETE = 2,
}

export enum NodeWorkerCount {
  /** --node-mgr-workers' default (main.go ~161). */
  WORKERS = 10,
}

/**
 * A node.Node (pkg/node/node.go ~33–53): NewManagedNode or NewUnManagedNode makes one at every AddNode and
 * every change of the node's management (manager.go ~202–214, ~277–291). The async jobs act on the object
 * they were given, which the data store may no longer hold.
 */
export class NodeObject {
  /** `ready`: every provider initialised (node.go ~196), until DeleteResources (~206). */
  ready = false
  /** The node's lock (node.go ~35), held by InitResources, UpdateResources and DeleteResources. */
  locked = false
  /** Jobs waiting for the lock, in order. */
  readonly lockWaiters: number[] = []
  /** Per operation, the work queue's state of the item (operation, this): dirty, and being processed. */
  readonly dirty = [false, false, false]
  readonly processing = [false, false, false]
  /** The job of its Update item while a worker runs it, or -1. */
  updateJob = -1

  constructor(
    readonly node: number,
    readonly managed: boolean,
  ) {}

  /** Some item of this object is waiting, being processed or to be queued again. */
  get hasItems(): boolean {
    const d = this.dirty
    const p = this.processing
    return d[0]! || d[1]! || d[2]! || p[0]! || p[1]! || p[2]!
  }
}

export class NodeJob {
  op: NodeOp = NodeOp.INIT
  obj: NodeObject | undefined = undefined
  /** Init: its calls answered so far, and the order its providers initialise in. */
  step = 0
  readonly initOrder: Mode[] = []
  /** Update: the capacity its Node status PATCH advertises. */
  capacity = 0
  /**
   * Update, run for the data store's node object: the time of the node's first Node event after it
   * started (a Node event while it runs queues it again); +Infinity when that does not apply.
   */
  nodeEventAt = Number.POSITIVE_INFINITY
}

/**
 * Where the controller notes that a node's next Node update may do something: a pool that would now
 * return a job from a reconcile no event runs, a ReSync still to come (NodeStatusReports).
 */
export interface NodeUpdateWatch {
  mark(node: number): void
}

/** NodeStatusReports as the node manager sees it. */
export interface NodeEventWatch extends NodeUpdateWatch {
  readonly wakeAll: boolean
  /** Every worker became busy. */
  workersBusy(): void
  /** The time of the node's next Node event that has not run yet. */
  nextNodeEvent(node: number): number
  /** Whether the node's Node event at `at` (a value of nextNodeEvent) has run by now. */
  crossed(node: number, at: number): boolean
}

/** What runs a job a worker took, and what follows the workers' contention. */
export interface NodeJobRunner {
  run(id: number): void
  /** Every worker became busy: a job submitted now would wait. */
  workersBusy(): void
}

export class NodeWorkers {
  readonly jobs: NodeJob[] = []
  private readonly freeJobs: number[] = []
  private readonly queue: number[] = []
  private head = 0
  private busy = 0
  private dispatching = false
  private contended = false
  runner!: NodeJobRunner

  /**
   * SubmitJob (worker.go ~128–137), the work queue's Add: an item already dirty is not added; a dirty item
   * being processed is queued when its processing is done.
   */
  add(op: NodeOp, obj: NodeObject): void {
    if (obj.dirty[op]) return
    obj.dirty[op] = true
    if (obj.processing[op]) return
    this.enqueue(op, obj)
    this.dispatch()
  }

  /** A free worker now (then the queue is empty): a job submitted now starts at once. */
  get hasFreeWorker(): boolean {
    return this.busy < NodeWorkerCount.WORKERS
  }

  /** The item's processing is over (Done, worker.go ~157): the worker takes the next item. */
  done(id: number): void {
    const job = this.jobs[id]!
    const obj = job.obj!
    const op = job.op
    obj.processing[op] = false
    job.obj = undefined
    this.freeJobs.push(id)
    this.busy--
    if (obj.dirty[op]) this.enqueue(op, obj)
    this.dispatch()
  }

  private enqueue(op: NodeOp, obj: NodeObject): void {
    let id = this.freeJobs.pop()
    if (id === undefined) {
      id = this.jobs.length
      this.jobs.push(new NodeJob())
    }
    const job = this.jobs[id]!
    job.op = op
    job.obj = obj
    job.step = 0
    job.nodeEventAt = Number.POSITIVE_INFINITY
    this.queue.push(id)
  }

  private dispatch(): void {
    // A job that ends at once frees its worker inside run(): the guard keeps done() from recursing into
    // this loop, which hands the freed worker the next item.
    if (this.dispatching) return
    this.dispatching = true
    while (this.busy < NodeWorkerCount.WORKERS && this.head < this.queue.length) {
      const id = this.queue[this.head++]!
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head)
        this.head = 0
      }
      const job = this.jobs[id]!
      const obj = job.obj!
      obj.dirty[job.op] = false
      obj.processing[job.op] = true
      this.busy++
      this.runner.run(id)
    }
    this.dispatching = false
    const full = this.busy === NodeWorkerCount.WORKERS
    if (full && !this.contended) {
      this.contended = true
      this.runner.workersBusy()
    } else if (!full) this.contended = false
  }
}
