// The sweep's progress line on stderr (only on a terminal): runs done out of all, and the elapsed time.

export class TuneProgress {
  private readonly started = Date.now()
  private lastDraw = 0
  private drawn = false

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly label: string,
  ) {}

  update(done: number, total: number): void {
    const now = Date.now()
    // Short sweeps finish before a bar would help; redraw at most 5 times a second.
    if (done < total && (now - this.started < 300 || now - this.lastDraw < 200)) return
    this.lastDraw = now
    const width = 30
    const frac = total === 0 ? 1 : done / total
    const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".")
    this.out.write(`\r${this.label} [${bar}] ${done}/${total} runs, ${((now - this.started) / 1000).toFixed(1)} s  `)
    this.drawn = true
  }

  done(): void {
    if (this.drawn) this.out.write("\r\x1b[K")
    this.drawn = false
  }
}
