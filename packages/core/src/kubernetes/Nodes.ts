// The cluster's nodes: each an instance with its primary ENI in a subnet, registered with Kubernetes, and
// the node table that pod events and the scheduler read by node index.

import type { VpcLimits } from "../ec2/InstanceLimits.ts"
import type { Subnet } from "../ec2/Subnet.ts"

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).
export enum NodeStatus {
  /** Not registered yet. */
  Absent = 0,
  /** Registered; its IP address manager is not serving it yet (initialising, or not managing it). */
  Registered = 1,
  /** Its IP address manager serves it: pods get addresses. */
  Ready = 2,
  /** Left the cluster; instance terminated. */
  Gone = 3,
}

/**
 * The cluster's nodes' counters, N.STRIDE int32 per node at node index × N.STRIDE: what a pod event reads
 * of its node (and the scheduler of every node), two nodes to a cache line, reached by index with no node
 * object on the way. SimNode reads and writes its own through accessors. MANAGED and NITRO are the node's
 * IP address manager's, kept on the same line because a pod's reconcile reads them with STATUS.
 */
export enum N {
  STRIDE = 8,
  STATUS = 0,
  /** 1 while its IP address manager manages it (the controller's node manager holds it). */
  MANAGED = 1,
  /** Advertised capacity of the address resource (vpc.amazonaws.com/PrivateIPv4Address). */
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
  /** The instance's primary ENI (SimulatedEc2's id), -1 until it launches. */
  eni = -1
  /** When it registered (its kubelet's status reports count from then). */
  registeredAt = 0
  private readonly at: number

  /** `table` (nodeTable) holds this node's counters at index × N.STRIDE. */
  constructor(
    readonly index: number,
    readonly name: string,
    readonly group: number,
    readonly instanceType: string,
    readonly limits: VpcLimits,
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
  }

  get status(): NodeStatus {
    return this.table[this.at + N.STATUS] as NodeStatus
  }
  set status(s: NodeStatus) {
    this.table[this.at + N.STATUS] = s
  }
  /** Managed by its IP address manager. */
  get managed(): boolean {
    return this.table[this.at + N.MANAGED] === 1
  }
  set managed(on: boolean) {
    this.table[this.at + N.MANAGED] = on ? 1 : 0
  }
  /** vpc.amazonaws.com/PrivateIPv4Address in node status; 0 until its manager advertises it. */
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
  set nitro(on: boolean) {
    this.table[this.at + N.NITRO] = on ? 1 : 0
  }
}
