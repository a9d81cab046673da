// What a run simulated, as the report's `configuration` section (docs/report.md): the ConfigMap and the
// aws-node env with their timed changes (each as the whole data after it), the node groups, subnets, EC2's
// timing, limits and faults, the controller's flag and behaviour profile, and the targets each node group
// really runs with after the controller's (Windows) or ipamd's (Linux) parsing and defaults, per period
// between changes. Built from the scenario's parts exactly as the run builds them.

import { IPAMD_HTTP_TIMEOUT_MS, IPAMD_MAX_ATTEMPTS } from "@ipamsim/core/ec2/Ec2Calls"
import { isNitroInstance, limitsOf, type VpcLimits, windowsCapacity } from "@ipamsim/core/ec2/InstanceLimits"
import { parseCidr } from "@ipamsim/core/ec2/Ipv4"
import { readAwsNodeEnv } from "@ipamsim/core/ipamd/AwsNodeEnv"
import { ipamdSettingsFor } from "@ipamsim/core/ipamd/IpamdController"
import { IpamMode } from "@ipamsim/core/ipamd/IpamdSettings"
import type { SimSpec } from "@ipamsim/core/spec/SimSpec"
import { ControllerConfig } from "@ipamsim/core/vpc-resource-controller/ControllerConfig"
import {
  awsNodeEnv as awsNodeEnvOf,
  buildParts,
  configMapData,
  extraLimits,
  formatPath,
  type Problem,
} from "../scenario/ScenarioParts.ts"
import type { Scenario } from "../scenario/ScenarioSchema.ts"

type Data = Record<string, string>

/** The effective pool settings of a Windows node group from `atMs` on (until the next entry). */
export interface WindowsTargets {
  readonly atMs: number
  /** enable-windows-ipam as the controller reads it: false = the nodes advertise no addresses. */
  readonly ipam: boolean
  /** The pool that serves the nodes: prefix delegation needs the controller flag, the ConfigMap's and Nitro. */
  readonly mode: "secondary-ip" | "prefix"
  readonly warmIpTarget: number
  readonly minimumIpTarget: number
  readonly warmPrefixTarget: number
  /** The pool's DesiredSize and dead band (the pre-v1.6.0 profile's fixed pool of 3, ±1). */
  readonly desiredSize: number
  readonly maxDeviation: number
  /** vpc.amazonaws.com/PrivateIPv4Address each node advertises (0 while IPAM is off). */
  readonly advertisedCapacity: number
}

/** The effective settings of a Linux node group's ipamd from `atMs` on (until the next env change). */
export interface LinuxTargets {
  readonly atMs: number
  /** Prefix delegation falls back to secondary IPs off Nitro. */
  readonly mode: "secondary-ip" | "prefix"
  readonly warmEniTarget: number
  readonly warmIpTarget: number
  readonly minimumIpTarget: number
  readonly warmPrefixTarget: number
  readonly cooldownMs: number
  readonly maxEnis: number
  readonly ipsPerEni: number
  readonly maxPods: number
  readonly customNetworking: boolean
  /** Values ipamd does not take as written (it uses its default instead). */
  readonly envWarnings: readonly string[]
}

export interface ReportConfiguration {
  readonly run: {
    readonly durationMs: number | null
    readonly drainMs: number
    readonly timelineEveryMs: number
  }
  readonly controller: {
    readonly prefixDelegationFlag: boolean
    readonly profile: string
  }
  /** amazon-vpc-cni's data at the start (null: no ConfigMap), and the whole data after each change. */
  readonly configMap: {
    readonly data: Data | null
    readonly changes: ReadonlyArray<{ readonly atMs: number; readonly data: Data | null }>
  }
  /** The aws-node env on Linux nodes and after each rollout (only with Linux node groups). */
  readonly awsNode?: {
    readonly env: Data
    readonly changes: ReadonlyArray<{ readonly atMs: number; readonly env: Data }>
  }
  readonly nodeGroups: ReadonlyArray<{
    readonly name: string
    readonly os: "windows" | "linux"
    readonly instanceType: string
    readonly count: number
    readonly subnet: string
    readonly eniConfigSubnet?: string
    readonly joinAtMs: number
    readonly joinEveryMs: number
    readonly leaveAtMs: number | null
    readonly maxPods: number
  }>
  readonly subnets: ReadonlyArray<{
    readonly id: string
    readonly cidr: string
    readonly size: number
    readonly usedByOthers: { readonly count: number; readonly ranges: readonly string[] }
    readonly prefixReservations: readonly string[]
    /** The kubernetes.io/role/cni tag as ipamd's subnet discovery reads it (null: no tag). */
    readonly cniRole: boolean | null
  }>
  /** EC2 as the controller's calls see it; ipamd's client has its own attempts and timeout. */
  readonly ec2: SimSpec["controller"]["ec2"] & {
    readonly visibility: SimSpec["controller"]["visibility"]
    readonly ipamd?: { readonly maxAttempts: number; readonly httpTimeoutMs: number }
  }
  /** Per node group (in the order of nodeGroups): the settings in force, one entry per period. */
  readonly targets: Readonly<Record<string, ReadonlyArray<WindowsTargets | LinuxTargets>>>
  /** What the scenario's checks warn about (values the controller or ipamd would misread, …). */
  readonly warnings: readonly string[]
}

/** What the configuration is built from: the kernel's input without its trace. */
export type ConfigurationInput = Pick<
  SimSpec,
  "controller" | "configMap" | "subnets" | "nodeGroups" | "awsNode" | "extraLimits" | "durationMs" | "drainMs"
> & { readonly timelineEveryMs: number; readonly warnings?: readonly string[] }

const copy = (d: Readonly<Record<string, string>> | undefined): Data | null => (d === undefined ? null : { ...d })

const windowsTargets = (input: ConfigurationInput, limits: VpcLimits, instanceType: string): WindowsTargets[] => {
  const settings = input.controller
  const config = new ControllerConfig(settings, input.configMap.data)
  const capacity = windowsCapacity(instanceType, input.extraLimits)
  const at = (atMs: number): WindowsTargets => {
    const isPd = config.pdActive() && settings.prefixDelegationFlag && isNitroInstance(limits)
    const c = config.poolConfig(isPd)
    return {
      atMs,
      ipam: config.ipamEnabled,
      mode: isPd ? "prefix" : "secondary-ip",
      warmIpTarget: c.warmIpTarget,
      minimumIpTarget: c.minIpTarget,
      warmPrefixTarget: c.warmPrefixTarget,
      desiredSize: c.desiredSize,
      maxDeviation: c.maxDeviation,
      advertisedCapacity: config.ipamEnabled ? (isPd ? capacity.prefix! : capacity.secondaryIp) : 0,
    }
  }
  const out = [at(0)]
  for (const ch of input.configMap.changes) {
    config.apply(ch.data)
    out.push(at(ch.atMs))
  }
  return out
}

const linuxTargets = (
  input: ConfigurationInput,
  limits: VpcLimits,
  maxPods: number,
  env: Readonly<Record<string, string>>,
): LinuxTargets[] => {
  const at = (atMs: number, e: Readonly<Record<string, string>>): LinuxTargets => {
    const warnings: Array<{ key: string; message: string }> = []
    const config = readAwsNodeEnv(e, warnings)
    const s = ipamdSettingsFor(config, limits, maxPods)
    return {
      atMs,
      mode: s.mode === IpamMode.PD ? "prefix" : "secondary-ip",
      warmEniTarget: s.warmENITarget,
      warmIpTarget: s.warmIPTarget,
      minimumIpTarget: s.minimumIPTarget,
      warmPrefixTarget: s.warmPrefixTarget,
      cooldownMs: s.cooldownMs,
      maxEnis: s.maxENI,
      ipsPerEni: s.maxIPsPerENI,
      maxPods: s.maxPods,
      customNetworking: s.customNetworking === true,
      envWarnings: warnings.map((w) => `${w.key}: ${w.message}`),
    }
  }
  return [at(0, env), ...(input.awsNode?.changes ?? []).map((c) => at(c.atMs, c.env))]
}

const subnetSize = (cidr: string): number => {
  const c = parseCidr(cidr)
  return typeof c === "string" ? 0 : c.size
}

/** The configuration section for the kernel's input. */
export const configurationOf = (input: ConfigurationInput): ReportConfiguration => {
  const linux = input.nodeGroups.some((g) => g.os === "linux")
  const env = input.awsNode?.env ?? {}
  const targets: Record<string, ReadonlyArray<WindowsTargets | LinuxTargets>> = {}
  for (const g of input.nodeGroups) {
    const limits = limitsOf(g.instanceType, input.extraLimits)
    targets[g.name] =
      g.os === "linux" ? linuxTargets(input, limits, g.maxPods, env) : windowsTargets(input, limits, g.instanceType)
  }
  const ec2 = input.controller.ec2
  return {
    run: {
      durationMs: input.durationMs ?? null,
      drainMs: input.drainMs,
      timelineEveryMs: input.timelineEveryMs,
    },
    controller: {
      prefixDelegationFlag: input.controller.prefixDelegationFlag,
      profile: input.controller.profile,
    },
    configMap: {
      data: copy(input.configMap.data),
      changes: input.configMap.changes.map((c) => ({ atMs: c.atMs, data: copy(c.data) })),
    },
    ...(linux
      ? {
          awsNode: {
            env: { ...env },
            changes: (input.awsNode?.changes ?? []).map((c) => ({ atMs: c.atMs, env: { ...c.env } })),
          },
        }
      : {}),
    nodeGroups: input.nodeGroups.map((g) => ({
      name: g.name,
      os: g.os ?? "windows",
      instanceType: g.instanceType,
      count: g.count,
      subnet: g.subnet,
      ...(g.eniConfigSubnet !== undefined ? { eniConfigSubnet: g.eniConfigSubnet } : {}),
      joinAtMs: g.joinAtMs,
      joinEveryMs: g.joinEveryMs,
      leaveAtMs: g.leaveAtMs ?? null,
      maxPods: g.maxPods,
    })),
    subnets: input.subnets.map((s) => ({
      id: s.id,
      cidr: s.cidr,
      size: subnetSize(s.cidr),
      usedByOthers: { count: s.usedByOthers?.count ?? 0, ranges: [...(s.usedByOthers?.ranges ?? [])] },
      prefixReservations: [...(s.prefixReservations ?? [])],
      cniRole: s.cniRole ?? null,
    })),
    ec2: {
      latency: ec2.latency,
      clientLimiter: ec2.clientLimiter,
      accountBuckets: ec2.accountBuckets,
      maxAttempts: ec2.maxAttempts,
      faults: ec2.faults,
      httpTimeoutMs: ec2.httpTimeoutMs,
      visibility: input.controller.visibility,
      ...(linux ? { ipamd: { maxAttempts: IPAMD_MAX_ATTEMPTS, httpTimeoutMs: IPAMD_HTTP_TIMEOUT_MS } } : {}),
    },
    targets,
    warnings: [...(input.warnings ?? [])],
  }
}

/** The timeline's sample interval the run uses (BuildSimSpec's rule). */
const timelineEvery = (given: number | undefined, horizon: number | undefined): number =>
  given ?? (horizon !== undefined ? Math.max(1000, Math.round(horizon / 400)) : 10_000)

/**
 * The configuration section of a scenario: its parts built as the run builds them (trace files are not
 * opened; the scenario was checked before the run, so its problems here are ignored).
 */
export const scenarioConfiguration = (s: Scenario): ReportConfiguration => {
  const problems: Problem[] = []
  const warnings: Problem[] = []
  const parts = buildParts(s, ".", problems, warnings)
  const linux = parts.nodeGroups.some((g) => g.os === "linux")
  return configurationOf({
    controller: {
      prefixDelegationFlag: s.controller?.prefixDelegationFlag ?? true,
      profile: s.controller?.profile ?? "current",
      ec2: parts.ec2,
      visibility: parts.visibility,
    },
    configMap: { data: configMapData(s), changes: parts.changes },
    subnets: parts.subnets,
    nodeGroups: parts.nodeGroups,
    ...(linux ? { awsNode: { env: awsNodeEnvOf(s), changes: parts.envChanges } } : {}),
    extraLimits: extraLimits(s),
    durationMs: parts.durationMs,
    drainMs: parts.drainMs,
    timelineEveryMs: timelineEvery(parts.timelineEveryMs, parts.durationMs),
    warnings: warnings.map((w) => `${formatPath(w.path)}: ${w.message}`),
  })
}
