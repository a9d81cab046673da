// Each pool's used / warm / cooling / pending counts as last reported to the metrics (the provider's line
// in keyState), and the node groups' exact integrals they feed: a change is reported as deltas.

import type { Simulation } from "../kernel/Simulation.ts"
import { N } from "../kubernetes/Nodes.ts"
import type { AddressIntegrals } from "../metrics/Integral.ts"
import { K, Mode } from "./ResourceProvider.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"
import { poolCooling, poolPendingCreate, poolUsed, poolWarm } from "./warm-pool/PoolOperations.ts"

export class PoolCounts {
  constructor(
    private readonly sim: Simulation,
    private readonly pools: PoolMemory,
    private readonly keyState: Float64Array,
    private readonly nodeState: Int32Array,
    readonly groups: readonly AddressIntegrals[],
  ) {}

  /** Reports a node's pools' counts after a change to either. */
  touchNode(node: number): void {
    this.touchPool(node, Mode.SecondaryIp)
    this.touchPool(node, Mode.Prefix)
  }

  /** Reports one pool's counts after a change to it alone (a pod event touches one pool's memory, not both). */
  touchPool(node: number, mode: Mode): void {
    const pools = this.pools
    const key = node * 2 + mode
    const live = pools.has(key)
    const used = live ? poolUsed(pools, key) : 0
    const warm = live ? poolWarm(pools, key) : 0
    const cooling = live ? poolCooling(pools, key) : 0
    const pending = live ? poolPendingCreate(pools, key) : 0
    const ks = this.keyState
    const k = key * K.STRIDE
    const du = used - ks[k + K.USED]!
    const dw = warm - ks[k + K.WARM]!
    const dc = cooling - ks[k + K.COOLING]!
    const dp = pending - ks[k + K.PENDING]!
    if (du === 0 && dw === 0 && dc === 0 && dp === 0) return
    ks[k + K.USED] = used
    ks[k + K.WARM] = warm
    ks[k + K.COOLING] = cooling
    ks[k + K.PENDING] = pending
    // The cluster's integrals are the groups' sums (exact: integer values and times), taken at the end.
    this.groups[this.nodeState[node * N.STRIDE + N.GROUP]!]!.add(du, dw, dc, dp, this.sim.now)
  }

  /** A node's count (K.USED…K.PENDING) as last reported, both providers. */
  lastCount(node: number, field: K): number {
    const k = node * 2 * K.STRIDE + field
    return this.keyState[k]! + this.keyState[k + K.STRIDE]!
  }
}
