// A progress line on stderr for long runs; only used when stderr is a terminal.

export class Progress {
  private readonly started = Date.now()
  private lastDraw = 0
  private drawn = false

  /** `verb` says what the time is: simulated (run) or read (a trace being checked). */
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly verb = "simulated",
  ) {}

  update(simMs: number, stopMs: number | undefined, events: number): void {
    const now = Date.now()
    if (now - this.started < 500 || now - this.lastDraw < 200) return
    this.lastDraw = now
    const width = 30
    const frac = stopMs === undefined || stopMs === 0 ? undefined : Math.min(1, simMs / stopMs)
    const bar =
      frac === undefined
        ? ""
        : `[${"#".repeat(Math.round(frac * width)).padEnd(width, ".")}] ${(frac * 100).toFixed(0)}% `
    const rate = events / Math.max(0.001, (now - this.started) / 1000)
    this.out.write(
      `\r${bar}${this.verb} ${(simMs / 60_000).toFixed(1)} min, ${events.toLocaleString("en-US")} events (${Math.round(rate).toLocaleString("en-US")}/s)  `,
    )
    this.drawn = true
  }

  done(): void {
    if (this.drawn) this.out.write("\r\x1b[K")
  }
}
