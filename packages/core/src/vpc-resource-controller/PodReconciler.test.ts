// The pod controller's HandleCreate writes the pod's address annotation synchronously (pkg/handler/warm.go
// ~115, pod/client_wrapper.go ~169) through the API server client, 20 QPS with a burst of 30 (main.go
// ~168–169, one bucket per resource type in controller-runtime's client): a burst of pods served from warm
// addresses gets its addresses at 20 a second after the first 30.

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import { createPod, fixedEc2, simSpec } from "../spec/SpecBuilder.ts"

const S = 1000

describe("the annotation PATCH", () => {
  it("100 pods at once on 112 warm addresses: 30 at once, then one every 50 ms", () => {
    const trace = Array.from({ length: 100 }, (_, i) => createPod(120 * S, `p${i}`))
    const result = new Cluster(
      simSpec({
        nodeGroups: [{ name: "win", instanceType: "m5.large" }],
        // PD with a minimum of 110: 7 prefixes (112 addresses) warm long before the burst.
        configMap: {
          "enable-windows-ipam": "true",
          "enable-windows-prefix-delegation": "true",
          "windows-minimum-ip-target": "110",
        },
        ec2: fixedEc2(100),
        visibility: { fixed: 0 },
        trace,
        durationMs: 200 * S,
      }),
    ).run()
    expect(result.pods.withIp).toBe(100)
    // Sorted waits: 30 × 0, then 50, 100, … 3,500 ms.
    expect(result.pods.waitMs).toEqual({
      p50: 1000,
      p90: 3000,
      p99: 3450,
      max: 3500,
      mean: Math.round((50 * (70 * 71)) / 2 / 100),
    })
    expect(result.pods.waitHistogram.counts[0]).toBe(31)
  })
})
