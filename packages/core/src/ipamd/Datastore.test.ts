// The datastore against the oracles of aws/amazon-vpc-cni-k8s pkg/ipamd/datastore/data_store_test.go
// (b52188387f) and the conformance protocol's rules for the quirks the Go tests do not pin down.

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { formatIpv4, parseIpv4 } from "../ec2/Ipv4.ts"
import { ascendingOrder, randomOrder } from "../go/MapOrder.ts"
import { sampleAllocations } from "../kernel/AllocationSampler.ts"
import { Rng } from "../kernel/Rng.ts"
import { Datastore, DsError } from "./Datastore.ts"
import { type IpamdInput, IpamMode, ipamdSettings } from "./IpamdSettings.ts"

const ip = (s: string): number => parseIpv4(s)
const settings = (mode: IpamMode, more: Partial<IpamdInput> = {}) =>
  ipamdSettings({ mode, maxENI: 4, perEni: 14, maxPods: 500, ...more })
const sip = (more: Partial<IpamdInput> = {}) => new Datastore(settings(IpamMode.SIP, more), ascendingOrder)
const pd = (more: Partial<IpamdInput> = {}) => new Datastore(settings(IpamMode.PD, more), ascendingOrder)

describe("Datastore", () => {
  it("assigns secondary IPs, answers a pod twice with its address, fails when empty (TestPodIPv4Address, data_store_test.go:587)", () => {
    const ds = sip()
    expect(ds.addEni(1, true, false, false, 0)).toBe(DsError.OK)
    expect(ds.addEni(2, false, false, false, 0)).toBe(DsError.OK)
    ds.addCidr(1, ip("1.1.1.1"), 32, false)
    expect(formatIpv4(ds.assign(101, 0))).toBe("1.1.1.1")
    expect(ds.lastEni).toBe(1)
    expect([ds.total, ds.assigned]).toEqual([1, 1])
    ds.addCidr(2, ip("1.1.2.2"), 32, false)
    // The same sandbox again: the same address, nothing assigned (data_store_test.go:644).
    expect(formatIpv4(ds.assign(101, 0))).toBe("1.1.1.1")
    expect([ds.total, ds.assigned]).toEqual([2, 1])
    expect(formatIpv4(ds.assign(102, 0))).toBe("1.1.2.2")
    expect(ds.lastEni).toBe(2)
    ds.addCidr(1, ip("1.1.1.2"), 32, false)
    expect(formatIpv4(ds.assign(103, 0))).toBe("1.1.1.2")
    expect([ds.total, ds.assigned]).toEqual([3, 3])
    expect(ds.assign(104, 0)).toBe(-1)
    expect(ds.lastEni).toBe(-1)
    expect(ds.unassign(999, 0)).toBe(-1)
    expect(formatIpv4(ds.unassign(102, 0))).toBe("1.1.2.2")
    expect([ds.total, ds.assigned]).toEqual([3, 2])
    expect(ds.addressOf(102)).toBe(-1)
    expect(formatIpv4(ds.addressOf(103))).toBe("1.1.1.2")
  })

  it("gives a /28's addresses lowest first, the network address included (TestPodIPv4AddressWithPDEnabled, data_store_test.go:801)", () => {
    const ds = pd()
    ds.addEni(1, true, false, false, 0)
    ds.addCidr(1, ip("10.0.0.0"), 28, true)
    expect([1, 2, 3].map((p) => formatIpv4(ds.assign(p, 0)))).toEqual(["10.0.0.0", "10.0.0.1", "10.0.0.2"])
    expect(ds.total).toBe(16)
    expect(ds.freePrefixes()).toBe(0)
  })

  it("counts cooling addresses until the cooldown has passed, ≤ inclusive (TestGetIPStatsV4, data_store_test.go:986; TestGetIPStatsV4WithPD, :1040)", () => {
    for (const [ds, len, prefix] of [
      [sip({ cooldownMs: 1000 }), 32, false],
      [pd({ cooldownMs: 1000 }), 28, true],
    ] as const) {
      ds.addEni(1, true, false, false, 0)
      ds.addCidr(1, ip("10.0.0.0"), len, prefix)
      if (!prefix) ds.addCidr(1, ip("10.0.0.1"), len, prefix)
      ds.assign(1, 0)
      ds.assign(2, 0)
      const stats = (now: number) => [ds.total, ds.assigned, ds.coolingCount(now), ds.prefixCounter]
      expect(stats(0)).toEqual([prefix ? 16 : 2, 2, 0, prefix ? 1 : 0])
      ds.unassign(2, 5000)
      expect(stats(5000)).toEqual([prefix ? 16 : 2, 1, 1, prefix ? 1 : 0])
      // data_store.go:253: now − releasedAt ≤ cooldown.
      expect(ds.coolingCount(6000)).toBe(1)
      expect(ds.coolingCount(6001)).toBe(0)
    }
  })

  it("does not hand out a cooling address; a stale one is reused and every stale record of the CIDR purged (getUnusedIP, data_store.go:1499)", () => {
    const ds = pd({ cooldownMs: 30_000 })
    ds.addEni(1, true, false, false, 0)
    ds.addCidr(1, ip("10.0.0.0"), 28, true)
    for (let p = 0; p < 4; p++) ds.assign(p, 0)
    ds.unassign(1, 0) // 10.0.0.1
    ds.unassign(2, 10_000) // 10.0.0.2
    // Both cooling at 20 s: the next address without a record.
    expect(formatIpv4(ds.assign(10, 20_000))).toBe("10.0.0.4")
    // At 40 s .1 is stale, .2 still cooling (30 s ≤ 30 s).
    expect(formatIpv4(ds.assign(11, 40_000))).toBe("10.0.0.1")
    expect(ds.coolingCount(40_000)).toBe(1)
    // With cooldown 0 an address still cools at the instant it was released (data_store.go:253).
    const zero = pd({ cooldownMs: 0 })
    zero.addEni(1, true, false, false, 0)
    zero.addCidr(1, ip("10.0.0.0"), 28, true)
    zero.assign(1, 0)
    zero.unassign(1, 7)
    expect(formatIpv4(zero.assign(2, 7))).toBe("10.0.0.1")
    expect(formatIpv4(zero.assign(3, 8))).toBe("10.0.0.0")
    // A negative cooldown: never cooling.
    const never = pd({ cooldownMs: -1000 })
    never.addEni(1, true, false, false, 0)
    never.addCidr(1, ip("10.0.0.0"), 28, true)
    never.assign(1, 0)
    never.unassign(1, 7)
    expect(never.coolingCount(7)).toBe(0)
    expect(formatIpv4(never.assign(2, 7))).toBe("10.0.0.0")
  })

  it("gives addresses only from CIDRs of the current mode, and counts only those", () => {
    const ds = sip()
    ds.addEni(1, true, false, false, 0)
    ds.addCidr(1, ip("10.1.0.0"), 28, true)
    expect(ds.assign(1, 0)).toBe(-1)
    expect([ds.total, ds.freePrefixes(), ds.prefixCounter]).toEqual([0, 1, 1])
    ds.addCidr(1, ip("10.2.0.7"), 32, false)
    expect(formatIpv4(ds.assign(1, 0))).toBe("10.2.0.7")
    ds.settings = settings(IpamMode.PD)
    expect([ds.total, ds.assigned]).toEqual([16, 0])
    expect(formatIpv4(ds.assign(2, 0))).toBe("10.1.0.0")
    expect(ds.freePrefixes()).toBe(0)
  })

  it("answers the datastore's errors, the same CIDR on another ENI accepted (data_store.go:468–620)", () => {
    const ds = sip()
    expect(ds.addEni(1, true, false, false, 0)).toBe(DsError.OK)
    expect(ds.addEni(1, false, false, false, 0)).toBe(DsError.DuplicatedENI)
    expect(ds.addCidr(9, ip("10.0.0.1"), 32, false)).toBe(DsError.UnknownENI)
    expect(ds.addCidr(1, ip("10.0.0.1"), 32, false)).toBe(DsError.OK)
    expect(ds.addCidr(1, ip("10.0.0.1"), 32, true)).toBe(DsError.IPAlreadyInStore)
    ds.addEni(2, false, false, false, 0)
    expect(ds.addCidr(2, ip("10.0.0.1"), 32, false)).toBe(DsError.OK)
    expect(ds.delCidr(9, ip("10.0.0.1"), 32, false)).toBe(DsError.UnknownENI)
    expect(ds.delCidr(1, ip("10.0.0.2"), 32, false)).toBe(DsError.UnknownIP)
    ds.assign(5, 0)
    expect(ds.delCidr(1, ip("10.0.0.1"), 32, false)).toBe(DsError.IPInUse)
    expect(ds.removeEni(1, false)).toBe(DsError.ENIInUse)
    expect(ds.removeEni(9, false)).toBe(DsError.UnknownENI)
    // Forced: the pod is forgotten.
    expect(ds.delCidr(1, ip("10.0.0.1"), 32, true)).toBe(DsError.OK)
    expect(ds.unassign(5, 0)).toBe(-1)
    expect([ds.total, ds.assigned]).toEqual([1, 0])
    // A CIDR given with host bits is its network (10.0.0.5/28 is 10.0.0.0/28).
    expect(ds.addCidr(2, ip("10.0.0.5"), 28, true)).toBe(DsError.OK)
    expect(ds.delCidr(2, ip("10.0.0.9"), 28, false)).toBe(DsError.OK)
  })

  it("counts prefixes, not recounts them: a forced removal of an ENI with pods takes its prefixes off twice (data_store.go:1202, :1214)", () => {
    const ds = pd()
    ds.addEni(1, true, false, false, 0)
    ds.addEni(2, false, false, false, 0)
    ds.addCidr(2, ip("10.0.0.0"), 28, true)
    ds.addCidr(2, ip("10.0.0.16"), 28, true)
    ds.addCidr(2, ip("10.0.1.1"), 32, false)
    expect(ds.prefixCounter).toBe(2)
    ds.assign(1, 0)
    expect(ds.removeEni(2, true)).toBe(DsError.OK)
    expect(ds.prefixCounter).toBe(-2)
    expect([ds.total, ds.assigned, ds.freePrefixes(), ds.eniCount]).toEqual([0, 0, 0, 1])
    expect(ds.addressOf(1)).toBe(-1)
    // Without pods, once.
    ds.addEni(3, false, false, false, 0)
    ds.addCidr(3, ip("10.0.2.0"), 28, true)
    expect(ds.removeEni(3, false)).toBe(DsError.OK)
    expect(ds.prefixCounter).toBe(-2)
  })

  it("keeps its counters equal to a recount through random operations, in either map order", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("eni" as const), eni: fc.integer({ min: 0, max: 4 }) }),
      fc.record({
        k: fc.constant("cidr" as const),
        eni: fc.integer({ min: 0, max: 4 }),
        block: fc.integer({ min: 0, max: 7 }),
        len: fc.constantFrom(28, 30, 32),
        prefix: fc.boolean(),
      }),
      fc.record({
        k: fc.constant("del" as const),
        eni: fc.integer({ min: 0, max: 4 }),
        block: fc.integer({ min: 0, max: 7 }),
        len: fc.constantFrom(28, 30, 32),
        force: fc.boolean(),
      }),
      fc.record({ k: fc.constant("rm" as const), eni: fc.integer({ min: 0, max: 4 }), force: fc.boolean() }),
      fc.record({ k: fc.constant("assign" as const), pod: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ k: fc.constant("unassign" as const), pod: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ k: fc.constant("mode" as const), pd: fc.boolean() }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.boolean(), fc.integer(), (ops, random, seed) => {
        const ds = new Datastore(
          settings(IpamMode.SIP, { cooldownMs: 2000 }),
          random ? randomOrder(new Rng(seed)) : ascendingOrder,
        )
        const held = new Map<number, number>()
        let now = 0
        for (const o of ops) {
          now += 1000
          if (o.k === "eni") ds.addEni(o.eni, o.eni === 0, false, false, now)
          else if (o.k === "cidr") ds.addCidr(o.eni, ip("10.0.0.0") + o.block * 16, o.len, o.prefix)
          else if (o.k === "del") ds.delCidr(o.eni, ip("10.0.0.0") + o.block * 16, o.len, o.force)
          else if (o.k === "rm") ds.removeEni(o.eni, o.force)
          else if (o.k === "assign") {
            const a = ds.assign(o.pod, now)
            if (held.has(o.pod)) expect(a).toBe(held.get(o.pod))
            else if (a >= 0) held.set(o.pod, a)
          } else if (o.k === "unassign") {
            const a = ds.unassign(o.pod, now)
            expect(a).toBe(held.get(o.pod) ?? -1)
            held.delete(o.pod)
          } else ds.settings = settings(o.pd ? IpamMode.PD : IpamMode.SIP, { cooldownMs: 2000 })
          // Pods forgotten by forced removals.
          for (const p of [...held.keys()]) if (ds.addressOf(p) < 0) held.delete(p)
          const mode = ds.settings.mode === IpamMode.PD
          let total = 0
          let assigned = 0
          let free = 0
          let pods = 0
          for (const e of ds.enis) {
            let onEni = 0
            for (const c of e.cidrs) {
              let inCidr = 0
              for (let i = 0; i < c.size; i++) if (c.pod[i]! >= 0) inCidr++
              expect(c.assigned).toBe(inCidr)
              onEni += inCidr
              if (c.prefix === mode) {
                total += c.size
                assigned += inCidr
              }
              if (c.prefix && inCidr === 0) free++
            }
            expect(e.assigned).toBe(onEni)
            pods += onEni
          }
          expect([ds.total, ds.assigned, ds.freePrefixes(), pods]).toEqual([total, assigned, free, held.size])
        }
      }),
      { numRuns: 300 },
    )
  })

  it("assigns and releases without allocating (a pod event makes no garbage)", async () => {
    const ds = new Datastore(settings(IpamMode.PD, { cooldownMs: 0 }), randomOrder(new Rng(3)))
    for (let e = 0; e < 3; e++) {
      ds.addEni(e, e === 0, false, false, 0)
      for (let p = 0; p < 4; p++) ds.addCidr(e, ip("10.0.0.0") + (e * 4 + p) * 16, 28, true)
    }
    const churn = (n: number, t0: number): number => {
      let sum = 0
      for (let i = 0; i < n; i++) {
        const pod = i % 150
        const t = t0 + i
        if (ds.addressOf(pod) >= 0) ds.unassign(pod, t)
        else sum = (sum + (ds.assign(pod, t) & 0xff)) & 0xffff
      }
      return sum
    }
    churn(200_000, 0) // optimised before measuring
    let last = -1
    const { bytes } = await sampleAllocations(() => {
      last = churn(300_000, 300_000)
    }, 256)
    expect(last).toBeGreaterThanOrEqual(0)
    // One heap number per event would be 4.8 MB (a CIDR key boxed on its way back from MapOrder.choose was
    // 2.4–15 MB); what is left is the compiler's own work, more of it on a busy machine.
    expect(bytes).toBeLessThan(1024 * 1024)
  })
})
