// Building a SimSpec in code with the documented defaults filled in: for tests, for the testing package,
// and for users who drive the kernel from TypeScript instead of a scenario file.

import type { Ec2CallsSpec } from "../ec2/Ec2Calls.ts"
import { limitsOf } from "../ec2/InstanceLimits.ts"
import type { LatencySpec } from "../ec2/Latency.ts"
import { SHIPPED_AWS_NODE_ENV } from "../ipamd/AwsNodeEnv.ts"
import { linuxMaxPods } from "../ipamd/MaxPods.ts"
import { DEFAULT_DRAIN_MS, DEFAULT_MAX_PODS, DEFAULT_VISIBILITY, defaultEc2CallsSpec } from "./Defaults.ts"
import type { ConfigMapChange, NodeGroupSpec, PodEvent, Profile, SimSpec, SubnetSpec, TraceSource } from "./SimSpec.ts"

/** A trace from an in-memory list (sorted by time here, stable). */
export const arrayTrace = (events: readonly PodEvent[]): TraceSource => {
  const sorted = events.map((e, i) => [e, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1])
  let k = 0
  return { next: () => sorted[k++]?.[0] }
}

/** Pod events with the Windows nodeSelector (the common case). */
export const createPod = (t: number, pod: string, node?: string): PodEvent => ({
  t,
  type: "create",
  pod,
  windowsSelector: true,
  hostNetwork: false,
  ...(node !== undefined ? { node } : {}),
})
export const deletePod = (t: number, pod: string): PodEvent => ({
  t,
  type: "delete",
  pod,
  windowsSelector: true,
  hostNetwork: false,
})

/** Pod events of a Linux pod (no Windows nodeSelector). */
export const createLinuxPod = (t: number, pod: string, hostNetwork = false): PodEvent => ({
  t,
  type: "create",
  pod,
  windowsSelector: false,
  hostNetwork,
})
export const deleteLinuxPod = (t: number, pod: string): PodEvent => ({
  t,
  type: "delete",
  pod,
  windowsSelector: false,
  hostNetwork: false,
})

export interface SpecInput {
  readonly seed?: number
  readonly durationMs?: number
  readonly drainMs?: number
  readonly prefixDelegationFlag?: boolean
  readonly profile?: Profile
  readonly ec2?: Partial<Ec2CallsSpec>
  readonly visibility?: LatencySpec
  readonly configMap?: Readonly<Record<string, string>> | undefined
  readonly configMapChanges?: readonly ConfigMapChange[]
  readonly subnets?: readonly SubnetSpec[]
  readonly nodeGroups: ReadonlyArray<Partial<NodeGroupSpec> & { readonly instanceType: string }>
  readonly trace: TraceSource | readonly PodEvent[]
  readonly timelineEveryMs?: number
  readonly checkInvariants?: boolean
  readonly wakeIdleLoops?: boolean
  /** The aws-node env of the Linux nodes (default: the shipped manifest's). */
  readonly awsNodeEnv?: Readonly<Record<string, string>>
  readonly awsNodeEnvChanges?: ReadonlyArray<{ readonly atMs: number; readonly env: Readonly<Record<string, string>> }>
}

/** EC2 with every latency fixed: timings in tests become exact. */
export const fixedEc2 = (ms: number): Partial<Ec2CallsSpec> => ({
  latency: {
    AssignPrivateIpAddresses: { fixed: ms },
    UnassignPrivateIpAddresses: { fixed: ms },
    DescribeNetworkInterfaces: { fixed: ms },
    DescribeInstances: { fixed: ms },
    DescribeSubnets: { fixed: ms },
  },
})

export const simSpec = (input: SpecInput): SimSpec => {
  const subnets = input.subnets ?? [{ id: "subnet-a", cidr: "10.0.0.0/20" }]
  return {
    seed: input.seed ?? 1,
    durationMs: input.durationMs,
    drainMs: input.drainMs ?? DEFAULT_DRAIN_MS,
    controller: {
      prefixDelegationFlag: input.prefixDelegationFlag ?? true,
      profile: input.profile ?? "current",
      ec2: { ...defaultEc2CallsSpec(), ...input.ec2 },
      visibility: input.visibility ?? DEFAULT_VISIBILITY,
    },
    configMap: {
      data: "configMap" in input ? input.configMap : { "enable-windows-ipam": "true" },
      changes: input.configMapChanges ?? [],
    },
    subnets,
    nodeGroups: input.nodeGroups.map((g, i) => ({
      name: g.name ?? `group${i}`,
      instanceType: g.instanceType,
      count: g.count ?? 1,
      subnet: g.subnet ?? subnets[0]!.id,
      joinAtMs: g.joinAtMs ?? 0,
      joinEveryMs: g.joinEveryMs ?? 0,
      leaveAtMs: g.leaveAtMs,
      maxPods:
        g.maxPods ??
        (g.os === "linux"
          ? linuxMaxPods(g.instanceType, limitsOf(g.instanceType), g.eniConfigSubnet !== undefined)
          : DEFAULT_MAX_PODS),
      ...(g.os !== undefined ? { os: g.os } : {}),
      ...(g.eniConfigSubnet !== undefined ? { eniConfigSubnet: g.eniConfigSubnet } : {}),
    })),
    ...(input.nodeGroups.some((g) => g.os === "linux")
      ? { awsNode: { env: input.awsNodeEnv ?? SHIPPED_AWS_NODE_ENV, changes: input.awsNodeEnvChanges ?? [] } }
      : {}),
    trace: "next" in input.trace ? input.trace : arrayTrace(input.trace),
    timelineEveryMs: input.timelineEveryMs ?? 0,
    ...(input.checkInvariants ? { checkInvariants: true } : {}),
    ...(input.wakeIdleLoops ? { wakeIdleLoops: true } : {}),
  }
}
