import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Waits } from "./Waits.ts"

/** The plain definition: every wait in a sorted array, nearest-rank percentiles. */
const reference = (values: readonly number[], fractions: readonly number[]): number[] => {
  if (values.length === 0) return fractions.map(() => 0)
  const sorted = [...values].sort((a, b) => a - b)
  return fractions.map((f) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(f * sorted.length) - 1))]!)
}

describe("Waits", () => {
  it("percentiles, histogram, count and sum match keeping every wait", () => {
    const edges = [0, 100, 500, 1_000, 30_000]
    const fractions = [0, 0.1, 0.5, 0.9, 0.99, 1]
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100_000 }))),
        (values) => {
          const w = new Waits()
          for (const v of values) w.push(v)
          expect(w.percentiles(fractions)).toEqual(reference(values, fractions))
          expect(w.count).toBe(values.length)
          expect(w.sum).toBe(values.reduce((a, b) => a + b, 0))
          const bins = edges.map(
            (_, i) => values.filter((v) => v >= edges[i]! && (i === edges.length - 1 || v < edges[i + 1]!)).length,
          )
          expect(w.histogram(edges)).toEqual(bins)
        },
      ),
      { numRuns: 500 },
    )
  })

  it("memory follows distinct waits: a million equal waits are one entry", () => {
    const w = new Waits()
    for (let i = 0; i < 1_000_000; i++) w.push(i % 3 === 0 ? 0 : 600)
    expect(w.percentiles([0.3, 0.4, 1])).toEqual([0, 600, 600])
  })
})
