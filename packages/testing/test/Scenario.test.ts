// scenarios(): how the parts combine (per-node churn, subnet placement) and simulate() on the result.

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Churn } from "../src/Churn.ts"
import { burstChurn } from "../src/ChurnArbitraries.ts"
import { nodeCount, nodeGroups } from "../src/NodeGroupArbitrary.ts"
import { scenarios, toSpecInput } from "../src/Scenario.ts"
import { simulate } from "../src/Simulate.ts"
import { subnet } from "../src/SubnetArbitrary.ts"

describe("scenarios", () => {
  it("churnPerNode: one draw per node, merged, so the pod count follows the node count", () => {
    const arb = scenarios({
      nodeGroups: nodeGroups({ count: { min: 1, max: 3 } }),
      churnPerNode: burstChurn({ bursts: 1, podsPerBurst: 2 }),
    })
    fc.assert(
      fc.property(arb, (s) => {
        expect(s.churn.size).toBe(2 * nodeCount(s.nodeGroups))
      }),
      { numRuns: 50 },
    )
  })

  it("places every node group in the scenario's subnet", () => {
    const arb = scenarios({
      nodeGroups: nodeGroups({ groups: 2 }),
      subnet: subnet({ id: "private-a", prefixLength: 22 }),
      churn: fc.constant(new Churn([])),
    })
    const [s] = fc.sample(arb, { numRuns: 1 })
    expect(s!.nodeGroups.map((g) => g.subnet)).toEqual(["private-a", "private-a"])
    expect(toSpecInput(s!).subnets).toEqual([{ id: "private-a", cidr: "10.0.0.0/22", usedByOthers: { count: 0 } }])
  })

  it("simulate: a scenario runs to a report, and the same scenario gives the same report", () => {
    const [s] = fc.sample(
      scenarios({ nodeGroups: nodeGroups(), churnPerNode: burstChurn({ podsPerBurst: { min: 1, max: 5 } }) }),
      { numRuns: 1, seed: 9 },
    )
    const a = simulate(s!)
    expect(a.pods.created).toBe(s!.churn.size)
    expect(JSON.stringify(simulate(s!))).toBe(JSON.stringify(a))
  })
})
