// idleCycle and nextTimedChange against really running a cycle: for random datastores, a cycle at t makes no
// EC2 call and changes nothing exactly when idleCycle(t); and from an idle instant, every instant before
// nextTimedChange is idle too (the simulation skips those cycles).

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ascendingOrder } from "../go/MapOrder.ts"
import { Datastore } from "./Datastore.ts"
import { type IpamdSettings, IpamMode } from "./IpamdSettings.ts"
import { PoolAction, PoolCycle } from "./PoolCycle.ts"
import { idleCycle, nextTimedChange } from "./PoolDecisions.ts"

const BASE = 167_772_160 // 10.0.0.0

const target = (max: number) => fc.oneof(fc.constant(0), fc.integer({ min: 0, max }))

const node = fc.record({
  pd: fc.boolean(),
  maxENI: fc.integer({ min: 1, max: 5 }),
  perEni: fc.integer({ min: 1, max: 6 }),
  maxPods: fc.integer({ min: 1, max: 70 }),
  warmENITarget: fc.integer({ min: 0, max: 3 }),
  warmIPTarget: target(20),
  minimumIPTarget: target(30),
  warmPrefixTarget: fc.integer({ min: 0, max: 3 }),
  cooldownMs: fc.constantFrom(0, 1000, 30_000, -1000),
  subnetDiscovery: fc.boolean(),
  enis: fc.array(
    fc.record({
      trunk: fc.integer({ min: 0, max: 6 }).map((x) => x === 0),
      efa: fc.boolean(),
      created: fc.integer({ min: 0, max: 200_000 }),
      cidrs: fc.array(fc.record({ prefix: fc.boolean(), sameMode: fc.boolean() }), { maxLength: 5 }),
    }),
    { maxLength: 5 },
  ),
  // Pods come at `at` and some go at `at + stay`.
  pods: fc.array(
    fc.record({ at: fc.integer({ min: 0, max: 200_000 }), stay: fc.option(fc.integer({ min: 0, max: 150_000 })) }),
    { maxLength: 40 },
  ),
  lastDecrease: fc.option(fc.integer({ min: 100_000, max: 200_000 })),
  lastInsufficient: fc.option(fc.integer({ min: 50_000, max: 200_000 })),
  now: fc.integer({ min: 150_000, max: 260_000 }),
})

type Node = typeof node extends fc.Arbitrary<infer T> ? T : never

const settingsOf = (n: Node): IpamdSettings => ({
  mode: n.pd ? IpamMode.PD : IpamMode.SIP,
  maxENI: n.maxENI,
  maxIPsPerENI: n.pd ? 16 * n.perEni : n.perEni,
  maxPrefixesPerENI: n.pd ? n.perEni : 0,
  maxPods: n.maxPods,
  warmENITarget: n.warmENITarget,
  warmIPTarget: n.warmIPTarget,
  minimumIPTarget: n.minimumIPTarget,
  warmPrefixTarget: n.warmPrefixTarget,
  cooldownMs: n.cooldownMs,
  subnetDiscovery: n.subnetDiscovery,
})

/** The datastore the recipe describes, as it is at `n.now`. */
const build = (n: Node): Datastore => {
  const ds = new Datastore(settingsOf(n), ascendingOrder)
  let block = 0
  n.enis.forEach((e, i) => {
    ds.addEni(i, i === 0, e.trunk, e.efa, e.created)
    for (const c of e.cidrs) {
      const prefix = c.sameMode ? n.pd : c.prefix
      ds.addCidr(i, BASE + 16 * block++, prefix ? 28 : 32, prefix)
    }
  })
  const events: [number, number, boolean][] = []
  n.pods.forEach((p, i) => {
    events.push([p.at, i, true])
    if (p.stay !== null && p.at + p.stay < n.now) events.push([p.at + p.stay, i, false])
  })
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  for (const [t, pod, create] of events) {
    if (t >= n.now) continue
    if (create) ds.assign(pod, t)
    else ds.unassign(pod, t)
  }
  if (n.lastDecrease !== null) ds.lastDecrease = n.lastDecrease
  if (n.lastInsufficient !== null) ds.lastInsufficient = n.lastInsufficient
  return ds
}

/** Everything a cycle could change. */
const snapshot = (ds: Datastore): string =>
  JSON.stringify({
    enis: ds.enis.map((e) => [
      e.key,
      e.cidrs.map((c) => [c.base, c.len, c.prefix, [...c.pod], [...c.releasedAt].map(String)]),
    ]),
    counter: ds.prefixCounter,
    lastDecrease: ds.lastDecrease,
    lastInsufficient: ds.lastInsufficient,
  })

/** Whether a tick at `t` on a fresh copy makes an EC2 call or changes the datastore. */
const cycleActs = (n: Node, t: number): boolean => {
  const ds = build(n)
  const before = snapshot(ds)
  return new PoolCycle(ds).start(PoolAction.TICK, t) || snapshot(ds) !== before
}

describe("idle cycles", () => {
  it("idleCycle(t) holds exactly when a cycle at t would make no EC2 call and change nothing", () => {
    fc.assert(
      fc.property(node, fc.integer({ min: 0, max: 200_000 }), (n, dt) => {
        const t = n.now + dt
        expect(idleCycle(build(n), t)).toBe(!cycleActs(n, t))
      }),
      { numRuns: 2000 },
    )
  })

  it("from an idle instant, every instant before nextTimedChange is idle and its cycle changes nothing", () => {
    let idle = 0
    let bounded = 0
    fc.assert(
      fc.property(node, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), (n, picks) => {
        const ds = build(n)
        if (!idleCycle(ds, n.now)) return
        idle++
        const next = nextTimedChange(ds, n.now)
        expect(next).toBeGreaterThan(n.now)
        const last = Number.isFinite(next) ? next - 1 : n.now + 400_000
        if (Number.isFinite(next)) bounded++
        const times = [n.now, last, ...picks.map((p) => n.now + Math.floor(p * (last - n.now)))]
        for (const t of times) {
          expect(idleCycle(ds, t)).toBe(true)
          expect(cycleActs(n, t)).toBe(false)
        }
      }),
      { numRuns: 3000 },
    )
    // The property is not vacuous: many idle instants, many of them with a finite bound.
    expect(idle).toBeGreaterThan(300)
    expect(bounded).toBeGreaterThan(100)
  })

  it("nextTimedChange is not needlessly early: at that instant something timed has changed", () => {
    // For each rule on its own: the first instant it no longer holds.
    const ds = new Datastore(settingsOf({ pd: false, cooldownMs: 30_000 } as Node), ascendingOrder)
    ds.lastDecrease = 1_000
    expect(nextTimedChange(ds, 1_000)).toBe(31_001)
    expect(nextTimedChange(ds, 31_000)).toBe(31_001)
    expect(nextTimedChange(ds, 31_001)).toBe(Number.POSITIVE_INFINITY)
    ds.lastInsufficient = 2_000
    expect(nextTimedChange(ds, 40_000)).toBe(122_001)
    ds.addEni(1, false, false, false, 100_000)
    expect(nextTimedChange(ds, 100_000)).toBe(122_001)
    expect(nextTimedChange(ds, 122_001)).toBe(160_000)
    ds.addCidr(1, BASE, 32, false)
    ds.assign(7, 150_000)
    expect(nextTimedChange(ds, 150_000)).toBe(Number.POSITIVE_INFINITY)
    ds.unassign(7, 155_000)
    expect(nextTimedChange(ds, 155_000)).toBe(160_000)
    expect(nextTimedChange(ds, 160_000)).toBe(185_001)
  })
})
