// What the kernel needs to run: a typed, already-validated description of one simulation. Scenario files
// are decoded into this at the edge (the CLI); code and tests may build it directly.

import type { Ec2CallsSpec } from "../ec2/Ec2Calls.ts"
import type { VpcLimits } from "../ec2/InstanceLimits.ts"
import type { LatencySpec } from "../ec2/Latency.ts"
import type { ConfigMapData } from "../vpc-resource-controller/ConfigMap.ts"

/**
 * Controller behaviour profiles (docs/fidelity.md):
 * - `current`: HEAD (b8d42511, v1.7.19 for this code): SDK v2 error strings, so InsufficientCidrBlocks is
 *   an ordinary failure (ReSync path).
 * - `sdk-v1-icb`: v1.1.8–v1.6.x InsufficientCidrBlocks handling: no ReSync, prefixAvailable false, pods
 *   on an empty pool wait 2 minutes.
 * - `pre-v1.6.0`: secondary-IP pools with a fixed warm pool of 3 and a dead band of 1 (no warm/minimum
 *   targets), plus the v1 InsufficientCidrBlocks handling.
 */
export type Profile = "current" | "sdk-v1-icb" | "pre-v1.6.0"

/** One pod event of a trace, times in ms from the start of the simulation, non-decreasing. */
export interface PodEvent {
  readonly t: number
  readonly type: "create" | "delete"
  /** Pod identity within the trace (namespace/name); "" when the source gives podId (the kernel needs no name). */
  readonly pod: string
  /**
   * Optional: a small integer the source gives the pod instead of making the kernel look its name up. The
   * rules, which the kernel follows itself by name when a source gives none: a create of a pod that is not
   * live gets an id no live pod has; a create or delete of a live pod gets its id; a delete makes the pod
   * not live (its id may be given to a later pod); a delete of a pod that is not live gets -1. A source
   * gives ids to all of its events or to none.
   */
  readonly podId?: number | undefined
  /** Bind to this node (by name) instead of letting the scheduler place the pod. */
  readonly node?: string | undefined
  /** Has `nodeSelector: kubernetes.io/os: windows` (the only thing the webhook looks at). */
  readonly windowsSelector: boolean
  readonly hostNetwork: boolean
}

/**
 * A pull-based stream of pod events, so a trace never has to fit in memory. A source may fill and return
 * the same event object each time (a trace read on a second thread does): a consumer that keeps an event
 * past its next call of next() must copy it. The kernel never does.
 */
export interface TraceSource {
  next(): PodEvent | undefined
  /** Releases what reading holds (a file, a reader thread) when the consumer stops early; optional. */
  close?(): void
}

export interface SubnetSpec {
  readonly id: string
  readonly cidr: string
  readonly usedByOthers?: { readonly count?: number; readonly ranges?: readonly string[] }
  /** Subnet CIDR reservations of type prefix: used first for /28 prefixes, never for single IPs. */
  readonly prefixReservations?: readonly string[]
}

export interface NodeGroupSpec {
  readonly name: string
  readonly instanceType: string
  readonly count: number
  readonly subnet: string
  /** When the first node registers (ms). */
  readonly joinAtMs: number
  /** Gap between successive nodes of the group registering (ms). */
  readonly joinEveryMs: number
  /** When the group's nodes leave (terminated; their addresses return to the subnet), if ever. */
  readonly leaveAtMs?: number | undefined
  /** kubelet max pods (default 110). */
  readonly maxPods: number
}

export interface ConfigMapChange {
  readonly atMs: number
  /** The whole `data` of amazon-vpc-cni after the change; undefined = ConfigMap deleted. */
  readonly data: ConfigMapData
}

export interface SimSpec {
  readonly seed: number
  /** Stop at this time; when absent, stop `drainMs` after the last trace event. */
  readonly durationMs?: number | undefined
  readonly drainMs: number
  readonly controller: {
    /** --enable-windows-prefix-delegation on the controller. */
    readonly prefixDelegationFlag: boolean
    readonly profile: Profile
    readonly ec2: Ec2CallsSpec
    /** Time from a successful AssignPrivateIpAddresses until DescribeNetworkInterfaces shows the addresses. */
    readonly visibility: LatencySpec
  }
  readonly configMap: { readonly data: ConfigMapData; readonly changes: readonly ConfigMapChange[] }
  readonly subnets: readonly SubnetSpec[]
  readonly nodeGroups: readonly NodeGroupSpec[]
  readonly trace: TraceSource
  /** Instance limits for types missing from the bundled table (from an import). */
  readonly extraLimits?: ReadonlyMap<string, VpcLimits>
  /** Timeline sample interval (ms); 0 disables the timeline. */
  readonly timelineEveryMs: number
  /** Check invariants after every event (tests; slow). */
  readonly checkInvariants?: boolean
  /** Wake every node's 30 s loop even when it cannot change anything (reference mode for tests). */
  readonly wakeIdleLoops?: boolean
}
