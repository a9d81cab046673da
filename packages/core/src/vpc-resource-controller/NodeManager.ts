// The controller's node manager (pkg/node/manager, pkg/node): a Windows node is managed while IPAM is
// enabled; its Init job reads EC2 (DescribeInstances, DescribeSubnets, then DescribeInstances per
// provider), then each provider's InitResource, and the node is ready. A failed Init drops the node from
// the manager until a later node event. Unmanaging forgets the pools (DeInitResource); nothing is
// unassigned in EC2.

import { Ec2Action, Ec2Code } from "../ec2/Ec2.ts"
import type { Ec2Calls } from "../ec2/Ec2Calls.ts"
import type { Rng } from "../kernel/Rng.ts"
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
    /** Go's map order of the resource manager's providers, per Init. */
    private readonly rngInitOrder: Rng,
  ) {}

  /** AddNode: a Windows node is managed while IPAM is enabled; its Init job reads EC2 first. */
  maybeManage(node: WindowsNode): void {
    const n = node.node
    if (!this.config.ipamEnabled || n.managed || n.status !== NodeStatus.Registered) return
    n.managed = true
    this.startInit(node)
  }

  /**
   * The Init job (node.go ~152–197): LoadDetails' DescribeInstances and DescribeSubnets (instance.go
   * ~96–167), then each supported provider in the resource manager's map order (a Go map: random), its
   * InitResource's DescribeInstances and, right after it, its pool. The first failed call ends it.
   */
  private startInit(node: WindowsNode): void {
    node.initStep = 0
    const both = this.config.settings.prefixDelegationFlag && node.isNitro
    node.initOrder.length = 0
    // The providers' map (resource/manager.go ~136–142, copied, then ranged over in node.go ~170) holds
    // pod-eni, IP and prefix in insertion order; Go starts iterating a small map at a random one of its 8
    // slots, so each range is that order rotated by 0 (6/8), 1 or 2 (1/8 each). Two ranges: the IP
    // provider comes before the prefix provider 51 times in 64.
    if (!both) node.initOrder.push(Mode.SecondaryIp)
    else if (this.rngInitOrder.int(64) < 51) node.initOrder.push(Mode.SecondaryIp, Mode.Prefix)
    else node.initOrder.push(Mode.Prefix, Mode.SecondaryIp)
    this.calls.call(Ec2Action.DescribeInstances, ControllerEvent.NODE_INIT, node.index)
  }

  /** An answer to the Init job's current call. */
  onInitAnswer(index: number, code: Ec2Code): void {
    const node = this.nodes[index]!
    const n = node.node
    if (n.status !== NodeStatus.Registered || !n.managed) return
    if (code !== Ec2Code.Ok) {
      this.initFailed(node)
      return
    }
    const step = node.initStep++
    if (step === 0) {
      this.calls.call(Ec2Action.DescribeSubnets, ControllerEvent.NODE_INIT, index)
      return
    }
    // Step 1 answered LoadDetails; step 1 + k answered provider k's DescribeInstances.
    if (step >= 2) this.providers.init(node, node.initOrder[step - 2]!)
    if (step - 1 < node.initOrder.length) {
      this.calls.call(Ec2Action.DescribeInstances, ControllerEvent.NODE_INIT, index)
      return
    }
    n.status = NodeStatus.Ready
    this.providers.updateResourceCapacity(node)
    this.counts.touchNode(index)
  }

  /**
   * Init failed: the providers already initialised are de-initialised (node.go ~180–190), the node leaves
   * the manager (manager.go ~436–447) and is tried again at its next node event.
   */
  private initFailed(node: WindowsNode): void {
    this.initFailures++
    for (let k = 0; k < node.initStep - 2 && k < node.initOrder.length; k++)
      this.dropPool(node, node.initOrder[k]!, true)
    this.counts.touchNode(node.index)
    node.node.managed = false
    node.outOfManager = true
    // The next Node update: kubelet's status report, every 5 min from its registration.
    const since = this.sim.now - node.node.registeredAt
    const next =
      node.node.registeredAt +
      (Math.floor(since / Controller.NODE_STATUS_REPORT_MS) + 1) * Controller.NODE_STATUS_REPORT_MS
    this.sim.events.push(next, ControllerEvent.NODE_RETRY_INIT, node.index, 0)
  }

  /** A Node update of a node out of the manager after a failed Init: AddNode again. */
  onNodeSeenAgain(index: number): void {
    const node = this.nodes[index]!
    node.outOfManager = false
    this.maybeManage(node)
  }

  /**
   * DeInitResource: the pools are forgotten; nothing is unassigned in EC2. The providers' loop chains go
   * on to their next run (`keepChains`) unless the node is leaving.
   */
  dropPools(node: WindowsNode, keepChains: boolean): void {
    this.dropPool(node, Mode.SecondaryIp, keepChains)
    this.dropPool(node, Mode.Prefix, keepChains)
  }

  private dropPool(node: WindowsNode, mode: Mode, keepChains: boolean): void {
    const prov = node.provider(mode)
    // A maturation that happened before the pool is forgotten counts in the metrics until now.
    this.loops.forget(node.index, mode, keepChains)
    prov.pool = undefined
    this.pools.drop(node.index * 2 + mode)
  }

  /**
   * IPAM turned off: pools dropped, addresses stay on the ENI, the webhook stops injecting; each loop
   * chain ends at its next run unless IPAM is back on by then (DeleteQueueLoops).
   */
  unmanage(node: WindowsNode): void {
    this.dropPools(node, true)
    node.node.managed = false
    node.node.status = NodeStatus.Registered
    this.counts.touchNode(node.index)
    this.scheduler.reindex(node.index)
  }
}
