import { Data } from "effect"

/** An error meant for the user: printed as one line, never with a stack, and the process exits non-zero. */
export class UserFacingError extends Data.TaggedError("UserFacingError")<{ readonly message: string }> {
  constructor(message: string) {
    super({ message })
  }
}
