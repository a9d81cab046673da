import { describe, expect, it } from "vitest"
import { Progress, TuneProgress } from "./Progress.ts"

const fakeTerminal = () => {
  const writes: string[] = []
  return { writes, out: { write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream }
}

describe("progress lines", () => {
  it("a run's line waits half a second, then shows the bar, simulated time and events; done clears it", async () => {
    const t = fakeTerminal()
    const p = new Progress(t.out)
    p.update(60_000, 120_000, 1000)
    expect(t.writes).toEqual([])
    await new Promise((r) => setTimeout(r, 550))
    p.update(60_000, 120_000, 1000)
    expect(t.writes).toHaveLength(1)
    expect(t.writes[0]).toMatch(/^\r\[#{15}\.{15}\] 50% simulated 1\.0 min, 1,000 events \([\d,]+\/s\) {2}$/)
    p.update(61_000, 120_000, 1001)
    expect(t.writes).toHaveLength(1) // at most 5 redraws a second
    p.done()
    expect(t.writes[1]).toBe("\r\x1b[K")
  })

  it("a sweep's line shows its last state at once; done clears it once", () => {
    const t = fakeTerminal()
    const p = new TuneProgress(t.out, "tune")
    p.update(1, 4)
    expect(t.writes).toEqual([])
    p.update(4, 4)
    expect(t.writes[0]).toMatch(/^\rtune \[#{30}\] 4\/4 runs, \d+\.\d s {2}$/)
    p.done()
    p.done()
    expect(t.writes).toEqual([t.writes[0], "\r\x1b[K"])
  })

  it("reading a trace with no known end shows no bar", async () => {
    const t = fakeTerminal()
    const p = new Progress(t.out, "read")
    await new Promise((r) => setTimeout(r, 550))
    p.update(90_000, undefined, 5)
    expect(t.writes[0]).toMatch(/^\rread 1\.5 min, 5 events/)
  })
})
