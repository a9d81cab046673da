// Runs one scenario to the end and returns the simulator's report.

import { Cluster } from "@ipamsim/core/Cluster"
import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import type { SimSpec } from "@ipamsim/core/spec/SimSpec"
import { type SpecInput, simSpec } from "@ipamsim/core/spec/SpecBuilder"
import { type CapacityScenario, toSpecInput } from "./Scenario.ts"

/**
 * Simulates a capacity scenario, a SpecBuilder input, or a complete SimSpec. Deterministic: the same input gives
 * the same report. (A SimSpec's trace is a stream and is used up by the run; scenarios and inputs with event
 * arrays can be simulated again.)
 */
export const simulate = (spec: CapacityScenario | SpecInput | SimSpec): SimResult => {
  const full: SimSpec = "controller" in spec ? spec : simSpec("churn" in spec ? toSpecInput(spec) : spec)
  return new Cluster(full).run()
}
