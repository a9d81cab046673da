// One scenario loaded, simulated and reported (no output files): the core of `ipamsim run`, used by tests
// and benchmarks too.

import { Cluster } from "@ipamsim/core/Cluster"
import type { Progress } from "../Progress.ts"
import { buildReport, type Report } from "../report/Report.ts"
import { buildSimSpec } from "./BuildSimSpec.ts"
import { loadScenario } from "./ScenarioLoader.ts"

export interface RunOptions {
  readonly seed?: number | undefined
  readonly sortTraces?: boolean | undefined
  readonly checkInvariants?: boolean | undefined
  readonly progress?: Progress | undefined
}

/** Loads, simulates and reports one scenario (no output files): the core of `ipamsim run`, used by tests too. */
export const simulateScenario = (file: string, options: RunOptions = {}): Report => {
  const loaded = loadScenario(file)
  const spec = buildSimSpec(loaded, options)
  // A run that stops before the trace ends (duration) must not leave a reader thread behind.
  try {
    const cluster = new Cluster(spec)
    const progress = options.progress
    if (progress === undefined) return buildReport(loaded.scenario, cluster.run())
    let n = 0
    while (cluster.step()) {
      if ((++n & 0xffff) === 0) progress.update(cluster.now, spec.durationMs, n)
    }
    progress.done()
    return buildReport(loaded.scenario, cluster.result())
  } finally {
    spec.trace.close?.()
  }
}
