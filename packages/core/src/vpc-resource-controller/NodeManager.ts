// The controller's node manager (pkg/node/manager, pkg/node): a Windows node is managed while IPAM is
// enabled; its Init job reads EC2 (DescribeInstances, DescribeSubnets, then DescribeInstances per
// provider), then each provider's InitResource, and the node is ready. A failed Init drops the node from
// the manager until a later node event. Unmanaging forgets the pools (DeInitResource); nothing is
// unassigned in EC2.

import { Ec2Action, Ec2Code } from "../ec2/Ec2.ts"
import type { Ec2Calls } from "../ec2/Ec2Calls.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import type { Scheduler } from "../kubernetes/Scheduler.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import { Controller, ControllerEvent } from "./ControllerEvent.ts"
import type { DeleteQueueLoops } from "./DeleteQueueLoops.ts"
import type { PoolCounts } from "./PoolCounts.ts"
import { Mode } from "./ResourceProvider.ts"
import type { ResourceProviders } from "./ResourceProviders.ts"
import type { WindowsNode } from "./WindowsNode.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"

export class NodeManager {
  initFailures = 0

  constructor(
    private readonly sim: Simulation,
    private readonly nodes: readonly WindowsNode[],
    private readonly config: ControllerConfig,
    private readonly calls: Ec2Calls,
    private readonly pools: PoolMemory,
    private readonly providers: ResourceProviders,
    private readonly loops: DeleteQueueLoops,
    private readonly counts: PoolCounts,
    private readonly scheduler: Scheduler,
  ) {}

  /** AddNode: a Windows node is managed while IPAM is enabled; its Init job reads EC2 first. */
  maybeManage(node: WindowsNode): void {
    const n = node.node
    if (!this.config.ipamEnabled || n.managed || n.status !== NodeStatus.Registered) return
    n.managed = true
    this.startInit(node)
  }

  private startInit(node: WindowsNode): void {
    // LoadDetails (DescribeInstances + DescribeSubnets), then InitResources per provider (DescribeInstances).
    const calls = this.calls
    let t = calls.call(Ec2Action.DescribeInstances, this.sim.now)
    let ok = calls.code === Ec2Code.Ok
    t = calls.call(Ec2Action.DescribeSubnets, t)
    ok &&= calls.code === Ec2Code.Ok
    const providers = this.config.settings.prefixDelegationFlag && node.isNitro ? 2 : 1
    for (let p = 0; p < providers; p++) {
      t = calls.call(Ec2Action.DescribeInstances, t)
      ok &&= calls.code === Ec2Code.Ok
    }
    this.sim.events.push(t, ControllerEvent.NODE_INIT, node.index, ok ? 1 : 0)
  }

  /** The Init job's answer. */
  onInit(index: number, ok: boolean): void {
    const node = this.nodes[index]!
    const n = node.node
    if (n.status !== NodeStatus.Registered || !n.managed) return
    if (!ok) {
      // Init failed: the node leaves the manager and is retried on a later node event.
      this.initFailures++
      n.managed = false
      this.sim.events.push(this.sim.now + Controller.INIT_RETRY_MS, ControllerEvent.NODE_RETRY_INIT, index, 0)
      return
    }
    this.providers.init(node, Mode.SecondaryIp)
    if (this.config.settings.prefixDelegationFlag && node.isNitro) this.providers.init(node, Mode.Prefix)
    n.status = NodeStatus.Ready
    this.providers.updateResourceCapacity(node)
    this.counts.touchNode(index)
  }

  /** DeInitResource: the pools are forgotten; nothing is unassigned in EC2. */
  dropPools(node: WindowsNode): void {
    for (const mode of [Mode.SecondaryIp, Mode.Prefix]) {
      const prov = node.provider(mode)
      // A maturation that happened before the pools are forgotten counts in the metrics until now.
      this.loops.forget(node.index, mode)
      prov.pool = undefined
      this.pools.drop(node.index * 2 + mode)
      prov.loopActive = false
    }
  }

  /** IPAM turned off: pools dropped, addresses stay on the ENI, the loop stops, the webhook stops injecting. */
  unmanage(node: WindowsNode): void {
    this.dropPools(node)
    node.node.managed = false
    node.node.status = NodeStatus.Registered
    this.counts.touchNode(node.index)
    this.scheduler.reindex(node.index)
  }
}
