// The cluster simulation in time: worked examples of research/vpc-resource-controller.md §3.7 replayed
// with controller timing, the end states of the controller's integration tests (§6.8), invariants after
// every event, and determinism.

import { describe, expect, it } from "vitest"
import { Cluster } from "./Cluster.ts"
import type { PodEvent } from "./spec/SimSpec.ts"
import { createPod, deletePod, fixedEc2, simSpec } from "./spec/SpecBuilder.ts"

const S = 1000
const MIN = 60 * S

/** One node of the given type, EC2 answering in exactly 100 ms, addresses visible at once. */
const oneNode = (
  instanceType: string,
  trace: PodEvent[],
  configMap: Record<string, string> | undefined = { "enable-windows-ipam": "true" },
  extra: Partial<Parameters<typeof simSpec>[0]> = {},
) =>
  new Cluster(
    simSpec({
      nodeGroups: [{ name: "win", instanceType }],
      trace,
      configMap,
      ec2: fixedEc2(100),
      visibility: { fixed: 0 },
      checkInvariants: true,
      ...extra,
    }),
  )

const pods = (n: number, from: number, every: number, prefix = "p"): PodEvent[] =>
  Array.from({ length: n }, (_, i) => createPod(from + i * every, `${prefix}${i + 1}`))

const pd = (cm: Record<string, string>) => ({
  "enable-windows-ipam": "true",
  "enable-windows-prefix-delegation": "true",
  ...cm,
})

/** One node in PD mode whose ConfigMap turns PD off at 60 s, EC2 answering in 100 ms, for 5 minutes. */
const pdOffAt60s = (instanceType: string, trace: PodEvent[]) =>
  new Cluster(
    simSpec({
      nodeGroups: [{ name: "win", instanceType }],
      trace,
      configMap: pd({}),
      configMapChanges: [{ atMs: 60 * S, data: pd({ "enable-windows-prefix-delegation": "false" }) }],
      ec2: fixedEc2(100),
      visibility: { fixed: 0 },
      checkInvariants: true,
      durationMs: 5 * MIN,
    }),
  )

describe("§3.7 A replayed in time (SIP defaults, m5.large, capacity 9)", () => {
  it("a pod blocked by cool-down gets its address only after the 30 s loop returns one", () => {
    const trace = [
      ...pods(9, 10 * S, 2 * S),
      deletePod(60 * S, "p1"),
      deletePod(65 * S, "p2"),
      createPod(70 * S, "p10"),
    ]
    const c = oneNode("m5.large", trace)
    c.runUntil(59 * S)
    // Steps 1-9: nine pods, each with an address at once; the pool is full (9 used, 0 warm).
    expect(c.poolState("win-0")[0]).toEqual({ used: 9, warm: 0, cooling: 0, pendingCreate: 0 })
    for (let i = 1; i <= 9; i++) expect(c.podAddress(`p${i}`)).toBeDefined()
    c.runUntil(89 * S)
    // Steps 11-13: two addresses cooling, no job (used + cooling = capacity); p10 waits.
    expect(c.poolState("win-0")[0]).toEqual({ used: 7, warm: 0, cooling: 2, pendingCreate: 0 })
    expect(c.podAddress("p10")).toBeUndefined()
    const r = c.run()
    const got = c.podAddress("p10")
    expect(got).toBeDefined()
    // Node ready at 0.4 s, so the loop runs at 30.4 s + 30 s multiples: p1 (freed at 60 s) matures at
    // 90.4 s; p10's 20 s retries fall at 90 s (too early) and 110 s.
    expect(r.pods.waitMs.max).toBe(40 * S)
    expect(r.pods.retries.ErrResourceAreBeingCooledDown).toBe(2)
  })
})

describe("§3.7 B: a burst larger than the warm pool", () => {
  it("pods beyond the 3 warm addresses wait for create jobs, retrying every 600 ms", () => {
    const c = oneNode("c5.xlarge", pods(5, 30 * S, 0))
    const r = c.run()
    expect(r.pods.withIp).toBe(5)
    const waits = ["p1", "p2", "p3", "p4", "p5"].map((p) => c.podAddress(p)!.boundAt)
    expect(new Set(waits).size).toBe(1)
    expect(r.pods.waitMs.p50).toBe(0)
    expect(r.pods.waitMs.max).toBeGreaterThan(0)
    expect(r.pods.waitMs.max).toBeLessThanOrEqual(3 * S)
    expect(r.pods.retries.ErrWarmPoolEmpty).toBeGreaterThanOrEqual(2)
  })
})

describe("§3.7 D: only windows-minimum-ip-target set", () => {
  it("the 7th pod never gets an address (warm target 0, no create ever)", () => {
    const cm = { "enable-windows-ipam": "true", "windows-minimum-ip-target": "6" }
    const c = oneNode("m5.large", pods(7, 10 * S, 2 * S), cm, { durationMs: 10 * MIN })
    const r = c.run()
    expect(r.pods.withIp).toBe(6)
    expect(r.pods.stillWaiting).toBe(1)
    expect(c.holdings("win-0")).toEqual({ ips: 6, prefixes: 0 })
    expect(r.pods.retries.ErrWarmPoolEmpty).toBeGreaterThan(100)
  })
})

describe("§6.8 end states of the controller's integration tests", () => {
  const sip = (cm: Record<string, string>) => ({ "enable-windows-ipam": "true", ...cm })
  const endState = (cm: Record<string, string> | undefined, podCount: number) => {
    const c = oneNode("m5.xlarge", pods(podCount, 10 * S, 1 * S), cm, { durationMs: 5 * MIN })
    c.run()
    return c.holdings("win-0")
  }

  it.each([
    ["win-W 1, win-M 0", 0, 1, sip({ "windows-warm-ip-target": "1", "windows-minimum-ip-target": "0" })],
    ["win-W 5", 2, 7, sip({ "windows-warm-ip-target": "5" })],
    ["win-M 6, no pods", 0, 6, sip({ "windows-minimum-ip-target": "6" })],
    ["win-M 6, 3 pods", 3, 6, sip({ "windows-minimum-ip-target": "6" })],
    ["win-M 3, win-W 6", 0, 6, sip({ "windows-minimum-ip-target": "3", "windows-warm-ip-target": "6" })],
    ["win-M 8, win-W 4", 0, 8, sip({ "windows-minimum-ip-target": "8", "windows-warm-ip-target": "4" })],
    ["win-M 2, legacy W 4", 2, 6, sip({ "windows-minimum-ip-target": "2", "warm-ip-target": "4" })],
    ["win-W 0, win-M 0", 0, 1, sip({ "windows-warm-ip-target": "0", "windows-minimum-ip-target": "0" })],
  ])("SIP %s with %i pods → %i secondary IPs", (_name, podCount, ips, cm) => {
    expect(endState(cm, podCount)).toEqual({ ips, prefixes: 0 })
  })

  it("SIP ignores win-WPT 2: at least one IP, no prefix", () => {
    const h = endState(sip({ "windows-warm-prefix-target": "2" }), 1)
    expect(h.ips).toBeGreaterThanOrEqual(1)
    expect(h.prefixes).toBe(0)
  })

  it.each([
    ["no targets, no pods", 0, 1, pd({})],
    ["WPT 2, no pods", 0, 2, pd({ "windows-warm-prefix-target": "2" })],
    ["legacy WPT 2, 1 pod", 1, 3, pd({ "warm-prefix-target": "2" })],
    ["W 15, no pods", 0, 1, pd({ "windows-warm-ip-target": "15" })],
    ["W 15, 1 pod", 1, 1, pd({ "windows-warm-ip-target": "15" })],
    ["W 15, 2 pods", 2, 2, pd({ "windows-warm-ip-target": "15" })],
    ["M 20, no pods", 0, 2, pd({ "windows-minimum-ip-target": "20" })],
    ["legacy M 20, 33 pods", 33, 3, pd({ "minimum-ip-target": "20" })],
  ])("PD %s with %i pods → %i prefixes, no secondary IP", (_name, podCount, prefixes, cm) => {
    expect(endState(cm, podCount)).toEqual({ ips: 0, prefixes })
  })

  it("PD M 20: 33 pods then none → back to 2 prefixes after cool-down", () => {
    const trace = [...pods(33, 10 * S, 200), ...Array.from({ length: 33 }, (_, i) => deletePod(2 * MIN, `p${i + 1}`))]
    const c = oneNode("m5.xlarge", trace, pd({ "windows-minimum-ip-target": "20" }), { durationMs: 5 * MIN })
    c.runUntil(119 * S)
    expect(c.holdings("win-0").prefixes).toBe(3)
    c.run()
    expect(c.holdings("win-0")).toEqual({ ips: 0, prefixes: 2 })
  })

  it("a pod's address lies inside the node's prefix in PD mode", () => {
    const c = oneNode("m5.xlarge", pods(1, 10 * S, 0), pd({}), { durationMs: MIN })
    c.run()
    const ip = c.podAddress("p1")!.ip
    const held = c.ec2.allHoldings()[0]!
    expect(held.prefixes.some((p) => ip >= p && ip < p + 16)).toBe(true)
  })

  it("PD → SIP toggle: prefixes released once their pods end; new pods take secondary IPs (3 warm + 2 used)", () => {
    const trace = [
      ...pods(2, 10 * S, 1 * S),
      deletePod(70 * S, "p1"),
      deletePod(70 * S, "p2"),
      ...pods(2, 100 * S, 1 * S, "q"),
    ]
    const c = pdOffAt60s("m5.xlarge", trace)
    c.runUntil(59 * S)
    expect(c.holdings("win-0")).toEqual({ ips: 0, prefixes: 1 })
    c.run()
    expect(c.holdings("win-0")).toEqual({ ips: 5, prefixes: 0 })
  })

  it('PD flag "wrongVal": the pod runs with a secondary IP', () => {
    const c = oneNode("m5.xlarge", pods(1, 10 * S, 0), pd({ "enable-windows-prefix-delegation": "wrongVal" }), {
      durationMs: MIN,
    })
    const r = c.run()
    expect(r.pods.withIp).toBe(1)
    expect(c.holdings("win-0").prefixes).toBe(0)
    expect(c.holdings("win-0").ips).toBeGreaterThanOrEqual(1)
  })

  it("PD true with the IPAM key missing: no resource is injected, the pod never gets an address", () => {
    const c = oneNode(
      "m5.xlarge",
      pods(1, 10 * S, 0),
      { "enable-windows-prefix-delegation": "true" },
      { durationMs: MIN },
    )
    const r = c.run()
    expect(r.pods.withIp).toBe(0)
    expect(r.pods.withoutResourceRequest).toBe(1)
    expect(c.holdings("win-0")).toEqual({ ips: 0, prefixes: 0 })
  })
})

describe("a pod past a full pool", () => {
  it("backs off 5 ms × 2^n on ErrPoolAtMaxCapacity, per pod, until the run ends", () => {
    // 30 pods bound in PD mode at 59.95 s: 16 take the first prefix's addresses, 14 wait for the next one.
    // At 60 s PD is turned off and the 16 running pods end, so their prefix goes: the 14 waiting pods now
    // ask the secondary-IP pool, whose capacity is 9 (m5.large). The 5 left over meet a full pool, and the
    // workqueue retries each at 5 ms × 2^n: 16 tries in the 4 minutes left (2^16 × 5 ms > 240 s).
    const trace = [...pods(30, 59_950, 0), ...Array.from({ length: 16 }, (_, i) => deletePod(60 * S, `p${i + 1}`))]
    const r = pdOffAt60s("m5.large", trace).run()
    expect(r.pods.withIp).toBe(25)
    expect(r.pods.stillWaiting).toBe(5)
    expect(r.pods.retries.ErrPoolAtMaxCapacity).toBe(5 * 16)
  })
})

describe("whole clusters", () => {
  const mixed = (seed: number, checkInvariants: boolean) => {
    const trace: PodEvent[] = []
    let t = 20 * S
    for (let i = 0; i < 400; i++) {
      trace.push(createPod(t, `w${i}`))
      trace.push(deletePod(t + 30 * S + ((i * 7919) % 600) * S, `w${i}`))
      t += 1500
    }
    return new Cluster(
      simSpec({
        seed,
        subnets: [
          { id: "a", cidr: "10.0.0.0/24", usedByOthers: { count: 30 } },
          { id: "b", cidr: "10.0.4.0/23", usedByOthers: { count: 200 } },
        ],
        nodeGroups: [
          { name: "sip", instanceType: "m5.large", count: 4, subnet: "a", joinEveryMs: 3 * S },
          { name: "small", instanceType: "t3.medium", count: 3, subnet: "a", leaveAtMs: 8 * MIN },
          { name: "pd", instanceType: "c5.xlarge", count: 3, subnet: "b" },
        ],
        configMap: { "enable-windows-ipam": "true" },
        configMapChanges: [
          { atMs: 5 * MIN, data: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" } },
          { atMs: 12 * MIN, data: { "enable-windows-ipam": "true", "windows-warm-ip-target": "1" } },
        ],
        ec2: {
          faults: [
            { action: "AssignPrivateIpAddresses", error: "RequestLimitExceeded", rate: 0.2 },
            { action: "UnassignPrivateIpAddresses", error: "RequestTimeout", fromMs: 6 * MIN, untilMs: 7 * MIN },
          ],
        },
        trace,
        timelineEveryMs: 10 * S,
        checkInvariants,
      }),
    )
  }

  it("runs end to end with invariants checked after every event", () => {
    const r = mixed(1, true).run()
    expect(r.pods.created).toBe(400)
    // The switch to prefix mode at 5 min strands pods: ENI slots are still held by secondary IPs and the
    // crowded /24 has few free /28 blocks (research §7.7), so many never get an address.
    expect(r.pods.withIp).toBeGreaterThan(150)
    expect(r.pods.retries.ErrInsufficientCidrBlocks).toBeGreaterThan(0)
    expect(r.ec2.throttled.AssignPrivateIpAddresses).toBeGreaterThan(0)
    expect(r.timeline.t.length).toBeGreaterThan(50)
  })

  it("same seed, same report; another seed, another report", () => {
    const a = JSON.stringify(mixed(7, false).run())
    const b = JSON.stringify(mixed(7, false).run())
    const c = JSON.stringify(mixed(8, false).run())
    expect(a).toBe(b)
    expect(a).not.toBe(c)
  })

  it("a leaving node's addresses return to the subnet", () => {
    const c = new Cluster(
      simSpec({
        subnets: [{ id: "a", cidr: "10.0.0.0/26" }],
        nodeGroups: [{ name: "win", instanceType: "m5.large", count: 2, leaveAtMs: 2 * MIN }],
        trace: pods(6, 10 * S, 1 * S),
        checkInvariants: true,
        durationMs: 3 * MIN,
      }),
    )
    c.runUntil(MIN)
    expect(c.subnets[0]!.free).toBeLessThan(64 - 5)
    const r = c.run()
    expect(c.subnets[0]!.free).toBe(64 - 5)
    expect(r.pods.evicted).toBe(6)
  })

  it("unplaceable pods stay Pending for lack of vpc.amazonaws.com/PrivateIPv4Address", () => {
    const c = oneNode("t3.medium", pods(8, 10 * S, 0), undefined, { durationMs: 2 * MIN })
    c.run()
    const r = c.result()
    expect(r.pods.withIp).toBe(5)
    expect(r.pods.unscheduled).toBe(3)
  })

  it("a subnet running out gives InsufficientFreeAddressesInSubnet and exhaustion metrics", () => {
    const c = new Cluster(
      simSpec({
        subnets: [{ id: "tiny", cidr: "10.0.0.0/28" }],
        nodeGroups: [{ name: "win", instanceType: "c5.xlarge", count: 1 }],
        trace: pods(12, 10 * S, 1 * S),
        checkInvariants: true,
        durationMs: 3 * MIN,
      }),
    )
    const r = c.run()
    const s = r.subnets[0]!
    // /28 = 16 addresses, 5 reserved by AWS, 1 primary: 10 for pods.
    expect(r.pods.withIp).toBe(10)
    expect(s.firstExhaustedAtMs).not.toBeNull()
    expect(s.insufficientErrors).toBeGreaterThan(0)
    expect(r.controller.resyncJobs).toBeGreaterThan(0)
  })
})

describe("node groups the kernel cannot hold", () => {
  it("refuses max pods past kubelet's int32, in one line naming the group", () => {
    const build = (maxPods: number) => () =>
      new Cluster(simSpec({ nodeGroups: [{ name: "win", instanceType: "m5.large", maxPods }], trace: [] }))
    expect(build(2 ** 31)).toThrow(/^node group win: maxPods 2147483648 is not a kubelet max pods \(1 to 2147483647\)$/)
    expect(build(2 ** 31 - 1)).not.toThrow()
  })
})

describe("instance limits the kernel cannot hold", () => {
  it("refuses an instance type whose pool would count past int32, naming the group", () => {
    const huge = {
      Interface: 2,
      IPv4PerInterface: 2 ** 28,
      IsTrunkingCompatible: false,
      BranchInterface: 0,
      DefaultNetworkCardIndex: 0,
      NetworkCards: [{ MaximumNetworkInterfaces: 2, NetworkCardIndex: 0 }],
      Hypervisor: "nitro",
      IsBareMetal: false,
    } as const
    const spec = simSpec({ nodeGroups: [{ name: "big", instanceType: "m9.huge" }], trace: [] })
    expect(() => new Cluster({ ...spec, extraLimits: new Map([["m9.huge", huge]]) })).toThrow(
      /^node group big: m9.huge holds more addresses than a pool can count$/,
    )
  })
})
