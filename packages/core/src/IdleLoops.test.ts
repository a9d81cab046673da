// Skipping idle nodes' 30 s loops must not change anything: the same random scenarios run with every loop
// woken (the reference) and with idle loops skipped give identical reports (apart from the event count).

import { describe, expect, it } from "vitest"
import { Cluster } from "./Cluster.ts"
import { Rng } from "./kernel/Rng.ts"
import type { PodEvent } from "./spec/SimSpec.ts"
import { createPod, deletePod, simSpec } from "./spec/SpecBuilder.ts"

const TYPES = ["t3.medium", "m5.large", "c5.xlarge", "m4.large"]

/** A random small cluster with churn, mode switches, target changes and faults, from one seed. */
const randomSpec = (seed: number, wakeIdleLoops: boolean, timelineEveryMs = 30_000) => {
  const rng = new Rng(seed)
  const groups = 1 + rng.int(3)
  const trace: PodEvent[] = []
  const pods = 50 + rng.int(250)
  const span = (5 + rng.int(40)) * 60_000
  for (let i = 0; i < pods; i++) {
    const t = 10_000 + rng.int(span)
    trace.push(createPod(t, `p${i}`))
    // Round times make ties with the loops' own instants likely.
    if (rng.float() < 0.9) trace.push(deletePod(t + 1000 * (1 + rng.int(900)), `p${i}`))
  }
  const pd = rng.float() < 0.5
  const cm = (w: number, m: number) => ({
    "enable-windows-ipam": "true",
    ...(pd ? { "enable-windows-prefix-delegation": "true" } : {}),
    "windows-warm-ip-target": String(w),
    "windows-minimum-ip-target": String(m),
  })
  const lat = rng.float() < 0.5 ? { fixed: 100 * (1 + rng.int(10)) } : { lognormal: { median: 400, p99: 3000 } }
  return simSpec({
    seed,
    subnets: [
      { id: "a", cidr: rng.float() < 0.3 ? "10.0.0.0/26" : "10.0.0.0/22", usedByOthers: { count: rng.int(20) } },
    ],
    nodeGroups: Array.from({ length: groups }, (_, g) => ({
      name: `g${g}`,
      instanceType: TYPES[rng.int(TYPES.length)]!,
      count: 1 + rng.int(4),
      joinAtMs: rng.int(4) * 1000,
      joinEveryMs: rng.int(3) * 10_000,
      ...(rng.float() < 0.2 ? { leaveAtMs: span / 2 } : {}),
    })),
    configMap: cm(rng.int(5), rng.int(6)),
    configMapChanges: rng.float() < 0.5 ? [{ atMs: span / 3, data: cm(rng.int(4), rng.int(4)) }] : [],
    ec2: {
      latency: {
        AssignPrivateIpAddresses: lat,
        UnassignPrivateIpAddresses: lat,
        DescribeNetworkInterfaces: lat,
        DescribeInstances: lat,
        DescribeSubnets: lat,
      },
      faults: rng.float() < 0.3 ? [{ action: "AssignPrivateIpAddresses", error: "RequestTimeout", rate: 0.05 }] : [],
    },
    visibility: { fixed: rng.int(3) * 500 },
    trace,
    timelineEveryMs,
    wakeIdleLoops,
  })
}

const report = (seed: number, wake: boolean, timelineEveryMs?: number) => {
  const r = new Cluster(randomSpec(seed, wake, timelineEveryMs)).run()
  return { ...r, events: 0 }
}

describe("idle loops", () => {
  it.each(Array.from({ length: 120 }, (_, i) => i + 1))("seed %i: skipping idle loops changes nothing", (seed) => {
    expect(JSON.stringify(report(seed, false))).toBe(JSON.stringify(report(seed, true)))
  })

  // Sparse timeline samples: skipped loops that return cooled addresses to warm are applied when the pool is
  // next touched or at the end, rather than at a sample.
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))("seed %i, samples every 20 min: same reports", (seed) => {
    expect(JSON.stringify(report(seed, false, 1_200_000))).toBe(JSON.stringify(report(seed, true, 1_200_000)))
  })

  it("a loop that only returns a cooled address to warm is not an event, and the metrics see it on time", () => {
    // One node; each pod lives 10 s, then its address cools for 30 s. Pods come every 5 min.
    const trace: PodEvent[] = []
    for (let i = 0; i < 12; i++)
      trace.push(createPod(60_000 + i * 300_000, `p${i}`), deletePod(70_000 + i * 300_000, `p${i}`))
    const run = (wake: boolean) =>
      new Cluster(
        simSpec({
          nodeGroups: [{ instanceType: "m5.large", count: 1 }],
          // Prefix mode: a freed address goes back into its /28, nothing to release (§3.5).
          configMap: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
          trace,
          durationMs: 3_900_000,
          timelineEveryMs: 3_600_000,
          wakeIdleLoops: wake,
        }),
      ).run()
    const skipped = run(false)
    const woken = run(true)
    expect({ ...skipped, events: 0 }).toEqual({ ...woken, events: 0 })
    // Woken: the 30 s loops of 65 min (2 pools). Skipped: the pods' 24 events, the node's start (its join,
    // the four answers of its Init job's EC2 calls, its pools' first loops) and 2 samples, 37; with a loop event per
    // cooled address it would be 12 more.
    expect(woken.events).toBeGreaterThan(2 * 130)
    expect(skipped.events).toBeLessThanOrEqual(37)
    // A cooled address spends 30 to 60 s cooling (until the next loop), then is warm again.
    expect(skipped.addresses.ipSeconds.cooling).toBeGreaterThanOrEqual(12 * 30)
    expect(skipped.addresses.ipSeconds.cooling).toBeLessThanOrEqual(12 * 60)
  })

  it("skipping saves events on an idle cluster", () => {
    const idle = (wake: boolean) =>
      new Cluster(
        simSpec({
          nodeGroups: [{ instanceType: "m5.large", count: 20 }],
          trace: [createPod(1000, "a"), deletePod(2000, "a")],
          durationMs: 6 * 3600_000,
          wakeIdleLoops: wake,
        }),
      ).run()
    const skipped = idle(false)
    const woken = idle(true)
    expect({ ...skipped, events: 0 }).toEqual({ ...woken, events: 0 })
    expect(woken.events).toBeGreaterThan(20 * 2 * 700)
    expect(skipped.events).toBeLessThan(500)
  })
})
