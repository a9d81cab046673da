// Progress lines on stderr for long commands, redrawn in place; only used when stderr is a terminal.

const WIDTH = 30
const bar = (frac: number): string => `[${"#".repeat(Math.round(frac * WIDTH)).padEnd(WIDTH, ".")}]`

/** One line redrawn at most 5 times a second, after a delay (short commands finish before a bar helps). */
class ProgressLine {
  readonly started = Date.now()
  private lastDraw = 0
  private drawn = false

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly delayMs: number,
  ) {}

  /** Draws `text()` if a redraw is due (always when `force`). */
  draw(text: () => string, force = false): void {
    const now = Date.now()
    if (!force && (now - this.started < this.delayMs || now - this.lastDraw < 200)) return
    this.lastDraw = now
    this.out.write(`\r${text()}  `)
    this.drawn = true
  }

  done(): void {
    if (this.drawn) this.out.write("\r\x1b[K")
    this.drawn = false
  }
}

/** A simulation or a trace being read: how far in time, how many events, how fast. */
export class Progress {
  private readonly line: ProgressLine

  /** `verb` says what the time is: simulated (run) or read (a trace being checked). */
  constructor(
    out: NodeJS.WriteStream,
    private readonly verb = "simulated",
  ) {
    this.line = new ProgressLine(out, 500)
  }

  update(simMs: number, stopMs: number | undefined, events: number): void {
    this.line.draw(() => {
      const frac = stopMs === undefined || stopMs === 0 ? undefined : Math.min(1, simMs / stopMs)
      const done = frac === undefined ? "" : `${bar(frac)} ${(frac * 100).toFixed(0)}% `
      const rate = events / Math.max(0.001, (Date.now() - this.line.started) / 1000)
      return `${done}${this.verb} ${(simMs / 60_000).toFixed(1)} min, ${events.toLocaleString("en-US")} events (${Math.round(rate).toLocaleString("en-US")}/s)`
    })
  }

  done(): void {
    this.line.done()
  }
}

/** A sweep (tune): runs done out of all, and the elapsed time. */
export class TuneProgress {
  private readonly line: ProgressLine

  constructor(
    out: NodeJS.WriteStream,
    private readonly label: string,
  ) {
    this.line = new ProgressLine(out, 300)
  }

  update(done: number, total: number): void {
    this.line.draw(() => {
      const elapsed = ((Date.now() - this.line.started) / 1000).toFixed(1)
      return `${this.label} ${bar(total === 0 ? 1 : done / total)} ${done}/${total} runs, ${elapsed} s`
    }, done === total)
  }

  done(): void {
    this.line.done()
  }
}
