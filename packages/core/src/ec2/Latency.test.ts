import { describe, expect, it } from "vitest"
import { Rng } from "../kernel/Rng.ts"
import { checkLatency, compileLatency, DEFAULT_LATENCIES, Latency, type LatencySpec } from "./Latency.ts"

const draws = (spec: LatencySpec, n: number, seed = 42): number[] => {
  const l = compileLatency(spec)
  const rng = new Rng(seed)
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(l(rng))
  return out
}

const quantile = (sorted: number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!

describe("fixed and uniform", () => {
  it("fixed returns the value, rounded, and draws nothing", () => {
    const rng = new Rng(1)
    const before = new Rng(1).nextU32()
    expect(compileLatency({ fixed: 250 })(rng)).toBe(250)
    expect(compileLatency({ fixed: 0.4 })(rng)).toBe(0)
    expect(rng.nextU32()).toBe(before)
  })

  it("uniform stays within bounds and hits both ends", () => {
    const xs = draws({ uniform: { min: 100, max: 110 } }, 10_000)
    expect(Math.min(...xs)).toBe(100)
    expect(Math.max(...xs)).toBe(110)
    expect(xs.every((x) => Number.isInteger(x))).toBe(true)
    const counts = new Map<number, number>()
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1)
    expect(counts.size).toBe(11)
    for (const c of counts.values()) expect(Math.abs(c - 10_000 / 11)).toBeLessThan(150)
  })

  it("uniform over fractional bounds keeps to whole ms inside them", () => {
    const xs = draws({ uniform: { min: 0.5, max: 2.5 } }, 1000)
    expect(new Set(xs)).toEqual(new Set([1, 2]))
    expect(draws({ uniform: { min: 7, max: 7 } }, 10)).toEqual(Array(10).fill(7))
  })
})

describe("lognormal", () => {
  it("matches the median and p99 over 100k draws", () => {
    for (const [median, p99] of [
      [500, 1500],
      [150, 600],
      [300, 2000],
    ] as const) {
      const xs = draws({ lognormal: { median, p99 } }, 100_000).sort((a, b) => a - b)
      expect(Math.abs(quantile(xs, 0.5) / median - 1)).toBeLessThan(0.02)
      expect(Math.abs(quantile(xs, 0.99) / p99 - 1)).toBeLessThan(0.04)
      expect(xs[0]!).toBeGreaterThanOrEqual(0)
      expect(xs.every((x) => Number.isInteger(x))).toBe(true)
    }
  })

  it("is constant when p99 equals the median", () => {
    expect(draws({ lognormal: { median: 80, p99: 80 } }, 100)).toEqual(Array(100).fill(80))
  })

  it("is deterministic for a seed and uses both Box–Muller draws", () => {
    const spec = { lognormal: { median: 500, p99: 1500 } }
    expect(draws(spec, 1000, 9)).toEqual(draws(spec, 1000, 9))
    expect(draws(spec, 1000, 9)).not.toEqual(draws(spec, 1000, 10))
    // Two samples consume one pair of uniforms.
    const rng = new Rng(5)
    const l = compileLatency(spec)
    l(rng)
    l(rng)
    const reference = new Rng(5)
    reference.float()
    reference.float()
    expect(rng.nextU32()).toBe(reference.nextU32())
  })

  it("does not hand one rng's spare draw to another rng", () => {
    const spec = { lognormal: { median: 500, p99: 1500 } }
    const l = compileLatency(spec)
    const a = new Rng(1)
    const b = new Rng(2)
    const mixed = [l(a), l(b), l(a), l(b)]
    const alone = (seed: number): number[] => draws(spec, 1, seed)
    expect(mixed[0]).toBe(alone(1)[0])
    expect(mixed[1]).toBe(alone(2)[0])
  })
})

describe("validation", () => {
  it("names the offending field", () => {
    expect(checkLatency({ lognormal: { median: 0, p99: 10 } })).toMatch(/^lognormal\.median: must be greater than 0/)
    expect(checkLatency({ lognormal: { median: 500, p99: 400 } })).toMatch(
      /^lognormal\.p99: must be at least lognormal\.median \(500\), got 400/,
    )
    expect(checkLatency({ lognormal: { median: 500 } })).toMatch(/^lognormal\.p99: expected a finite non-negative/)
    expect(checkLatency({ uniform: { min: 5, max: 4 } })).toMatch(/^uniform\.min: must be at most uniform\.max/)
    expect(checkLatency({ uniform: { min: -1, max: 4 } })).toMatch(/^uniform\.min: .*got -1/)
    expect(checkLatency({ uniform: { min: 1.2, max: 1.8 } })).toMatch(/holds no whole millisecond/)
    expect(checkLatency({ fixed: Number.POSITIVE_INFINITY })).toMatch(/^fixed: expected a finite/)
    expect(checkLatency({ fixed: "10" })).toMatch(/^fixed: .*got "10"/)
    expect(checkLatency({ gamma: 1 })).toMatch(/unknown latency kind "gamma"/)
    expect(checkLatency({ fixed: 1, uniform: { min: 0, max: 1 } })).toMatch(/exactly one/)
    expect(checkLatency(null)).toMatch(/expected one of/)
    expect(checkLatency({ fixed: 0 })).toBeUndefined()
  })

  it("compileLatency and the Latency class throw the same message", () => {
    expect(() => compileLatency({ lognormal: { median: 100, p99: Number.NaN } })).toThrow(/^lognormal\.p99: /)
    expect(() => new Latency({ uniform: { min: 3, max: 2 } })).toThrow(/^uniform\.min: /)
    expect(new Latency({ fixed: 12 }).sample(new Rng(1))).toBe(12)
  })

  it("accepts every default", () => {
    for (const spec of Object.values(DEFAULT_LATENCIES)) {
      expect(checkLatency(spec)).toBeUndefined()
      expect(compileLatency(spec)(new Rng(1))).toBeGreaterThan(0)
    }
  })
})
