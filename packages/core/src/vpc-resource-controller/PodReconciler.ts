// The pod controller (controllers/core/pod_controller.go, pkg/handler/warm.go): HandleCreate routes a pod
// to its node's prefix or secondary-IP pool and calls AssignResource; an error requeues the pod after the
// controller's delay (600 ms, 20 s, 2 min, or the workqueue's back-off). HandleDelete frees its address.

import { TokenBucket } from "../ec2/TokenBucket.ts"
import type { MapOrder } from "../go/MapOrder.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { N, NodeStatus } from "../kubernetes/Nodes.ts"
import { Flag, P, PodState, type Pods } from "../kubernetes/Pods.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import { ApiServerClient, Controller, ControllerEvent } from "./ControllerEvent.ts"
import type { DeleteQueueLoops } from "./DeleteQueueLoops.ts"
import type { PoolCounts } from "./PoolCounts.ts"
import { Mode } from "./ResourceProvider.ts"
import type { WindowsNode } from "./WindowsNode.ts"
import type { Workers } from "./Workers.ts"
import { PoolError } from "./warm-pool/Pool.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"
import { poolAssignUnheld, poolFreeAt, poolUsedAt } from "./warm-pool/PoolOperations.ts"

export class PodReconciler {
  /** Requeues by the error that caused them. */
  readonly retries: Record<string, number> = {}
  /**
   * The Pods bucket of the API server client that writes the address annotation (pod/client_wrapper.go
   * ~169 through mgr.GetClient(); ApiServerClient).
   */
  private readonly annotations = new TokenBucket({
    capacity: ApiServerClient.BURST,
    refillPerSecond: ApiServerClient.QPS,
  })

  constructor(
    private readonly sim: Simulation,
    private readonly pods: Pods,
    private readonly nodeState: Int32Array,
    private readonly config: ControllerConfig,
    private readonly pools: PoolMemory,
    private readonly order: MapOrder,
    private readonly workers: Workers,
    private readonly loops: DeleteQueueLoops,
    private readonly counts: PoolCounts,
    private readonly nodes: readonly WindowsNode[],
  ) {}

  private requeue(slot: number, delayMs: number, reason: string): void {
    this.retries[reason] = (this.retries[reason] ?? 0) + 1
    this.sim.events.push(this.sim.now + delayMs, ControllerEvent.POD, slot, this.pods.rec[slot * P.STRIDE + P.GEN]!)
  }

  /** The pod controller's Reconcile and HandleCreate (§4.4, §3.1). */
  reconcile(slot: number, gen: number): void {
    const rec = this.pods.rec
    if (rec[slot * P.STRIDE + P.GEN] !== gen || rec[slot * P.STRIDE + P.STATE] !== PodState.WAITING) return
    const node = rec[slot * P.STRIDE + P.NODE]!
    const o = node * N.STRIDE
    if (this.nodeState[o + N.MANAGED] === 0) {
      // Out of the node manager (a failed Init): requeued every second; present but unmanaged: dropped.
      if (this.nodes[node]!.outOfManager) this.requeue(slot, Controller.REQUEUE_NODE_NOT_READY_MS, "NodeNotInManager")
      return
    }
    if (this.nodeState[o + N.STATUS] !== NodeStatus.Ready) {
      this.requeue(slot, Controller.REQUEUE_NODE_NOT_READY_MS, "NodeNotReady")
      return
    }
    const mode =
      this.config.pdEnabled && this.nodeState[o + N.NITRO] === 1 && this.config.settings.prefixDelegationFlag
        ? Mode.Prefix
        : Mode.SecondaryIp
    const key = node * 2 + mode
    if (!this.pools.has(key)) return
    const loops = this.loops
    const wasDormant = loops.wakeLater(node, mode)
    // A waiting pod holds no address (checkInvariants): AssignResource's first check cannot fail.
    const r = poolAssignUnheld(this.pools, key, slot, this.order)
    if (r >= 0) {
      // HandleCreate writes the annotation the pod's CNI reads (warm.go ~115) synchronously: the pod has
      // its address once the PATCH is through the client's bucket (its round trip is not modelled).
      const now = this.sim.now
      this.pods.gotAddress(slot, r, now + this.annotations.reserve(now))
      const type = this.workers.reconcileAndSubmit(node, mode)
      this.counts.touchPool(node, mode)
      loops.settle(node, mode, wasDormant, type)
      return
    }
    if (wasDormant) loops.pushLoop(node, mode)
    switch (r) {
      case PoolError.WarmPoolEmpty:
        this.workers.reconcileAndSubmit(node, mode)
        this.counts.touchPool(node, mode)
        rec[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeue(slot, Controller.REQUEUE_WARM_POOL_EMPTY_MS, "ErrWarmPoolEmpty")
        break
      case PoolError.ResourcesAreBeingCreated:
        rec[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeue(slot, Controller.REQUEUE_WARM_POOL_EMPTY_MS, "ErrResourcesAreBeingCreated")
        break
      case PoolError.ResourceAreBeingCooledDown:
        rec[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeue(slot, Controller.REQUEUE_COOLING_MS, "ErrResourceAreBeingCooledDown")
        break
      case PoolError.InsufficientCidrBlocks:
        rec[slot * P.STRIDE + P.FLAGS]! &= Flag.REQUESTS
        this.requeue(slot, Controller.REQUEUE_NO_PREFIX_MS, "ErrInsufficientCidrBlocks")
        break
      case PoolError.PoolAtMaxCapacity: {
        // Returned as an error: the workqueue's per-item exponential backoff, 5 ms × 2^n up to 1000 s.
        const n = rec[slot * P.STRIDE + P.FLAGS]! >> 1
        rec[slot * P.STRIDE + P.FLAGS]! += Flag.FAILURE
        this.requeue(slot, Math.min(5 * 2 ** n, 1_000_000), "ErrPoolAtMaxCapacity")
        break
      }
      default:
        break
    }
  }

  /** HandleDelete: the PD pool frees the pod if it holds it, else the secondary-IP pool. */
  handleDelete(node: number, slot: number, ip: number): void {
    const pools = this.pools
    // The pod's used pair, found once (the check of the PD pool and its free would each scan for it); the
    // place survives the region moving when wakeLater matures cooled addresses.
    const pdKey = node * 2 + Mode.Prefix
    let at = pools.has(pdKey) ? poolUsedAt(pools, pdKey, slot) : -1
    const mode = at >= 0 ? Mode.Prefix : Mode.SecondaryIp
    const key = node * 2 + mode
    if (!pools.has(key)) return
    if (mode === Mode.SecondaryIp) at = poolUsedAt(pools, key, slot)
    const loops = this.loops
    const wasDormant = loops.wakeLater(node, mode)
    if (poolFreeAt(pools, key, at, ip, this.sim.now) === 0) {
      const type = this.workers.reconcileAndSubmit(node, mode)
      this.counts.touchPool(node, mode)
      loops.settle(node, mode, wasDormant, type)
    } else if (wasDormant) loops.pushLoop(node, mode)
  }
}
