// A whole sweep of `ipamsim tune`: the plan's points (Windows ConfigMap settings crossed with Linux aws-node
// env settings) run over seeds on worker threads, judged against the user's constraints and objective, one
// recommended, and what switching to it would do checked (docs/tuning.md). The report is a function of the
// scenario file and the flags only.

import { availableParallelism } from "node:os"
import { readAwsNodeEnv } from "@ipamsim/core/ipamd/AwsNodeEnv"
import { isWindowsIpamEnabled } from "@ipamsim/core/vpc-resource-controller/ConfigMap"
import { formatDuration, parseDuration } from "../scenario/Duration.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { awsNodeEnv, configMapData } from "../scenario/ScenarioParts.ts"
import { UserFacingError } from "../UserFacingError.ts"
import { analyse } from "./Analysis.ts"
import type { RolloutTransient } from "./RolloutTransient.ts"
import type { RunMetrics, TuneJob } from "./TuneJob.ts"
import {
  buildPlan,
  LINUX_SWEEPS,
  sweepsLinux,
  sweepsWindows,
  type TuneFlags,
  type TuneMode,
  type TunePlan,
} from "./TunePlan.ts"
import { behaviour, sweepPoints } from "./TunePoints.ts"
import { buildTuneReport, type RolloutCheck, type TuneReport, worstOf } from "./TuneReport.ts"
import { WorkerPool } from "./WorkerPool.ts"

/** A sweep bigger than this is almost certainly a mistake in a range. */
const MAX_RUNS = 20_000

export interface TuneOptions {
  /** Worker threads; default: the CPUs, at most the number of runs. */
  readonly workers?: number | undefined
  /** Run the rollout check when there is a recommendation. */
  readonly rolloutCheck?: boolean | undefined
  readonly onProgress?: ((done: number, total: number) => void) | undefined
}

const TARGET_KEYS = ["windows-warm-ip-target", "windows-minimum-ip-target", "windows-warm-prefix-target"]
const LEGACY_KEYS = ["warm-ip-target", "minimum-ip-target", "warm-prefix-target"]

/** How the user named a Linux sweep: the first Linux flag given, else the scenario's first tune key. */
const firstLinuxSweep = (flags: TuneFlags, plan: TunePlan): string => {
  const flag = LINUX_SWEEPS.find((x) => flags[x.field] !== undefined)
  if (flag !== undefined) return flag.flag
  return `tune.${LINUX_SWEEPS.find((x) => plan[x.field] !== undefined)!.field}`
}

const atText = (at: number | string): string => (typeof at === "string" ? at : formatDuration(Math.round(at)))

/** Sweeps, analyses and (optionally) checks the rollout; the report is a function of file and flags only. */
export const tune = async (file: string, flags: TuneFlags, options: TuneOptions = {}): Promise<TuneReport> => {
  const loaded = loadScenario(file)
  const s = loaded.scenario
  const plan = buildPlan(flags, s.tune)
  const windowsSwept = sweepsWindows(plan)
  const linuxSwept = sweepsLinux(plan)
  const hasLinux = s.nodeGroups.some((g) => g.os === "linux")
  const hasWindows = s.nodeGroups.some((g) => g.os !== "linux")
  if (!windowsSwept && !linuxSwept)
    throw new UserFacingError(
      "nothing to sweep: give --warm-ip-target, --minimum-ip-target or --warm-prefix-target (a range like 0..6 or a list like 1,2,3,5), --mode, a Linux target (--linux-warm-eni-target, --linux-warm-ip-target, --linux-minimum-ip-target, --linux-warm-prefix-target), or a tune section in the scenario",
    )
  if (linuxSwept && !hasLinux)
    throw new UserFacingError(
      `${file}: ${firstLinuxSweep(flags, plan)} sweeps the aws-node env of Linux nodes, but the scenario has no Linux node groups (os: linux)`,
    )
  const data = configMapData(s)
  // A Linux-only sweep leaves the ConfigMap alone: it may even turn Windows IPAM off.
  if ((windowsSwept || !hasLinux) && (data === undefined || !isWindowsIpamEnabled(data)))
    throw new UserFacingError(
      `${file}: the scenario's ConfigMap does not set enable-windows-ipam: "true", so no pod asks for an address; nothing to tune`,
    )
  const base = data ?? {}
  const envBase = hasLinux ? awsNodeEnv(s) : null
  const pdFlag = s.controller?.prefixDelegationFlag ?? true
  const baseMode: TuneMode = behaviour(base, pdFlag).prefix ? "prefix" : "secondary-ip"
  // --ignore-changes drops the scenario's own changes of the side(s) swept.
  const ignoreConfigMapChanges = plan.ignoreChanges && windowsSwept
  const ignoreAwsNodeChanges = plan.ignoreChanges && linuxSwept
  const changes = ignoreConfigMapChanges ? [] : (s.configMap?.changes ?? [])
  const envChanges = ignoreAwsNodeChanges ? [] : (s.awsNode?.changes ?? [])
  const points = sweepPoints({
    base,
    awsNodeBase: envBase,
    plan,
    baseMode,
    prefixDelegationFlag: pdFlag,
    mergeAliases: changes.length === 0,
  })
  const seeds = plan.seeds ?? [s.seed ?? 1]
  const total = points.length * seeds.length
  if (total > MAX_RUNS)
    throw new UserFacingError(
      `${points.length} settings × ${seeds.length} seeds = ${total} runs, more than ${MAX_RUNS}; narrow the ranges or the seeds`,
    )

  const notes: string[] = []
  const modes = [...new Set(points.map((p) => p.mode))]
  if (windowsSwept && modes.includes("prefix") && !pdFlag)
    notes.push(
      "the scenario's controller runs without --enable-windows-prefix-delegation: prefix-mode settings fall back to secondary-IP mode",
    )
  if (windowsSwept && modes.includes("secondary-ip") && s.controller?.profile === "pre-v1.6.0")
    notes.push("controller profile pre-v1.6.0 ignores warm and minimum IP targets in secondary-IP mode")
  if (plan.warmPrefixTarget !== undefined && modes.includes("secondary-ip"))
    notes.push("warm-prefix-target applies only with prefix delegation; it is not swept in secondary-ip mode")
  if (windowsSwept)
    for (const c of changes) {
      const keys = Object.keys(c.data ?? c.set ?? {}).concat(c.remove ?? [])
      const touched = [...TARGET_KEYS, ...LEGACY_KEYS, "enable-windows-prefix-delegation"].filter((k) =>
        keys.includes(k),
      )
      if (c.data !== undefined || touched.length > 0)
        notes.push(
          `the scenario's ConfigMap change at ${atText(c.at)} ${c.data !== undefined ? "replaces the whole data" : `sets ${touched.join(", ")}`}, overriding the swept setting from then on (--ignore-changes sweeps the whole run)`,
        )
    }
  if (windowsSwept && !hasWindows)
    notes.push("the scenario has no Windows node groups: the Windows targets change nothing")
  if (linuxSwept) {
    const swept = LINUX_SWEEPS.filter((l) => plan[l.field] !== undefined).map((l) => l.env)
    for (const c of envChanges) {
      const keys = Object.keys(c.set ?? {}).concat(c.remove ?? [])
      const touched = swept.filter((k) => keys.includes(k))
      if (c.env !== undefined || touched.length > 0)
        notes.push(
          `the scenario's aws-node env change at ${atText(c.at)} ${c.env !== undefined ? "replaces the whole env" : `${c.set !== undefined && touched.some((k) => Object.hasOwn(c.set!, k)) ? "sets" : "removes"} ${touched.join(", ")}`}, overriding the swept setting from then on (--ignore-changes sweeps the whole run)`,
        )
    }
    const read = readAwsNodeEnv(envBase!)
    if (plan.linuxWarmPrefixTarget !== undefined && !read.prefixDelegation)
      notes.push(
        "WARM_PREFIX_TARGET counts only with ENABLE_PREFIX_DELEGATION=true, which the scenario's aws-node env does not set: the Linux nodes ignore it",
      )
    if (
      plan.linuxWarmEniTarget !== undefined &&
      points.some(
        (p) => p.linuxTargets !== null && (p.linuxTargets.warmIpTarget > 0 || p.linuxTargets.minimumIpTarget > 0),
      )
    )
      notes.push(
        "ipamd ignores WARM_ENI_TARGET where WARM_IP_TARGET or MINIMUM_IP_TARGET is above 0: those settings differ only in their spelling",
      )
  }
  for (const p of points)
    if (p.aliases.length > 0)
      notes.push(`#${p.id} also stands for ${p.aliases.join("; ")} (the controller treats them alike)`)
  if (Object.keys(plan.constraints).length === 0)
    notes.push("no constraints given: every setting is feasible and the recommendation only minimises the objective")

  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), total))
  const pool = new WorkerPool(workers)
  try {
    const jobs: TuneJob[] = points.flatMap((p) =>
      seeds.map(
        (seed): TuneJob => ({
          kind: "point",
          file,
          seed,
          variant: {
            set: p.set,
            remove: p.remove,
            ignoreChanges: ignoreConfigMapChanges,
            awsNodeSet: p.awsNodeSet,
            ignoreAwsNodeChanges,
          },
        }),
      ),
    )
    const outputs = await pool.run(jobs, options.onProgress)
    const metrics = outputs.map((o) => (o.kind === "point" ? o.metrics : undefined)) as RunMetrics[]
    const runsByPoint = points.map((_, i) => metrics.slice(i * seeds.length, (i + 1) * seeds.length))
    const analysis = analyse(points, runsByPoint, plan.constraints, plan.objective)

    let rolloutCheck: RolloutCheck | null = null
    const rec = points.find((p) => p.id === analysis.recommended)
    if (rec !== undefined && options.rolloutCheck) {
      const recRuns = runsByPoint[points.indexOf(rec)]!
      const durationMs =
        s.duration === undefined ? undefined : typeof s.duration === "number" ? s.duration : parseDuration(s.duration)
      const endMs = typeof durationMs === "number" ? durationMs : recRuns[0]!.simulatedMs
      // Half the run, on a whole second, unless the user names the moment.
      const atMs = plan.rolloutAtMs ?? Math.round(endMs / 2 / 1000) * 1000
      if (atMs <= 0 || atMs >= endMs)
        throw new UserFacingError(
          `--rollout-at ${flags.rolloutAt ?? atMs}: must fall inside the run (after 0, before its end at ${formatDuration(endMs)})`,
        )
      const rolloutJobs: TuneJob[] = seeds.map((seed) => ({
        kind: "rollout",
        file,
        seed,
        variant: {
          set: {},
          remove: [],
          ignoreChanges: ignoreConfigMapChanges,
          ignoreAwsNodeChanges,
          change: { atMs, set: rec.set, remove: rec.remove, awsNodeSet: rec.awsNodeSet },
        },
        atMs,
        windowMs: plan.rolloutWindowMs,
      }))
      const out = await pool.run(rolloutJobs)
      const transients = out.map((o) => (o.kind === "rollout" ? o.transient : undefined)) as RolloutTransient[]
      rolloutCheck = {
        from: base,
        set: rec.set,
        remove: rec.remove,
        awsNodeFrom: envBase,
        awsNodeSet: rec.awsNodeSet,
        atMs,
        windowMs: plan.rolloutWindowMs,
        seeds: transients,
        worst: worstOf(transients),
      }
    }
    return buildTuneReport({
      scenario: s.name,
      description: s.description ?? "",
      objective: plan.objective,
      constraints: plan.constraints,
      sweep: {
        modes,
        warmIpTarget: plan.warmIpTarget ?? null,
        minimumIpTarget: plan.minimumIpTarget ?? null,
        warmPrefixTarget: plan.warmPrefixTarget ?? null,
        linuxWarmEniTarget: plan.linuxWarmEniTarget ?? null,
        linuxWarmIpTarget: plan.linuxWarmIpTarget ?? null,
        linuxMinimumIpTarget: plan.linuxMinimumIpTarget ?? null,
        linuxWarmPrefixTarget: plan.linuxWarmPrefixTarget ?? null,
        seeds,
        ignoreChanges: plan.ignoreChanges,
        mergedAliases: changes.length === 0,
        baseConfigMap: base,
        baseAwsNodeEnv: envBase,
        runs: total,
      },
      notes,
      analysis,
      rolloutCheck,
    })
  } finally {
    await pool.close()
  }
}
