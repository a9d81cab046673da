// Example (b) of docs/capacity-testing.md: "this subnet survives scaling to 40 nodes". A /23 (507 usable
// addresses) with up to 100 taken by others holds 40 m5.large nodes in secondary-IP mode, whatever the targets
// and the churn: a node never holds more than its primary IP plus its pool capacity of 9, and 40 × 10 + 100 ≤ 507.

import { capacityProperty, configMap, nodeGroups, poissonChurn, scenarios, subnet } from "@ipamsim/testing"
import { describe } from "vitest"

describe("example (b): a /23 survives scaling to 40 m5.large nodes in secondary-IP mode", () => {
  capacityProperty(
    "no exhaustion for 1–40 nodes joining over time, any targets, churn of up to 1 pod/s per node",
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
        // Nodes join over up to 400 s; pods come after.
        startMs: 420_000,
        maxPods: 15,
      }),
    }),
    { noExhaustion: true },
    { numRuns: 60, seed: 2026 },
  )
})
