// Mistakes on the command line answered like every other bad input: one line per problem and a hint where
// the help is, exit 1 (instead of the whole help text). And values that start with "-" followed by a digit
// (`--warm-ip-target -1..2`, `--seed -1`) are values, not flags: no ipamsim flag looks like that.

import { Effect } from "effect"
import { CliOutput } from "effect/cli"
import { EXIT_ERROR } from "./UserFacingError.ts"

/** A token that can only be a value: a negative number or range (`-1`, `-0.5`, `-1..2`, `-1,2`). */
const NEGATIVE_VALUE = /^-\d/

/**
 * Joins `--flag -1..2` into `--flag=-1..2`, so the parser takes the value as the flag's rather than as an
 * unknown flag `-1`. Nothing else changes: `--` and everything after it stay as they are.
 */
export const valuesThatLookLikeFlags = (args: readonly string[]): string[] => {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === "--") {
      out.push(...args.slice(i))
      break
    }
    const next = args[i + 1]
    if (a.startsWith("--") && !a.includes("=") && next !== undefined && NEGATIVE_VALUE.test(next)) {
      out.push(`${a}=${next}`)
      i++
    } else out.push(a)
  }
  return out
}

/** One line for a parser error: its message without line breaks. */
const oneLine = (text: string): string =>
  text
    .replace(/\s*\n\s*/g, " ")
    .trim()
    .replace(/ Did you mean (?:this|one of these)\? (.*)$/, "; did you mean $1?")

/**
 * Presents help as usual, but a command line it cannot parse as `ipamsim: <problem>` lines and a hint
 * naming the help to read, on stderr, with exit code 1.
 */
export const flagErrorPresenter = CliOutput.layerPresenter({
  present: (event) => {
    if (event._tag !== "InvalidInvocation") return CliOutput.defaultPresenter.present(event)
    return Effect.sync(() => {
      for (const e of event.errors) process.stderr.write(`ipamsim: ${oneLine(e.message)}\n`)
      process.stderr.write(`ipamsim: see \`${event.commandPath.join(" ")} --help\`\n`)
      process.exitCode = EXIT_ERROR
    })
  },
})
