import { Command } from "effect/cli"
import { compareCommand } from "./commands/CompareCommand.ts"
import { conformanceCommand } from "./commands/ConformanceCommand.ts"
import { importCommand } from "./commands/ImportCommand.ts"
import { runCommand } from "./commands/RunCommand.ts"
import { schemaCommand } from "./commands/SchemaCommand.ts"
import { traceCommand } from "./commands/TraceCommand.ts"
import { tuneCommand } from "./commands/TuneCommand.ts"
import { validateCommand } from "./commands/ValidateCommand.ts"

export const cli = Command.make("ipamsim").pipe(
  Command.withDescription(
    "Discrete-event simulator of EKS Windows IPv4 address management (the VPC Resource Controller's warm pools).",
  ),
  Command.withSubcommands([
    runCommand,
    validateCommand,
    schemaCommand,
    traceCommand,
    tuneCommand,
    importCommand,
    conformanceCommand,
    compareCommand,
  ]),
)
