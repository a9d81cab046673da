import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import type { LatencySpec } from "../ec2/Latency.ts"
import type { PodEvent, TraceSource } from "../spec/SimSpec.ts"
import {
  type GeneratorSpec,
  generatedTrace,
  generatorSource,
  limitSource,
  mergeSources,
  TimeHeap,
} from "./TraceGenerators.ts"

const HOUR = 3_600_000

const drain = (source: TraceSource, max = 10_000_000): PodEvent[] => {
  const out: PodEvent[] = []
  for (let e = source.next(); e !== undefined; e = source.next()) {
    out.push(e)
    if (out.length > max) throw new Error("runaway source")
  }
  return out
}

const run = (spec: GeneratorSpec, seed = 7, index = 0, untilMs?: number): PodEvent[] =>
  drain(
    untilMs === undefined
      ? generatorSource(spec, seed, index)
      : limitSource(generatorSource(spec, seed, index), untilMs),
  )

const fromArray = (events: readonly PodEvent[]): TraceSource => {
  let i = 0
  return { next: () => events[i++] }
}

const ev = (t: number, pod: string, type: "create" | "delete" = "create"): PodEvent => ({
  t,
  type,
  pod,
  windowsSelector: true,
  hostNetwork: false,
})

/** Lifetime of each pod that was both created and deleted. */
const lifetimes = (events: readonly PodEvent[]): number[] => {
  const born = new Map<string, number>()
  const out: number[] = []
  for (const e of events) {
    if (e.type === "create") born.set(e.pod, e.t)
    else out.push(e.t - born.get(e.pod)!)
  }
  return out
}

/** Checks the invariants every trace must keep (plain checks: expect() per event is slow); returns peak live pods. */
const checkTrace = (events: readonly PodEvent[]): number => {
  const live = new Set<string>()
  const seen = new Set<string>()
  let last = 0
  let peak = 0
  for (const e of events) {
    if (!Number.isInteger(e.t) || e.t < last) throw new Error(`time ${e.t} after ${last}`)
    last = e.t
    if (e.type === "create") {
      if (seen.has(e.pod)) throw new Error(`duplicate name ${e.pod}`)
      seen.add(e.pod)
      live.add(e.pod)
      peak = Math.max(peak, live.size)
    } else if (!live.delete(e.pod)) throw new Error(`delete of ${e.pod} before its create`)
  }
  return peak
}

const poisson = (ratePerSecond: number, endMs: number, lifetime: LatencySpec | "forever"): GeneratorSpec => ({
  kind: "poisson",
  ratePerSecond,
  endMs,
  lifetime,
})

describe("TimeHeap", () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 })])(
    "pops by (time, insertion order)",
    (ts) => {
      const h = new TimeHeap<number>()
      for (const [i, t] of ts.entries()) h.push(t, i)
      expect(h.size).toBe(ts.length)
      const expected = ts.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i)
      const got: number[] = []
      for (let i = h.pop(); i !== undefined; i = h.pop()) got.push(i)
      expect(got).toEqual(expected.map((x) => x.i))
      expect(h.peekTime()).toBe(Number.POSITIVE_INFINITY)
    },
  )
})

describe("poisson", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const spec = poisson(1, HOUR, { lognormal: { median: 60_000, p99: 600_000 } })
    expect(run(spec, 7)).toEqual(run(spec, 7))
    expect(run(spec, 8)).not.toEqual(run(spec, 7))
  })

  it("creates about rate × duration pods (within 5 σ) inside [startMs, endMs)", () => {
    const spec: GeneratorSpec = {
      kind: "poisson",
      ratePerSecond: 2,
      startMs: HOUR,
      endMs: 3 * HOUR,
      lifetime: "forever",
    }
    const creates = run(spec).filter((e) => e.type === "create")
    const mean = 2 * 7200
    expect(Math.abs(creates.length - mean)).toBeLessThan(5 * Math.sqrt(mean))
    expect(creates[0]!.t).toBeGreaterThanOrEqual(HOUR)
    expect(creates.at(-1)!.t).toBeLessThan(3 * HOUR)
  })

  it("draws lifetimes from the distribution", () => {
    const events = run(poisson(5, 4 * HOUR, { lognormal: { median: 300_000, p99: HOUR } }))
    checkTrace(events)
    const ls = lifetimes(events).sort((a, b) => a - b)
    expect(ls.length).toBeGreaterThan(60_000)
    const median = ls[Math.floor(ls.length / 2)]!
    const p99 = ls[Math.floor(ls.length * 0.99)]!
    expect(Math.abs(median / 300_000 - 1)).toBeLessThan(0.03)
    expect(Math.abs(p99 / HOUR - 1)).toBeLessThan(0.1)
  })

  it("fixed lifetimes are exact and forever means no deletes", () => {
    const fixed = run(poisson(1, HOUR, { fixed: 90_000 }))
    expect(new Set(lifetimes(fixed))).toEqual(new Set([90_000]))
    const forever = run(poisson(1, HOUR, "forever"))
    expect(forever.every((e) => e.type === "create")).toBe(true)
  })

  it("names pods <prefix>-<n> and applies the pod shape", () => {
    const events = run(
      { ...poisson(1, 60_000, { fixed: 1 }), node: "n1", hostNetwork: true, windowsSelector: false },
      1,
      3,
    )
    expect(events[0]!.pod).toBe("poisson-3-0")
    expect(events.every((e) => e.node === "n1" && e.hostNetwork && !e.windowsSelector)).toBe(true)
    const named = run({ ...poisson(1, 60_000, "forever"), namePrefix: "web" })
    expect(named.map((e) => e.pod).slice(0, 2)).toEqual(["web-0", "web-1"])
    const dflt = run(poisson(1, 60_000, "forever"))
    expect(dflt.every((e) => e.windowsSelector && !e.hostNetwork && e.node === undefined)).toBe(true)
  })

  it("a rate of 0 or an empty window gives no pods", () => {
    expect(run(poisson(0, HOUR, "forever"))).toEqual([])
    expect(run({ kind: "poisson", ratePerSecond: 5, startMs: 10, endMs: 10, lifetime: "forever" })).toEqual([])
  })

  it("an unbounded generator is fine when limited, and deletes past the limit are dropped", () => {
    const events = run({ kind: "poisson", ratePerSecond: 10, lifetime: { fixed: HOUR } }, 1, 0, 60_000)
    expect(events.length).toBeGreaterThan(400)
    expect(events.every((e) => e.type === "create" && e.t < 60_000)).toBe(true)
  })
})

describe("diurnal", () => {
  const countNear = (events: readonly PodEvent[], centre: number, period: number, half: number): number =>
    events.filter((e) => {
      const d = (((e.t - centre) % period) + period) % period
      return d < half || d >= period - half
    }).length

  it("peaks at peakAtMs with the ratio (1 + a) / (1 − a)", () => {
    const day = 86_400_000
    const events = run({ kind: "diurnal", meanPerSecond: 1, amplitude: 0.5, endMs: 10 * day, lifetime: "forever" })
    const peak = countNear(events, 14 * HOUR, day, HOUR / 2)
    const trough = countNear(events, 2 * HOUR, day, HOUR / 2)
    expect(peak / trough).toBeGreaterThan(2.8)
    expect(peak / trough).toBeLessThan(3.2)
    // Mean rate is kept: about 1/s over the whole ten days.
    expect(Math.abs(events.length - 864_000)).toBeLessThan(5 * Math.sqrt(864_000))
  })

  it("honours periodMs and peakAtMs, and amplitude 1 empties the trough", () => {
    const events = run({
      kind: "diurnal",
      meanPerSecond: 2,
      amplitude: 1,
      periodMs: HOUR,
      peakAtMs: 0,
      endMs: 50 * HOUR,
      lifetime: { fixed: 1000 },
    })
    checkTrace(events)
    const creates = events.filter((e) => e.type === "create")
    const peak = countNear(creates, 0, HOUR, 120_000)
    const trough = countNear(creates, HOUR / 2, HOUR, 120_000)
    expect(peak).toBeGreaterThan(1000)
    expect(trough).toBeLessThan(peak / 100)
  })
})

describe("rollout", () => {
  it("scale-up creates replicas pods spread evenly, never deleted", () => {
    const events = run({
      kind: "rollout",
      mode: "scale-up",
      atMs: 5000,
      replicas: 10,
      spreadMs: 1000,
      namePrefix: "app",
    })
    expect(events.map((e) => e.t)).toEqual([5000, 5100, 5200, 5300, 5400, 5500, 5600, 5700, 5800, 5900])
    expect(events.every((e) => e.type === "create")).toBe(true)
    expect(events.map((e) => e.pod)).toEqual(Array.from({ length: 10 }, (_, i) => `app-${i}`))
    const burst = run({ kind: "rollout", mode: "scale-up", atMs: 0, replicas: 4 })
    expect(burst.map((e) => e.t)).toEqual([0, 0, 0, 0])
  })

  it("rolling-replace: old pods at 0, steps of maxSurge, never more than replicas + maxSurge alive", () => {
    const events = run({
      kind: "rollout",
      mode: "rolling-replace",
      atMs: 60_000,
      replicas: 10,
      maxSurge: 3,
      stepEveryMs: 20_000,
      namePrefix: "web",
    })
    expect(checkTrace(events)).toBe(13)
    const creates = events.filter((e) => e.type === "create")
    const deletes = events.filter((e) => e.type === "delete")
    expect(creates.slice(0, 10).every((e) => e.t === 0 && e.pod.startsWith("web-old-"))).toBe(true)
    expect(creates.slice(10).map((e) => e.t)).toEqual([
      60_000, 60_000, 60_000, 80_000, 80_000, 80_000, 100_000, 100_000, 100_000, 120_000,
    ])
    expect(deletes.map((e) => e.pod)).toEqual(Array.from({ length: 10 }, (_, i) => `web-old-${i}`))
    expect(deletes.map((e) => e.t)).toEqual([
      80_000, 80_000, 80_000, 100_000, 100_000, 100_000, 120_000, 120_000, 120_000, 140_000,
    ])
    // At a step boundary the old batch goes before the new batch arrives.
    const i = events.findIndex((e) => e.t === 80_000)
    expect(events.slice(i, i + 6).map((e) => e.type)).toEqual([
      "delete",
      "delete",
      "delete",
      "create",
      "create",
      "create",
    ])
    // Live count never drops below replicas once the old pods exist.
    let live = 0
    for (const e of events) {
      live += e.type === "create" ? 1 : -1
      if (e.t > 0) expect(live).toBeGreaterThanOrEqual(10)
    }
    expect(live).toBe(10)
  })

  it("rolling-replace defaults: maxSurge ceil(25%), steps every 30 s", () => {
    const events = run({ kind: "rollout", mode: "rolling-replace", atMs: 0, replicas: 9 })
    expect(checkTrace(events)).toBe(12)
    const newTimes = events.filter((e) => e.type === "create" && !e.pod.includes("-old-")).map((e) => e.t)
    expect(newTimes).toEqual([0, 0, 0, 30_000, 30_000, 30_000, 60_000, 60_000, 60_000])
    expect(events[0]!.pod).toBe("rollout-0-old-0")
  })
})

describe("cronjob", () => {
  it("creates bursts of parallelism pods at each tick, running for runMs", () => {
    const events = run({
      kind: "cronjob",
      everyMs: 300_000,
      startMs: 60_000,
      endMs: HOUR,
      parallelism: 4,
      runMs: { fixed: 45_000 },
      namePrefix: "batch",
    })
    checkTrace(events)
    const creates = events.filter((e) => e.type === "create")
    const ticks = new Map<number, number>()
    for (const e of creates) ticks.set(e.t, (ticks.get(e.t) ?? 0) + 1)
    expect([...ticks.keys()]).toEqual(Array.from({ length: 12 }, (_, k) => 60_000 + k * 300_000))
    expect([...ticks.values()].every((n) => n === 4)).toBe(true)
    expect(new Set(lifetimes(events))).toEqual(new Set([45_000]))
    expect(creates[0]!.pod).toBe("batch-0")
  })

  it("overlapping runs are allowed and lifetimes vary with a distribution", () => {
    const events = run({
      kind: "cronjob",
      everyMs: 1000,
      endMs: 100_000,
      parallelism: 2,
      runMs: { uniform: { min: 500, max: 5000 } },
    })
    expect(checkTrace(events)).toBeGreaterThan(4)
    const ls = lifetimes(events)
    expect(ls).toHaveLength(200)
    expect(Math.min(...ls)).toBeGreaterThanOrEqual(500)
    expect(Math.max(...ls)).toBeLessThanOrEqual(5000)
  })
})

describe("impossible values", () => {
  const bad: [GeneratorSpec, RegExp][] = [
    [poisson(-1, HOUR, "forever"), /generator 0 \(poisson\): ratePerSecond: expected a finite number ≥ 0, got -1/],
    [poisson(Number.NaN, HOUR, "forever"), /ratePerSecond/],
    [poisson(1, 10.5, "forever"), /endMs: expected a whole number of ms ≥ 0, got 10.5/],
    [
      { kind: "poisson", ratePerSecond: 1, startMs: 10, endMs: 5, lifetime: "forever" },
      /endMs: expected at least startMs/,
    ],
    [poisson(1, HOUR, { lognormal: { median: 10, p99: 5 } }), /lifetime\.lognormal\.p99/],
    [
      { kind: "diurnal", meanPerSecond: 1, amplitude: 1.5, lifetime: "forever" },
      /amplitude: expected a number from 0 to 1/,
    ],
    [{ kind: "diurnal", meanPerSecond: 1, amplitude: 0.5, periodMs: 0, lifetime: "forever" }, /periodMs/],
    [{ kind: "rollout", mode: "scale-up", atMs: 0, replicas: -1 }, /replicas: expected a whole number ≥ 0/],
    [{ kind: "rollout", mode: "rolling-replace", atMs: 0, replicas: 3, maxSurge: 0 }, /maxSurge/],
    [{ kind: "rollout", mode: "rolling-replace", atMs: 0, replicas: 3, stepEveryMs: 0 }, /stepEveryMs/],
    [{ kind: "rollout", mode: "sideways" as "scale-up", atMs: 0, replicas: 3 }, /mode: expected "scale-up" or/],
    [{ kind: "cronjob", everyMs: 0, parallelism: 1, runMs: { fixed: 1 } }, /everyMs: expected more than 0 ms/],
    [{ kind: "cronjob", everyMs: 10, parallelism: 0, runMs: { fixed: 1 } }, /parallelism/],
    [{ kind: "cronjob", everyMs: 10, parallelism: 1, runMs: { fixed: -1 } }, /runMs\.fixed/],
    [
      { kind: "batch" } as unknown as GeneratorSpec,
      /generator 0: kind: expected "poisson", "diurnal", "rollout" or "cronjob", got "batch"/,
    ],
    [{ ...poisson(1, HOUR, "forever"), namePrefix: "" }, /namePrefix/],
    [
      { kind: "poisson", ratePerSecond: 1 } as GeneratorSpec,
      /generator 0 \(poisson\): lifetime: expected one of \{ fixed \}/,
    ],
  ]
  it.each(bad)("%j is refused", (spec, message) => {
    expect(() => generatorSource(spec, 1, 0)).toThrow(message)
  })
})

describe("mergeSources", () => {
  it("orders by time; ties go to the lower source index, then the source's own order", () => {
    const a = [ev(0, "a0"), ev(5, "a1"), ev(5, "a2"), ev(9, "a3")]
    const b = [ev(5, "b0"), ev(5, "b1"), ev(6, "b2")]
    const c = [ev(1, "c0"), ev(5, "c1")]
    const merged = drain(mergeSources([a, b, c].map(fromArray)))
    expect(merged.map((e) => e.pod)).toEqual(["a0", "c0", "a1", "a2", "b0", "b1", "c1", "b2", "a3"])
  })

  test.prop([fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 40 }), { maxLength: 8 })])(
    "equals a stable sort of the concatenation",
    (lists) => {
      const sources = lists.map((ts, s) => [...ts].sort((x, y) => x - y).map((t, i) => ev(t, `${s}:${i}`)))
      const merged = drain(mergeSources(sources.map(fromArray)))
      const expected = sources.flat().sort((x, y) => x.t - y.t)
      expect(merged.map((e) => e.pod)).toEqual(expected.map((e) => e.pod))
    },
  )

  it("refuses a source that goes back in time", () => {
    const merged = mergeSources([fromArray([ev(5, "x"), ev(3, "y")])])
    expect(() => drain(merged)).toThrow("mergeSources: source 0 went back in time (3 ms after 5 ms)")
  })

  it("handles no sources and empty sources", () => {
    expect(drain(mergeSources([]))).toEqual([])
    expect(drain(mergeSources([fromArray([]), fromArray([ev(1, "x")])])).map((e) => e.pod)).toEqual(["x"])
  })
})

describe("generatedTrace", () => {
  const a: GeneratorSpec = poisson(1, HOUR, { fixed: 60_000 })
  const b: GeneratorSpec = { kind: "cronjob", everyMs: 600_000, parallelism: 3, runMs: { fixed: 5000 } }

  it("adding a generator leaves the others' pods unchanged", () => {
    const alone = drain(generatedTrace([a], 3, HOUR))
    const both = drain(generatedTrace([a, b], 3, HOUR))
    expect(both.filter((e) => e.pod.startsWith("poisson-0-"))).toEqual(alone)
    expect(both.some((e) => e.pod.startsWith("cronjob-1-"))).toBe(true)
  })

  it("limitSource keeps events before the horizon only", () => {
    const events = drain(generatedTrace([a, b], 3, 1_800_000))
    expect(events.at(-1)!.t).toBeLessThan(1_800_000)
    expect(drain(limitSource(fromArray([ev(0, "x"), ev(10, "y"), ev(11, "z")]), 10)).map((e) => e.pod)).toEqual(["x"])
  })

  const lifetimeArb: fc.Arbitrary<LatencySpec | "forever"> = fc.oneof(
    fc.constant("forever" as const),
    fc.integer({ min: 0, max: 200_000 }).map((fixed) => ({ fixed })),
    fc
      .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }))
      .map(([x, y]) => ({ uniform: { min: Math.min(x, y), max: Math.max(x, y) } })),
    fc
      .tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 1_000_000 }))
      .map(([median, extra]) => ({ lognormal: { median, p99: median + extra } })),
  )
  const startEnd = fc
    .tuple(fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 500_000 }))
    .map(([x, y]) => ({ startMs: Math.min(x, y), endMs: Math.max(x, y) }))
  const specArb: fc.Arbitrary<GeneratorSpec> = fc.oneof(
    fc
      .record({ rate: fc.double({ min: 0, max: 5, noNaN: true }), w: startEnd, lifetime: lifetimeArb })
      .map(({ rate, w, lifetime }) => ({ kind: "poisson" as const, ratePerSecond: rate, ...w, lifetime })),
    fc
      .record({
        mean: fc.double({ min: 0, max: 5, noNaN: true }),
        amplitude: fc.double({ min: 0, max: 1, noNaN: true }),
        periodMs: fc.integer({ min: 1, max: 1_000_000 }),
        peakAtMs: fc.integer({ min: 0, max: 1_000_000 }),
        w: startEnd,
        lifetime: lifetimeArb,
      })
      .map(({ mean, w, ...rest }) => ({ kind: "diurnal" as const, meanPerSecond: mean, ...w, ...rest })),
    fc
      .record({
        atMs: fc.integer({ min: 0, max: 500_000 }),
        replicas: fc.integer({ min: 0, max: 50 }),
        maxSurge: fc.integer({ min: 1, max: 60 }),
        stepEveryMs: fc.integer({ min: 1, max: 100_000 }),
      })
      .map((r) => ({ kind: "rollout" as const, mode: "rolling-replace" as const, ...r })),
    fc
      .record({
        atMs: fc.integer({ min: 0, max: 500_000 }),
        replicas: fc.integer({ min: 0, max: 50 }),
        spreadMs: fc.integer({ min: 0, max: 100_000 }),
      })
      .map((r) => ({ kind: "rollout" as const, mode: "scale-up" as const, ...r })),
    fc
      .record({
        everyMs: fc.integer({ min: 1000, max: 200_000 }),
        parallelism: fc.integer({ min: 1, max: 5 }),
        w: startEnd,
        runMs: lifetimeArb.filter((l): l is LatencySpec => l !== "forever"),
      })
      .map(({ w, ...r }) => ({ kind: "cronjob" as const, ...w, ...r })),
  )

  test.prop([fc.array(specArb, { maxLength: 5 }), fc.integer(), fc.integer({ min: 0, max: 2_000_000 })], {
    numRuns: 60,
  })("times are whole ms, non-decreasing, and every delete follows its create", (specs, seed, until) => {
    const events = drain(generatedTrace(specs, seed, until), 200_000)
    checkTrace(events)
    expect(events.every((e) => e.t < until)).toBe(true)
    for (const [i, spec] of specs.entries()) {
      if (spec.kind === "rollout" && spec.mode === "rolling-replace") {
        const own = events.filter((e) => e.pod.startsWith(`rollout-${i}-`))
        expect(checkTrace(own)).toBeLessThanOrEqual(spec.replicas + (spec.maxSurge ?? 0))
      }
    }
    expect(drain(generatedTrace(specs, seed, until), 200_000)).toEqual(events)
  })
})
