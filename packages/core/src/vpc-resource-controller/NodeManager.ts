// The controller's node manager (pkg/node/manager/manager.go, pkg/node/node.go) and the node reconciler in
// front of it (controllers/core/node_controller.go). Its data store holds a node object per node; AddNode
// and UpdateNode decide, and the async jobs on its workers (NodeWorkers) do the work: Init reads EC2
// (DescribeInstances, DescribeSubnets, then DescribeInstances per provider) and builds the pools, then runs
// an Update; an Update sets the pools active or draining and PATCHes the Node's capacity; a Delete forgets
// the pools. A failed Init drops the node from the data store until its next Node event.

import { Ec2Action, Ec2Code } from "../ec2/Ec2.ts"
import type { Ec2Calls } from "../ec2/Ec2Calls.ts"
import { TokenBucket } from "../ec2/TokenBucket.ts"
import type { Rng } from "../kernel/Rng.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import type { Scheduler } from "../kubernetes/Scheduler.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import { ApiServerClient, ControllerEvent, NodeEventKind, NodeJobStep } from "./ControllerEvent.ts"
import { type NodeEventWatch, type NodeJobRunner, NodeObject, NodeOp, NodeWorkers } from "./NodeWorkers.ts"
import type { PoolCounts } from "./PoolCounts.ts"
import { Mode } from "./ResourceProvider.ts"
import type { ResourceProviders } from "./ResourceProviders.ts"
import type { WindowsNode } from "./WindowsNode.ts"

export class NodeManager implements NodeJobRunner {
  initFailures = 0
  readonly workers = new NodeWorkers()
  /** Where what makes a node's next Node event count is noted (NodeStatusReports). */
  watch!: NodeEventWatch
  /** The client's buckets for Nodes (the status PATCH) and for CNINodes (their create): ApiServerClient. */
  private readonly nodePatches = new TokenBucket({
    capacity: ApiServerClient.BURST,
    refillPerSecond: ApiServerClient.QPS,
  })
  private readonly cniNodeCreates = new TokenBucket({
    capacity: ApiServerClient.BURST,
    refillPerSecond: ApiServerClient.QPS,
  })
  private readonly listed: WindowsNode[] = []

  constructor(
    private readonly sim: Simulation,
    private readonly nodes: readonly WindowsNode[],
    private readonly config: ControllerConfig,
    private readonly calls: Ec2Calls,
    private readonly providers: ResourceProviders,
    private readonly counts: PoolCounts,
    private readonly scheduler: Scheduler,
    /** Go's map order of the resource manager's providers, per Init. */
    private readonly rngInitOrder: Rng,
    /** Go's map order of the informer's nodes (ListNodes, the resync). */
    private readonly rngListOrder: Rng,
  ) {
    this.workers.runner = this
  }

  // ---- the node reconciler (node_controller.go ~67–114)

  /** The Node's create event: the node is not in the data store yet, AddNode. */
  nodeJoined(node: WindowsNode): void {
    this.addNode(node)
  }

  /** A Node event: UpdateNode if the data store has the node, else AddNode. */
  nodeReconcile(node: WindowsNode): void {
    const s = node.node.status
    if (s !== NodeStatus.Registered && s !== NodeStatus.Ready) return
    if (node.current !== undefined) this.updateNode(node)
    else this.addNode(node)
  }

  /**
   * The Node is gone: DeleteNode drops it from the data store, and its Delete job is taken to run at once
   * (the node's pools forgotten before its pods are evicted). Jobs running for its pools go on (their calls
   * refused); its node jobs end when a worker takes them, an Init at its next answer.
   */
  nodeLeaving(node: WindowsNode): void {
    this.supersede(node, undefined)
    this.providers.dropPools(node, false)
    this.counts.touchNode(node.index)
  }

  /**
   * ListNodes (pkg/k8s/wrapper.go ~206–210), the informer's nodes, in Go's map order, taken as uniform:
   * drawn from `order` (the ConfigMap's updates' stream by default).
   */
  listNodes(order: Rng = this.rngListOrder): readonly WindowsNode[] {
    const out = this.listed
    out.length = 0
    for (const node of this.nodes) {
      if (node === undefined) continue
      const s = node.node.status
      if (s === NodeStatus.Registered || s === NodeStatus.Ready) out.push(node)
    }
    for (let i = out.length - 1; i > 0; i--) {
      const j = order.int(i + 1)
      const t = out[i]!
      out[i] = out[j]!
      out[j] = t
    }
    return out
  }

  // ---- the manager (manager.go)

  /**
   * AddNode (~169–225): the CNINode created the first time (~189, ~227–244: the client's create, through
   * its CNINode bucket, the manager's lock held), then a node object, managed while Windows IPAM is on,
   * whose Init is submitted.
   */
  private addNode(node: WindowsNode): void {
    if (node.current !== undefined || node.adding) return
    if (node.cniNode) {
      this.added(node, false)
      return
    }
    node.cniNode = true
    const wait = this.cniNodeCreates.reserve(this.sim.now)
    if (wait === 0) {
      this.added(node, true)
      return
    }
    node.adding = true
    this.sim.events.push(this.sim.now + wait, ControllerEvent.NODE_EVENT, node.index, NodeEventKind.CNINODE_CREATED)
  }

  /** The CNINode's create got through: AddNode goes on. */
  onCniNodeCreated(index: number): void {
    const node = this.nodes[index]!
    node.adding = false
    if (node.node.status === NodeStatus.Gone) return
    this.added(node, true)
  }

  private added(node: WindowsNode, createdCniNode: boolean): void {
    node.adding = false
    const obj = new NodeObject(node.index, this.config.ipamEnabled)
    this.supersede(node, obj)
    if (obj.managed) this.submit(NodeOp.INIT, obj)
    // The CNINode the node owns (node_controller.go ~125, Owns) brings the node back to the reconciler once
    // created: a reconcile right after its AddNode, an UpdateNode.
    if (createdCniNode) this.updateNode(node)
    // An Init with no Update item beside it: a Node event during it would add one, blocked on the lock.
    else if (obj.managed) this.watch.mark(node.index)
  }

  /**
   * UpdateNode (~250–314): a node whose management changes gets a new node object, Init for a managed one,
   * Delete with the old one; a node still managed gets an Update; one still unmanaged nothing.
   */
  updateNode(node: WindowsNode): void {
    const cached = node.current
    if (cached === undefined) return
    const selected = this.config.ipamEnabled
    if (selected && !cached.managed) {
      const obj = new NodeObject(node.index, true)
      this.supersede(node, obj)
      this.submit(NodeOp.INIT, obj)
      this.watch.mark(node.index)
    } else if (!selected && cached.managed) {
      this.supersede(node, new NodeObject(node.index, false))
      this.submit(NodeOp.DELETE, cached)
    } else if (selected) this.submit(NodeOp.UPDATE, cached)
  }

  /**
   * The data store's entry for the node becomes `obj`. An Update item of the old object that a worker runs
   * no longer hears the node's Node events: one that came while it ran queues it again.
   */
  private supersede(node: WindowsNode, obj: NodeObject | undefined): void {
    const old = node.current
    if (old !== undefined && old.updateJob >= 0) this.nodeEventsHeard(old.updateJob)
    node.current = obj
    this.sync(node)
  }

  /**
   * An Update item run for the data store's object: a Node event that came while it ran added the item
   * again (the work queue's dirty set), so it is queued again when done. Node events that were not events
   * of their own (NodeStatusReports) are counted here.
   */
  private nodeEventsHeard(id: number): void {
    const job = this.workers.jobs[id]!
    if (job.nodeEventAt === Number.POSITIVE_INFINITY) return
    const obj = job.obj!
    if (this.watch.crossed(obj.node, job.nodeEventAt)) obj.dirty[NodeOp.UPDATE] = true
    job.nodeEventAt = Number.POSITIVE_INFINITY
  }

  /**
   * Whether a Node event now would change nothing: the node's reconcile would submit no job, or only an
   * Update that a free worker runs at once and that leaves every pool and the capacity as they are. Errs
   * on "something".
   */
  reconcileChangesNothing(node: WindowsNode): boolean {
    const s = node.node.status
    if (s !== NodeStatus.Registered && s !== NodeStatus.Ready) return true
    // Its AddNode is under way (the CNINode's create): the event's reconcile comes after it.
    if (node.adding) return true
    const cur = node.current
    if (cur === undefined || cur.managed !== this.config.ipamEnabled) return false
    if (!cur.managed) return true
    // Its Update item is dirty: adding it again does nothing.
    if (cur.dirty[NodeOp.UPDATE]) return true
    if (cur.hasItems || !cur.ready || !this.workers.hasFreeWorker) return false
    return this.providers.updateChangesNothing(node)
  }

  private submit(op: NodeOp, obj: NodeObject): void {
    this.workers.add(op, obj)
  }

  /** The node table from the data store's entry: managed, ready, or out of the manager. */
  private sync(node: WindowsNode): void {
    const n = node.node
    if (n.status === NodeStatus.Gone) return
    const cur = node.current
    node.outOfManager = cur === undefined
    n.managed = cur?.managed === true
    const status = cur?.ready === true ? NodeStatus.Ready : NodeStatus.Registered
    if (n.status !== status) {
      n.status = status
      this.scheduler.reindex(node.index)
    }
  }

  // ---- the async jobs (performAsyncOperation, manager.go ~423–471)

  /** A worker took job `id`: it takes the node object's lock, or waits for it. */
  run(id: number): void {
    const job = this.workers.jobs[id]!
    const obj = job.obj!
    const node = this.nodes[obj.node]!
    if (node.node.status === NodeStatus.Gone) {
      this.workers.done(id)
      return
    }
    if (job.op === NodeOp.UPDATE) {
      obj.updateJob = id
      if (!this.watch.wakeAll && node.current === obj) job.nodeEventAt = this.watch.nextNodeEvent(obj.node)
    }
    if (obj.locked) {
      obj.lockWaiters.push(id)
      return
    }
    obj.locked = true
    this.locked(id)
  }

  workersBusy(): void {
    this.watch.workersBusy()
  }

  private locked(id: number): void {
    const job = this.workers.jobs[id]!
    if (this.nodes[job.obj!.node]!.node.status === NodeStatus.Gone) {
      this.unlock(id)
      return
    }
    if (job.op === NodeOp.INIT) this.startInit(id)
    else if (job.op === NodeOp.UPDATE) this.updateResources(id)
    else this.deleteResources(id)
  }

  /** The lock goes to the next job waiting for it; the worker takes its next item. */
  private unlock(id: number): void {
    this.release(id)
    this.done(id)
  }

  private done(id: number): void {
    const job = this.workers.jobs[id]!
    if (job.op === NodeOp.UPDATE) {
      this.nodeEventsHeard(id)
      job.obj!.updateJob = -1
    }
    this.workers.done(id)
  }

  private release(id: number): void {
    const obj = this.workers.jobs[id]!.obj!
    obj.locked = false
    const next = obj.lockWaiters.shift()
    if (next !== undefined) {
      obj.locked = true
      this.locked(next)
    }
  }

  /** A NODE_JOB event: an Init call's answer, or the Node status PATCH through its bucket. */
  onJobEvent(id: number, b: number): void {
    if (b === NodeJobStep.PATCHED) this.patched(id)
    else this.onInitAnswer(id, b as Ec2Code)
  }

  /**
   * InitResources (node.go ~152–197): LoadDetails' DescribeInstances and DescribeSubnets (instance.go
   * ~96–167), then each supported provider in the resource manager's map order (a Go map: random), its
   * InitResource's DescribeInstances and, right after it, its pool. The first failed call ends it.
   */
  private startInit(id: number): void {
    const job = this.workers.jobs[id]!
    const node = this.nodes[job.obj!.node]!
    const both = this.config.settings.prefixDelegationFlag && node.isNitro
    job.initOrder.length = 0
    // The providers' map (resource/manager.go ~136–142, copied, then ranged over in node.go ~170) holds
    // pod-eni, IP and prefix in insertion order; Go starts iterating a small map at a random one of its 8
    // slots, so each range is that order rotated by 0 (6/8), 1 or 2 (1/8 each). Two ranges: the IP
    // provider comes before the prefix provider 51 times in 64.
    if (!both) job.initOrder.push(Mode.SecondaryIp)
    else if (this.rngInitOrder.int(64) < 51) job.initOrder.push(Mode.SecondaryIp, Mode.Prefix)
    else job.initOrder.push(Mode.Prefix, Mode.SecondaryIp)
    this.calls.call(Ec2Action.DescribeInstances, ControllerEvent.NODE_JOB, id)
  }

  private onInitAnswer(id: number, code: Ec2Code): void {
    const job = this.workers.jobs[id]!
    const obj = job.obj!
    const node = this.nodes[obj.node]!
    if (node.node.status === NodeStatus.Gone) {
      this.unlock(id)
      return
    }
    if (code !== Ec2Code.Ok) {
      this.initFailed(id)
      return
    }
    const step = job.step++
    if (step === 0) {
      this.calls.call(Ec2Action.DescribeSubnets, ControllerEvent.NODE_JOB, id)
      return
    }
    // Step 1 answered LoadDetails; step 1 + k answered provider k's DescribeInstances.
    if (step >= 2) this.providers.init(node, job.initOrder[step - 2]!)
    if (step - 1 < job.initOrder.length) {
      this.calls.call(Ec2Action.DescribeInstances, ControllerEvent.NODE_JOB, id)
      return
    }
    // Ready (node.go ~196); the Update that follows in the same worker (manager.go ~451–453) takes the lock
    // again before any job waiting for it.
    obj.ready = true
    if (node.current === obj) this.sync(node)
    this.updateResources(id)
  }

  /**
   * Init failed: the providers already initialised are de-initialised (node.go ~180–190), the lock goes,
   * and the node leaves the data store, whatever object it holds now (removeNodeSafe, manager.go
   * ~436–447), until its next Node event.
   */
  private initFailed(id: number): void {
    const job = this.workers.jobs[id]!
    const node = this.nodes[job.obj!.node]!
    this.initFailures++
    for (let k = 0; k < job.step - 2 && k < job.initOrder.length; k++)
      this.providers.dropPool(node, job.initOrder[k]!, true)
    this.counts.touchNode(node.index)
    this.release(id)
    this.supersede(node, undefined)
    this.watch.mark(node.index)
    this.done(id)
  }

  /**
   * UpdateResources (node.go ~117–149): nothing before the node object is ready; else each provider's
   * UpdateResourceCapacity, and the capacity PATCHed into the Node's status if the Node does not show it
   * (AdvertiseCapacityIfNotSet, pkg/k8s/wrapper.go ~152–192) through the client's Nodes bucket, the lock
   * held meanwhile. No EC2 call (no custom networking on Windows, instance.go ~272–313).
   */
  private updateResources(id: number): void {
    const job = this.workers.jobs[id]!
    const obj = job.obj!
    const node = this.nodes[obj.node]!
    if (!obj.ready) {
      this.unlock(id)
      return
    }
    const capacity = this.providers.updateResourceCapacity(node)
    if (capacity < 0 || capacity === node.node.advertised) {
      this.unlock(id)
      return
    }
    job.capacity = capacity
    const wait = this.nodePatches.reserve(this.sim.now)
    if (wait === 0) this.patched(id)
    else this.sim.events.push(this.sim.now + wait, ControllerEvent.NODE_JOB, id, NodeJobStep.PATCHED)
  }

  /** The PATCH went through: the scheduler sees the capacity (kubelet mirrors it into allocatable). */
  private patched(id: number): void {
    const job = this.workers.jobs[id]!
    const n = this.nodes[job.obj!.node]!.node
    if (n.status !== NodeStatus.Gone) {
      n.advertised = job.capacity
      this.scheduler.reindex(n.index)
      this.scheduler.requestSchedule()
    }
    this.unlock(id)
  }

  /** DeleteResources (node.go ~201–224): not ready, and every provider's entry under the node's name forgotten. */
  private deleteResources(id: number): void {
    const obj = this.workers.jobs[id]!.obj!
    const node = this.nodes[obj.node]!
    obj.ready = false
    this.providers.dropPools(node, true)
    this.counts.touchNode(node.index)
    this.unlock(id)
  }
}
