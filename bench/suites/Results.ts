// The rows of the results table, which every suite adds to and bench/run.ts prints and writes as JSON, and
// `suite`, which times a tinybench suite into rows against its baseline.

import { Bench } from "tinybench"

export interface Row {
  readonly suite: string
  readonly task: string
  readonly perSecond: number
  readonly nsPerOp: number
  readonly ratioToBaseline: number
  readonly peakRssMb?: number
}

/** The table so far, in the order the suites ran. */
export const rows: Row[] = []

/**
 * Runs a tinybench suite whose tasks each process `ops` operations (or their own count, the third element);
 * the first task is the baseline.
 */
export const suite = async (
  name: string,
  ops: number,
  tasks: Array<[string, () => void, number?]>,
  heavy = false,
): Promise<void> => {
  // Heavy tasks (whole simulations) run a few times each; light ones for a fixed time.
  const bench = heavy
    ? new Bench({ name, iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 })
    : new Bench({ name, time: 1500, warmupTime: 300 })
  for (const [t, fn] of tasks) bench.add(t, fn)
  // The baseline again at the end: JIT warm-up favours whatever runs last.
  bench.add(`${tasks[0]![0]} (again)`, tasks[0]![1])
  await bench.run()
  const results = bench.tasks.map((t) => {
    const r = t.result
    if (r.state !== "completed") throw new Error(`${name}/${t.name}: ${r.state}`)
    return { name: t.name, meanMs: r.latency.mean }
  })
  const baseline = (results[0]!.meanMs + results[results.length - 1]!.meanMs) / 2
  results.slice(0, -1).forEach((r, i) => {
    const n = tasks[i]![2] ?? ops
    rows.push({
      suite: name,
      task: r.name,
      perSecond: Math.round(n / (r.meanMs / 1000)),
      nsPerOp: Math.round((r.meanMs * 1e6) / n),
      ratioToBaseline: Math.round((r.meanMs / baseline) * 100) / 100,
    })
  })
}
