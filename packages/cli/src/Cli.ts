import { Command } from "effect/cli"
import { conformanceCommand } from "./Conformance.ts"
import { importCommand } from "./ImportCommand.ts"
import { runCommand, schemaCommand, validateCommand } from "./RunCommand.ts"
import { traceCommand } from "./TraceCommand.ts"
import { tuneCommand } from "./TuneCommand.ts"

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
  ]),
)
