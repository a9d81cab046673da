// kube-scheduler, simplified: pending pods bind in arrival order to the feasible node with most free address
// slots (or, for pods that request no address resource, most room under max pods). A node fits while it
// runs the pod's OS, is registered or ready, under max pods and, for a pod that requests an address, under
// its advertised capacity.

import type { Rng } from "../kernel/Rng.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { FreeSlotIndex } from "./FreeSlotIndex.ts"
import type { IpAddressManager } from "./IpAddressManager.ts"
import { KubernetesEvent } from "./KubernetesEvent.ts"
import { N, NodeStatus } from "./Nodes.ts"
import { Flag, P, PF, PodState, type Pods } from "./Pods.ts"

export class Scheduler {
  /** Pending pods as (slot, generation) pairs, in arrival order; stale pairs are dropped at a pass. */
  private readonly pendingQueue: number[] = []
  private scheduleQueued = false
  private readonly slotIndex: FreeSlotIndex
  /** Linux nodes by room under max pods (Linux pods request no address resource). */
  private readonly linuxIndex: FreeSlotIndex
  /** Pending pods that request no address resource (hostNetwork, no request, Linux): placed on max pods alone. */
  pendingWithoutRequest = 0
  /** Each node's IP address manager, by node index. */
  readonly ipamOf: IpAddressManager[] = []
  /** 1 for a Linux node, 0 for a Windows node, by node index. */
  readonly linuxNode: Uint8Array

  constructor(
    private readonly sim: Simulation,
    private readonly pods: Pods,
    private readonly nodeState: Int32Array,
    private readonly nodeCount: number,
    private readonly rng: Rng,
  ) {
    this.slotIndex = new FreeSlotIndex(nodeCount)
    this.linuxIndex = new FreeSlotIndex(nodeCount)
    this.linuxNode = new Uint8Array(nodeCount)
  }

  /** A new pending pod: bound now when nobody is queued ahead of it and a node fits, else queued. */
  add(slot: number): void {
    // Nobody queued ahead of it: bind it now if it fits (saves an event per pod).
    if (this.pendingQueue.length === 0) {
      const node = this.pickNode(slot)
      if (node >= 0) {
        this.bind(slot, node)
        return
      }
    }
    this.pendingQueue.push(slot, this.pods.rec[slot * P.STRIDE + P.GEN]!)
    this.requestSchedule()
  }

  requestSchedule(): void {
    // Nothing pending: a scheduling pass would do nothing (a pod created later queues its own).
    if (this.scheduleQueued || this.pendingQueue.length === 0) return
    this.scheduleQueued = true
    this.sim.events.push(this.sim.now, KubernetesEvent.SCHEDULE, 0, 0)
  }

  /** The SCHEDULE event: one pass over the pending pods. */
  onSchedule(): void {
    this.scheduleQueued = false
    const q = this.pendingQueue
    // Nothing can be placed: no node has a free address slot and every pending pod needs one.
    if (this.pendingWithoutRequest === 0 && !this.slotIndex.hasRoom) return
    const rec = this.pods.rec
    let w = 0
    for (let i = 0; i < q.length; i += 2) {
      const slot = q[i]!
      const gen = q[i + 1]!
      if (rec[slot * P.STRIDE + P.GEN] !== gen || rec[slot * P.STRIDE + P.STATE] !== PodState.PENDING) continue
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
    const rec = this.pods.rec
    const flags = rec[slot * P.STRIDE + P.FLAGS]!
    const requests = (flags & Flag.REQUESTS) !== 0
    const linux = (flags & Flag.LINUX) !== 0 ? 1 : 0
    const want = rec[slot * P.STRIDE + P.NODE]!
    if (want === -2) return -1
    if (want >= 0) return this.fits(want, requests) && this.linuxNode[want] === linux ? want : -1
    if (requests) return this.slotIndex.pickMost(this.rng)
    if (linux === 1) return this.linuxIndex.pickMost(this.rng)
    let best = -1
    let bestFree = -1
    let ties = 0
    const ns = this.nodeState
    for (let n = 0; n < this.nodeCount; n++) {
      if (this.linuxNode[n] === 1 || !this.fits(n, requests)) continue
      const o = n * N.STRIDE
      const free = requests ? ns[o + N.ADVERTISED]! - ns[o + N.REQUESTED]! : ns[o + N.MAX_PODS]! - ns[o + N.PODS_BOUND]!
      if (free > bestFree) {
        best = n
        bestFree = free
        ties = 1
      } else if (free === bestFree) {
        ties++
        if (this.rng.int(ties) === 0) best = n
      }
    }
    return best
  }

  /** Keeps the index of free address slots current after a node's counts or status change. */
  reindex(n: number): void {
    const o = n * N.STRIDE
    if (this.linuxNode[n] === 1) {
      this.linuxIndex.set(
        n,
        this.fits(n, false) ? this.nodeState[o + N.MAX_PODS]! - this.nodeState[o + N.PODS_BOUND]! : 0,
      )
      return
    }
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
    const pods = this.pods
    const rec = pods.rec
    const ns = this.nodeState
    const o = node * N.STRIDE
    const at = slot * P.STRIDE
    rec[at + P.NODE] = node
    pods.f[4 * slot + PF.BOUND_AT] = this.sim.now
    ns[o + N.PODS_BOUND]!++
    const flags = rec[at + P.FLAGS]!
    if ((flags & Flag.REQUESTS) === 0) {
      this.pendingWithoutRequest--
      if ((flags & Flag.CNI) !== 0) {
        // A Linux pod: its sandbox asks the node's CNI for an address as it starts.
        rec[at + P.STATE] = PodState.WAITING
        pods.waitingCount++
        this.reindex(node)
        this.ipamOf[node]!.podBound(slot, node)
        return
      }
      rec[at + P.STATE] = PodState.NO_ADDRESS
      this.reindex(node)
      return
    }
    ns[o + N.REQUESTED]!++
    rec[at + P.STATE] = PodState.WAITING
    pods.waitingCount++
    // The node's free slots are indexed before its manager serves the pod (which changes none of them).
    this.reindex(node)
    // The node's IP address manager sees the binding at once.
    this.ipamOf[node]!.podBound(slot, node)
  }

  /** Pods still pending (for the timeline). */
  pendingCount(): number {
    let n = 0
    const q = this.pendingQueue
    const rec = this.pods.rec
    for (let i = 0; i < q.length; i += 2) {
      const slot = q[i]!
      if (rec[slot * P.STRIDE + P.GEN] === q[i + 1] && rec[slot * P.STRIDE + P.STATE] === PodState.PENDING) n++
    }
    return n
  }
}
