// The pool actions against aws/amazon-vpc-cni-k8s (b52188387f) pkg/ipamd/ipamd_test.go's expectations, the
// step machine's order of datastore changes and EC2 calls, and the research digest's whole-node tables (§12.9).

import { describe, expect, it } from "vitest"
import { formatIpv4, parseIpv4 } from "../ec2/Ipv4.ts"
import { AssignBehaviour, CreateBehaviour } from "./ConformanceEc2.ts"
import { type IpamdSettings, IpamMode } from "./IpamdSettings.ts"
import { TestNode } from "./PoolCycle.fixtures.ts"
import { CallResult, Ec2Op, PoolAction } from "./PoolCycle.ts"
import { targetOver, targetShort } from "./PoolDecisions.ts"

const SIP: IpamdSettings = {
  mode: IpamMode.SIP,
  maxENI: 4,
  maxIPsPerENI: 14,
  maxPrefixesPerENI: 0,
  maxPods: 500,
  warmENITarget: 1,
  warmIPTarget: 0,
  minimumIPTarget: 0,
  warmPrefixTarget: 0,
  cooldownMs: 30_000,
  subnetDiscovery: true,
}
const PD: IpamdSettings = { ...SIP, mode: IpamMode.PD, maxIPsPerENI: 256, maxPrefixesPerENI: 16, warmPrefixTarget: 1 }

describe("pool actions", () => {
  it("asks for what the targets want, on an existing ENI first (ipamd_test.go:546 TestIncreaseIPPoolDefault, :552 …SubnetDiscoveryUnfilledENI, :1067 TestTryAddIPToENI, :757 TestIncreasePrefixPoolDefault, :764 …SubnetDiscoveryUnfilledENI)", () => {
    expect(new TestNode(SIP, false).run(PoolAction.INCREASE)).toEqual([
      "createENI 14 1001 [10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7 10.0.0.8 10.0.0.9 10.0.0.10 10.0.0.11 10.0.0.12 10.0.0.13 10.0.0.14]",
    ])
    const unfilled = new TestNode(SIP)
    unfilled.ec2.assign = AssignBehaviour.INSUFFICIENT
    const calls = unfilled.run(PoolAction.INCREASE)
    expect(calls.slice(0, 2)).toEqual(["assign 0 14 insufficient", "assign 0 1 insufficient"])
    expect(calls[2]).toMatch(/^createENI 14 1001 /)
    expect(new TestNode({ ...SIP, warmIPTarget: 3 }, false).run(PoolAction.INCREASE)).toEqual([
      "createENI 3 1001 [10.0.0.1 10.0.0.2 10.0.0.3]",
    ])
    // Nothing short of the targets: no call at all, not even a new ENI with nothing (ipamd.go:1070).
    const satisfied = new TestNode({ ...SIP, warmIPTarget: 1 })
    satisfied.ds.addCidr(0, parseIpv4("10.5.0.1"), 32, false)
    expect(satisfied.run(PoolAction.INCREASE)).toEqual([])
    expect(new TestNode(PD, false).run(PoolAction.INCREASE)).toEqual(["createENI 1 1001 [10.64.0.0]"])
    const prefixes = new TestNode(PD)
    prefixes.ec2.assign = AssignBehaviour.INSUFFICIENT
    expect(prefixes.run(PoolAction.INCREASE)).toEqual([
      "assign 0 1 insufficient",
      "assign 0 1 insufficient",
      "createENI 1 1001 [10.64.0.0]",
    ])
  })

  it("releases exactly the IPs over the warm IP target, once (TestDecreaseIPPool, ipamd_test.go:929)", () => {
    const node = new TestNode({ ...SIP, warmIPTarget: 1 })
    const ds = node.ds
    ds.addCidr(0, parseIpv4("10.0.0.1"), 32, false)
    ds.addCidr(0, parseIpv4("10.0.0.2"), 32, false)
    ds.assign(1, node.now)
    ds.addEni(1, false, false, false, node.now)
    ds.addCidr(1, parseIpv4("10.0.0.11"), 32, false)
    ds.addCidr(1, parseIpv4("10.0.0.12"), 32, false)
    ds.assign(2, node.now)
    expect([targetShort(ds), targetOver(ds)]).toEqual([0, 1])
    expect(node.run(PoolAction.DECREASE)).toEqual(["unassignIPs 1 [10.0.0.11]"])
    expect([targetShort(ds), targetOver(ds)]).toEqual([0, 0])
    expect(node.run(PoolAction.DECREASE)).toEqual([])
    expect(ds.total).toBe(3)
  })

  it("retries with 1 after any failure; an error other than insufficient capacity stops the increase as its error", () => {
    const node = new TestNode({ ...SIP, maxIPsPerENI: 5 })
    node.ec2.assign = AssignBehaviour.FAIL_MANY
    expect(node.run(PoolAction.INCREASE)).toEqual(["assign 0 5 error", "assign 0 1 [10.0.0.1]"])
    expect(node.cycle.error).toBe(false)
    node.ec2.assign = AssignBehaviour.ERROR
    expect(node.run(PoolAction.INCREASE)).toEqual(["assign 0 4 error", "assign 0 1 error"])
    expect(node.cycle.error).toBe(true)
    expect(node.ds.lastInsufficient).toBe(Number.NEGATIVE_INFINITY)
  })

  it("on insufficient capacity tries the next ENI with subnet discovery, else freezes growth for 120 s (ipamd.go:1142, :987)", () => {
    const with2 = (subnetDiscovery: boolean): TestNode => {
      const node = new TestNode({ ...SIP, maxIPsPerENI: 2, subnetDiscovery })
      node.ds.addEni(5, false, false, false, node.now)
      node.ec2.assign = AssignBehaviour.INSUFFICIENT
      node.ec2.createEni = CreateBehaviour.INSUFFICIENT
      return node
    }
    const discovering = with2(true)
    expect(discovering.run(PoolAction.INCREASE)).toEqual([
      "assign 0 2 insufficient",
      "assign 0 1 insufficient",
      "assign 5 2 insufficient",
      "assign 5 1 insufficient",
      "createENI 2 insufficient",
    ])
    expect(discovering.ds.lastInsufficient).toBe(discovering.now)
    const fixed = with2(false)
    expect(fixed.run(PoolAction.INCREASE)).toEqual(["assign 0 2 insufficient", "assign 0 1 insufficient"])
    expect([fixed.ds.lastInsufficient, fixed.cycle.error]).toEqual([fixed.now, false])
    fixed.now += 120_000
    expect(fixed.run(PoolAction.INCREASE)).toEqual([])
    fixed.now += 1
    expect(fixed.run(PoolAction.INCREASE)).toHaveLength(2)
  })

  it("adds granted addresses when the answer comes, and deletes released ones before the call", () => {
    const node = new TestNode({ ...PD, warmPrefixTarget: 0, maxPrefixesPerENI: 3 })
    const { ds, cycle } = node
    expect(cycle.start(PoolAction.TICK, node.now)).toBe(true)
    expect([cycle.request.op, cycle.request.eni, cycle.request.n, cycle.request.prefix]).toEqual([
      Ec2Op.ASSIGN,
      0,
      1,
      true,
    ])
    expect(ds.total).toBe(0)
    // Pods come and go while the call is out; the answer 3 s later.
    expect(ds.assign(1, node.now + 1000)).toBe(-1)
    expect(cycle.answer(CallResult.OK, [parseIpv4("10.9.0.0")], -1, node.now + 3000)).toBe(false)
    expect([ds.total, ds.prefixCounter, ds.freePrefixes()]).toEqual([16, 1, 1])
    // Two more prefixes, a pod on the first: the decrease takes the free ones off before the call.
    ds.addCidr(0, parseIpv4("10.9.0.16"), 28, true)
    ds.addCidr(0, parseIpv4("10.9.0.32"), 28, true)
    ds.assign(1, node.now)
    expect(cycle.start(PoolAction.TICK, node.now + 10_000)).toBe(true)
    expect(cycle.request.op).toBe(Ec2Op.UNASSIGN_PREFIXES)
    expect(cycle.request.cidrs.map(formatIpv4)).toEqual(["10.9.0.16", "10.9.0.32"])
    expect(cycle.request.lens).toEqual([28, 28])
    expect([ds.total, ds.prefixCounter]).toEqual([16, 1])
    expect(ds.lastDecrease).toBe(Number.NEGATIVE_INFINITY)
    // The tick ends when the release is answered: lastDecrease is that instant.
    expect(cycle.answer(CallResult.OK, [], -1, node.now + 12_000)).toBe(false)
    expect([cycle.lastLow, cycle.lastDecreased, cycle.lastFreedEni]).toEqual([false, true, -1])
    expect(ds.lastDecrease).toBe(node.now + 12_000)
  })

  it("releases prefixes then secondary IPs of each ENI, one call each, and walks every ENI, the primary included (ipamd.go:2684)", () => {
    const node = new TestNode({ ...PD, warmPrefixTarget: 0 })
    const { ds } = node
    ds.addCidr(0, parseIpv4("10.1.0.0"), 28, true)
    ds.addCidr(0, parseIpv4("10.2.0.5"), 32, false)
    ds.addEni(3, false, true, false, node.now)
    ds.addCidr(3, parseIpv4("10.3.0.0"), 28, true)
    ds.addCidr(3, parseIpv4("10.3.0.16"), 28, true)
    // Three free prefixes over a target of 0; the free /32 on the primary counts toward them (cni-ipamd.md §14.3).
    expect(node.run(PoolAction.DECREASE)).toEqual([
      "unassignPrefixes 0 [10.1.0.0]",
      "unassignIPs 0 [10.2.0.5]",
      "unassignPrefixes 3 [10.3.0.0]",
    ])
    expect([ds.freePrefixes(), ds.prefixCounter]).toEqual([1, 1])
  })

  it("cleans the other mode's free CIDRs at node init, one call per ENI (ipamd.go:574, :2401, :2444)", () => {
    const node = new TestNode(SIP)
    const { ds } = node
    ds.addCidr(0, parseIpv4("10.1.0.0"), 28, true)
    ds.addCidr(0, parseIpv4("10.1.0.16"), 28, true)
    ds.addCidr(0, parseIpv4("10.2.0.5"), 32, false)
    ds.settings = { ...SIP, mode: IpamMode.PD }
    ds.assign(9, node.now)
    ds.settings = SIP
    expect(node.run(PoolAction.CLEANUP)).toEqual(["unassignPrefixes 0 [10.1.0.16]"])
    expect(ds.prefixCounter).toBe(1)
    ds.settings = { ...SIP, mode: IpamMode.PD }
    expect(node.run(PoolAction.CLEANUP)).toEqual(["unassignIPs 0 [10.2.0.5]"])
  })

  it("frees an ENI from the datastore before deleting it, and a tick frees at most one", () => {
    const node = new TestNode({ ...SIP, maxIPsPerENI: 2, warmENITarget: 1 })
    const { ds, cycle } = node
    for (const k of [1, 2]) {
      ds.addEni(k, false, false, false, node.now)
      ds.addCidr(k, parseIpv4(`10.0.${k}.1`), 32, false)
      ds.addCidr(k, parseIpv4(`10.0.${k}.2`), 32, false)
    }
    node.now += 60_000
    expect(cycle.start(PoolAction.TICK, node.now)).toBe(true)
    expect([cycle.request.op, cycle.request.eni, ds.hasEni(1), ds.total]).toEqual([Ec2Op.DELETE_ENI, 1, false, 2])
    expect(cycle.answer(CallResult.OK, [], -1, node.now)).toBe(false)
    expect(cycle.lastFreedEni).toBe(1)
    // Available 4 ≥ (1 + 1) × 2 at the first tick; 2 now: ENI 2 stays.
    expect(node.run(PoolAction.TICK)).toEqual([])
  })
})

/** Pods → [ENIs, addresses in the pool, addresses without a pod]. */
type Row = [pods: number, enis: number, pool: number, unused: number]

const wholeNode = (settings: IpamdSettings, rows: readonly Row[]): Row[] => {
  const node = new TestNode(settings)
  return rows.map(([pods]): Row => {
    node.settle(pods, PoolAction.TICK)
    return [pods, ...node.shape]
  })
}

const sip = (maxENI: number, perEni: number, maxPods: number, more: Partial<IpamdSettings> = {}): IpamdSettings => ({
  ...SIP,
  maxENI,
  maxIPsPerENI: perEni,
  maxPods,
  ...more,
})
const pd = (maxENI: number, prefixes: number, maxPods: number, more: Partial<IpamdSettings> = {}): IpamdSettings => ({
  ...SIP,
  mode: IpamMode.PD,
  maxENI,
  maxIPsPerENI: 16 * prefixes,
  maxPrefixesPerENI: prefixes,
  maxPods,
  ...more,
})

describe("whole nodes (cni-ipamd.md §12.9: docs/eni-and-ip-target.md, docs/prefix-and-ip-target.md, and derived rows)", () => {
  const tables: [string, IpamdSettings, Row[]][] = [
    [
      "t3.small, WARM_ENI_TARGET 1",
      sip(3, 3, 11),
      [
        [0, 1, 3, 3],
        [5, 3, 9, 4],
        [9, 3, 9, 0],
      ],
    ],
    [
      "t3.small, WARM_IP_TARGET 1, MINIMUM_IP_TARGET 1",
      sip(3, 3, 11, { warmIPTarget: 1, minimumIPTarget: 1 }),
      [
        [0, 1, 1, 1],
        [5, 2, 6, 1],
        [9, 3, 9, 0],
      ],
    ],
    [
      "t3.small, WARM_IP_TARGET 2, MINIMUM_IP_TARGET 5",
      sip(3, 3, 11, { warmIPTarget: 2, minimumIPTarget: 5 }),
      [
        [0, 2, 5, 5],
        [5, 3, 7, 2],
        [9, 3, 9, 0],
      ],
    ],
    [
      "p3dn.24xlarge, WARM_IP_TARGET 5, MINIMUM_IP_TARGET 10",
      sip(15, 49, 737, { warmIPTarget: 5, minimumIPTarget: 10 }),
      [
        [0, 1, 10, 10],
        [7, 1, 12, 5],
        [15, 1, 20, 5],
        [45, 2, 50, 5],
      ],
    ],
    [
      "t3.small prefix delegation, WARM_PREFIX_TARGET 1",
      pd(3, 3, 110, { warmPrefixTarget: 1 }),
      [
        [0, 1, 16, 16],
        [5, 1, 32, 27],
        [16, 1, 32, 16],
        [17, 1, 48, 31],
        [58, 2, 80, 22],
      ],
    ],
    [
      "t3.small prefix delegation, WARM_IP_TARGET 1, MINIMUM_IP_TARGET 1",
      pd(3, 3, 110, { warmIPTarget: 1, minimumIPTarget: 1 }),
      [
        [0, 1, 16, 16],
        [5, 1, 16, 11],
        [17, 1, 32, 15],
        [58, 2, 64, 6],
      ],
    ],
    [
      "t3.small prefix delegation, WARM_IP_TARGET 7, MINIMUM_IP_TARGET 20 (the doc's first row says 1 prefix, its own per-ENI column 2)",
      pd(3, 3, 110, { warmIPTarget: 7, minimumIPTarget: 20 }),
      [
        [0, 1, 32, 32],
        [5, 1, 32, 27],
        [17, 1, 32, 15],
        [58, 2, 80, 22],
      ],
    ],
    [
      "m5.large, defaults (derived)",
      sip(3, 9, 29),
      [
        [0, 1, 9, 9],
        [1, 2, 18, 17],
        [10, 3, 27, 17],
        [27, 3, 27, 0],
      ],
    ],
    [
      "c5.xlarge, defaults (derived)",
      sip(4, 14, 58),
      [
        [0, 1, 14, 14],
        [1, 2, 28, 27],
        [15, 3, 42, 27],
        [29, 4, 56, 27],
      ],
    ],
    [
      "t3.medium, defaults (derived)",
      sip(3, 5, 17),
      [
        [0, 1, 5, 5],
        [1, 2, 10, 9],
        [6, 3, 15, 9],
      ],
    ],
    [
      "m5.large prefix delegation, WARM_PREFIX_TARGET 1, max pods 110 (derived): growth stops at 112 ≥ 110",
      pd(3, 9, 110, { warmPrefixTarget: 1 }),
      [
        [0, 1, 16, 16],
        [1, 1, 32, 31],
        [17, 1, 48, 31],
        [95, 1, 112, 17],
        [110, 1, 112, 2],
      ],
    ],
  ]
  for (const [name, settings, rows] of tables) it(name, () => expect(wholeNode(settings, rows)).toEqual(rows))
})
