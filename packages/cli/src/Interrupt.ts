// Ctrl-C (SIGINT) and SIGTERM stop any command at once: the process exits 130 or 143 (128 + the signal's
// number, as shells report a process the signal killed) and OutputFile's exit hook removes the temporary
// files of outputs not yet in place, so an interrupted command leaves nothing behind. Long loops (the
// simulation, reading a trace, writing one) yield to the event loop a few times a second (yieldNow), which
// is when the handler runs. The handlers are installed by bin.ts before Effect's, which they pre-empt.

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const

let installed = false

/** Installs the SIGINT and SIGTERM handlers (once). */
export const installSignalHandlers = (): void => {
  if (installed) return
  installed = true
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      process.stderr.write(`ipamsim: interrupted by ${signal}; outputs not yet complete were removed\n`)
      process.exit(EXIT_CODES[signal])
    })
}

/** How long a loop may run before it lets a signal in. */
const SLICE_MS = 100

let lastYield = Date.now()

/** True when a loop has run for a slice since it last yielded: then `await yieldNow()`. */
export const shouldYield = (): boolean => Date.now() - lastYield >= SLICE_MS

/** Lets pending events (a signal) run, then resumes. */
export const yieldNow = (): Promise<void> =>
  new Promise((done) => {
    setImmediate(() => {
      lastYield = Date.now()
      done()
    })
  })
