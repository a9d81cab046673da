// `ipamsim tune <scenario>`: sweeps warm-pool settings over seeds on worker threads, judges them against the
// user's constraints and objective, recommends one, and checks what switching to it would do (docs/tuning.md).

import { availableParallelism } from "node:os"
import { isWindowsIpamEnabled } from "@ipamsim/core/vpc-resource-controller/ConfigMap"
import { Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { setAutoFreeze } from "immer"
import { formatDuration, parseDuration } from "./Duration.ts"
import { writeOutput } from "./OutputFile.ts"
import { TuneProgress } from "./Progress.ts"
import { configMapData, loadScenario } from "./ScenarioLoader.ts"
import { analyse } from "./TuneAnalysis.ts"
import { renderTuneHtml } from "./TuneHtml.ts"
import { behaviour, sweepPoints } from "./TunePoints.ts"
import { WorkerPool } from "./TunePool.ts"
import { buildTuneReport, type RolloutCheck, type TuneReport, tuneReportJson, worstOf } from "./TuneReport.ts"
import type { RolloutTransient } from "./TuneRollout.ts"
import type { RunMetrics, TuneJob } from "./TuneRun.ts"
import { buildPlan, type TuneFlags, type TuneMode } from "./TuneSpec.ts"
import { tuneText } from "./TuneText.ts"
import { EXIT_EXPECTATIONS, runUserCommand, UserFacingError } from "./UserFacingError.ts"

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

/** Sweeps, analyses and (optionally) checks the rollout; the report is a function of file and flags only. */
export const tune = async (file: string, flags: TuneFlags, options: TuneOptions = {}): Promise<TuneReport> => {
  const loaded = loadScenario(file)
  const s = loaded.scenario
  const plan = buildPlan(flags, s.tune)
  const data = configMapData(s)
  if (data === undefined || !isWindowsIpamEnabled(data))
    throw new UserFacingError(
      `${file}: the scenario's ConfigMap does not set enable-windows-ipam: "true", so no pod asks for an address; nothing to tune`,
    )
  if (
    plan.warmIpTarget === undefined &&
    plan.minimumIpTarget === undefined &&
    plan.warmPrefixTarget === undefined &&
    plan.mode === undefined
  )
    throw new UserFacingError(
      "nothing to sweep: give --warm-ip-target, --minimum-ip-target or --warm-prefix-target (a range like 0..6 or a list like 1,2,3,5), --mode, or a tune section in the scenario",
    )
  const pdFlag = s.controller?.prefixDelegationFlag ?? true
  const baseMode: TuneMode = behaviour(data, pdFlag).prefix ? "prefix" : "secondary-ip"
  const changes = plan.ignoreChanges ? [] : (s.configMap?.changes ?? [])
  const points = sweepPoints({
    base: data,
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
  if (modes.includes("prefix") && !pdFlag)
    notes.push(
      "the scenario's controller runs without --enable-windows-prefix-delegation: prefix-mode settings fall back to secondary-IP mode",
    )
  if (modes.includes("secondary-ip") && s.controller?.profile === "pre-v1.6.0")
    notes.push("controller profile pre-v1.6.0 ignores warm and minimum IP targets in secondary-IP mode")
  if (plan.warmPrefixTarget !== undefined && modes.includes("secondary-ip"))
    notes.push("warm-prefix-target applies only with prefix delegation; it is not swept in secondary-ip mode")
  for (const c of changes) {
    const keys = Object.keys(c.data ?? c.set ?? {}).concat(c.remove ?? [])
    const touched = [...TARGET_KEYS, ...LEGACY_KEYS, "enable-windows-prefix-delegation"].filter((k) => keys.includes(k))
    if (c.data !== undefined || touched.length > 0)
      notes.push(
        `the scenario's ConfigMap change at ${typeof c.at === "string" ? c.at : formatDuration(Math.round(c.at))} ${c.data !== undefined ? "replaces the whole data" : `sets ${touched.join(", ")}`}, overriding the swept setting from then on (--ignore-changes sweeps the whole run)`,
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
          variant: { set: p.set, remove: p.remove, ignoreChanges: plan.ignoreChanges },
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
          ignoreChanges: plan.ignoreChanges,
          change: { atMs, set: rec.set, remove: rec.remove },
        },
        atMs,
        windowMs: plan.rolloutWindowMs,
      }))
      const out = await pool.run(rolloutJobs)
      const transients = out.map((o) => (o.kind === "rollout" ? o.transient : undefined)) as RolloutTransient[]
      rolloutCheck = {
        from: data,
        set: rec.set,
        remove: rec.remove,
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
        seeds,
        ignoreChanges: plan.ignoreChanges,
        mergedAliases: changes.length === 0,
        baseConfigMap: data,
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

const opt = (name: string, description: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.optional)
const bool = (name: string, description: string) =>
  Flag.Boolean(name).pipe(Flag.withDescription(description), Flag.withDefault(false))

export const tuneCommand = Command.make(
  "tune",
  {
    scenario: Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)")),
    warmIpTarget: opt("warm-ip-target", "windows-warm-ip-target values: a range like 0..6 or a list like 1,2,3,5"),
    minimumIpTarget: opt("minimum-ip-target", "windows-minimum-ip-target values: a range or a list"),
    warmPrefixTarget: opt("warm-prefix-target", "windows-warm-prefix-target values (prefix mode only)"),
    mode: opt("mode", "secondary-ip, prefix or both (default: the scenario's mode)"),
    seeds: opt("seeds", "A count n (seeds 1..n) or a list of seeds like 3,8,13 (default: the scenario's seed)"),
    workers: Flag.Int("workers").pipe(
      Flag.withDescription("Worker threads (default: the number of CPUs, at most the number of runs)"),
      Flag.optional,
    ),
    maxP99Wait: opt("max-p99-wait", "Constraint: p99 wait for an address at most this, e.g. 2s"),
    noExhaustion: bool("no-exhaustion", "Constraint: no subnet runs out of addresses"),
    allPodsGetIp: bool("all-pods-get-ip", "Constraint: every pod that asks for an address gets one"),
    objective: opt("objective", "What to minimise: waste (default), peak-allocated or warm-ip-seconds"),
    ignoreChanges: bool("ignore-changes", "Drop the scenario's own configMap.changes, so each setting holds all run"),
    rolloutCheck: bool(
      "rollout-check",
      "Show the transient of switching from the current setting to the recommended one",
    ),
    rolloutAt: opt("rollout-at", "When the rollout check switches (default: half the run), e.g. 30m"),
    rolloutWindow: opt("rollout-window", "How long after the switch the check looks (default 2m)"),
    json: opt("json", "Write the JSON report to a file, or - for stdout"),
    html: opt("html", "Write an HTML page with the frontier chart"),
    quiet: bool("quiet", "No table, no progress bar"),
    force: bool("force", "Overwrite output files even if ipamsim did not write them"),
  },
  (f) =>
    runUserCommand(async () => {
      // Variants are built once and never mutated; freezing them would only cost time.
      setAutoFreeze(false)
      const get = Option.getOrUndefined
      const jsonPath = get(f.json)
      const htmlPath = get(f.html)
      const workers = get(f.workers)
      if (workers !== undefined && workers < 1) throw new UserFacingError(`--workers ${workers}: give at least 1`)
      const progress = !f.quiet && process.stderr.isTTY ? new TuneProgress(process.stderr, "tune") : undefined
      let report: TuneReport
      try {
        report = await tune(
          f.scenario,
          {
            warmIpTarget: get(f.warmIpTarget),
            minimumIpTarget: get(f.minimumIpTarget),
            warmPrefixTarget: get(f.warmPrefixTarget),
            mode: get(f.mode),
            seeds: get(f.seeds),
            maxP99Wait: get(f.maxP99Wait),
            noExhaustion: f.noExhaustion,
            allPodsGetIp: f.allPodsGetIp,
            objective: get(f.objective),
            ignoreChanges: f.ignoreChanges,
            rolloutAt: get(f.rolloutAt),
            rolloutWindow: get(f.rolloutWindow),
          },
          {
            workers,
            // The JSON report always carries the rollout check when there is a recommendation.
            rolloutCheck: f.rolloutCheck || jsonPath !== undefined || htmlPath !== undefined,
            onProgress: progress === undefined ? undefined : (d, t) => progress.update(d, t),
          },
        )
      } finally {
        progress?.done()
      }
      if (jsonPath !== undefined) writeOutput(jsonPath, tuneReportJson(report), "json", f.force)
      if (htmlPath !== undefined) writeOutput(htmlPath, renderTuneHtml(report), "html", f.force)
      if (!f.quiet)
        (jsonPath === "-" ? process.stderr : process.stdout).write(tuneText(report, { rollout: f.rolloutCheck }))
      if (report.recommendation === null) {
        if (f.quiet) process.stderr.write("ipamsim: no setting meets the constraints on every seed\n")
        process.exitCode = EXIT_EXPECTATIONS
      }
    }),
).pipe(
  Command.withDescription(
    "Sweep warm-pool settings (warm/minimum IP targets, warm prefix target, mode) over seeds, and recommend the one that wastes least while meeting your constraints. Exits 2 when no setting is feasible.",
  ),
)
