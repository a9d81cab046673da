// `ipamsim run`, `ipamsim validate` and `ipamsim schema`: scenario files in, reports out.

import { Cluster } from "@ipamsim/core/Cluster"
import { Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { renderHtmlReport } from "./HtmlReport.ts"
import { writeOutput } from "./OutputFile.ts"
import { Progress } from "./Progress.ts"
import { buildReport, type Report, reportJson, timelineCsv } from "./Report.ts"
import { buildSimSpec, loadScenario } from "./ScenarioLoader.ts"
import { scenarioJsonSchema } from "./ScenarioSchema.ts"
import { summaryText } from "./Summary.ts"
import { EXIT_EXPECTATIONS, runUserCommand, UserFacingError } from "./UserFacingError.ts"

const scenarioArg = Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)"))
const force = Flag.Boolean("force").pipe(
  Flag.withDescription("Overwrite output files even if ipamsim did not write them"),
  Flag.withDefault(false),
)

export interface RunOptions {
  readonly seed?: number | undefined
  readonly sortTraces?: boolean | undefined
  readonly checkInvariants?: boolean | undefined
  readonly progress?: Progress | undefined
}

/** Loads, simulates and reports one scenario (no output files): the core of `ipamsim run`, used by tests too. */
export const simulateScenario = (file: string, options: RunOptions = {}): Report => {
  const loaded = loadScenario(file)
  const spec = buildSimSpec(loaded, options)
  // A run that stops before the trace ends (duration) must not leave a reader thread behind.
  try {
    const cluster = new Cluster(spec)
    const progress = options.progress
    if (progress === undefined) return buildReport(loaded.scenario, cluster.run())
    let n = 0
    while (cluster.step()) {
      if ((++n & 0xffff) === 0) progress.update(cluster.now, spec.durationMs, n)
    }
    progress.done()
    return buildReport(loaded.scenario, cluster.result())
  } finally {
    spec.trace.close?.()
  }
}

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

export const validateCommand = Command.make("validate", { scenario: scenarioArg }, (f) =>
  runUserCommand(() => {
    const loaded = loadScenario(f.scenario)
    // Opening the traces checks they are readable; reading them fully checks every row.
    const spec = buildSimSpec(loaded)
    // Reading a week-long trace takes seconds: show how far it got.
    const progress = process.stderr.isTTY ? new Progress(process.stderr, "read") : undefined
    let events = 0
    let last = 0
    try {
      for (let e = spec.trace.next(); e !== undefined; e = spec.trace.next()) {
        events++
        last = e.t
        if (spec.durationMs !== undefined && e.t > spec.durationMs) break
        if (progress !== undefined && (events & 0xffff) === 0) progress.update(e.t, spec.durationMs, events)
      }
    } finally {
      progress?.done()
      spec.trace.close?.()
    }
    process.stdout.write(
      `${f.scenario}: valid (${loaded.scenario.nodeGroups.length} node groups, ${events} workload events up to ${last} ms)\n`,
    )
  }),
).pipe(Command.withDescription("Check a scenario file and its traces without running it"))

export const schemaCommand = Command.make(
  "schema",
  { out: Flag.String("out").pipe(Flag.withDescription("Write to a file instead of stdout"), Flag.optional), force },
  (f) =>
    runUserCommand(() => {
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`
      const out = Option.getOrUndefined(f.out)
      if (out === undefined) process.stdout.write(text)
      else writeOutput(out, text, "json", f.force)
    }),
).pipe(Command.withDescription("Print the JSON Schema of scenario files (for editor completion and checks)"))
