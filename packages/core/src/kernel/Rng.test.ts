import { describe, expect, it } from "vitest"
import { sampleAllocations } from "./AllocationSampler.ts"
import { Rng } from "./Rng.ts"

describe("Rng", () => {
  it("gives the same stream for the same seed and name, another for another name", () => {
    const a = Rng.stream(7, "x")
    const b = Rng.stream(7, "x")
    const c = Rng.stream(7, "y")
    const xs = Array.from({ length: 8 }, () => a.nextU32())
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(xs)
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(xs)
  })

  it("draws without allocating (the kernel draws on pod events: no garbage per event)", async () => {
    const rng = new Rng(1)
    const draws = (n: number): number => {
      // A small-integer sum held in a local: the loop itself stores no double anywhere.
      let sum = 0
      for (let i = 0; i < n; i++) sum = (sum + rng.int(10) + (rng.nextU32() & 0xff)) & 0xffff
      return sum
    }
    draws(50_000) // optimised before measuring
    let last = -1
    const { bytes } = await sampleAllocations(() => {
      last = draws(500_000)
    }, 256)
    expect(last).toBeGreaterThanOrEqual(0)
    // Before the state fields started as numbers, each draw stored fresh heap numbers: megabytes here.
    expect(bytes).toBeLessThan(256 * 1024)
  })
})
