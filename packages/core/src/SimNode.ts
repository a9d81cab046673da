// A Windows node as the simulation sees it: the instance (primary ENI in a subnet) and, per resource
// provider (secondary-IP and prefix), the controller's ResourceProviderAndPool: the pool, the ENI
// manager's own count of free ENI slots, and isPrevPDEnabled.

import type { VpcLimits } from "./InstanceLimits.ts"
import type { Subnet } from "./Subnet.ts"
import type { WarmPool } from "./WarmPool.ts"

export const Mode = { SecondaryIp: 0, Prefix: 1 } as const
export type Mode = (typeof Mode)[keyof typeof Mode]

export const NodeStatus = {
  /** Not registered yet. */
  Absent: 0,
  /** Registered; the controller's Init job is running (or the node is unmanaged). */
  Registered: 1,
  /** In the node manager and initialised: pods are served. */
  Ready: 2,
  /** Left the cluster; instance terminated. */
  Gone: 3,
} as const
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus]

export class ProviderState {
  pool: WarmPool | undefined = undefined
  /** ENI manager's remainingCapacity for the primary ENI (its own bookkeeping, refreshed at init and ReSync). */
  eniRemaining = 0
  isPrevPdEnabled = false
  /** The ENI manager's mutex: jobs of one node and provider run one at a time. */
  locked = false
  readonly lockWaiters: number[] = []
  /** Whether this provider's 30 s ProcessDeleteQueue loop is scheduled. */
  loopActive = false
  // Its loop's token (bumped for every new loop event, so that only the latest counts), its pool's counts
  // as last reported and its skipped loop's times are in Cluster.keyState, one line per provider.
}

export class SimNode {
  status: NodeStatus = NodeStatus.Absent
  /** In the controller's node manager (Windows, IPAM enabled when it was seen). */
  managed = false
  eni = -1
  /** vpc.amazonaws.com/PrivateIPv4Address in node status; 0 until the controller advertises it. */
  advertised = 0
  /** Pods bound to the node and not terminated (kubelet max pods). */
  podsBound = 0
  /** Sum of the extended-resource requests of those pods. */
  requested = 0
  /** The two providers as fields, not an array: a pod event reaches its pool with two fewer dependent loads. */
  readonly sip = new ProviderState()
  readonly pd = new ProviderState()

  constructor(
    readonly index: number,
    readonly name: string,
    readonly group: number,
    readonly instanceType: string,
    readonly limits: VpcLimits,
    readonly capacitySecondaryIp: number,
    readonly capacityPrefix: number | undefined,
    readonly subnet: Subnet,
    readonly subnetIndex: number,
    readonly maxPods: number,
  ) {}

  provider(mode: Mode): ProviderState {
    return mode === Mode.Prefix ? this.pd : this.sip
  }

  get isNitro(): boolean {
    return this.capacityPrefix !== undefined
  }
}
