// Example (c) of docs/capacity-testing.md: a property that FAILS. The /23 of example (b) does not survive 40
// nodes in prefix mode: every node wants at least one /28 prefix, and the nodes' own primary IPs, placed
// anywhere in the subnet, break up the aligned /28 blocks. The suite asserts the failure and its shrunk
// counterexample: a bare cluster (no pods at all) of 18 nodes, with the subnet still half free.

import { checkCapacity, configMap, failureReport, nodeGroups, poissonChurn, scenarios, subnet } from "@ipamsim/testing"
import { describe, expect, it } from "vitest"

describe("example (c): the same /23 in prefix mode", () => {
  it("fails to hold 40 m5.large nodes; shrinking finds 18 nodes and no pods", () => {
    const prefixMode = scenarios({
      nodeGroups: nodeGroups({
        instanceTypes: ["m5.large"],
        count: { min: 1, max: 40 },
        joinEveryMs: { min: 0, max: 10_000 },
      }),
      subnet: subnet({ prefixLength: 23, usedByOthers: { min: 0, max: 100 } }),
      configMap: configMap({ prefixDelegation: true }),
      churnPerNode: poissonChurn({
        ratePerSecond: { min: 0.01, max: 1 },
        durationMs: { min: 10_000, max: 600_000 },
        lifetimeMs: { min: 5_000, max: 600_000 },
        startMs: 420_000,
        maxPods: 15,
      }),
    })
    const details = checkCapacity(prefixMode, { noExhaustion: true }, { seed: 1 })
    // Set IPAMSIM_PRINT_COUNTEREXAMPLES=1 to see the report fast-check would print.
    if (process.env.IPAMSIM_PRINT_COUNTEREXAMPLES) console.log(failureReport(details))

    expect(details.failed).toBe(true)
    const [s] = details.counterexample!
    expect(s.nodeGroups).toEqual([
      { name: "g0", instanceType: "m5.large", count: 18, joinEveryMs: 0, subnet: "subnet-a" },
    ])
    expect(s.churn.size).toBe(0)
    expect(s.subnet.usedByOthers).toEqual({ count: 0 })
    expect(String(details.errorInstance)).toMatch(/InsufficientCidrBlocks \d+× \(no free aligned \/28 left/)
  })
})
