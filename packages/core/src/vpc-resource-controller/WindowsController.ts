// The VPC Resource Controller serving Windows nodes: the first IP address manager behind the door
// (kubernetes/IpAddressManager.ts). It wires the controller's rooms — the ConfigMap it reads, the node
// manager, the providers and their pools, the pod controller, the worker queues with their EC2 jobs and the
// 30 s loops — and owns the event kinds of ControllerEvent.

import type { Ec2Code } from "../ec2/Ec2.ts"
import type { Ec2Calls } from "../ec2/Ec2Calls.ts"
import { compileLatency } from "../ec2/Latency.ts"
import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import { type MapOrder, randomOrder } from "../go/MapOrder.ts"
import { Rng } from "../kernel/Rng.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import type { IpAddressManager } from "../kubernetes/IpAddressManager.ts"
import type { SimNode } from "../kubernetes/Nodes.ts"
import { P, type Pods } from "../kubernetes/Pods.ts"
import type { Scheduler } from "../kubernetes/Scheduler.ts"
import type { AddressIntegrals } from "../metrics/Integral.ts"
import type { NodeSummary } from "../metrics/SimResult.ts"
import type { SubnetUse } from "../metrics/SubnetUse.ts"
import type { PodEvent } from "../workload/PodEvent.ts"
import type { ConfigMapData } from "./ConfigMap.ts"
import { ConfigMapController } from "./ConfigMapController.ts"
import { ControllerConfig } from "./ControllerConfig.ts"
import { ControllerEvent, NodeEventKind } from "./ControllerEvent.ts"
import type { ConfigMapChange, ControllerSettings } from "./ControllerSettings.ts"
import { DeleteQueueLoops } from "./DeleteQueueLoops.ts"
import { NodeManager } from "./NodeManager.ts"
import { NodeStatusReports } from "./NodeStatusReports.ts"
import { PodReconciler } from "./PodReconciler.ts"
import { requestsAddress } from "./PodWebhook.ts"
import { PoolCounts } from "./PoolCounts.ts"
import { ResourceJobs } from "./ResourceJobs.ts"
import { K, Mode, type ProviderState } from "./ResourceProvider.ts"
import { ResourceProviders } from "./ResourceProviders.ts"
import { WindowsNode } from "./WindowsNode.ts"
import { type JobRunner, Workers } from "./Workers.ts"
import { PoolMemory } from "./warm-pool/PoolMemory.ts"

/** What the controller is given: the shared parts of the cluster it works in. */
export interface WindowsControllerParts {
  readonly sim: Simulation
  readonly seed: number
  readonly settings: ControllerSettings
  readonly configMap: { readonly data: ConfigMapData; readonly changes: readonly ConfigMapChange[] }
  /** The cluster's nodes (all of them; it manages those added with addNode). */
  readonly nodeCount: number
  readonly nodeState: Int32Array
  readonly pods: Pods
  readonly scheduler: Scheduler
  readonly ec2: SimulatedEc2
  readonly calls: Ec2Calls
  /** The stream EC2's answers draw from (Ec2Calls draws from it too). */
  readonly rngEc2: Rng
  readonly subnetUse: SubnetUse
  readonly groups: readonly AddressIntegrals[]
  readonly wakeIdleLoops: boolean
}

export class WindowsController implements IpAddressManager, JobRunner {
  readonly eventKinds = [
    ControllerEvent.POD,
    ControllerEvent.NODE_JOB,
    ControllerEvent.JOB_STEP,
    ControllerEvent.LOOP,
    ControllerEvent.NODE_EVENT,
  ]
  /** Its nodes by cluster node index (undefined: not a Windows node). */
  readonly nodes: WindowsNode[] = []
  readonly config: ControllerConfig
  /** Every pool's state, pool id = node index × 2 + mode (the key); a pod event calls its pool by key. */
  readonly pools = new PoolMemory()
  /** Per provider (key), its line of typed state (K). */
  readonly keyState: Float64Array
  /** Go's map order for every pool (one object shared by all pools: it keeps no state of its own). */
  readonly order: MapOrder
  readonly counts: PoolCounts
  readonly workers: Workers
  readonly loops: DeleteQueueLoops
  readonly jobs: ResourceJobs
  readonly providers: ResourceProviders
  readonly manager: NodeManager
  readonly reports: NodeStatusReports
  readonly reconciler: PodReconciler
  private readonly configMapController: ConfigMapController
  private readonly pods: Pods

  constructor(p: WindowsControllerParts) {
    this.pods = p.pods
    this.order = randomOrder(Rng.stream(p.seed, "pool-map-order"))
    this.config = new ControllerConfig(p.settings, p.configMap.data)
    this.keyState = new Float64Array(2 * p.nodeCount * K.STRIDE)
    for (let key = 0; key < 2 * p.nodeCount; key++) this.keyState[key * K.STRIDE + K.MATURE_AT] = -1
    this.counts = new PoolCounts(p.sim, this.pools, this.keyState, p.nodeState, p.groups)
    this.workers = new Workers(p.sim, this.pools, this.order, this.nodes)
    this.loops = new DeleteQueueLoops(
      p.sim,
      this.pools,
      this.order,
      this.keyState,
      p.nodeState,
      this.workers,
      this.counts,
      p.wakeIdleLoops,
    )
    this.jobs = new ResourceJobs(
      p.sim,
      this.nodes,
      this.pools,
      p.ec2,
      p.calls,
      p.subnetUse,
      this.workers,
      this.loops,
      this.counts,
      p.settings.profile,
      compileLatency(p.settings.visibility),
      p.rngEc2,
      Rng.stream(p.seed, "attach-wait-jitter"),
      Rng.stream(p.seed, "eni-entry-order"),
    )
    this.workers.runner = this
    this.providers = new ResourceProviders(
      this.config,
      this.pools,
      this.order,
      p.ec2,
      p.pods,
      this.workers,
      this.loops,
      this.counts,
      2 * p.nodeCount,
    )
    this.manager = new NodeManager(
      p.sim,
      this.nodes,
      this.config,
      p.calls,
      this.providers,
      this.counts,
      p.scheduler,
      Rng.stream(p.seed, "provider-init-order"),
      Rng.stream(p.seed, "node-list-order"),
    )
    this.reports = new NodeStatusReports(p.sim, this.nodes, this.manager, p.seed, p.nodeCount, p.wakeIdleLoops)
    this.manager.watch = this.reports
    this.workers.watch = this.reports
    this.jobs.watch = this.reports
    this.reconciler = new PodReconciler(
      p.sim,
      p.pods,
      p.nodeState,
      this.config,
      this.pools,
      this.order,
      this.workers,
      this.loops,
      this.counts,
      this.nodes,
    )
    this.configMapController = new ConfigMapController(this.config, p.configMap.changes, this.manager)
  }

  /** Makes `node` one of its nodes, with its capacity per mode (§1.4; prefix undefined when not Nitro). */
  addNode(node: SimNode, capacitySecondaryIp: number, capacityPrefix: number | undefined): void {
    this.nodes[node.index] = new WindowsNode(node, capacitySecondaryIp, capacityPrefix)
  }

  // ---- what the Kubernetes side tells it (IpAddressManager)

  requestsAddress(e: PodEvent): boolean {
    return requestsAddress(e, this.config)
  }

  nodeJoined(node: number): void {
    this.reports.registered(node)
    this.manager.nodeJoined(this.nodes[node]!)
  }

  nodeLeaving(node: number): void {
    this.manager.nodeLeaving(this.nodes[node]!)
  }

  podBound(pod: number, _node: number): void {
    // The pod controller sees the binding at once.
    this.reconciler.reconcile(pod, this.pods.rec[pod * P.STRIDE + P.GEN]!)
  }

  podDeleted(pod: number, node: number, ip: number): void {
    this.reconciler.handleDelete(node, pod, ip)
  }

  configChanged(index: number): void {
    this.configMapController.onChange(index)
    this.reports.configChanged()
  }

  catchUp(): void {
    this.loops.matureDue()
  }

  onEvent(kind: number, a: number, b: number): void {
    switch (kind) {
      case ControllerEvent.POD:
        this.reconciler.reconcile(a, b)
        break
      case ControllerEvent.NODE_JOB:
        this.manager.onJobEvent(a, b)
        break
      case ControllerEvent.NODE_EVENT:
        if (b === NodeEventKind.CNINODE_CREATED) this.manager.onCniNodeCreated(a)
        else this.reports.onEvent(a, b)
        break
      case ControllerEvent.JOB_STEP:
        this.jobs.onStepEvent(a, b as Ec2Code)
        break
      case ControllerEvent.LOOP:
        this.loops.onLoop(a, b)
        break
    }
  }

  // ---- what runs a worker's job (JobRunner)

  runLoop(node: number, mode: Mode, chain: number): void {
    this.loops.runLoop(node, mode, chain)
  }

  loopForgotten(chain: number): void {
    this.loops.forgetChain(chain)
  }

  step(id: number): void {
    this.jobs.step(id)
  }

  workersBusy(mode: Mode): void {
    this.loops.ensureSentinel(mode)
  }

  workersFree(mode: Mode): void {
    this.loops.dormant[mode].unorder()
  }

  orphanReleased(prov: ProviderState): void {
    this.providers.releaseOrphan(prov)
  }

  // ---- what the report reads

  /** A node's mode, capacity and pool counts at the end. */
  nodeSummary(node: SimNode, group: string): NodeSummary {
    const w = this.nodes[node.index]!
    const pd = w.provider(Mode.Prefix)
    const pdActive = pd.pool !== undefined && pd.isPrevPdEnabled
    const c = this.counts
    return {
      name: node.name,
      group,
      instanceType: node.instanceType,
      mode: pdActive ? "prefix" : "secondary-ip",
      capacity: pdActive ? w.capacityPrefix! : w.capacitySecondaryIp,
      final: {
        used: c.lastCount(node.index, K.USED),
        warm: c.lastCount(node.index, K.WARM),
        cooling: c.lastCount(node.index, K.COOLING),
        pending: c.lastCount(node.index, K.PENDING),
      },
    }
  }
}
