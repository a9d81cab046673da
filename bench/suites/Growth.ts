// How the kernel's cost grows, one dimension at a time, on in-memory traces: with nodes, with pods, with
// simulated time, and trace M's steady state over 1,000 and 5,000 nodes.

import { loadScenario } from "@ipamsim/cli/scenario/ScenarioLoader"
import { loadInMemory, runInMemory } from "../inMemory.ts"
import { ensureTrace, SIZES } from "../Traces.ts"
import { churn, kernelRun, noopRun } from "./Churn.ts"
import { suite } from "./Results.ts"

export const growth = async (): Promise<void> => {
  const HOUR = 3_600_000
  const base = churn(20_000, 6 * HOUR)
  const events = base.length
  await suite(
    `scaling with nodes (${events} events, 6 h)`,
    events,
    [
      ["iterate events (baseline)", noopRun(base)],
      ["100 nodes", kernelRun(100, base, 6 * HOUR)],
      ["1,000 nodes", kernelRun(1000, base, 6 * HOUR)],
      ["5,000 nodes", kernelRun(5000, base, 6 * HOUR)],
    ],
    true,
  )
  const small = churn(5_000, 6 * HOUR)
  const large = churn(50_000, 6 * HOUR)
  await suite(
    "scaling with pods (1,000 nodes, 6 h)",
    events,
    [
      ["iterate events (baseline)", noopRun(base)],
      [`${small.length} events`, kernelRun(1000, small, 6 * HOUR), small.length],
      [`${events} events`, kernelRun(1000, base, 6 * HOUR)],
      [`${large.length} events`, kernelRun(1000, large, 6 * HOUR), large.length],
    ],
    true,
  )
  const stretched = (k: number) => base.map((e) => ({ ...e, t: e.t * k }))
  await suite(
    `scaling with simulated time (1,000 nodes, ${events} events)`,
    events,
    [
      ["iterate events (baseline)", noopRun(base)],
      ["6 h", kernelRun(1000, base, 6 * HOUR)],
      ["2 days", kernelRun(1000, stretched(8), 48 * HOUR)],
      ["7 days", kernelRun(1000, stretched(28), 168 * HOUR)],
    ],
    true,
  )
}

/**
 * The steady state over more nodes: trace M (2 days) replayed over its 1,000 nodes and over 5,000 (four
 * groups of 1,250 on four /16 subnets, as L), the kernel alone on the events read into memory first.
 */
export const nodesSteadyState = async (): Promise<void> => {
  const { loaded, events } = loadInMemory(ensureTrace(SIZES.M))
  const over5000 = loadScenario(ensureTrace(SIZES.M, 5000))
  await suite(
    `steady state over more nodes (trace M in memory, ${events.length} events, 2 days)`,
    events.length,
    [
      ["iterate events (baseline)", noopRun(events)],
      ["1,000 nodes", () => runInMemory(loaded, events)],
      ["5,000 nodes", () => runInMemory(over5000, events)],
    ],
    true,
  )
}
