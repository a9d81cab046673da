import { Data, Effect } from "effect"
import { type Diagnostic, formatDiagnostic } from "./Diagnostic.ts"

/** An error meant for the user: printed one line at a time, never with a stack; the process exits non-zero. */
export class UserFacingError extends Data.TaggedError("UserFacingError")<{ readonly message: string }> {
  constructor(message: string) {
    super({ message })
  }
}

/**
 * Errors whose message is for the user, by name, so that they are recognised across worker threads and
 * packages too (ImportError is @ipamsim/aws's).
 */
const USER_ERRORS = new Set(["UserFacingError", "ScenarioError", "TraceError", "ImportError"])

/** Whether an error is the user's (bad input, refused overwrite) rather than a bug in ipamsim. */
export const isUserError = (e: unknown): e is Error => e instanceof Error && USER_ERRORS.has(e.name)

/** Exit codes: 1 bad input or failure, 2 a scenario's expectations were not met. */
export const EXIT_ERROR = 1
export const EXIT_EXPECTATIONS = 2

/**
 * Runs a command body; any error that carries a message for the user (bad scenario, bad trace, refused
 * overwrite) is printed as `ipamsim: <line>` on stderr and sets exit code 1. Anything else is a bug and
 * is still reported in one line, with a pointer to report it.
 */
export const runUserCommand = (body: () => void | Promise<void>): Effect.Effect<void> =>
  Effect.promise(async () => {
    try {
      await body()
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      for (const line of message.split("\n")) process.stderr.write(`ipamsim: ${line}\n`)
      if (!isUserError(e)) process.stderr.write("ipamsim: (unexpected error; please report it)\n")
      process.exitCode = EXIT_ERROR
    }
  })

/** Prints diagnostics on stderr, one line each: `ipamsim: <file>:<line>: <field>: <message>`. */
export const printDiagnostics = (diagnostics: readonly Diagnostic[]): void => {
  for (const d of diagnostics) process.stderr.write(`ipamsim: ${formatDiagnostic(d)}\n`)
}
