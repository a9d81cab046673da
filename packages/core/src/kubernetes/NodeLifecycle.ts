// Nodes joining and leaving: a joining node's instance launches with its primary ENI (or fails to, when
// its subnet has no address left) and registers; a leaving node's pods are evicted and its instance
// terminated, its addresses back in the subnet.

import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import type { SubnetUse } from "../metrics/SubnetUse.ts"
import { NodeStatus, type SimNode } from "./Nodes.ts"
import type { Pods } from "./Pods.ts"
import type { Scheduler } from "./Scheduler.ts"

export class NodeLifecycle {
  /** Instances that could not launch (no address for their primary ENI). */
  launchFailures = 0

  constructor(
    private readonly sim: Simulation,
    private readonly nodes: readonly SimNode[],
    private readonly ec2: SimulatedEc2,
    private readonly subnetUse: SubnetUse,
    private readonly pods: Pods,
    private readonly scheduler: Scheduler,
  ) {}

  join(index: number): void {
    const node = this.nodes[index]!
    node.eni = this.ec2.launch(node.subnet, node.limits.IPv4PerInterface)
    if (node.eni < 0) {
      // No address left for the instance's primary ENI: the instance fails to launch.
      this.launchFailures++
      this.subnetUse.trackers[node.subnetIndex]!.insufficientErrors++
      node.status = NodeStatus.Gone
      return
    }
    this.subnetUse.touch(node.subnetIndex, this.sim.now)
    node.status = NodeStatus.Registered
    node.registeredAt = this.sim.now
    this.scheduler.ipamOf[index]!.nodeJoined(index)
    this.scheduler.reindex(index)
    this.scheduler.requestSchedule()
  }

  leave(index: number): void {
    const node = this.nodes[index]!
    if (node.status === NodeStatus.Gone || node.status === NodeStatus.Absent) {
      node.status = NodeStatus.Gone
      return
    }
    this.scheduler.ipamOf[index]!.nodeLeaving(index)
    node.status = NodeStatus.Gone
    node.managed = false
    node.advertised = 0
    this.pods.evictFrom(index)
    this.scheduler.reindex(index)
    this.ec2.terminate(node.eni)
    this.subnetUse.touch(node.subnetIndex, this.sim.now)
  }
}
