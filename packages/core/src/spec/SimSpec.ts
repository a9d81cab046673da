// What the kernel needs to run: a typed, already-validated description of one simulation. Scenario files
// are decoded into this at the edge (the CLI); code and tests may build it directly.

import type { VpcLimits } from "../ec2/InstanceLimits.ts"
import type { ConfigMapData } from "../vpc-resource-controller/ConfigMap.ts"
import type { ConfigMapChange, ControllerSettings } from "../vpc-resource-controller/ControllerSettings.ts"
import type { TraceSource } from "../workload/PodEvent.ts"

export type { ConfigMapChange, ControllerSettings, Profile } from "../vpc-resource-controller/ControllerSettings.ts"
export type { PodEvent, TraceSource } from "../workload/PodEvent.ts"

export interface SubnetSpec {
  readonly id: string
  readonly cidr: string
  readonly usedByOthers?: { readonly count?: number; readonly ranges?: readonly string[] }
  /** Subnet CIDR reservations of type prefix: used first for /28 prefixes, never for single IPs. */
  readonly prefixReservations?: readonly string[]
  /** Its `kubernetes.io/role/cni` tag for ipamd's subnet discovery: true = "1" (or any value but "0"), false = "0". */
  readonly cniRole?: boolean
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
  /** kubelet max pods (default 110 on Windows; on Linux eni-max-pods.txt's value). */
  readonly maxPods: number
  /** The nodes' OS (default windows): Windows nodes are the VPC Resource Controller's, Linux nodes ipamd's. */
  readonly os?: "windows" | "linux"
  /** Linux, custom networking: the ENIConfig's subnet, where ipamd puts the nodes' new ENIs. */
  readonly eniConfigSubnet?: string | undefined
}

export interface SimSpec {
  readonly seed: number
  /** Stop at this time; when absent, stop `drainMs` after the last trace event. */
  readonly durationMs?: number | undefined
  readonly drainMs: number
  readonly controller: ControllerSettings
  readonly configMap: { readonly data: ConfigMapData; readonly changes: readonly ConfigMapChange[] }
  readonly subnets: readonly SubnetSpec[]
  readonly nodeGroups: readonly NodeGroupSpec[]
  readonly trace: TraceSource
  /** The aws-node DaemonSet's environment on the Linux nodes (strings, as kubectl prints them). */
  readonly awsNode?: {
    readonly env: Readonly<Record<string, string>>
    /** Timed changes: the whole env after each (the DaemonSet rolls out; every node's ipamd restarts). */
    readonly changes?: ReadonlyArray<{ readonly atMs: number; readonly env: Readonly<Record<string, string>> }>
  }
  /** Instance limits for types missing from the bundled table (from an import). */
  readonly extraLimits?: ReadonlyMap<string, VpcLimits>
  /** Timeline sample interval (ms); 0 disables the timeline. */
  readonly timelineEveryMs: number
  /** Check invariants after every event (tests; slow). */
  readonly checkInvariants?: boolean
  /** Wake every node's 30 s loop even when it cannot change anything (reference mode for tests). */
  readonly wakeIdleLoops?: boolean
}
