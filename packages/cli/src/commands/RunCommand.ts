// `ipamsim run`: simulates a scenario and writes its reports (JSON, timeline CSV, HTML, terminal summary).
// The scenario and the output paths are checked before the simulation (every problem at once); the reports
// are written under temporary names and put in place together once all are complete (OutputFile).

import { Option } from "effect"
import { Command, Flag } from "effect/cli"
import type { OutputRequest } from "../OutputFile.ts"
import { Progress } from "../Progress.ts"
import { renderHtmlReport } from "../report/html/HtmlReport.ts"
import { openMetricsStart, openMetricsText } from "../report/OpenMetrics.ts"
import { reportJson } from "../report/Report.ts"
import { summaryText } from "../report/Summary.ts"
import { timelineCsv } from "../report/TimelineCsv.ts"
import type { LoadOptions } from "../scenario/ScenarioLoader.ts"
import { parseOverrides } from "../scenario/ScenarioOverrides.ts"
import { simulateLoaded } from "../scenario/SimulateScenario.ts"
import { EXIT_EXPECTATIONS, runUserCommand } from "../UserFacingError.ts"
import { force, scenarioArg, seedFlag } from "./Flags.ts"
import { preflight } from "./Preflight.ts"

/** `--set path=value` (repeatable) and `--duration`: one-run overrides of the scenario (run, validate). */
export const overrideFlags = {
  set: Flag.String("set").pipe(
    Flag.withDescription(
      "Override a scenario field for this run: path=value, e.g. nodeGroups[0].count=10 or configMap.data.windows-warm-ip-target=2 (repeatable; the value is read as YAML)",
    ),
    Flag.atLeast(0),
  ),
  duration: Flag.String("duration").pipe(
    Flag.withDescription("Override the scenario's duration for this run, e.g. 2h"),
    Flag.optional,
  ),
}

/** The overrides the flags ask for, and the problems with those that cannot be read (for loadScenario). */
export const overridesOf = (f: { set: readonly string[]; duration: Option.Option<string> }): LoadOptions => {
  const { overrides, problems } = parseOverrides(f.set, Option.getOrUndefined(f.duration))
  return { overrides, overrideProblems: problems }
}

export const runCommand = Command.make(
  "run",
  {
    scenario: scenarioArg,
    ...overrideFlags,
    seed: seedFlag("Override the scenario's seed"),
    json: Flag.String("json").pipe(
      Flag.withDescription("Write the JSON report to a file, or - for stdout"),
      Flag.optional,
    ),
    timeline: Flag.String("timeline").pipe(Flag.withDescription("Write the timeline as CSV"), Flag.optional),
    html: Flag.String("html").pipe(
      Flag.withDescription("Write a self-contained HTML report with charts"),
      Flag.optional,
    ),
    openmetrics: Flag.String("openmetrics").pipe(
      Flag.withDescription(
        "Write the timeline as OpenMetrics text (promtool tsdb create-blocks-from openmetrics); needs --start",
      ),
      Flag.optional,
    ),
    start: Flag.String("start").pipe(
      Flag.withDescription("With --openmetrics: the RFC 3339 time the run's time 0 maps to, e.g. 2026-12-01T09:00:00Z"),
      Flag.optional,
    ),
    sortTrace: Flag.Boolean("sort-trace").pipe(
      Flag.withDescription("Sort out-of-order trace events instead of rejecting them (loads the trace into memory)"),
      Flag.withDefault(false),
    ),
    quiet: Flag.Boolean("quiet").pipe(Flag.withDescription("No summary, no progress bar"), Flag.withDefault(false)),
    checkInvariants: Flag.Boolean("check-invariants").pipe(
      Flag.withDescription("Check the model's invariants after every event (slow; for debugging)"),
      Flag.withDefault(false),
    ),
    force,
  },
  (f) =>
    runUserCommand(async () => {
      const jsonPath = Option.getOrUndefined(f.json)
      const timelinePath = Option.getOrUndefined(f.timeline)
      const htmlPath = Option.getOrUndefined(f.html)
      const openMetricsPath = Option.getOrUndefined(f.openmetrics)
      const startMs = openMetricsStart(openMetricsPath, Option.getOrUndefined(f.start))
      const outputs: OutputRequest[] = [
        ...(jsonPath === undefined ? [] : [{ flag: "--json", path: jsonPath, kind: "report-json" as const }]),
        ...(timelinePath === undefined
          ? []
          : [{ flag: "--timeline", path: timelinePath, kind: "timeline-csv" as const }]),
        ...(htmlPath === undefined ? [] : [{ flag: "--html", path: htmlPath, kind: "report-html" as const }]),
        // OpenMetrics text carries no mark of ipamsim's: an existing file is replaced only with --force.
        ...(openMetricsPath === undefined
          ? []
          : [{ flag: "--openmetrics", path: openMetricsPath, kind: "trace" as const }]),
      ]
      const { loaded, plan } = preflight(f.scenario, outputs, f.force, overridesOf(f))
      const progress = !f.quiet && process.stderr.isTTY ? new Progress(process.stderr) : undefined
      try {
        const report = await simulateLoaded(loaded, {
          seed: Option.getOrUndefined(f.seed),
          sortTraces: f.sortTrace,
          checkInvariants: f.checkInvariants,
          progress,
        })
        if (jsonPath !== undefined) plan.write("--json", reportJson(report))
        if (timelinePath !== undefined) plan.write("--timeline", timelineCsv(report))
        if (htmlPath !== undefined) plan.write("--html", renderHtmlReport(report))
        if (openMetricsPath !== undefined) plan.write("--openmetrics", openMetricsText(report, startMs!))
        plan.commit()
        if (!f.quiet) (jsonPath === "-" ? process.stderr : process.stdout).write(summaryText(report))
        if (report.expectations.some((e) => !e.ok)) {
          process.stderr.write(
            `ipamsim: expectations not met: ${report.expectations
              .filter((e) => !e.ok)
              .map((e) => `${e.name} (actual ${e.actual}, limit ${e.limit})`)
              .join("; ")}\n`,
          )
          process.exitCode = EXIT_EXPECTATIONS
        }
      } catch (e) {
        plan.abort()
        throw e
      }
    }),
).pipe(
  Command.withDescription(
    "Simulate a scenario (a file, or - for stdin) and report pods' waits, address use and waste, subnet exhaustion and EC2 calls. Output paths are checked before the run; a file ipamsim did not write is never replaced without --force; an interrupted or failed run leaves no output. Exits 2 when the scenario's expectations are not met.",
  ),
)
