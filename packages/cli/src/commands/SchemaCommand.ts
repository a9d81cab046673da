// `ipamsim schema`: the JSON Schema of scenario files.

import { Option } from "effect"
import { Command, Flag } from "effect/cli"
import { writeOutput } from "../OutputFile.ts"
import { scenarioJsonSchema } from "../scenario/ScenarioSchema.ts"
import { runUserCommand } from "../UserFacingError.ts"
import { force } from "./Flags.ts"

export const schemaCommand = Command.make(
  "schema",
  { out: Flag.String("out").pipe(Flag.withDescription("Write to a file instead of stdout"), Flag.optional), force },
  (f) =>
    runUserCommand(() => {
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`
      const out = Option.getOrUndefined(f.out)
      if (out === undefined) process.stdout.write(text)
      else writeOutput(out, text, "schema-json", f.force)
    }),
).pipe(Command.withDescription("Print the JSON Schema of scenario files (for editor completion and checks)"))
