// One scenario loaded, simulated and reported (no output files): the core of `ipamsim run`, used by tests
// and benchmarks too. The command's variant (simulateLoaded) lets a signal in a few times a second.

import { Cluster } from "@ipamsim/core/Cluster"
import { shouldYield, yieldNow } from "../Interrupt.ts"
import type { Progress } from "../Progress.ts"
import { buildReport, type Report } from "../report/Report.ts"
import { buildSimSpec } from "./BuildSimSpec.ts"
import { type LoadedScenario, loadScenario } from "./ScenarioLoader.ts"

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

/**
 * simulateScenario for a loaded scenario, yielding to the event loop a few times a second so that Ctrl-C
 * and SIGTERM stop it (Interrupt.ts). The same events in the same order: the same report.
 */
export const simulateLoaded = async (loaded: LoadedScenario, options: RunOptions = {}): Promise<Report> => {
  const spec = buildSimSpec(loaded, options)
  try {
    const cluster = new Cluster(spec)
    const progress = options.progress
    let n = 0
    while (cluster.step()) {
      if ((++n & 0x3fff) !== 0) continue
      if ((n & 0xffff) === 0) progress?.update(cluster.now, spec.durationMs, n)
      if (shouldYield()) await yieldNow()
    }
    progress?.done()
    return buildReport(loaded.scenario, cluster.result())
  } finally {
    spec.trace.close?.()
  }
}
