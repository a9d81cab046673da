// Judging a sweep: statistics across seeds, which points meet the constraints on every seed, the Pareto
// frontier of objective against p99 wait, the recommendation, and (when nothing is feasible) the closest
// point. Pure functions of the ordered run results.

import type { RunMetrics } from "./TuneJob.ts"
import type { Constraints, Objective } from "./TunePlan.ts"
import type { TunePoint } from "./TunePoints.ts"

export interface Spread {
  readonly mean: number
  readonly min: number
  readonly max: number
  /** Population standard deviation across seeds. */
  readonly sd: number
}

export type ConstraintName = "maxP99WaitMs" | "noExhaustion" | "allPodsGetIp"

export interface ConstraintFailure {
  readonly seed: number
  readonly constraint: ConstraintName
  readonly actual: number | boolean
  readonly limit: number | boolean
}

export interface PointResult {
  readonly point: TunePoint
  /** One per seed, in seed order. */
  readonly runs: readonly RunMetrics[]
  readonly objective: Spread
  readonly p99WaitMs: Spread
  readonly peakAllocated: Spread
  readonly neverGotIp: Spread
  readonly failures: readonly ConstraintFailure[]
  /** Every seed meets every constraint. */
  readonly feasible: boolean
  readonly onFrontier: boolean
}

export interface Margin {
  readonly constraint: ConstraintName
  readonly limit: number | boolean
  /** The worst seed's value: highest p99, fewest free addresses, most pods without an address. */
  readonly worst: number
  /** How far the worst seed is from the limit (ms for p99, free addresses for exhaustion); null for allPodsGetIp. */
  readonly margin: number | null
}

export interface Analysis {
  readonly results: readonly PointResult[]
  /** Point ids on the Pareto frontier, by ascending p99 wait. */
  readonly frontier: readonly number[]
  readonly recommended: number | null
  readonly margins: readonly Margin[]
  /** When nothing is feasible: the point that misses the constraints least. */
  readonly closest: number | null
}

export const objectiveOf = (m: RunMetrics, objective: Objective): number =>
  objective === "waste" ? m.wasteIpSeconds : objective === "peak-allocated" ? m.peakAllocated : m.warmIpSeconds

export const spread = (values: readonly number[]): Spread => {
  const n = values.length
  if (n === 0) return { mean: 0, min: 0, max: 0, sd: 0 }
  let total = 0
  for (const v of values) total += v
  const mean = total / n
  let sq = 0
  for (const v of values) sq += (v - mean) ** 2
  return { mean, min: Math.min(...values), max: Math.max(...values), sd: Math.sqrt(sq / n) }
}

export const failuresOf = (runs: readonly RunMetrics[], c: Constraints): ConstraintFailure[] => {
  const out: ConstraintFailure[] = []
  for (const r of runs) {
    if (c.maxP99WaitMs !== undefined && r.p99WaitMs > c.maxP99WaitMs)
      out.push({ seed: r.seed, constraint: "maxP99WaitMs", actual: r.p99WaitMs, limit: c.maxP99WaitMs })
    if (c.noExhaustion && r.exhausted)
      out.push({ seed: r.seed, constraint: "noExhaustion", actual: false, limit: true })
    if (c.allPodsGetIp && r.neverGotIp > 0)
      out.push({ seed: r.seed, constraint: "allPodsGetIp", actual: false, limit: true })
  }
  return out
}

const MODE_ORDER = { "secondary-ip": 0, prefix: 1 } as const

/**
 * The recommendation order: mean objective, then mean p99, then lower Windows targets (warm, minimum,
 * prefix), then lower Linux targets (WARM_ENI, WARM_IP, MINIMUM_IP, WARM_PREFIX), then mode.
 */
export const compareForRecommendation = (a: PointResult, b: PointResult): number => {
  const ea = a.point.effective
  const eb = b.point.effective
  const la = a.point.linuxTargets
  const lb = b.point.linuxTargets
  const linux = (f: (t: NonNullable<typeof la>) => number): number => (la === null || lb === null ? 0 : f(la) - f(lb))
  return (
    a.objective.mean - b.objective.mean ||
    a.p99WaitMs.mean - b.p99WaitMs.mean ||
    ea.warmIpTarget - eb.warmIpTarget ||
    ea.minimumIpTarget - eb.minimumIpTarget ||
    ea.warmPrefixTarget - eb.warmPrefixTarget ||
    linux((t) => t.warmEniTarget) ||
    linux((t) => t.warmIpTarget) ||
    linux((t) => t.minimumIpTarget) ||
    linux((t) => t.warmPrefixTarget) ||
    MODE_ORDER[a.point.mode] - MODE_ORDER[b.point.mode] ||
    a.point.id - b.point.id
  )
}

/** How badly a point misses: seeds failing, failures, then the size of the misses. */
const shortfall = (r: PointResult): [number, number, number] => {
  let size = 0
  for (const f of r.failures) {
    const run = r.runs.find((x) => x.seed === f.seed)!
    if (f.constraint === "maxP99WaitMs") size += (run.p99WaitMs - (f.limit as number)) / Math.max(f.limit as number, 1)
    else if (f.constraint === "noExhaustion") size += 1 + run.exhaustedMs / Math.max(run.simulatedMs, 1)
    else size += run.neverGotIp / Math.max(run.requestingAddress, 1)
  }
  return [new Set(r.failures.map((f) => f.seed)).size, r.failures.length, size]
}

const marginsOf = (r: PointResult, c: Constraints): Margin[] => {
  const out: Margin[] = []
  if (c.maxP99WaitMs !== undefined) {
    const worst = Math.max(...r.runs.map((x) => x.p99WaitMs))
    out.push({ constraint: "maxP99WaitMs", limit: c.maxP99WaitMs, worst, margin: c.maxP99WaitMs - worst })
  }
  if (c.noExhaustion) {
    const worst = Math.min(...r.runs.map((x) => x.minFree))
    out.push({ constraint: "noExhaustion", limit: true, worst, margin: worst })
  }
  if (c.allPodsGetIp)
    out.push({
      constraint: "allPodsGetIp",
      limit: true,
      worst: Math.max(...r.runs.map((x) => x.neverGotIp)),
      margin: null,
    })
  return out
}

export const analyse = (
  points: readonly TunePoint[],
  runsByPoint: ReadonlyArray<readonly RunMetrics[]>,
  constraints: Constraints,
  objective: Objective,
): Analysis => {
  const base = points.map((point, i) => {
    const runs = runsByPoint[i]!
    const failures = failuresOf(runs, constraints)
    return {
      point,
      runs,
      objective: spread(runs.map((r) => objectiveOf(r, objective))),
      p99WaitMs: spread(runs.map((r) => r.p99WaitMs)),
      peakAllocated: spread(runs.map((r) => r.peakAllocated)),
      neverGotIp: spread(runs.map((r) => r.neverGotIp)),
      failures,
      feasible: failures.length === 0,
      onFrontier: false,
    }
  })
  // Pareto frontier over all points: no other point is at least as good on both means and better on one.
  const dominated = (a: (typeof base)[number]): boolean =>
    base.some(
      (b) =>
        b !== a &&
        b.objective.mean <= a.objective.mean &&
        b.p99WaitMs.mean <= a.p99WaitMs.mean &&
        (b.objective.mean < a.objective.mean || b.p99WaitMs.mean < a.p99WaitMs.mean),
    )
  const results: PointResult[] = base.map((r) => ({ ...r, onFrontier: !dominated(r) }))
  const frontier = results
    .filter((r) => r.onFrontier)
    .sort(
      (a, b) => a.p99WaitMs.mean - b.p99WaitMs.mean || a.objective.mean - b.objective.mean || a.point.id - b.point.id,
    )
    .map((r) => r.point.id)
  const feasible = results.filter((r) => r.feasible).sort(compareForRecommendation)
  const best = feasible[0]
  if (best !== undefined)
    return { results, frontier, recommended: best.point.id, margins: marginsOf(best, constraints), closest: null }
  const closest = [...results].sort((a, b) => {
    const sa = shortfall(a)
    const sb = shortfall(b)
    return sa[0] - sb[0] || sa[1] - sb[1] || sa[2] - sb[2] || compareForRecommendation(a, b)
  })[0]
  return { results, frontier, recommended: null, margins: [], closest: closest?.point.id ?? null }
}
