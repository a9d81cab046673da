import { Data, Effect } from "effect"

/** An error meant for the user: printed one line at a time, never with a stack; the process exits non-zero. */
export class UserFacingError extends Data.TaggedError("UserFacingError")<{ readonly message: string }> {
  constructor(message: string) {
    super({ message })
  }
}

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
      const known = e instanceof Error && (e.name !== "Error" || e instanceof UserFacingError || "problems" in e)
      const message = e instanceof Error ? e.message : String(e)
      for (const line of message.split("\n")) process.stderr.write(`ipamsim: ${line}\n`)
      if (!known && !(e instanceof UserFacingError))
        process.stderr.write("ipamsim: (unexpected error; please report it)\n")
      process.exitCode = EXIT_ERROR
    }
  })
