// `ipamsim validate`: checks a scenario file and reads its traces to the end, without simulating. Every
// problem is printed at once, one line each; warnings too (`--strict` fails on them); `--json` prints the
// same as one JSON document for CI.

import { Command, Flag } from "effect/cli"
import { type Diagnostic, diagnosticJson } from "../Diagnostic.ts"
import { shouldYield, yieldNow } from "../Interrupt.ts"
import { Progress } from "../Progress.ts"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { type LoadedScenario, type LoadOptions, loadScenario, ScenarioError } from "../scenario/ScenarioLoader.ts"
import { TraceError } from "../trace/TraceReader.ts"
import { EXIT_ERROR, isUserError, printDiagnostics, runUserCommand } from "../UserFacingError.ts"
import { scenarioArg } from "./Flags.ts"
import { overrideFlags, overridesOf } from "./RunCommand.ts"

interface Outcome {
  readonly diagnostics: Diagnostic[]
  readonly loaded?: LoadedScenario
  readonly events: number
  readonly lastEventMs: number
}

/** Every check `run` makes before simulating: the scenario, then every trace read to the end. */
const check = async (file: string, progressOn: boolean, options: LoadOptions): Promise<Outcome> => {
  let loaded: LoadedScenario
  try {
    loaded = loadScenario(file, options)
  } catch (e) {
    if (e instanceof ScenarioError) return { diagnostics: [...e.diagnostics], events: 0, lastEventMs: 0 }
    throw e
  }
  const diagnostics: Diagnostic[] = [...loaded.warnings]
  let events = 0
  let last = 0
  try {
    const spec = buildSimSpec(loaded)
    // Reading a week-long trace takes seconds: show how far it got.
    const progress = progressOn ? new Progress(process.stderr, "read") : undefined
    try {
      for (let e = spec.trace.next(); e !== undefined; e = spec.trace.next()) {
        events++
        last = e.t
        if (spec.durationMs !== undefined && e.t > spec.durationMs) break
        if ((events & 0xffff) !== 0) continue
        progress?.update(e.t, spec.durationMs, events)
        // A week of trace takes seconds to read: let Ctrl-C in.
        if (shouldYield()) await yieldNow()
      }
    } finally {
      progress?.done()
      spec.trace.close?.()
    }
  } catch (e) {
    if (e instanceof TraceError) diagnostics.push({ severity: "error", file: e.file, line: e.line, message: e.detail })
    else if (e instanceof ScenarioError) diagnostics.push(...e.diagnostics)
    else if (isUserError(e)) diagnostics.push({ severity: "error", file, message: e.message })
    else throw e
  }
  return { diagnostics, loaded, events, lastEventMs: last }
}

export const validateCommand = Command.make(
  "validate",
  {
    scenario: scenarioArg,
    ...overrideFlags,
    strict: Flag.Boolean("strict").pipe(
      Flag.withDescription("Fail (exit 1) on warnings too: values the controller or ipamd would misread"),
      Flag.withDefault(false),
    ),
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print the result as JSON on stdout (errors, warnings, counts), for CI"),
      Flag.withDefault(false),
    ),
  },
  (f) =>
    runUserCommand(async () => {
      const out = await check(f.scenario, !f.json && process.stderr.isTTY === true, overridesOf(f))
      const errors = out.diagnostics.filter((d) => d.severity === "error")
      const warnings = out.diagnostics.filter((d) => d.severity === "warning")
      const valid = errors.length === 0 && !(f.strict && warnings.length > 0)
      if (!valid) process.exitCode = EXIT_ERROR
      if (f.json) {
        const s = out.loaded?.scenario
        const doc = {
          file: f.scenario,
          valid,
          strict: f.strict,
          errors: errors.map(diagnosticJson),
          warnings: warnings.map(diagnosticJson),
          ...(s === undefined || errors.length > 0
            ? {}
            : {
                nodeGroups: s.nodeGroups.length,
                nodes: s.nodeGroups.reduce((n, g) => n + g.count, 0),
                events: out.events,
                lastEventMs: out.lastEventMs,
              }),
        }
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
        return
      }
      printDiagnostics(warnings)
      if (errors.length > 0) {
        printDiagnostics(errors)
        return
      }
      if (!valid) {
        process.stderr.write(`ipamsim: ${f.scenario}: ${warnings.length} warning(s), and --strict fails on warnings\n`)
        return
      }
      const groups = out.loaded!.scenario.nodeGroups.length
      const notes = warnings.length === 0 ? "" : `, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`
      process.stdout.write(
        `${f.scenario}: valid (${groups} node groups, ${out.events} workload events up to ${out.lastEventMs} ms${notes})\n`,
      )
    }),
).pipe(
  Command.withDescription(
    "Check a scenario file (or - for stdin) and its traces without running it: every problem at once, one line each (docs/scenarios.md lists the checks). --strict fails on warnings; --json for CI.",
  ),
)
