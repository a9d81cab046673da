// The kernel alone on a scenario: its trace read into memory once, then simulated from there, so that
// no file reading is timed or counted (bench/runKernel.ts; the steady-state and allocation rows of
// bench/suites/).
import { buildSimSpec } from "@ipamsim/cli/scenario/BuildSimSpec"
import { type LoadedScenario, loadScenario } from "@ipamsim/cli/scenario/ScenarioLoader"
import { Cluster } from "@ipamsim/core/Cluster"
import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"

/** A scenario file and all of its trace's events. */
export const loadInMemory = (file: string): { loaded: LoadedScenario; events: PodEvent[] } => {
  const loaded = loadScenario(file)
  const events: PodEvent[] = []
  // Kept in an array: one object per event (an in-thread reader never reuses them anyway).
  const read = buildSimSpec(loaded, { parallelTraces: false, reuseEvents: false })
  for (let e = read.trace.next(); e !== undefined; e = read.trace.next()) events.push(e)
  return { loaded, events }
}

/** One simulation of `loaded` over `events` (another scenario's events may be replayed on its nodes). */
export const runInMemory = (loaded: LoadedScenario, events: readonly PodEvent[]): SimResult => {
  const spec = buildSimSpec(loaded, { parallelTraces: false })
  spec.trace.close?.()
  let i = 0
  return new Cluster({ ...spec, trace: { next: () => events[i++] } }).run()
}
