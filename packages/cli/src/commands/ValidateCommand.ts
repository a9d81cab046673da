// `ipamsim validate`: checks a scenario file and reads its traces to the end, without simulating.

import { Command } from "effect/cli"
import { Progress } from "../Progress.ts"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { runUserCommand } from "../UserFacingError.ts"
import { scenarioArg } from "./Flags.ts"

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
