// capacityProperty registers a vitest property; checkCapacity runs one and hands back the shrunk counterexample.

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { capacityProperty, checkCapacity } from "../src/CapacityProperty.ts"
import { burstChurn } from "../src/ChurnArbitraries.ts"
import { CapacityAssertionError } from "../src/ExpectCapacity.ts"
import { nodeGroups } from "../src/NodeGroupArbitrary.ts"
import { scenarios } from "../src/Scenario.ts"

// A t3.medium has 5 addresses for pods (research §1.4): up to 5 pods that stay always get one.
const upTo = (maxPods: number) =>
  scenarios({
    nodeGroups: nodeGroups({ instanceTypes: ["t3.medium"], count: 1 }),
    churnPerNode: burstChurn({ bursts: 1, podsPerBurst: { min: 1, max: maxPods } }),
  })

describe("capacityProperty", () => {
  capacityProperty(
    "five pods that stay on a t3.medium all get an address",
    upTo(5),
    { allPodsGetIp: true },
    { numRuns: 20 },
  )

  capacityProperty(
    "expectations may depend on the scenario",
    upTo(5),
    (s) => ({ maxWaitMs: s.churn.size <= 3 ? 0 : 60_000 }),
    { numRuns: 20 },
  )
})

describe("checkCapacity", () => {
  it("finds the false claim and shrinks it to the smallest failing scenario", () => {
    const details = checkCapacity(upTo(8), { allPodsGetIp: true }, { seed: 1 })
    expect(details.failed).toBe(true)
    const [s] = details.counterexample!
    // Six pods at once: one more than the node's five addresses, and the simulation's own seed shrunk to 0.
    expect(s.churn.toString()).toBe("churn(6 pods: p0 at 30s, p1 at 30s, p2 at 30s, p3 at 30s, p4 at 30s, p5 at 30s)")
    expect(s.seed).toBe(0)
    expect(details.errorInstance).toBeInstanceOf(CapacityAssertionError)
    expect(fc.defaultReportMessage(details)).toContain("Counterexample:")
  })

  it("passes a true claim", () => {
    expect(checkCapacity(upTo(5), { allPodsGetIp: true }, { numRuns: 20 }).failed).toBe(false)
  })
})
