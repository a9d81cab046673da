// Flags and arguments that several commands share.

import { Argument, Flag } from "effect/cli"

export const scenarioArg = Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)"))
export const force = Flag.Boolean("force").pipe(
  Flag.withDescription("Overwrite output files even if ipamsim did not write them"),
  Flag.withDefault(false),
)
