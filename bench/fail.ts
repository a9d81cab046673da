// Bench scripts report a bad argument or a bad input file in one line and exit 1, as the ipamsim command
// does, rather than with a stack trace.

export const fail = (message: string): never => {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}

/** Runs a script's body; an error (a bad scenario or trace, say) is reported by its message's first line. */
export const runScript = (body: () => void): void => {
  try {
    body()
  } catch (e) {
    fail((e instanceof Error ? e.message : String(e)).split("\n")[0]!)
  }
}
