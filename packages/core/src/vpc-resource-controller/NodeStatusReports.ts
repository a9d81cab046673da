// The Node events nothing in the controller causes: each node's kubelet reporting its status every 5
// minutes from its registration (kubelet's nodeStatusReportFrequency) and the manager's cache resyncing
// every node at a period drawn from [27, 33) minutes (main.go ~73, ~274). The node reconciler watches
// Nodes with no filter (node_controller.go ~116–127): every such event is a reconcile, UpdateNode (an
// Update job: SetToActive and a reconcile of the active pool, the capacity PATCHed if the Node lacks it)
// or, for a node out of the data store, AddNode.
//
// Most of these events change nothing, and an idle node must cost nothing: a report is an event only
// while its node is "watched", and the resync only while some node is. A node is watched from the moment
// its next Node event might do something — a pool that a reconcile would give a job, a config the pool
// lacks, a mode switch or capacity not applied, the node out of the data store, an Init of a node object
// with no Update waiting, every worker busy — until a report finds it settled. An Update item a worker is
// running when a Node event comes would be queued again when done (the work queue's dirty set): that is
// applied when it is done (`crossed`) rather than as an event. With `wakeAll` (the reference for tests)
// every report and every resync is an event.

import { Rng } from "../kernel/Rng.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import { Controller, ControllerEvent, NodeEventKind } from "./ControllerEvent.ts"
import type { NodeManager } from "./NodeManager.ts"
import type { NodeUpdateWatch } from "./NodeWorkers.ts"
import type { WindowsNode } from "./WindowsNode.ts"

export class NodeStatusReports implements NodeUpdateWatch {
  /** The resync period, 30 min × [0.9, 1.1) (controller-runtime's calculateResyncPeriod). */
  readonly resyncPeriodMs: number
  /** Per node, the time of its pending report event, or -1 (not watched). */
  private readonly reportAt: Float64Array
  private watched = 0
  /** The pending resync event's time, or -1. */
  private resyncAt = -1

  constructor(
    private readonly sim: Simulation,
    private readonly nodes: readonly WindowsNode[],
    private readonly manager: NodeManager,
    private readonly seed: number,
    nodeCount: number,
    /** Reference mode: every report and resync is an event. */
    readonly wakeAll: boolean,
  ) {
    this.reportAt = new Float64Array(Math.max(nodeCount, 1)).fill(-1)
    const draw = Rng.stream(seed, "node-informer-resync").float()
    this.resyncPeriodMs = Math.floor(Controller.CACHE_SYNC_PERIOD_MS * (0.9 + draw / 5))
    if (wakeAll) this.pushResync(this.resyncPeriodMs)
  }

  /** A node registered: in the reference mode, its reports from 5 minutes on. */
  registered(node: number): void {
    if (this.wakeAll) this.pushReport(node, this.sim.now + Controller.NODE_STATUS_REPORT_MS)
  }

  /** The node's next Node event may do something: its next report is an event (and so is the next resync). */
  mark(node: number): void {
    if (this.wakeAll || this.reportAt[node]! >= 0) return
    const n = this.nodes[node]!.node
    if (n.status !== NodeStatus.Registered && n.status !== NodeStatus.Ready) return
    this.pushReport(node, this.nextReport(node))
    if (this.watched++ === 0 && this.resyncAt < 0) this.pushResync(this.nextResync())
  }

  /** Every worker of the node manager is busy: an Update now would wait in the queue, so every report counts. */
  workersBusy(): void {
    if (this.wakeAll) return
    for (const node of this.nodes) if (node !== undefined) this.mark(node.index)
  }

  /** After a ConfigMap change: every node whose next Node event would do something is watched. */
  configChanged(): void {
    if (this.wakeAll) return
    for (const node of this.nodes)
      if (node !== undefined && !this.manager.reconcileChangesNothing(node)) this.mark(node.index)
  }

  /** A NODE_EVENT of a report or the resync. */
  onEvent(a: number, b: number): void {
    if (b === NodeEventKind.RESYNC) this.onResync()
    else this.onReport(a)
  }

  /**
   * The time of the node's next Node event (its report or the resync) that has not run yet: an Update
   * item that starts now and is still running then would be queued again (see crossed).
   */
  nextNodeEvent(node: number): number {
    const report = this.nextReport(node)
    const resync = this.nextResync()
    return report < resync ? report : resync
  }

  /** Whether a Node event of the node at `at` (a value of nextNodeEvent) has run by now. */
  crossed(node: number, at: number): boolean {
    const now = this.sim.now
    if (at !== now) return at < now
    const r = this.nodes[node]!.node.registeredAt
    const isReport = now > r && (now - r) % Controller.NODE_STATUS_REPORT_MS === 0
    const isResync = now > 0 && now % this.resyncPeriodMs === 0
    return (isReport && this.passed(node, NodeEventKind.REPORT)) || (isResync && this.passed(-1, NodeEventKind.RESYNC))
  }

  private onReport(node: number): void {
    const now = this.sim.now
    const n = this.nodes[node]!
    if (this.wakeAll) {
      if (n.node.status === NodeStatus.Gone) return
      this.pushReport(node, now + Controller.NODE_STATUS_REPORT_MS)
      this.manager.nodeReconcile(n)
      return
    }
    this.reportAt[node] = -1
    this.watched--
    if (this.manager.reconcileChangesNothing(n)) return
    this.manager.nodeReconcile(n)
    // Still not settled: the next report counts too.
    if (!this.manager.reconcileChangesNothing(n)) this.mark(node)
  }

  /** The resync: every node's reconcile, in the informer's order (Go's map order, drawn per resync). */
  private onResync(): void {
    const now = this.sim.now
    this.resyncAt = -1
    if (!this.wakeAll && this.watched === 0) return
    const order = Rng.stream(this.seed, `node-resync-${Math.round(now / this.resyncPeriodMs)}`)
    const list = this.manager.listNodes(order)
    for (let i = 0; i < list.length; i++) {
      const node = list[i]!
      if (this.wakeAll || !this.manager.reconcileChangesNothing(node)) this.manager.nodeReconcile(node)
    }
    if (this.wakeAll || this.watched > 0) this.pushResync(now + this.resyncPeriodMs)
  }

  private pushReport(node: number, at: number): void {
    this.reportAt[node] = at
    this.sim.events.push(at, ControllerEvent.NODE_EVENT, node, NodeEventKind.REPORT)
  }

  private pushResync(at: number): void {
    this.resyncAt = at
    this.sim.events.push(at, ControllerEvent.NODE_EVENT, -1, NodeEventKind.RESYNC)
  }

  /** The node's first report at or after now that has not run yet (reports come 5, 10, … min after registration). */
  private nextReport(node: number): number {
    const now = this.sim.now
    const r = this.nodes[node]!.node.registeredAt
    const P = Controller.NODE_STATUS_REPORT_MS
    const t = r + Math.max(1, Math.ceil((now - r) / P)) * P
    return t === now && this.passed(node, NodeEventKind.REPORT) ? t + P : t
  }

  private nextResync(): number {
    const now = this.sim.now
    const R = this.resyncPeriodMs
    const t = Math.max(1, Math.ceil(now / R)) * R
    return t === now && this.passed(-1, NodeEventKind.RESYNC) ? t + R : t
  }

  /** Whether the Node event (a, b) at now has run: it comes before the current event, or is it. */
  private passed(a: number, b: number): boolean {
    const q = this.sim.events
    return (
      q.beforeCurrent(ControllerEvent.NODE_EVENT, a, b) ||
      (q.eventKind === ControllerEvent.NODE_EVENT && q.a === a && q.b === b && q.at === this.sim.now)
    )
  }
}
