// `ipamsim tune <scenario>`: sweeps warm-pool settings of Windows nodes (the ConfigMap) and Linux nodes (the
// aws-node env) (Tune) and writes the report as a table, JSON or an HTML page.

import { Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { setAutoFreeze } from "immer"
import type { OutputRequest } from "../OutputFile.ts"
import { TuneProgress } from "../Progress.ts"
import { tune } from "../tune/Tune.ts"
import { renderTuneHtml } from "../tune/TuneHtml.ts"
import { type TuneReport, tuneReportJson } from "../tune/TuneReport.ts"
import { tuneText } from "../tune/TuneText.ts"
import { EXIT_EXPECTATIONS, runUserCommand, UserFacingError } from "../UserFacingError.ts"
import { preflight } from "./Preflight.ts"

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
    linuxWarmEniTarget: opt(
      "linux-warm-eni-target",
      "aws-node WARM_ENI_TARGET values for Linux nodes: a range like 0..2 or a list like 0,1",
    ),
    linuxWarmIpTarget: opt("linux-warm-ip-target", "aws-node WARM_IP_TARGET values for Linux nodes: a range or a list"),
    linuxMinimumIpTarget: opt(
      "linux-minimum-ip-target",
      "aws-node MINIMUM_IP_TARGET values for Linux nodes: a range or a list",
    ),
    linuxWarmPrefixTarget: opt(
      "linux-warm-prefix-target",
      "aws-node WARM_PREFIX_TARGET values for Linux nodes (with ENABLE_PREFIX_DELEGATION=true)",
    ),
    mode: Flag.Literals("mode", ["secondary-ip", "prefix", "both"]).pipe(
      Flag.withDescription("Address mode to sweep (default: the scenario's mode)"),
      Flag.optional,
    ),
    seeds: opt("seeds", "A count n (seeds 1..n) or a list of seeds like 3,8,13 (default: the scenario's seed)"),
    workers: Flag.Int("workers").pipe(
      Flag.withDescription("Worker threads (default: the number of CPUs, at most the number of runs)"),
      Flag.optional,
    ),
    maxP99Wait: opt("max-p99-wait", "Constraint: p99 wait for an address at most this, e.g. 2s"),
    noExhaustion: bool("no-exhaustion", "Constraint: no subnet runs out of addresses"),
    allPodsGetIp: bool("all-pods-get-ip", "Constraint: every pod that asks for an address gets one"),
    objective: Flag.Literals("objective", ["waste", "peak-allocated", "warm-ip-seconds"]).pipe(
      Flag.withDescription("What to minimise (default: waste)"),
      Flag.optional,
    ),
    ignoreChanges: bool(
      "ignore-changes",
      "Drop the scenario's own configMap.changes (Windows sweeps) and awsNode.changes (Linux sweeps), so each setting holds all run",
    ),
    rolloutCheck: bool(
      "rollout-check",
      "Show the transient of switching from the current setting to the recommended one",
    ),
    rolloutAt: opt("rollout-at", "When the rollout check switches (default: half the run), e.g. 30m"),
    rolloutWindow: opt("rollout-window", "How long after the switch the check looks (default 2m)"),
    json: opt("json", "Write the JSON report to a file, or - for stdout"),
    html: opt("html", "Write an HTML page with the frontier chart"),
    quiet: bool("quiet", "No table, no progress bar"),
    force: bool(
      "force",
      "Replace existing output files even if ipamsim did not write them (never a directory, never the scenario)",
    ),
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
      // Output paths are checked before the sweep; the outputs are put in place together at the end.
      const outputs: OutputRequest[] = [
        ...(jsonPath === undefined ? [] : [{ flag: "--json", path: jsonPath, kind: "tune-json" as const }]),
        ...(htmlPath === undefined ? [] : [{ flag: "--html", path: htmlPath, kind: "html" as const }]),
      ]
      const { plan } = preflight(f.scenario, outputs, f.force)
      const progress = !f.quiet && process.stderr.isTTY ? new TuneProgress(process.stderr, "tune") : undefined
      let report: TuneReport
      try {
        report = await tune(
          f.scenario,
          {
            warmIpTarget: get(f.warmIpTarget),
            minimumIpTarget: get(f.minimumIpTarget),
            warmPrefixTarget: get(f.warmPrefixTarget),
            linuxWarmEniTarget: get(f.linuxWarmEniTarget),
            linuxWarmIpTarget: get(f.linuxWarmIpTarget),
            linuxMinimumIpTarget: get(f.linuxMinimumIpTarget),
            linuxWarmPrefixTarget: get(f.linuxWarmPrefixTarget),
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
      try {
        if (jsonPath !== undefined) plan.write("--json", tuneReportJson(report))
        if (htmlPath !== undefined) plan.write("--html", renderTuneHtml(report))
        plan.commit()
      } catch (e) {
        plan.abort()
        throw e
      }
      if (!f.quiet)
        (jsonPath === "-" ? process.stderr : process.stdout).write(tuneText(report, { rollout: f.rolloutCheck }))
      if (report.recommendation === null) {
        if (f.quiet) process.stderr.write("ipamsim: no setting meets the constraints on every seed\n")
        process.exitCode = EXIT_EXPECTATIONS
      }
    }),
).pipe(
  Command.withDescription(
    "Sweep warm-pool settings (Windows: warm/minimum IP targets, warm prefix target, mode; Linux: the aws-node WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET) over seeds, and recommend the one that wastes least while meeting your constraints. Exits 2 when no setting is feasible.",
  ),
)
