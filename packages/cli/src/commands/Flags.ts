// Flags and arguments that several commands share.

import { Argument, Flag } from "effect/cli"

export const scenarioArg = Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)"))
export const force = Flag.Boolean("force").pipe(
  Flag.withDescription(
    "Replace existing output files even if ipamsim did not write them (never a directory, never a file the command reads)",
  ),
  Flag.withDefault(false),
)

/** A seed, refused below 0 as scenario files refuse it (`run --seed -1`, `trace generate --seed -1`). */
const seed = (description: string) =>
  Flag.Int("seed").pipe(
    Flag.filter(
      (n) => n >= 0,
      () => "a whole number ≥ 0",
    ),
    Flag.withDescription(description),
  )

export const seedFlag = (description: string) => seed(description).pipe(Flag.optional)
export const seedFlagWithDefault = (description: string, value: number) =>
  seed(description).pipe(Flag.withDefault(value))
