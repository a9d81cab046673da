// ipamd on Linux nodes inside the simulation: the pool manager's timing, kubelet's retries, ENIs in EC2,
// and mixed clusters where both managers share subnets and the EC2 account.

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import { Rng } from "../kernel/Rng.ts"
import { Flag, P, PF, PodState } from "../kubernetes/Pods.ts"
import { subnetHolders } from "../SubnetHolders.ts"
import type { PodEvent } from "../spec/SimSpec.ts"
import { createLinuxPod, createPod, deleteLinuxPod, deletePod, fixedEc2, simSpec } from "../spec/SpecBuilder.ts"

const FIXED = 100
/** Every call takes FIXED ms, and a new ENI is visible to instance metadata FIXED ms after its attach. */
const ec2 = {
  ...fixedEc2(FIXED),
  latency: {
    ...fixedEc2(FIXED).latency!,
    CreateNetworkInterface: { fixed: FIXED },
    AttachNetworkInterface: { fixed: FIXED },
    ModifyNetworkInterfaceAttribute: { fixed: FIXED },
    DetachNetworkInterface: { fixed: FIXED },
    DeleteNetworkInterface: { fixed: FIXED },
  },
}

const linuxNode = (instanceType = "m5.large", count = 1) => ({ instanceType, count, os: "linux" as const })

describe("ipamd in the simulation", () => {
  it("grows an m5.large by whole ENIs with the shipped defaults (cni-ipamd.md §12.9, derived)", () => {
    // WARM_ENI_TARGET=1: 0 pods → 1 ENI / 9 IPs; 1 pod → 2 ENIs / 18; 10 pods → 3 ENIs / 27.
    const at = (pods: number) => {
      const trace: PodEvent[] = []
      for (let i = 0; i < pods; i++) trace.push(createLinuxPod(60_000, `p${i}`))
      const c = new Cluster(simSpec({ nodeGroups: [linuxNode()], trace, durationMs: 300_000, ec2 }))
      const r = c.run()
      const n = r.nodes[0]!
      return [n.enis, n.final.used + n.final.warm + n.final.cooling]
    }
    expect(at(0)).toEqual([1, 9])
    expect(at(1)).toEqual([2, 18])
    expect(at(10)).toEqual([3, 27])
  })

  it("a pod on a fresh node waits for kubelet's retry 10–15 s after its failed CNI ADD (§7)", () => {
    // The node joins at 0; its first pool cycle runs at 2.5 s (ipamd.go: sleep 2.5 s before
    // updateIPPoolIfRequired) and fills the primary ENI in one assign (answer at 2.6 s). The pod came at 1 s
    // and found nothing: it gets its address at its retry, 11–16 s.
    const c = new Cluster(
      simSpec({ nodeGroups: [linuxNode()], trace: [createLinuxPod(1000, "p")], durationMs: 60_000, ec2 }),
    )
    const r = c.run()
    expect(r.linux!.pods.withIp).toBe(1)
    expect(r.linux!.pods.cniRetries).toBe(1)
    expect(r.linux!.pods.waitMs.max).toBeGreaterThanOrEqual(10_000)
    expect(r.linux!.pods.waitMs.max).toBeLessThanOrEqual(15_000)
  })

  it("a new ENI is create → describe → attach → modify → metadata wait, through the account's buckets", () => {
    const c = new Cluster(
      simSpec({ nodeGroups: [linuxNode()], trace: [createLinuxPod(60_000, "p")], durationMs: 120_000, ec2 }),
    )
    const r = c.run()
    const calls = r.linux!.ec2.calls
    // One fill of the primary ENI, then one new ENI after the pod took an address (available 8 < 9).
    expect(calls.AssignPrivateIpAddresses).toBe(1)
    expect(calls.DescribeSubnets).toBe(1)
    expect(calls.CreateNetworkInterface).toBe(1)
    expect(calls.DescribeInstances).toBe(1)
    expect(calls.AttachNetworkInterface).toBe(1)
    expect(calls.ModifyNetworkInterfaceAttribute).toBe(1)
    // The totals include ipamd's calls.
    expect(r.ec2.calls.CreateNetworkInterface).toBe(1)
    expect(r.linux!.ipamd.enisCreated).toBe(1)
  })

  it("frees a spare ENI once the pods are gone: 60 s old, no cooling addresses (§6.2)", () => {
    const trace: PodEvent[] = []
    for (let i = 0; i < 12; i++) trace.push(createLinuxPod(30_000, `p${i}`), deleteLinuxPod(200_000, `p${i}`))
    const r = new Cluster(simSpec({ nodeGroups: [linuxNode()], trace, durationMs: 600_000, ec2 })).run()
    expect(r.linux!.ipamd.enisCreated).toBe(2)
    // Back to the primary ENI's 9 (§12.9's 0-pod row): available 27 ≥ 2 × 9 frees one ENI, and 18 ≥ 2 × 9
    // the next, one per cycle once the addresses stop cooling (ipamd.go shouldRemoveExtraENIs).
    expect(r.linux!.ipamd.enisDeleted).toBe(2)
    expect(r.nodes[0]!.enis).toBe(1)
    expect(r.nodes[0]!.final.warm).toBe(9)
    expect(r.linux!.ec2.calls.DetachNetworkInterface).toBe(2)
    expect(r.linux!.ec2.calls.DeleteNetworkInterface).toBe(2)
  })

  it("Linux pods go to Linux nodes only, Windows pods to Windows nodes only", () => {
    const trace: PodEvent[] = []
    for (let i = 0; i < 20; i++)
      trace.push(createLinuxPod(30_000 + i * 100, `l${i}`), createPod(30_000 + i * 100, `w${i}`))
    const r = new Cluster(
      simSpec({
        nodeGroups: [linuxNode("m5.large", 2), { instanceType: "c5.xlarge", count: 2 }],
        trace,
        durationMs: 300_000,
        ec2,
      }),
    ).run()
    expect(r.linux!.pods.created).toBe(20)
    expect(r.pods.created).toBe(20)
    const used = (os: "linux" | undefined) => r.nodes.filter((n) => n.os === os).reduce((a, n) => a + n.final.used, 0)
    expect(used("linux")).toBe(20)
    expect(used(undefined)).toBe(20)
    expect(r.pods.ignoredNonWindows).toBe(0)
  })

  it("a subnet run dry by ipamd's warm ENIs starves the Windows pods that share it", () => {
    // A /26: 59 usable addresses. Four m5.large Linux nodes with one pod each hold 2 ENIs × (9 + 1) = 80.
    const trace: PodEvent[] = []
    for (let i = 0; i < 4; i++) trace.push(createLinuxPod(10_000, `l${i}`))
    for (let i = 0; i < 10; i++) trace.push(createPod(300_000, `w${i}`))
    const r = new Cluster(
      simSpec({
        subnets: [{ id: "s", cidr: "10.0.0.0/26" }],
        nodeGroups: [linuxNode("m5.large", 4), { instanceType: "c5.xlarge", count: 1 }],
        trace,
        durationMs: 900_000,
        ec2,
      }),
    ).run()
    expect(r.subnets[0]!.firstExhaustedAtMs).not.toBeNull()
    expect(r.pods.neverGotIp).toBeGreaterThan(0)
  })
})

const TYPES = ["t3.medium", "m5.large", "c5.xlarge"]

/** A random small mixed cluster with churn from one seed. */
const mixedSpec = (seed: number, wakeIdleLoops: boolean, checkInvariants = false) => {
  const rng = new Rng(seed)
  const trace: PodEvent[] = []
  const span = (5 + rng.int(30)) * 60_000
  const pods = 30 + rng.int(200)
  for (let i = 0; i < pods; i++) {
    const t = 5_000 + rng.int(span)
    const linux = rng.float() < 0.6
    trace.push(linux ? createLinuxPod(t, `p${i}`, rng.float() < 0.05) : createPod(t, `p${i}`))
    if (rng.float() < 0.85) trace.push((linux ? deleteLinuxPod : deletePod)(t + 1000 * (1 + rng.int(600)), `p${i}`))
  }
  const pd = rng.float() < 0.4
  const env: Record<string, string> = {
    WARM_ENI_TARGET: String(rng.int(3)),
    ...(rng.float() < 0.5 ? { WARM_IP_TARGET: String(rng.int(6)) } : {}),
    ...(rng.float() < 0.4 ? { MINIMUM_IP_TARGET: String(rng.int(12)) } : {}),
    ...(pd ? { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: String(rng.int(3)) } : {}),
    ...(rng.float() < 0.3 ? { IP_COOLDOWN_PERIOD: String(rng.int(60)) } : {}),
  }
  const lat = rng.float() < 0.5 ? { fixed: 100 * (1 + rng.int(10)) } : { lognormal: { median: 400, p99: 3000 } }
  // Half the runs switch mode (or targets) midway: every node's ipamd restarts with the new env.
  const change =
    rng.float() < 0.5
      ? [
          {
            atMs: Math.round(span / 2),
            env: { ...env, ENABLE_PREFIX_DELEGATION: pd ? "false" : "true", WARM_IP_TARGET: String(rng.int(4)) },
          },
        ]
      : []
  const custom = rng.float() < 0.3
  return simSpec({
    seed,
    subnets: [
      { id: "a", cidr: rng.float() < 0.3 ? "10.0.0.0/25" : "10.0.0.0/22" },
      // Subnet discovery may put new ENIs here (tagged for the CNI) when it has more free addresses.
      { id: "b", cidr: "10.0.8.0/24", cniRole: rng.float() < 0.5 },
    ],
    awsNodeEnvChanges: change,
    nodeGroups: [
      {
        name: "linux",
        instanceType: TYPES[rng.int(TYPES.length)]!,
        count: 1 + rng.int(4),
        os: "linux",
        ...(custom ? { eniConfigSubnet: "b" } : {}),
      },
      { name: "windows", instanceType: TYPES[rng.int(TYPES.length)]!, count: 1 + rng.int(3) },
      ...(rng.float() < 0.3
        ? [
            {
              name: "linux-late",
              instanceType: "m5.large",
              count: 2,
              os: "linux" as const,
              joinAtMs: span / 3,
              leaveAtMs: (2 * span) / 3,
            },
          ]
        : []),
    ],
    awsNodeEnv: env,
    ec2: {
      latency: {
        AssignPrivateIpAddresses: lat,
        UnassignPrivateIpAddresses: lat,
        DescribeNetworkInterfaces: lat,
        DescribeInstances: lat,
        DescribeSubnets: lat,
        CreateNetworkInterface: lat,
        AttachNetworkInterface: lat,
      },
    },
    trace,
    timelineEveryMs: 60_000,
    wakeIdleLoops,
    checkInvariants,
  })
}

describe("mixed clusters", () => {
  it.each(
    Array.from({ length: 100 }, (_, i) => i + 1),
  )("seed %i: skipping idle 5 s loops gives the report of waking every loop", (seed) => {
    const run = (wake: boolean) => ({ ...new Cluster(mixedSpec(seed, wake)).run(), events: 0 })
    expect(JSON.stringify(run(false))).toBe(JSON.stringify(run(true)))
  })

  it.each(
    Array.from({ length: 15 }, (_, i) => i + 100),
  )("seed %i: no address held twice, datastores on their ENIs, subnets conserved (after every event)", (seed) => {
    expect(() => new Cluster(mixedSpec(seed, false, true)).run()).not.toThrow()
  })

  it.each(
    Array.from({ length: 10 }, (_, i) => i + 200),
  )("seed %i: every subnet's holders add up to its size, counted from the nodes' counts or record by record", (seed) => {
    const c = new Cluster(mixedSpec(seed, false))
    c.run()
    const fast = subnetHolders(c, c.now)
    for (const ln of c.ipamd!.nodes) if (ln !== undefined) ln.otherSubnets = true
    expect(subnetHolders(c, c.now)).toEqual(fast)
    fast.forEach((h, i) => {
      expect(Object.values(h).reduce((a, b) => a + b, 0)).toBe(c.subnets[i]!.size)
    })
  })

  // Watches every running pod event by event: when a pod's address is freed, the time; when a pod of the same
  // node gets that address again, the gap must exceed the cool-down of the node's manager (Windows: the
  // controller's 30 s, pool.go; Linux: IP_COOLDOWN_PERIOD, inclusive, data_store.go:253). Returns how many
  // reuses it checked.
  const reusesChecked = (seed: number): number => {
    const spec = mixedSpec(seed, false)
    const c = new Cluster(spec)
    const linuxCooldown = (env: Readonly<Record<string, string>>) =>
      env.IP_COOLDOWN_PERIOD === undefined ? 30_000 : Number(env.IP_COOLDOWN_PERIOD) * 1000
    const changes = spec.awsNode!.changes ?? []
    const freedAt = new Map<string, number>()
    let running = new Map<number, string>()
    let checked = 0
    while (c.step()) {
      const now = c.now
      const pods = c.pods
      const next = new Map<number, string>()
      for (let slot = 0; slot < pods.slots; slot++) {
        if (pods.rec[slot * P.STRIDE + P.STATE] !== PodState.RUNNING) continue
        const where = `${pods.rec[slot * P.STRIDE + P.NODE]}/${pods.f[4 * slot + PF.IP]}`
        // Keyed by slot and bind time: a slot reused by a later pod is another pod.
        const key = slot * 1e13 + pods.f[4 * slot + PF.BOUND_AT]!
        next.set(key, where)
        if (running.has(key)) continue
        const freed = freedAt.get(where)
        if (freed === undefined) continue
        const linux = (pods.rec[slot * P.STRIDE + P.FLAGS]! & Flag.LINUX) !== 0
        const env = [...changes].reverse().find((ch) => ch.atMs <= now)?.env ?? spec.awsNode!.env
        const cooldown = linux ? linuxCooldown(env) : 30_000
        if (cooldown >= 0)
          expect(now - freed, `${where} freed at ${freed}, given again at ${now}`).toBeGreaterThan(cooldown)
        checked++
      }
      for (const [key, where] of running) if (!next.has(key)) freedAt.set(where, now)
      running = next
    }
    return checked
  }

  it.each(
    Array.from({ length: 12 }, (_, i) => i + 300),
  )("seed %i: no address is given to a pod of the same node again within its manager's cool-down", (seed) => {
    reusesChecked(seed)
  })

  it("addresses are reused at all in those runs (the check above has something to check)", () => {
    let total = 0
    for (let seed = 300; seed < 304; seed++) total += reusesChecked(seed)
    expect(total).toBeGreaterThan(10)
  })

  it("the same seed gives the same report", () => {
    expect(JSON.stringify(new Cluster(mixedSpec(7, false)).run())).toBe(
      JSON.stringify(new Cluster(mixedSpec(7, false)).run()),
    )
  })

  it("idle Linux loops cost no events", () => {
    const run = (wake: boolean) =>
      new Cluster(
        simSpec({
          nodeGroups: [linuxNode("m5.large", 20)],
          trace: [createLinuxPod(1000, "a"), deleteLinuxPod(2000, "a")],
          durationMs: 6 * 3600_000,
          wakeIdleLoops: wake,
        }),
      ).run()
    const skipped = run(false)
    const woken = run(true)
    expect({ ...skipped, events: 0 }).toEqual({ ...woken, events: 0 })
    expect(woken.events).toBeGreaterThan(20 * 4000)
    expect(skipped.events).toBeLessThan(1000)
  })
})
