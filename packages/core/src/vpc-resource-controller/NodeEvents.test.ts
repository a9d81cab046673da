// Node events at the node reconciler as the controller sees them at b8d42511. It watches Nodes with no
// filter (node_controller.go ~116–127): every update of a Node is a reconcile, and UpdateNode of a managed
// node submits an Update job (manager.go ~293–301) whose UpdateResources calls each provider's
// UpdateResourceCapacity (node.go ~117–149): SetToActive with the config GetWinWarmPoolConfig reads now
// (ip/provider.go ~242–250, pool/utils.go ~24–39) and a reconcile. A node's kubelet PATCHes its status
// every 5 minutes from registration (its nodeStatusReportFrequency), and the manager's cache resyncs every
// Node at a period of 30 minutes (main.go ~73, ~274) times a factor drawn from [0.9, 1.1)
// (controller-runtime's calculateResyncPeriod).
//
// Skipping the Node events that change nothing must change nothing: random clusters with bursts of nodes
// joining (the node manager's 10 workers busy), failed Inits, IPAM turned off and on, mode and target
// changes (some the ConfigMap controller does not act on, leaving pools with an old config until a Node
// update), nodes leaving, and runs past the cache's resync, each run with every kubelet report and resync
// an event (the reference) and with them skipped while nothing would change: identical reports.

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import type { FaultSpec } from "../ec2/Ec2Calls.ts"
import { Rng } from "../kernel/Rng.ts"
import type { PodEvent } from "../spec/SimSpec.ts"
import { createPod, deletePod, fixedEc2, simSpec } from "../spec/SpecBuilder.ts"

const TYPES = ["t3.medium", "m5.large", "c5.xlarge", "m4.large"]

const randomSpec = (seed: number, wakeIdleLoops: boolean) => {
  const rng = new Rng(seed)
  const trace: PodEvent[] = []
  const span = (10 + rng.int(60)) * 60_000
  const pods = 50 + rng.int(300)
  for (let i = 0; i < pods; i++) {
    const t = 5_000 + rng.int(span)
    trace.push(createPod(t, `p${i}`))
    if (rng.float() < 0.85) trace.push(deletePod(t + 1000 * (1 + rng.int(1200)), `p${i}`))
  }
  const flag = rng.float() < 0.7
  const cm = (ipam: boolean) => {
    const data: Record<string, string> = { "enable-windows-ipam": String(ipam) }
    if (rng.float() < 0.5) data["enable-windows-prefix-delegation"] = String(rng.float() < 0.7)
    if (rng.float() < 0.7) data["windows-warm-ip-target"] = String(rng.int(6))
    if (rng.float() < 0.7) data["windows-minimum-ip-target"] = String(rng.int(8))
    if (rng.float() < 0.3) data["windows-warm-prefix-target"] = String(rng.int(3))
    return data
  }
  const changes = []
  let t = 30_000 + rng.int(300_000)
  for (let k = rng.int(6); k > 0 && t < span; k--) {
    changes.push({ atMs: t, data: cm(rng.float() < 0.8) })
    t += rng.float() < 0.3 ? 1000 * (1 + rng.int(40)) : 60_000 * (1 + rng.int(15))
  }
  const lat = rng.float() < 0.5 ? { fixed: 100 * (1 + rng.int(10)) } : { lognormal: { median: 400, p99: 3000 } }
  const faults: FaultSpec[] = []
  if (rng.float() < 0.3) faults.push({ action: "AssignPrivateIpAddresses", error: "RequestTimeout", rate: 0.05 })
  if (rng.float() < 0.3)
    faults.push({ action: "DescribeInstances", error: "InsufficientFreeAddressesInSubnet", rate: 0.1 })
  if (rng.float() < 0.2)
    faults.push({ action: "UnassignPrivateIpAddresses", error: "InsufficientFreeAddressesInSubnet", rate: 0.2 })
  const groups = 1 + rng.int(3)
  return simSpec({
    seed,
    prefixDelegationFlag: flag,
    subnets: [{ id: "a", cidr: rng.float() < 0.3 ? "10.0.0.0/24" : "10.0.0.0/20" }],
    nodeGroups: Array.from({ length: groups }, (_, g) => ({
      name: `g${g}`,
      instanceType: TYPES[rng.int(TYPES.length)]!,
      // Bursts past the node manager's 10 workers.
      count: 1 + rng.int(rng.float() < 0.4 ? 16 : 4),
      joinAtMs: rng.int(3) * 60_000 * rng.int(8),
      joinEveryMs: rng.float() < 0.6 ? 0 : rng.int(3) * 10_000,
      ...(rng.float() < 0.2 ? { leaveAtMs: span / 2 + rng.int(60_000) } : {}),
    })),
    configMap: cm(rng.float() < 0.9),
    configMapChanges: changes,
    ec2: {
      latency: {
        AssignPrivateIpAddresses: lat,
        UnassignPrivateIpAddresses: lat,
        DescribeNetworkInterfaces: lat,
        DescribeInstances: lat,
        DescribeSubnets: lat,
      },
      faults,
    },
    visibility: { fixed: rng.int(3) * 500 },
    trace,
    timelineEveryMs: rng.float() < 0.5 ? 30_000 : 1_200_000,
    wakeIdleLoops,
  })
}

/**
 * One m5.large, the controller started without --enable-windows-prefix-delegation (secondary IPs only),
 * warm and minimum targets 6. At `changeAt` the ConfigMap turns its prefix-delegation key on: the
 * ConfigMap controller remembers the IPAM and PD conditions (PD stays off without the flag) and the parsed
 * targets, still 6 and 6 (configmap_controller.go ~96–144), so it updates no node; but the targets now
 * parse as the prefix pool's (loader.go ~54–74), so GetWinWarmPoolConfig gives the secondary-IP pool its
 * defaults, 3 and 3. The pool has them only from the node's next Node event on.
 */
const staleConfig = (changeAt: number) => {
  const cm = (pd: boolean) => ({
    "enable-windows-ipam": "true",
    ...(pd ? { "enable-windows-prefix-delegation": "true" } : {}),
    "windows-warm-ip-target": "6",
    "windows-minimum-ip-target": "6",
  })
  return new Cluster(
    simSpec({
      prefixDelegationFlag: false,
      nodeGroups: [{ name: "win", instanceType: "m5.large" }],
      configMap: cm(false),
      configMapChanges: [{ atMs: changeAt, data: cm(true) }],
      ec2: fixedEc2(100),
      visibility: { fixed: 0 },
      trace: [],
      durationMs: 3_600_000,
    }),
  )
}

describe("Node updates", () => {
  it("the kubelet's status report at 5 minutes gives the pool the config the ConfigMap controller did not apply", () => {
    const c = staleConfig(60_000)
    c.runUntil(299_999)
    expect(c.poolState("win-0")[0]).toMatchObject({ warm: 6 })
    // Registered at 0: the report at 300 s; SetToActive(3, 3) deletes 3 warm addresses at once.
    c.runUntil(300_000)
    expect(c.poolState("win-0")[0]).toMatchObject({ warm: 3 })
  })

  it("the cache's resync does the same when it comes before the node's next report", () => {
    const probe = staleConfig(60_000)
    const resync = probe.windows.reports.resyncPeriodMs
    expect(resync).toBeGreaterThanOrEqual(1_620_000)
    expect(resync).toBeLessThan(1_980_000)
    // The change just after the last report before the resync: the resync comes first.
    const lastReport = Math.floor(resync / 300_000) * 300_000
    expect(resync - lastReport).toBeGreaterThan(1_000)
    const c = staleConfig(lastReport + 1_000)
    c.runUntil(resync - 1)
    expect(c.poolState("win-0")[0]).toMatchObject({ warm: 6 })
    c.runUntil(resync)
    expect(c.poolState("win-0")[0]).toMatchObject({ warm: 3 })
  })
})

describe("Node events: skipped only when they change nothing", () => {
  it.each(
    Array.from({ length: 80 }, (_, i) => i + 1),
  )("seed %i: the same report with every Node event woken", (seed) => {
    const skipped = new Cluster(randomSpec(seed, false)).run()
    const woken = new Cluster(randomSpec(seed, true)).run()
    expect(JSON.stringify({ ...skipped, events: 0 })).toBe(JSON.stringify({ ...woken, events: 0 }))
  })
})
