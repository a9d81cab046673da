// Arbitraries for pod churn: Poisson-like arrivals and bursts, each pod with a lifetime (or living to the end).
// They shrink toward fewer pods, then toward pods arriving together: the smallest trace that still breaks a
// property is usually "n pods at once", which is also the easiest to reason about.

import fc from "fast-check"
import { Churn, type PodLife } from "./Churn.ts"
import { integerIn, maxOf, type Range } from "./Range.ts"

/** When the first pod may arrive by default: nodes have joined and their pools are initialised by then. */
export const DEFAULT_START_MS = 30_000

export type Lifetime = Range | "forever"

const lifetimeArb = (l: Lifetime): fc.Arbitrary<number | null> => (l === "forever" ? fc.constant(null) : integerIn(l))

export interface PoissonChurnOptions {
  /** Mean arrivals per second, over the whole cluster (or per node, under `churnPerNode`). */
  readonly ratePerSecond: Range
  /** Length of the arrival window, ms. */
  readonly durationMs: Range
  readonly startMs?: number
  /** Default "forever": pods stay until the end. */
  readonly lifetimeMs?: Lifetime
  /** At most this many pods (default 200). */
  readonly maxPods?: number
}

interface Arrival {
  readonly gapMs: number
  readonly lifeMs: number | null
}

/**
 * Draws arrivals exactly as a Poisson process does (exponential gaps until the window ends), and shrinks them as
 * an array of (gap, lifetime): dropping pods, closing gaps toward 0, shortening lifetimes. Generating through the
 * array arbitrary instead would let fast-check's choice of array length cut the process short.
 */
class PoissonArrivals extends fc.Arbitrary<Arrival[]> {
  private readonly shape: fc.Arbitrary<Arrival[]>

  constructor(
    private readonly o: PoissonChurnOptions,
    private readonly maxPods: number,
  ) {
    super()
    this.shape = fc.array(
      fc.record({ gapMs: fc.nat(maxOf(o.durationMs)), lifeMs: lifetimeArb(o.lifetimeMs ?? "forever") }),
      {
        maxLength: maxPods,
      },
    )
  }

  generate(mrng: fc.Random): fc.Value<Arrival[]> {
    const pick = (r: Range, whole: boolean): number => {
      if (typeof r === "number") return r
      return whole ? mrng.nextInt(r.min, r.max) : r.min + mrng.nextDouble() * (r.max - r.min)
    }
    const rate = Math.max(pick(this.o.ratePerSecond, false), 1e-9)
    const duration = pick(this.o.durationMs, true)
    const lifetime = this.o.lifetimeMs ?? "forever"
    const out: Arrival[] = []
    let t = 0
    while (out.length < this.maxPods) {
      const gapMs = Math.round((-Math.log(1 - mrng.nextDouble()) / rate) * 1000)
      t += gapMs
      if (t > duration) break
      out.push({ gapMs, lifeMs: lifetime === "forever" ? null : pick(lifetime, true) })
    }
    return new fc.Value(out, undefined)
  }

  canShrinkWithoutContext(value: unknown): value is Arrival[] {
    return this.shape.canShrinkWithoutContext(value)
  }

  shrink(value: Arrival[], context: unknown): fc.Stream<fc.Value<Arrival[]>> {
    return this.shape.shrink(value, context)
  }
}

/**
 * Arrivals of a Poisson process at the given mean rate over the window (the rate and the window drawn once per
 * trace), capped at maxPods. Shrinks toward fewer pods arriving together at the start of the window.
 */
export const poissonChurn = (o: PoissonChurnOptions): fc.Arbitrary<Churn> => {
  const start = o.startMs ?? DEFAULT_START_MS
  return new PoissonArrivals(o, o.maxPods ?? 200).map((arrivals) => {
    let t = start
    return new Churn(
      arrivals.map((a) => {
        t += a.gapMs
        return { atMs: t, lifetimeMs: a.lifeMs }
      }),
    )
  })
}

export interface BurstChurnOptions {
  /** Number of bursts (default 1–3). */
  readonly bursts?: Range
  readonly podsPerBurst: Range
  /** Time between the starts of successive bursts (default 0–2 min). */
  readonly gapMs?: Range
  /** Pods of one burst arrive within this many ms of its start (default 0: all at once). */
  readonly spreadMs?: number
  readonly startMs?: number
  readonly lifetimeMs?: Lifetime
}

/** Groups of pods arriving together, like a Deployment scaled up or a Job fanning out. */
export const burstChurn = (o: BurstChurnOptions): fc.Arbitrary<Churn> => {
  const bursts = o.bursts ?? { min: 1, max: 3 }
  const perBurst = o.podsPerBurst
  const burst = fc.record({
    gap: integerIn(o.gapMs ?? { min: 0, max: 120_000 }),
    pods: fc.array(fc.record({ offset: fc.nat(o.spreadMs ?? 0), life: lifetimeArb(o.lifetimeMs ?? "forever") }), {
      minLength: typeof perBurst === "number" ? perBurst : perBurst.min,
      maxLength: maxOf(perBurst),
    }),
  })
  return fc
    .array(burst, { minLength: typeof bursts === "number" ? bursts : bursts.min, maxLength: maxOf(bursts) })
    .map((bs) => {
      const pods: PodLife[] = []
      let t = o.startMs ?? DEFAULT_START_MS
      bs.forEach((b, i) => {
        if (i > 0) t += b.gap
        for (const p of b.pods) pods.push({ atMs: t + p.offset, lifetimeMs: p.life })
      })
      return new Churn(pods)
    })
}
