// `ipamsim compare a.json b.json [more.json…]`: runs side by side (docs/report.md, "Comparing runs"): which
// inputs differ, summary figures with their change from the first run, and with --html overlaid time series
// and wait distributions. Reports of different schema versions are refused.

import { Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { compareReports, comparisonJson, comparisonText, readReport } from "../compare/Compare.ts"
import { renderComparisonHtml } from "../compare/CompareHtml.ts"
import { planOutputs } from "../OutputFile.ts"
import { runUserCommand, UserFacingError } from "../UserFacingError.ts"
import { force } from "./Flags.ts"

export const compareCommand = Command.make(
  "compare",
  {
    reports: Argument.String("reports").pipe(
      Argument.withDescription("Two or more JSON reports of `ipamsim run --json`"),
      Argument.variadic(),
    ),
    html: Flag.String("html").pipe(
      Flag.withDescription("Write a self-contained HTML page with the runs side by side"),
      Flag.optional,
    ),
    json: Flag.String("json").pipe(
      Flag.withDescription("Write the comparison as JSON to a file, or - for stdout"),
      Flag.optional,
    ),
    force,
  },
  (f) =>
    runUserCommand(() => {
      const files = [...f.reports]
      if (files.length < 2)
        throw new UserFacingError(
          `compare needs two or more reports, got ${files.length}: ipamsim compare a.json b.json`,
        )
      const htmlPath = Option.getOrUndefined(f.html)
      const jsonPath = Option.getOrUndefined(f.json)
      // Checked before reading: two outputs to stdout, a directory, an input report written over, ….
      const plan = planOutputs(
        [
          ...(htmlPath === undefined ? [] : [{ flag: "--html", path: htmlPath, kind: "html" as const }]),
          // The comparison's JSON has no mark OutputFile knows: an existing file is replaced only with --force.
          ...(jsonPath === undefined ? [] : [{ flag: "--json", path: jsonPath, kind: "trace" as const }]),
        ],
        { force: f.force, inputs: files },
      )
      try {
        const loaded = files.map(readReport)
        const comparison = compareReports(loaded)
        if (htmlPath !== undefined)
          plan.write(
            "--html",
            renderComparisonHtml(
              comparison,
              loaded.map((l) => l.report),
            ),
          )
        if (jsonPath !== undefined) plan.write("--json", comparisonJson(comparison))
        plan.commit()
        const toStdout = htmlPath === "-" || jsonPath === "-"
        ;(toStdout ? process.stderr : process.stdout).write(comparisonText(comparison))
      } catch (e) {
        plan.abort()
        throw e
      }
    }),
).pipe(
  Command.withDescription(
    "Compare two or more runs' JSON reports: which inputs differ (scenario, seed, configuration), summary figures side by side with their change from the first run; --html adds overlaid time series and wait distributions. Refuses reports of different schema versions.",
  ),
)
