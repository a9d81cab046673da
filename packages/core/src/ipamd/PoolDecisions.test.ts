// The pool decisions against the oracle tables of aws/amazon-vpc-cni-k8s (b52188387f) pkg/ipamd/ipamd_test.go
// and pkg/ipamd/datastore/data_store_test.go (the research digest's §12.1, §12.2, §12.3, §12.5, §12.7).

import { describe, expect, it } from "vitest"
import { parseIpv4 } from "../ec2/Ipv4.ts"
import { ascendingOrder } from "../go/MapOrder.ts"
import { Datastore, DsError } from "./Datastore.ts"
import { type IpamdSettings, IpamMode } from "./IpamdSettings.ts"
import {
  Decisions,
  decide,
  deletableEni,
  freeableEniExists,
  insufficientCidrCooling,
  poolTooLow,
  skipDecrease,
  targetOver,
  targetShort,
} from "./PoolDecisions.ts"

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
const PD: IpamdSettings = { ...SIP, mode: IpamMode.PD, maxIPsPerENI: 256, maxPrefixesPerENI: 16 }

/** One primary ENI (key 0) with `ips` secondary IPs (1.1.1.1, …) or `prefixes` /28s, and `pods` pods on them. */
const node = (s: IpamdSettings, ips: number, pods: number, prefixes = 0): Datastore => {
  const ds = new Datastore(s, ascendingOrder)
  if (ips + prefixes === 0) return ds
  ds.addEni(0, true, false, false, 0)
  for (let i = 0; i < ips; i++) ds.addCidr(0, parseIpv4("1.1.1.1") + i, 32, false)
  for (let i = 0; i < prefixes; i++) ds.addCidr(0, parseIpv4("10.1.1.0") + 16 * i, 28, true)
  for (let p = 0; p < pods; p++) ds.assign(p, 0)
  return ds
}

describe("pool decisions", () => {
  it("pool too low, secondary IPs (TestIPAMContext_nodeIPPoolTooLow, ipamd_test.go:1491)", () => {
    // maxIPsPerENI, warmENITarget, warmIPTarget, IPs, pods, maxPods → low
    const rows: [number, number, number, number, number, number, boolean][] = [
      [14, 1, 0, 0, 0, 500, true],
      [14, 0, 0, 0, 0, 500, true],
      [14, 0, 3, 0, 0, 500, true],
      [3, 1, 1, 3, 0, 500, false],
      [3, 1, 0, 3, 1, 500, true],
      [3, 0, 0, 3, 1, 500, false],
      [3, 1, 0, 3, 3, 500, true],
      [3, 0, 0, 3, 3, 500, true],
      [3, 0, 5, 3, 3, 3, false],
    ]
    for (const [maxIPsPerENI, warmENITarget, warmIPTarget, ips, pods, maxPods, low] of rows) {
      const s = { ...SIP, maxIPsPerENI, warmENITarget, warmIPTarget, maxPods }
      expect([maxIPsPerENI, warmENITarget, warmIPTarget, ips, pods, maxPods, poolTooLow(node(s, ips, pods))]).toEqual([
        maxIPsPerENI,
        warmENITarget,
        warmIPTarget,
        ips,
        pods,
        maxPods,
        low,
      ])
    }
  })

  it("pool too low, prefixes (TestIPAMContext_nodePrefixPoolTooLow, ipamd_test.go:1543)", () => {
    // warmPrefixTarget, prefixes, pods, maxPods → low
    const rows: [number, number, number, number, boolean][] = [
      [1, 0, 0, 500, true],
      [0, 0, 0, 500, true],
      [1, 1, 0, 500, false],
      [1, 1, 1, 500, true],
      [0, 1, 1, 500, false],
      [1, 1, 3, 500, true],
      [0, 1, 3, 500, false],
      [1, 1, 3, 4, false],
    ]
    for (const [warmPrefixTarget, prefixes, pods, maxPods, low] of rows) {
      const ds = node({ ...PD, warmPrefixTarget, maxPods }, 0, pods, prefixes)
      expect([warmPrefixTarget, prefixes, pods, maxPods, poolTooLow(ds)]).toEqual([
        warmPrefixTarget,
        prefixes,
        pods,
        maxPods,
        low,
      ])
    }
  })

  it("short and over of the warm IP target, secondary IPs (TestGetWarmIPTargetState, ipamd_test.go:1396)", () => {
    const state = (ds: Datastore) => [decide(ds, 0).targetsDefined, targetShort(ds), targetOver(ds)]
    expect(state(node(SIP, 0, 0))).toEqual([false, 0, 0])
    const s = { ...SIP, warmIPTarget: 5 }
    expect(state(node(s, 0, 0))).toEqual([true, 5, 0])
    expect(state(node(s, 2, 0))).toEqual([true, 3, 0])
    expect(state(node(s, 5, 0))).toEqual([true, 0, 0])
  })

  it("short and over in prefixes (TestGetWarmIPTargetStateWithPDenabled, ipamd_test.go:1444)", () => {
    const state = (ds: Datastore) => [decide(ds, 0).targetsDefined, targetShort(ds), targetOver(ds)]
    expect(state(node(PD, 0, 0))).toEqual([false, 0, 0])
    const s = { ...PD, warmIPTarget: 5 }
    expect(state(node(s, 0, 0))).toEqual([true, 1, 0])
    const ds = node(s, 0, 0, 2)
    expect(state(ds)).toEqual([true, 0, 1])
    expect(ds.delCidr(0, parseIpv4("10.1.1.16"), 28, true)).toBe(DsError.OK)
    expect(state(ds)).toEqual([true, 0, 0])
  })

  it("which ENI may be freed under the warm and minimum IP targets (TestWarmENIInteractions, data_store_test.go:1174)", () => {
    const ds = new Datastore(SIP, ascendingOrder)
    for (const k of [1, 2, 3]) ds.addEni(k, k === 1, false, false, 0)
    ds.addCidr(1, parseIpv4("1.1.1.1"), 32, false)
    ds.addCidr(1, parseIpv4("1.1.1.2"), 32, false)
    ds.assign(1, 0)
    ds.assign(2, 0)
    ds.addCidr(2, parseIpv4("1.1.2.1"), 32, false)
    ds.addCidr(2, parseIpv4("1.1.2.2"), 32, false)
    ds.addCidr(3, parseIpv4("1.1.3.1"), 32, false)
    const now = 3_600_000
    /** RemoveUnusedENIFromStore(warmIPTarget, minimumIPTarget, warmPrefixTarget). */
    const removeUnused = (warmIPTarget: number, minimumIPTarget: number): number => {
      ds.settings = { ...SIP, warmIPTarget, minimumIPTarget }
      const eni = deletableEni(ds, now)
      if (eni >= 0) ds.removeEni(eni, false)
      return eni
    }
    expect(removeUnused(3, 1)).toBe(-1)
    expect(removeUnused(1, 5)).toBe(-1)
    expect(removeUnused(2, 4)).toBe(3)
    expect(removeUnused(0, 3)).toBe(-1)
    expect(removeUnused(0, 2)).toBe(2)
    ds.addEni(4, false, true, false, 0) // trunk
    ds.addEni(5, false, false, true, 0) // EFA
    ds.addCidr(4, parseIpv4("1.1.4.1"), 32, false)
    ds.addCidr(5, parseIpv4("1.1.5.1"), 32, false)
    expect(removeUnused(0, 2)).toBe(-1)
    expect(ds.eniCount).toBe(3)
    ds.addEni(6, false, false, false, 0)
    expect(removeUnused(0, 2)).toBe(6)
    expect(ds.eniCount).toBe(3)
  })

  it("keeps an ENI younger than 60 s or holding a cooling address (TestPodIPv4Address, data_store_test.go:587)", () => {
    const ds = new Datastore({ ...SIP, warmIPTarget: 0 }, ascendingOrder)
    ds.addEni(1, true, false, false, 0)
    ds.addEni(2, false, false, false, 1000)
    ds.addCidr(1, parseIpv4("1.1.1.1"), 32, false)
    ds.addCidr(2, parseIpv4("1.1.2.2"), 32, false)
    ds.addCidr(1, parseIpv4("1.1.1.2"), 32, false)
    ds.assign(1, 1000)
    ds.assign(2, 1000)
    ds.assign(3, 1000) // 1.1.2.2 on ENI 2
    ds.unassign(3, 1000)
    // Too young: 60 s after its creation at the earliest (data_store.go:1097: < 60 s).
    expect(deletableEni(ds, 60_999)).toBe(-1)
    expect(deletableEni(ds, 61_000)).toBe(2)
    // Old enough, but 1.1.2.2 cools until 30 s after its release, inclusive.
    expect(ds.assign(3, 61_000)).toBe(parseIpv4("1.1.2.2"))
    ds.unassign(3, 70_000)
    expect(deletableEni(ds, 100_000)).toBe(-1)
    expect(deletableEni(ds, 100_001)).toBe(2)
    expect([ds.total, ds.assigned]).toEqual([3, 2])
    ds.removeEni(2, false)
    expect([ds.total, ds.assigned]).toEqual([2, 2])
  })

  it("a freeable ENI is one that is not primary, trunk or EFA and has no pod (TestDataStore_CheckFreeableENIexists, data_store_test.go:2287)", () => {
    const ds = new Datastore(SIP, ascendingOrder)
    expect(freeableEniExists(ds)).toBe(false)
    ds.addEni(0, true, false, false, 0)
    expect(freeableEniExists(ds)).toBe(false)
    ds.addEni(1, false, false, false, 0)
    expect(freeableEniExists(ds)).toBe(true)
    ds.addEni(2, false, true, false, 0)
    ds.addEni(3, false, false, true, 0)
    expect(freeableEniExists(ds)).toBe(true)
    ds.removeEni(1, false)
    expect(freeableEniExists(ds)).toBe(false)
  })

  it("WARM_ENI_TARGET 2 wants two ENIs' worth of free IPs (TestIPAMContext_WarmTargetWithExcludedPrimary, ipamd_test.go:2933)", () => {
    // The excluded primary is a primary without CIDRs here: excluded ENIs are not modelled.
    const ds = new Datastore({ ...SIP, warmENITarget: 2, maxIPsPerENI: 10, maxPods: 100 }, ascendingOrder)
    ds.addEni(0, true, false, false, 0)
    expect(poolTooLow(ds)).toBe(true)
    for (const eni of [1, 2]) {
      ds.addEni(eni, false, false, false, 0)
      for (let i = 1; i <= 10; i++) ds.addCidr(eni, parseIpv4(`10.0.${eni}.${i}`), 32, false)
      expect(poolTooLow(ds)).toBe(eni === 1)
    }
  })

  it("freezes growth while now − lastInsufficient ≤ 120 s and skips decreases while now − lastDecrease ≤ 30 s (TestIPAMContext_InInsufficientCidrCoolingPeriod, ipamd_test.go:4343)", () => {
    const ds = new Datastore(SIP, ascendingOrder)
    const now = 1_000_000
    expect([insufficientCidrCooling(ds, now), skipDecrease(ds, now)]).toEqual([false, false])
    ds.lastInsufficient = now - 30_000
    expect(insufficientCidrCooling(ds, now)).toBe(true)
    ds.lastInsufficient = now - 120_000
    expect(insufficientCidrCooling(ds, now)).toBe(true)
    ds.lastInsufficient = now - 120_001
    expect(insufficientCidrCooling(ds, now)).toBe(false)
    ds.lastDecrease = now - 30_000
    expect(skipDecrease(ds, now)).toBe(true)
    ds.lastDecrease = now - 30_001
    expect(skipDecrease(ds, now)).toBe(false)
  })

  it("fills one Decisions object with every decision", () => {
    const ds = node({ ...PD, warmPrefixTarget: 1, maxPrefixesPerENI: 3 }, 0, 2, 2)
    ds.addEni(7, false, false, false, 0)
    const d = decide(ds, 120_000, new Decisions())
    expect({ ...d, allocatableENIs: [...d.allocatableENIs] }).toEqual({
      low: false,
      high: false,
      skipDecrease: false,
      removeExtraENIs: true,
      short: 0,
      over: 0,
      targetsDefined: false,
      prefixShort: 0,
      prefixTargetDef: true,
      extraPrefixes: 0,
      prefixesNeeded: 1,
      eniResources: 1,
      roomForENI: true,
      freePrefixes: 1,
      freeableENIExists: true,
      // Old, no pod, and the other ENI keeps a free prefix for WARM_PREFIX_TARGET 1.
      deletableENI: 7,
      allocatableENIs: [0, 7],
      insufficientCidrCooling: false,
    })
  })
})
