// `ipamsim run`: simulates a scenario and writes its reports (JSON, timeline CSV, HTML, terminal summary).

import { Option } from "effect"
import { Command, Flag } from "effect/cli"
import { writeOutput } from "../OutputFile.ts"
import { Progress } from "../Progress.ts"
import { renderHtmlReport } from "../report/html/HtmlReport.ts"
import { reportJson } from "../report/Report.ts"
import { summaryText } from "../report/Summary.ts"
import { timelineCsv } from "../report/TimelineCsv.ts"
import { simulateScenario } from "../scenario/SimulateScenario.ts"
import { EXIT_EXPECTATIONS, runUserCommand, UserFacingError } from "../UserFacingError.ts"
import { force, scenarioArg } from "./Flags.ts"

export const runCommand = Command.make(
  "run",
  {
    scenario: scenarioArg,
    seed: Flag.Int("seed").pipe(Flag.withDescription("Override the scenario's seed"), Flag.optional),
    json: Flag.String("json").pipe(
      Flag.withDescription("Write the JSON report to a file, or - for stdout"),
      Flag.optional,
    ),
    timeline: Flag.String("timeline").pipe(Flag.withDescription("Write the timeline as CSV"), Flag.optional),
    html: Flag.String("html").pipe(
      Flag.withDescription("Write a self-contained HTML report with charts"),
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
    runUserCommand(() => {
      const jsonPath = Option.getOrUndefined(f.json)
      const seed = Option.getOrUndefined(f.seed)
      if (seed !== undefined && seed < 0) throw new UserFacingError(`--seed ${seed}: expected a whole number ≥ 0`)
      const progress = !f.quiet && process.stderr.isTTY ? new Progress(process.stderr) : undefined
      const report = simulateScenario(f.scenario, {
        seed,
        sortTraces: f.sortTrace,
        checkInvariants: f.checkInvariants,
        progress,
      })
      if (jsonPath !== undefined) writeOutput(jsonPath, reportJson(report), "json", f.force)
      const timelinePath = Option.getOrUndefined(f.timeline)
      if (timelinePath !== undefined) writeOutput(timelinePath, timelineCsv(report), "csv", f.force)
      const htmlPath = Option.getOrUndefined(f.html)
      if (htmlPath !== undefined) writeOutput(htmlPath, renderHtmlReport(report), "html", f.force)
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
    }),
).pipe(
  Command.withDescription(
    "Simulate a scenario and report pods' waits, address use and waste, subnet exhaustion and EC2 calls. Exits 2 when the scenario's expectations are not met.",
  ),
)
