// The churn arbitraries: windows, counts, lifetimes, bursts, and how they shrink.

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { burstChurn, DEFAULT_START_MS, poissonChurn } from "../src/ChurnArbitraries.ts"

describe("poissonChurn", () => {
  it("keeps arrivals inside the window and lifetimes inside their range", () => {
    fc.assert(
      fc.property(
        poissonChurn({
          ratePerSecond: { min: 0.5, max: 5 },
          durationMs: 20_000,
          lifetimeMs: { min: 1_000, max: 9_000 },
        }),
        (c) => {
          for (const p of c.pods) {
            expect(p.atMs).toBeGreaterThanOrEqual(DEFAULT_START_MS)
            expect(p.atMs).toBeLessThanOrEqual(DEFAULT_START_MS + 20_000)
            expect(p.lifetimeMs).toBeGreaterThanOrEqual(1_000)
            expect(p.lifetimeMs).toBeLessThanOrEqual(9_000)
          }
        },
      ),
      { numRuns: 100 },
    )
  })

  it("has about rate × duration arrivals on average (a Poisson process)", () => {
    const counts = fc
      .sample(poissonChurn({ ratePerSecond: 2, durationMs: 60_000, startMs: 0, maxPods: 1_000 }), {
        numRuns: 300,
        seed: 7,
      })
      .map((c) => c.size)
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length
    // Expected 120; the mean of 300 draws has a standard error of about 0.6 for a Poisson count.
    expect(mean).toBeGreaterThan(110)
    expect(mean).toBeLessThan(130)
  })

  it("caps the number of pods and defaults to pods that stay", () => {
    fc.assert(
      fc.property(poissonChurn({ ratePerSecond: 100, durationMs: 60_000, maxPods: 9 }), (c) => {
        expect(c.size).toBeLessThanOrEqual(9)
        expect(c.pods.every((p) => p.lifetimeMs === null)).toBe(true)
      }),
      { numRuns: 50 },
    )
  })

  it("shrinks toward pods arriving together at the start", () => {
    const details = fc.check(
      fc.property(poissonChurn({ ratePerSecond: { min: 0.1, max: 2 }, durationMs: 60_000 }), (c) => c.size < 4),
      { seed: 3 },
    )
    expect(details.failed).toBe(true)
    const [c] = details.counterexample!
    expect(c.pods.map((p) => p.atMs)).toEqual([30_000, 30_000, 30_000, 30_000])
  })
})

describe("burstChurn", () => {
  it("makes the requested bursts, each within its spread", () => {
    fc.assert(
      fc.property(
        burstChurn({ bursts: 2, podsPerBurst: { min: 3, max: 5 }, gapMs: 60_000, spreadMs: 1_000, startMs: 0 }),
        (c) => {
          const first = c.pods.filter((p) => p.atMs <= 1_000)
          const second = c.pods.filter((p) => p.atMs >= 60_000 && p.atMs <= 61_000)
          expect(first.length + second.length).toBe(c.size)
          for (const b of [first, second]) {
            expect(b.length).toBeGreaterThanOrEqual(3)
            expect(b.length).toBeLessThanOrEqual(5)
          }
        },
      ),
      { numRuns: 100 },
    )
  })

  it("puts a burst's pods at one instant by default", () => {
    const [c] = fc.sample(burstChurn({ bursts: 1, podsPerBurst: 4, lifetimeMs: 10_000 }), { numRuns: 1, seed: 1 })
    expect(c!.pods).toEqual(Array(4).fill({ atMs: DEFAULT_START_MS, lifetimeMs: 10_000 }))
  })
})
