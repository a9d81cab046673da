// Pods as the API server sees them: the trace's creates and deletes (the kernel's input), a create passed
// through the webhook to the scheduler, a delete freeing the pod's node and, for a running pod, its address.

import type { InputHandler, Simulation } from "../kernel/Simulation.ts"
import type { PodEvent, TraceSource } from "../workload/PodEvent.ts"
import type { IpAddressManager } from "./IpAddressManager.ts"
import { N } from "./Nodes.ts"
import { PodNames } from "./PodNames.ts"
import { Flag, P, PF, PodState, type Pods } from "./Pods.ts"
import type { Scheduler } from "./Scheduler.ts"

export class PodLifecycle implements InputHandler {
  readonly podNames = new PodNames()
  /** The trace's next event, run at `Simulation.inputAt`. */
  private pendingEvent: PodEvent | undefined

  constructor(
    private readonly sim: Simulation,
    private readonly trace: TraceSource,
    /** Without a duration, the run stops this long after the trace's last event. */
    private readonly drainAfterTrace: number | undefined,
    private readonly pods: Pods,
    private readonly scheduler: Scheduler,
    private readonly nodeByName: ReadonlyMap<string, number>,
    private readonly nodeState: Int32Array,
    /** The manager of pods that ask for Windows nodes: its webhook says whether a pod requests an address. */
    private readonly ipam: IpAddressManager,
    /** Whether the cluster has Linux nodes: without, pods not for Windows nodes are not placed (counted). */
    private readonly hasLinuxNodes = false,
    /** 1 for a Linux node, by node index. */
    private readonly linuxNode?: Uint8Array,
  ) {}

  /** Reads the trace's next event. */
  pull(): void {
    const e = this.trace.next()
    this.pendingEvent = e
    if (e === undefined) {
      this.sim.inputAt = Number.POSITIVE_INFINITY
      if (this.drainAfterTrace !== undefined) this.sim.stopAt = this.sim.now + this.drainAfterTrace
      return
    }
    this.sim.inputAt = e.t
  }

  onInput(): void {
    const e = this.pendingEvent!
    if (e.type === "create") this.create(e, e.podId ?? this.podNames.create(e.pod))
    else this.delete(e.podId ?? this.podNames.remove(e.pod))
    this.pull()
  }

  private create(e: PodEvent, slot: number): void {
    const pods = this.pods
    if (slot < pods.slots && pods.rec[slot * P.STRIDE + P.STATE] !== PodState.FREE) {
      // A second create of a live pod: the API server would refuse it. Count it with unknown events.
      pods.unknownDeletes++
      return
    }
    const wantNode = e.node === undefined ? -1 : (this.nodeByName.get(e.node) ?? -2)
    if (this.hasLinuxNodes) {
      // A pod bound to a node runs that node's OS; else a Windows nodeSelector means Windows, none Linux.
      const linux = wantNode >= 0 ? this.linuxNode![wantNode] === 1 : !e.windowsSelector
      if (linux) {
        this.createLinux(e, slot, wantNode)
        return
      }
    } else if (!e.windowsSelector && !e.hostNetwork && wantNode === -1) {
      // Not for Windows nodes (Linux pods share traces) and the cluster has no Linux nodes.
      pods.ignoredNonWindows++
      return
    }
    pods.alloc(slot)
    pods.created++
    const requests = this.ipam.requestsAddress(e)
    const rec = pods.rec
    rec[slot * P.STRIDE + P.FLAGS] = requests ? Flag.REQUESTS : 0
    rec[slot * P.STRIDE + P.NODE] = wantNode
    if (requests) pods.requesting++
    else if (e.hostNetwork) pods.hostNetwork++
    else pods.withoutResource++
    rec[slot * P.STRIDE + P.STATE] = PodState.PENDING
    if (!requests) this.scheduler.pendingWithoutRequest++
    this.scheduler.add(slot)
  }

  /** A Linux pod: placed on max pods alone; unless hostNetwork, its node's CNI gives it an address as it starts. */
  private createLinux(e: PodEvent, slot: number, wantNode: number): void {
    const pods = this.pods
    pods.alloc(slot)
    pods.linux.created++
    const rec = pods.rec
    rec[slot * P.STRIDE + P.FLAGS] = e.hostNetwork ? Flag.LINUX : Flag.LINUX | Flag.CNI
    rec[slot * P.STRIDE + P.NODE] = wantNode
    if (e.hostNetwork) pods.linux.hostNetwork++
    else pods.linux.needingAddress++
    rec[slot * P.STRIDE + P.STATE] = PodState.PENDING
    this.scheduler.pendingWithoutRequest++
    this.scheduler.add(slot)
  }

  private delete(slot: number): void {
    const pods = this.pods
    const rec = pods.rec
    if (slot < 0 || slot >= pods.slots || rec[slot * P.STRIDE + P.STATE] === PodState.FREE) {
      pods.unknownDeletes++
      return
    }
    const state = rec[slot * P.STRIDE + P.STATE]!
    const flags = rec[slot * P.STRIDE + P.FLAGS]!
    if (state === PodState.WAITING) {
      if ((flags & Flag.LINUX) !== 0) pods.linux.neverGotIp++
      else pods.neverGotIp++
      pods.waitingCount--
    }
    if (state === PodState.WAITING || state === PodState.RUNNING || state === PodState.NO_ADDRESS) {
      const node = rec[slot * P.STRIDE + P.NODE]!
      const o = node * N.STRIDE
      this.nodeState[o + N.PODS_BOUND]!--
      if ((rec[slot * P.STRIDE + P.FLAGS]! & Flag.REQUESTS) !== 0) this.nodeState[o + N.REQUESTED]!--
      this.scheduler.reindex(node)
      if (state === PodState.RUNNING) this.scheduler.ipamOf[node]!.podDeleted(slot, node, pods.f[4 * slot + PF.IP]!)
      this.scheduler.requestSchedule()
    } else if (state === PodState.PENDING) {
      if ((flags & Flag.REQUESTS) !== 0) pods.neverGotIp++
      else {
        if ((flags & Flag.CNI) !== 0) pods.linux.neverGotIp++
        this.scheduler.pendingWithoutRequest--
      }
    }
    pods.free(slot)
  }
}
