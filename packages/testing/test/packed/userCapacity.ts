// A user's capacity test, written from docs/capacity-testing.md. Packed.test.ts copies it into a scratch project
// outside the repository as capacity.test.ts and runs it there against the installed tarballs.
import {
  CapacityAssertionError,
  capacityProperty,
  checkCapacity,
  configMap,
  nodeGroups,
  poissonChurn,
  scenarios,
  simulate,
  subnet,
  writeCounterexample,
} from "@ipamsim/testing"
import { describe, expect, it } from "vitest"

const cluster = {
  nodeGroups: nodeGroups({ instanceTypes: ["m5.large"], count: { min: 1, max: 3 } }),
  configMap: configMap({ warmIpTarget: 3 }),
}

describe("a warm target of 3 (docs/capacity-testing.md, example a)", () => {
  capacityProperty(
    "pods arriving at up to 2/s per node that stay all get an address, none waiting over 30 s",
    scenarios({
      ...cluster,
      churnPerNode: poissonChurn({
        ratePerSecond: { min: 0.1, max: 2 },
        durationMs: { min: 1_000, max: 60_000 },
        maxPods: 9,
      }),
    }),
    { allPodsGetIp: true, maxWaitMs: 30_000 },
    { numRuns: 40, seed: 2026 },
  )

  it("no pod waits over 2 s is false, and shrinks to a small counterexample", () => {
    const churn = scenarios({
      ...cluster,
      churnPerNode: poissonChurn({
        ratePerSecond: { min: 0.1, max: 2 },
        durationMs: { min: 1_000, max: 300_000 },
        lifetimeMs: { min: 1_000, max: 300_000 },
        maxPods: 40,
      }),
    })
    const details = checkCapacity(churn, { maxWaitMs: 2_000 }, { seed: 1 })
    expect(details.failed).toBe(true)
    expect(details.errorInstance).toBeInstanceOf(CapacityAssertionError)
    const [s] = details.counterexample!
    // Replayed, the shrunk scenario breaks the claim by itself.
    expect(simulate(s).pods.waitMs.max).toBeGreaterThan(2_000)
    // And as a scenario file, for `ipamsim run counterexamples/warm-target-2s.yaml --html report.html`.
    writeCounterexample(details, "counterexamples/warm-target-2s.yaml", { expectations: { maxWaitMs: 2_000 } })
  })
})

describe("a /23 survives 40 nodes (example b)", () => {
  capacityProperty(
    "no exhaustion for 1–40 nodes, any targets",
    scenarios({
      nodeGroups: nodeGroups({
        instanceTypes: ["m5.large"],
        count: { min: 1, max: 40 },
        joinEveryMs: { min: 0, max: 10_000 },
      }),
      subnet: subnet({ prefixLength: 23, usedByOthers: { min: 0, max: 100 } }),
      configMap: configMap({ warmIpTarget: "any", minimumIpTarget: "any" }),
      churnPerNode: poissonChurn({
        ratePerSecond: { min: 0.01, max: 1 },
        durationMs: { min: 10_000, max: 600_000 },
        lifetimeMs: { min: 5_000, max: 600_000 },
        startMs: 420_000,
        maxPods: 15,
      }),
    }),
    { noExhaustion: true },
    { numRuns: 10, seed: 2026 },
  )
})
