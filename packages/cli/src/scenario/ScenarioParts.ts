// A decoded scenario checked for what a schema cannot (known instance types, subnet references, CIDRs,
// trace files, durations, the tune section) and, in the same pass, turned into the kernel's parts: subnets,
// node groups, EC2 call timing, ConfigMap changes, generators. Each problem names the field it belongs to.

import { statSync } from "node:fs"
import { resolve } from "node:path"
import { EC2_ACTIONS } from "@ipamsim/core/ec2/Ec2"
import type { Ec2CallsSpec, FaultSpec } from "@ipamsim/core/ec2/Ec2Calls"
import { limitsOf, UnknownInstanceTypeError, type VpcLimits } from "@ipamsim/core/ec2/InstanceLimits"
import { type Cidr, parseCidr } from "@ipamsim/core/ec2/Ipv4"
import { checkLatency, type LatencySpec } from "@ipamsim/core/ec2/Latency"
import { Subnet } from "@ipamsim/core/ec2/Subnet"
import { readAwsNodeEnv } from "@ipamsim/core/ipamd/AwsNodeEnv"
import { linuxMaxPods } from "@ipamsim/core/ipamd/MaxPods"
import { Rng } from "@ipamsim/core/kernel/Rng"
import {
  DEFAULT_DRAIN_MS,
  DEFAULT_MAX_PODS,
  DEFAULT_VISIBILITY,
  defaultEc2CallsSpec,
} from "@ipamsim/core/spec/Defaults"
import type { ConfigMapChange, NodeGroupSpec, SubnetSpec } from "@ipamsim/core/spec/SimSpec"
import { type ConfigMapData, Keys } from "@ipamsim/core/vpc-resource-controller/ConfigMap"
import { type GeneratorSpec, generatorSource } from "@ipamsim/core/workload/TraceGenerators"
import { countText, generatorLimits, MAX_NODES, MAX_PODS_PER_NODE, MAX_TIMELINE_SAMPLES } from "../Limits.ts"
import { tuneSectionProblems } from "../tune/TunePlan.ts"
import { awsNodeEnv, awsNodeEnvChanges } from "./AwsNodeParts.ts"
import { formatDuration } from "./Duration.ts"
import { formatPath, ms, type Path, type Problem } from "./Problem.ts"
import type { GeneratorInput, LatencyInput, Scenario } from "./ScenarioSchema.ts"
import { awsNodeEnvWarnings, configMapWarnings } from "./ScenarioWarnings.ts"

export type { Path, Problem }
export { awsNodeEnv, formatPath, ms }

const latency = (l: LatencyInput, path: Path, problems: Problem[]): LatencySpec => {
  let spec: LatencySpec
  if ("fixed" in l) spec = { fixed: ms(l.fixed, [...path, "fixed"], problems) }
  else if ("uniform" in l)
    spec = {
      uniform: {
        min: ms(l.uniform.min, [...path, "uniform", "min"], problems),
        max: ms(l.uniform.max, [...path, "uniform", "max"], problems),
      },
    }
  else
    spec = {
      lognormal: {
        median: ms(l.lognormal.median, [...path, "lognormal", "median"], problems),
        p99: ms(l.lognormal.p99, [...path, "lognormal", "p99"], problems),
      },
    }
  const why = checkLatency(spec)
  if (why !== undefined) problems.push({ path, message: why })
  return spec
}

/**
 * Semantic checks, returning problems (the scenario cannot run) and warnings (it runs, but something in it
 * has no effect or is read differently from what was probably meant) with the path they belong to.
 */
export const checkScenario = (s: Scenario, dir: string): { problems: Problem[]; warnings: Problem[] } => {
  const problems: Problem[] = []
  const warnings: Problem[] = []
  buildParts(s, dir, problems, warnings)
  return { problems, warnings }
}

interface Parts {
  readonly envChanges: Array<{ atMs: number; env: Record<string, string> }>
  readonly subnets: SubnetSpec[]
  readonly nodeGroups: NodeGroupSpec[]
  readonly ec2: Ec2CallsSpec
  readonly visibility: LatencySpec
  readonly changes: ConfigMapChange[]
  readonly generators: GeneratorSpec[]
  readonly durationMs: number | undefined
  readonly drainMs: number
  readonly timelineEveryMs: number | undefined
}

/** The parts of a scenario; `problems` and `warnings` receive what is wrong with it. */
export const buildParts = (s: Scenario, dir: string, problems: Problem[], warnings: Problem[] = []): Parts => {
  const known = problems.length
  const durationMs = s.duration === undefined ? undefined : ms(s.duration, ["duration"], problems)
  if (durationMs === 0 && problems.length === known)
    problems.push({ path: ["duration"], message: "expected a duration above 0 (a run of 0 ms simulates nothing)" })
  /** A time after the end of the run: whatever happens then never takes effect. */
  const afterEnd = (at: number, path: Path, what: string): void => {
    if (durationMs !== undefined && durationMs > 0 && at > durationMs)
      warnings.push({
        path,
        message: `${formatDuration(at)} is after the end of the run (duration ${formatDuration(durationMs)}): ${what}`,
      })
  }
  const subnetIds = new Set<string>()
  const cidrs: Array<{ cidr: Cidr; index: number; text: string }> = []
  const subnets: SubnetSpec[] = s.subnets.map((sub, i) => {
    const path = ["subnets", i]
    if (subnetIds.has(sub.id)) problems.push({ path: [...path, "id"], message: `duplicate subnet id "${sub.id}"` })
    subnetIds.add(sub.id)
    if (sub.cidr.includes(":")) {
      problems.push({
        path: [...path, "cidr"],
        message: `IPv6 subnet "${sub.cidr}": Windows nodes on EKS support IPv4 only (the controller's Windows IPAM hands out IPv4 addresses)`,
      })
      return { id: sub.id, cidr: sub.cidr }
    }
    const cidr = parseCidr(sub.cidr)
    if (typeof cidr === "string") {
      problems.push({ path: [...path, "cidr"], message: cidr })
      return { id: sub.id, cidr: sub.cidr }
    }
    cidrs.push({ cidr, index: i, text: sub.cidr })
    const spec: SubnetSpec = {
      id: sub.id,
      cidr: sub.cidr,
      ...(sub.usedByOthers !== undefined ? { usedByOthers: sub.usedByOthers } : {}),
      ...(sub.prefixReservations !== undefined ? { prefixReservations: sub.prefixReservations } : {}),
      ...(sub.tags?.[CNI_ROLE_TAG] !== undefined ? { cniRole: sub.tags[CNI_ROLE_TAG] !== "0" } : {}),
    }
    // Building the subnet checks ranges, reservations and counts exactly as the run will.
    try {
      const ranges = (sub.usedByOthers?.ranges ?? []).map((r, k) => {
        const c = parseCidr(r)
        if (typeof c === "string") throw new PathError(["usedByOthers", "ranges", k], c)
        return c
      })
      const reservations = (sub.prefixReservations ?? []).map((r, k) => {
        const c = parseCidr(r)
        if (typeof c === "string") throw new PathError(["prefixReservations", k], c)
        return c
      })
      new Subnet({
        id: sub.id,
        cidr,
        rng: new Rng(1),
        usedByOthers: { count: sub.usedByOthers?.count ?? 0, ranges },
        prefixReservations: reservations,
      })
    } catch (e) {
      if (e instanceof PathError) problems.push({ path: [...path, ...e.path], message: e.message })
      else problems.push({ path, message: (e as Error).message })
    }
    return spec
  })
  // Subnets of a VPC never overlap (EC2 refuses to create one that would): in time order of their starts,
  // each must begin after every earlier one ends.
  const byStart = [...cidrs].sort((a, b) => a.cidr.base - b.cidr.base || a.index - b.index)
  let reach: (typeof cidrs)[number] | undefined
  for (const c of byStart) {
    if (reach !== undefined && c.cidr.base < reach.cidr.base + reach.cidr.size) {
      const [first, second] = reach.index < c.index ? [reach, c] : [c, reach]
      problems.push({
        path: ["subnets", second.index, "cidr"],
        message: `${second.text} overlaps subnets[${first.index}] (${first.text}): subnets of a VPC do not overlap`,
      })
    }
    if (reach === undefined || c.cidr.base + c.cidr.size > reach.cidr.base + reach.cidr.size) reach = c
  }

  const groupNames = new Set<string>()
  let totalNodes = 0
  const nodeGroups: NodeGroupSpec[] = s.nodeGroups.map((g, i) => {
    const path = ["nodeGroups", i]
    if (groupNames.has(g.name))
      problems.push({ path: [...path, "name"], message: `duplicate node group name "${g.name}"` })
    groupNames.add(g.name)
    try {
      limitsOf(g.instanceType, extraLimits(s))
    } catch (e) {
      if (!(e instanceof UnknownInstanceTypeError)) throw e
      problems.push({ path: [...path, "instanceType"], message: e.message })
    }
    const known = (): string => [...subnetIds].map((x) => `"${x}"`).join(", ") || "none"
    if (!subnetIds.has(g.subnet))
      problems.push({ path: [...path, "subnet"], message: `no subnet with id "${g.subnet}" (known: ${known()})` })
    const linux = g.os === "linux"
    if (g.eniConfigSubnet !== undefined && !linux)
      problems.push({
        path: [...path, "eniConfigSubnet"],
        message: "custom networking (an ENIConfig subnet) is for Linux node groups (os: linux)",
      })
    else if (g.eniConfigSubnet !== undefined && !subnetIds.has(g.eniConfigSubnet))
      problems.push({
        path: [...path, "eniConfigSubnet"],
        message: `no subnet with id "${g.eniConfigSubnet}" (known: ${known()})`,
      })
    const leave = g.leaveAt === undefined ? undefined : ms(g.leaveAt, [...path, "leaveAt"], problems)
    const joinAtMs = g.joinAt === undefined ? 0 : ms(g.joinAt, [...path, "joinAt"], problems)
    const joinEveryMs = g.joinEvery === undefined ? 0 : ms(g.joinEvery, [...path, "joinEvery"], problems)
    if (g.count > MAX_NODES)
      problems.push({
        path: [...path, "count"],
        message: `${countText(g.count)} nodes is over the limit of ${countText(MAX_NODES)} nodes in a scenario`,
      })
    else if (totalNodes <= MAX_NODES && totalNodes + g.count > MAX_NODES)
      problems.push({
        path: [...path, "count"],
        message: `the node groups so far have ${countText(totalNodes + g.count)} nodes, over the limit of ${countText(MAX_NODES)} nodes in a scenario`,
      })
    totalNodes += g.count
    if (g.maxPods !== undefined && g.maxPods > MAX_PODS_PER_NODE)
      problems.push({
        path: [...path, "maxPods"],
        message: `${countText(g.maxPods)} is over the limit of ${countText(MAX_PODS_PER_NODE)} pods per node`,
      })
    if (leave !== undefined && leave <= joinAtMs && g.count > 0)
      problems.push({
        path: [...path, "leaveAt"],
        message: `expected a time after joinAt (${formatDuration(joinAtMs)}), got ${formatDuration(leave)}: the group would leave before it joins`,
      })
    else if (leave !== undefined && g.count > 1 && joinAtMs + (g.count - 1) * joinEveryMs >= leave) {
      const joined = Math.ceil((leave - joinAtMs) / Math.max(joinEveryMs, 1))
      warnings.push({
        path: [...path, "leaveAt"],
        message: `only ${joined} of the group's ${g.count} nodes join before it leaves at ${formatDuration(leave)} (one every ${formatDuration(joinEveryMs)} from ${formatDuration(joinAtMs)})`,
      })
    }
    if (g.count > 0) afterEnd(joinAtMs, [...path, "joinAt"], "the group's nodes never join")
    return {
      name: g.name,
      instanceType: g.instanceType,
      count: g.count,
      subnet: g.subnet,
      joinAtMs,
      joinEveryMs,
      leaveAtMs: leave,
      maxPods:
        g.maxPods ??
        (linux ? linuxDefaultMaxPods(g.instanceType, g.eniConfigSubnet !== undefined, s) : DEFAULT_MAX_PODS),
      ...(linux ? { os: "linux" as const } : {}),
      ...(g.eniConfigSubnet !== undefined ? { eniConfigSubnet: g.eniConfigSubnet } : {}),
    }
  })

  if (totalNodes === 0)
    warnings.push({
      path: ["nodeGroups"],
      message: "no nodes: every pod stays pending (give a node group a count above 0)",
    })

  const envChanges = awsNodeEnvChanges(s, problems)
  envChanges.forEach((c, i) => {
    afterEnd(c.atMs, ["awsNode", "changes", i, "at"], "the change never applies")
  })
  warnings.push(
    ...awsNodeEnvWarnings(
      s,
      nodeGroups.some((g) => g.os === "linux"),
    ),
  )
  // ipamd reads ENIConfigs only with custom networking on, and needs one for every node with it on.
  const customOn = readAwsNodeEnv(awsNodeEnv(s)).customNetworking
  nodeGroups.forEach((g, i) => {
    if (g.os !== "linux") return
    if (g.eniConfigSubnet !== undefined && !customOn)
      problems.push({
        path: ["nodeGroups", i, "eniConfigSubnet"],
        message:
          'ipamd reads the ENIConfig only with custom networking on: set AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true" in awsNode.env',
      })
    if (g.eniConfigSubnet === undefined && customOn)
      problems.push({
        path: ["nodeGroups", i],
        message:
          "custom networking is on (awsNode.env): a Linux node group needs its ENIConfig subnet (eniConfigSubnet)",
      })
  })
  if (envChanges.length > 0 && !nodeGroups.some((g) => g.os === "linux"))
    problems.push({ path: ["awsNode", "changes"], message: "aws-node env changes need Linux node groups (os: linux)" })

  const base = defaultEc2CallsSpec()
  const e = s.controller?.ec2
  const lat = { ...base.latency }
  for (const a of EC2_ACTIONS) {
    const l = e?.latency?.[a]
    if (l !== undefined) lat[a] = latency(l, ["controller", "ec2", "latency", a], problems)
  }
  const buckets = { ...base.accountBuckets }
  for (const a of EC2_ACTIONS) {
    const b = e?.accountBuckets?.[a]
    if (b !== undefined) buckets[a] = b
  }
  const faults: FaultSpec[] = (e?.faults ?? []).map((f, i) => {
    const path = ["controller", "ec2", "faults", i]
    if (f.rate === undefined && f.from === undefined && f.until === undefined)
      problems.push({ path, message: "a fault needs a rate, a time window (from/until), or both" })
    return {
      action: f.action,
      error: f.error,
      ...(f.rate !== undefined ? { rate: f.rate } : {}),
      ...(f.from !== undefined ? { fromMs: ms(f.from, [...path, "from"], problems) } : {}),
      ...(f.until !== undefined ? { untilMs: ms(f.until, [...path, "until"], problems) } : {}),
    }
  })
  const ec2: Ec2CallsSpec = {
    latency: lat,
    clientLimiter: e?.clientLimiter ?? base.clientLimiter,
    accountBuckets: buckets,
    maxAttempts: e?.maxAttempts ?? base.maxAttempts,
    faults,
    httpTimeoutMs:
      e?.httpTimeout === undefined
        ? base.httpTimeoutMs
        : ms(e.httpTimeout, ["controller", "ec2", "httpTimeout"], problems),
  }
  const visibility =
    e?.visibility === undefined
      ? DEFAULT_VISIBILITY
      : latency(e.visibility, ["controller", "ec2", "visibility"], problems)

  let data: ConfigMapData = configMapData(s)
  let lastAt = 0
  const changes: ConfigMapChange[] = (s.configMap?.changes ?? []).map((c, i) => {
    const path = ["configMap", "changes", i]
    const at = ms(c.at, [...path, "at"], problems)
    if (at < lastAt)
      problems.push({
        path: [...path, "at"],
        message: `changes must be in time order (${at} ms is before ${lastAt} ms)`,
      })
    lastAt = at
    if (c.data !== undefined && (c.set !== undefined || c.remove !== undefined))
      problems.push({ path, message: "give either data (replace) or set/remove (patch), not both" })
    if (c.data === undefined && c.set === undefined && c.remove === undefined)
      problems.push({ path, message: "a change needs data, set or remove" })
    if (c.data !== undefined) data = c.data === null ? undefined : { ...c.data }
    else {
      const next: Record<string, string> = { ...(data ?? {}), ...(c.set ?? {}) }
      for (const k of c.remove ?? []) delete next[k]
      data = next
    }
    afterEnd(at, [...path, "at"], "the change never applies")
    return { atMs: at, data }
  })
  warnings.push(...configMapWarnings(s))

  for (const p of s.tune === undefined ? [] : tuneSectionProblems(s.tune))
    problems.push({ path: ["tune", p.field], message: p.message })

  const traces = s.workload.traces ?? []
  traces.forEach((t, i) => {
    const st = statSync(resolve(dir, t.file), { throwIfNoEntry: false })
    if (st === undefined)
      problems.push({
        path: ["workload", "traces", i, "file"],
        message: `trace file not found: ${resolve(dir, t.file)}`,
      })
    else if (st.isDirectory())
      problems.push({
        path: ["workload", "traces", i, "file"],
        message: `${resolve(dir, t.file)} is a directory, expected a trace file`,
      })
    if (t.offset !== undefined) ms(t.offset, ["workload", "traces", i, "offset"], problems)
  })
  const generators = (s.workload.generators ?? []).map((g, i) => {
    const path = ["workload", "generators", i]
    const known = problems.length
    const spec = generatorSpec(g, path, problems)
    // Fields that did not parse are reported already; the generator's own checks would repeat them.
    if (problems.length === known) generatorProblems(spec, i, path, problems)
    if (spec.kind === "rollout") afterEnd(spec.atMs, [...path, "at"], "the rollout never starts")
    else if (spec.startMs !== undefined) afterEnd(spec.startMs, [...path, "start"], "the generator creates no pod")
    return spec
  })
  if (s.duration === undefined)
    generators.forEach((g, i) => {
      if (g.kind !== "rollout" && g.endMs === undefined)
        problems.push({
          path: ["workload", "generators", i],
          message: "this generator never stops: give it an end, or give the scenario a duration",
        })
    })
  if (traces.length === 0 && generators.length === 0)
    problems.push({ path: ["workload"], message: "a workload needs at least one trace file or generator" })

  const beforeTimeline = problems.length
  const timelineEveryMs = s.timelineEvery === undefined ? undefined : ms(s.timelineEvery, ["timelineEvery"], problems)
  if (timelineEveryMs === 0 && problems.length === beforeTimeline)
    problems.push({ path: ["timelineEvery"], message: "expected an interval above 0 between timeline samples" })
  else if (
    timelineEveryMs !== undefined &&
    durationMs !== undefined &&
    durationMs / timelineEveryMs > MAX_TIMELINE_SAMPLES
  )
    problems.push({
      path: ["timelineEvery"],
      message: `${formatDuration(timelineEveryMs)} over a run of ${formatDuration(durationMs)} is ${countText(Math.ceil(durationMs / timelineEveryMs))} samples, over the limit of ${countText(MAX_TIMELINE_SAMPLES)} timeline samples`,
    })

  return {
    envChanges,
    subnets,
    nodeGroups,
    ec2,
    visibility,
    changes,
    generators,
    durationMs,
    drainMs: s.drain === undefined ? DEFAULT_DRAIN_MS : ms(s.drain, ["drain"], problems),
    timelineEveryMs,
  }
}

/** Fields of a GeneratorSpec as the scenario spells them, for the generator's own messages. */
const SCENARIO_FIELD: Readonly<Record<string, string>> = {
  startMs: "start",
  endMs: "end",
  periodMs: "period",
  peakAtMs: "peakAt",
  everyMs: "every",
  runMs: "run",
  atMs: "at",
  stepEveryMs: "stepEvery",
  spreadMs: "spread",
}

/** The generator's own checks (a zero period, end before start, ...) and the size limits, at its path. */
const generatorProblems = (spec: GeneratorSpec, index: number, path: Path, problems: Problem[]): void => {
  const known = problems.length
  for (const l of generatorLimits(spec)) problems.push({ path: [...path, l.field], message: l.message })
  // Past a limit the generator is not even built.
  if (problems.length > known) return
  try {
    generatorSource(spec, 1, index)
  } catch (e) {
    const m = /^generator \d+ \([a-z]+\): ([A-Za-z]+)(?:\.([A-Za-z.]+))?: (.*)$/s.exec((e as Error).message)
    if (m === null) problems.push({ path, message: (e as Error).message })
    else {
      const field = SCENARIO_FIELD[m[1]!] ?? m[1]!
      problems.push({ path: [...path, field, ...(m[2] === undefined ? [] : m[2].split("."))], message: m[3]! })
    }
  }
}

class PathError extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message)
  }
}

/** The subnet tag ipamd's subnet discovery reads. */
const CNI_ROLE_TAG = "kubernetes.io/role/cni"

/** A Linux node group's max pods when the scenario gives none (an unknown type is reported elsewhere). */
const linuxDefaultMaxPods = (instanceType: string, customNetworking: boolean, s: Scenario): number => {
  try {
    return linuxMaxPods(instanceType, limitsOf(instanceType, extraLimits(s)), customNetworking)
  } catch {
    return DEFAULT_MAX_PODS
  }
}

/** Instance limits the scenario adds for types missing from the bundled table. */
export const extraLimits = (s: Scenario): ReadonlyMap<string, VpcLimits> =>
  new Map(Object.entries(s.instanceLimits ?? {}))

/** The ConfigMap's data at the start of a run. */
export const configMapData = (s: Scenario): ConfigMapData => {
  const d = s.configMap?.data
  // No configMap section: the ConfigMap most clusters have, Windows IPAM enabled and nothing else.
  if (s.configMap === undefined || d === undefined) return { [Keys.enableWindowsIpam]: "true" }
  return d === null ? undefined : { ...d }
}

const generatorSpec = (g: GeneratorInput, path: Path, problems: Problem[]): GeneratorSpec => {
  const opt = (v: number | string | undefined, key: string): number | undefined =>
    v === undefined ? undefined : ms(v, [...path, key], problems)
  const life = (l: LatencyInput | "forever", key: string): LatencySpec | "forever" =>
    l === "forever" ? "forever" : latency(l, [...path, key], problems)
  const shape = {
    ...(g.namePrefix !== undefined ? { namePrefix: g.namePrefix } : {}),
    ...(g.windowsSelector !== undefined ? { windowsSelector: g.windowsSelector } : {}),
    ...(g.os !== undefined ? { windowsSelector: g.os === "windows" } : {}),
    ...(g.hostNetwork !== undefined ? { hostNetwork: g.hostNetwork } : {}),
  }
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
  switch (g.kind) {
    case "poisson":
      return defined({
        kind: "poisson",
        ratePerSecond: g.ratePerSecond,
        startMs: opt(g.start, "start"),
        endMs: opt(g.end, "end"),
        lifetime: life(g.lifetime, "lifetime"),
        node: g.node,
        ...shape,
      }) as GeneratorSpec
    case "diurnal":
      return defined({
        kind: "diurnal",
        meanPerSecond: g.meanPerSecond,
        amplitude: g.amplitude,
        periodMs: opt(g.period, "period"),
        peakAtMs: opt(g.peakAt, "peakAt"),
        startMs: opt(g.start, "start"),
        endMs: opt(g.end, "end"),
        lifetime: life(g.lifetime, "lifetime"),
        ...shape,
      }) as GeneratorSpec
    case "rollout":
      return defined({
        kind: "rollout",
        atMs: ms(g.at, [...path, "at"], problems),
        replicas: g.replicas,
        mode: g.mode,
        maxSurge: g.maxSurge,
        stepEveryMs: opt(g.stepEvery, "stepEvery"),
        spreadMs: opt(g.spread, "spread"),
        ...shape,
        namePrefix: g.namePrefix ?? `rollout-${String(path[2])}`,
      }) as GeneratorSpec
    case "cronjob":
      return defined({
        kind: "cronjob",
        everyMs: ms(g.every, [...path, "every"], problems),
        startMs: opt(g.start, "start"),
        endMs: opt(g.end, "end"),
        parallelism: g.parallelism,
        runMs: latency(g.run, [...path, "run"], problems),
        ...shape,
        namePrefix: g.namePrefix ?? `cronjob-${String(path[2])}`,
      }) as GeneratorSpec
  }
}
