// A Windows node as the simulation sees it: the instance (primary ENI in a subnet) and, per resource
// provider (secondary-IP and prefix), the controller's ResourceProviderAndPool: the pool, the ENI
// manager's own count of free ENI slots, and isPrevPDEnabled.

import type { VpcLimits } from "./ec2/InstanceLimits.ts"
import type { Subnet } from "./ec2/Subnet.ts"
import type { WarmPool } from "./vpc-resource-controller/warm-pool/WarmPool.ts"

// Enums rather than consts: a bundle writes their values into the code (see Cluster.ts).
export enum Mode {
  SecondaryIp = 0,
  Prefix = 1,
}

export enum NodeStatus {
  /** Not registered yet. */
  Absent = 0,
  /** Registered; the controller's Init job is running (or the node is unmanaged). */
  Registered = 1,
  /** In the node manager and initialised: pods are served. */
  Ready = 2,
  /** Left the cluster; instance terminated. */
  Gone = 3,
}

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

/**
 * The cluster's nodes' counters, N.STRIDE int32 per node at node index × N.STRIDE: what a pod event reads
 * of its node (and the scheduler of every node), two nodes to a cache line, reached by index with no node
 * object on the way. SimNode reads and writes its own through accessors.
 */
export enum N {
  STRIDE = 8,
  STATUS = 0,
  MANAGED = 1,
  ADVERTISED = 2,
  PODS_BOUND = 3,
  REQUESTED = 4,
  MAX_PODS = 5,
  GROUP = 6,
  /** 1 when the instance can hold prefixes (Nitro). */
  NITRO = 7,
}

export const nodeTable = (nodes: number): Int32Array => new Int32Array(Math.max(nodes, 1) * N.STRIDE)

export class SimNode {
  eni = -1
  /** The two providers (pod events reach their pools by key, in PoolMemory, not through these). */
  readonly sip = new ProviderState()
  readonly pd = new ProviderState()
  private readonly at: number

  /** `table` (nodeTable) holds this node's counters at index × N.STRIDE. */
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
    private readonly table: Int32Array,
  ) {
    this.at = index * N.STRIDE
    table.fill(0, this.at, this.at + N.STRIDE)
    table[this.at + N.STATUS] = NodeStatus.Absent
    table[this.at + N.MAX_PODS] = maxPods
    table[this.at + N.GROUP] = group
    table[this.at + N.NITRO] = capacityPrefix !== undefined ? 1 : 0
  }

  get status(): NodeStatus {
    return this.table[this.at + N.STATUS] as NodeStatus
  }
  set status(s: NodeStatus) {
    this.table[this.at + N.STATUS] = s
  }
  /** In the controller's node manager (Windows, IPAM enabled when it was seen). */
  get managed(): boolean {
    return this.table[this.at + N.MANAGED] === 1
  }
  set managed(on: boolean) {
    this.table[this.at + N.MANAGED] = on ? 1 : 0
  }
  /** vpc.amazonaws.com/PrivateIPv4Address in node status; 0 until the controller advertises it. */
  get advertised(): number {
    return this.table[this.at + N.ADVERTISED]!
  }
  set advertised(n: number) {
    this.table[this.at + N.ADVERTISED] = n
  }
  /** Pods bound to the node and not terminated (kubelet max pods). */
  get podsBound(): number {
    return this.table[this.at + N.PODS_BOUND]!
  }
  set podsBound(n: number) {
    this.table[this.at + N.PODS_BOUND] = n
  }
  /** Sum of the extended-resource requests of those pods. */
  get requested(): number {
    return this.table[this.at + N.REQUESTED]!
  }
  set requested(n: number) {
    this.table[this.at + N.REQUESTED] = n
  }

  provider(mode: Mode): ProviderState {
    return mode === Mode.Prefix ? this.pd : this.sip
  }

  get isNitro(): boolean {
    return this.capacityPrefix !== undefined
  }
}
