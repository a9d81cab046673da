// Oracle tables for the warm pool: research/vpc-resource-controller.md §6.1 (pkg/pool/pool_test.go),
// for what the pool object adds: ReSync (the flag ReconcilePool answers, and the job), SetToActive and
// SetToDraining, the coolDownSettles prediction; and the fixture builders themselves (WarmPool.fixtures.ts).

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ascendingOrder, randomOrder } from "../../go/MapOrder.ts"
import { Rng } from "../../kernel/Rng.ts"
import { drainingConfig, pdDefaultConfig, sipDefaultConfig, type WarmPoolConfig } from "../WarmPoolConfig.ts"
import { JobType, Pool, PoolJob } from "./Pool.ts"
import {
  activate,
  cfg,
  create,
  deleted,
  drain,
  grp,
  type JobView,
  NONE,
  pdPool,
  pending,
  prefixOf,
  RESYNC,
  reconcile,
  res,
  sipPool,
  sorted,
  tracked,
  WARM_PFX,
  warmOf,
} from "./WarmPool.fixtures.ts"
import { WarmPool } from "./WarmPool.ts"

describe("fixture builders", () => {
  it("reproduce warmPfx: 22 warm IPs in keys grp-1..4, grp-7 with [1, 2, 3, 0, 16], nothing else tracked", () => {
    const { pool, used } = pdPool(224, WARM_PFX())
    expect(sorted(pool.warmGroups().map(([g]) => g))).toEqual([grp(1), grp(2), grp(3), grp(4), grp(7)])
    expect(pool.warmGroups().sort((a, b) => a[0] - b[0])).toEqual([
      [grp(1), 1],
      [grp(2), 2],
      [grp(3), 3],
      [grp(4), 0],
      [grp(7), 16],
    ])
    expect(pool.warmCountIps).toBe(22)
    expect(pool.warmGroupKeys).toBe(5)
    expect(used.size).toBe(0)
    expect(pool.usedCount).toBe(0)
    expect(pending(pool)).toEqual({ pendingCreate: 0, pendingDelete: 0 })
  })

  it("reproduce warmPfx with pods in grp-1, grp-2, grp-3 (SetToDraining_PD_Pool)", () => {
    const { pool, used } = pdPool(224, WARM_PFX([1, 1, 1]))
    expect(pool.warmCountIps).toBe(22)
    expect(sorted([...used.values()].map(prefixOf))).toEqual([grp(1), grp(2), grp(3)])
  })

  it.each([1, 2, 3])("work with random map order (seed %i)", (seed) => {
    const { pool } = pdPool(224, WARM_PFX([1, 0, 1]), randomOrder(Rng.stream(seed, "fixture")))
    expect(warmOf(pool)).toEqual([
      [grp(1), 1],
      [grp(2), 2],
      [grp(3), 3],
      [grp(7), 16],
    ])
    expect(pool.usedCount).toBe(2)
  })
})

// §3.3 step 2 and §6.1 TestPool_Reconcile_ReSync (used2, cap 4).
describe("§6.1 TestPool_Reconcile_ReSync", () => {
  it.each<{ name: string; build: () => WarmPool; job: JobView }>([
    {
      name: "reSyncRequired, nothing pending → ReSync",
      build: () => sipPool({ cap: 4, used: [res(1), res(2)] }),
      job: RESYNC,
    },
    {
      name: "reSyncRequired, PDl 1 → NoReconcile",
      build: () => {
        const pool = sipPool({ cap: 4, used: [res(1), res(2)], warm: [res(3)] })
        expect(activate(pool, cfg(0, 0))).toEqual(deleted([res(3)]))
        return pool
      },
      job: NONE,
    },
    {
      name: "reSyncRequired, PC 1 → NoReconcile",
      build: () => {
        const pool = sipPool({ cap: 4, used: [res(1), res(2)] })
        expect(activate(pool, cfg(1, 0))).toEqual(create(1))
        return pool
      },
      job: NONE,
    },
  ])("$name", ({ build, job }) => {
    const pool = build()
    const before = pending(pool)
    expect(pool.updatePool(JobType.Create, 0, [], false, false)).toBe(true)
    expect(reconcile(pool)).toEqual(job)
    // the flag stays until the ReSync job runs, so every reconcile asks again
    expect(reconcile(pool)).toEqual(job)
    expect(pool.reSyncRequired).toBe(true)
    expect(pending(pool)).toEqual(before)
  })

  it("the ReSync job clears the flag and reconciling resumes", () => {
    const pool = sipPool({ cap: 4, used: [res(1), res(2)] })
    pool.updatePool(JobType.Create, 0, [], false, false)
    expect(reconcile(pool)).toEqual(RESYNC)
    pool.reSync([res(1), res(2)])
    expect(pool.reSyncRequired).toBe(false)
    expect(activate(pool, cfg(2, 0))).toEqual(create(2))
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §6.1 TestPool_ReSync (SIP, used2, cap 7; warm {res-3, res-4}, cooling [res-5, res-6]) and §3.6.

describe("§6.1 TestPool_ReSync", () => {
  it.each<{
    name: string
    flag: boolean
    upstream: number[]
    used: number[]
    warm: number[]
    cooling: number[]
  }>([
    // Go passes nil upstream here: with the flag unset even "EC2 has nothing" changes nothing
    {
      name: "when re-sync flag is not set, don't sync",
      flag: false,
      upstream: [],
      used: [res(1), res(2)],
      warm: [res(3), res(4)],
      cooling: [res(5), res(6)],
    },
    {
      name: "when upstream and pool state match",
      flag: true,
      upstream: [1, 2, 3, 4, 5, 6].map(res),
      used: [res(1), res(2)],
      warm: [res(3), res(4)],
      cooling: [res(5), res(6)],
    },
    {
      name: "when upstream and pool are out of sync (res-4, res-5 gone, res-7 new)",
      flag: true,
      upstream: [1, 2, 3, 6, 7].map(res),
      used: [res(1), res(2)],
      warm: [res(3), res(7)],
      cooling: [res(6)],
    },
    // §3.6 step 3: used entries are never removed, even if EC2 no longer has the address
    {
      name: "used addresses missing upstream stay used",
      flag: true,
      upstream: [3, 4, 5, 6].map(res),
      used: [res(1), res(2)],
      warm: [res(3), res(4)],
      cooling: [res(5), res(6)],
    },
    { name: "EC2 holds nothing", flag: true, upstream: [], used: [res(1), res(2)], warm: [], cooling: [] },
  ])("$name", ({ flag, upstream, used, warm, cooling }) => {
    const pool = sipPool({ cap: 7, used: [res(1), res(2)], cooling: [res(5), res(6)] })
    pool.updatePool(JobType.Create, 0, [res(3), res(4)], !flag, false)
    expect(pool.reSyncRequired).toBe(flag)
    pool.reSync(upstream)
    expect(pool.reSyncRequired).toBe(false)
    expect(tracked(pool)).toEqual({ used, warm, cooling })
    expect(pool.assigned(1)).toBe(res(1))
    expect(pool.assigned(2)).toBe(res(2))
    expect(pool.warmCountIps).toBe(warm.length)
    expect(pool.coolingCount).toBe(cooling.length)
  })

  // §3.6 step 2: a prefix pool's upstream groups are prefixes, each standing for its 16 addresses.
  it("prefix pool: upstream prefixes expand to 16 addresses; a gone prefix leaves warm, a new one arrives", () => {
    const { pool } = pdPool(224, [
      { base: grp(1), warm: 16 },
      { base: grp(2), warm: 16 },
    ])
    pool.updatePool(JobType.Create, 0, [], false, true)
    pool.reSync([grp(1), grp(3)])
    expect(warmOf(pool)).toEqual([
      [grp(1), 16],
      [grp(3), 16],
    ])
    expect(pool.warmGroupKeys).toBe(2)
    expect(pool.warmCountIps).toBe(32)
  })

  it("prefix pool: in-use addresses of a gone prefix stay, its warm and cooling addresses go", () => {
    const { pool, used } = pdPool(224, [{ base: grp(1), warm: 14, used: 2 }])
    const [a, b] = [...used.entries()]
    expect(pool.free(a![0], a![1], 0)).toBe(0)
    pool.updatePool(JobType.Create, 0, [], false, true)
    pool.reSync([])
    expect(tracked(pool)).toEqual({ used: [b![1]], warm: [], cooling: [] })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §6.1 SetToDraining / SetToActive (§2.6, §3.3–§3.5).

describe("§6.1 TestPool_SetToDraining_* / SetToActive_*", () => {
  it("SetToDraining_SecondaryIP_Pool: warm res-2, res-3, cap 7 → Deleted 2, PDl 2, PC 0", () => {
    const pool = sipPool({ cap: 7, warm: [res(2), res(3)] })
    pool.config = cfg(1, 0)
    const job = drain(pool)
    expect(job).toEqual(deleted([res(2), res(3)]))
    expect(pending(pool)).toEqual({ pendingCreate: 0, pendingDelete: 2 })
    expect(pool.config).toEqual(drainingConfig())
  })

  it("SetToDraining_PD_Pool: used in grp-1/2/3, warmPfx, cap 224 → exactly {Deleted, [grp-7], 1}, PDl 16", () => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 1]))
    expect(drain(pool)).toEqual(deleted([grp(7)]))
    expect(pool.pendingDelete).toBe(16)
    expect(pool.pendingCreate).toBe(0)
  })

  it("SetToActive_SecondaryIP_Pool: warm res-3, cap 7, {DesiredSize 4, W 4} → exactly {Create, 3}, PC 3", () => {
    const pool = sipPool({ cap: 7, warm: [res(3)] })
    const config: WarmPoolConfig = { ...drainingConfig(), desiredSize: 4, warmIpTarget: 4 }
    expect(activate(pool, config)).toEqual(create(3))
    expect(pool.pendingCreate).toBe(3)
    expect(pool.config).toBe(config)
  })

  // Go: empty config, used2, warm nil. Reachable closest: the two pods hold addresses of a prefix EC2 no longer
  // lists, leaving an emptied key; prefix mode counts free prefixes only, so the key changes nothing.
  it("SetToActive_PD_Pool: empty config, used2, cap 224, {DesiredSize 1, WPT 1} → exactly {Create, 1}, PC 16", () => {
    const { pool } = pdPool(224, [{ base: grp(1), warm: 0, used: 2 }])
    pool.config = drainingConfig()
    const config: WarmPoolConfig = { ...drainingConfig(), desiredSize: 1, warmPrefixTarget: 1 }
    expect(activate(pool, config)).toEqual(create(1))
    expect(pool.pendingCreate).toBe(16)
    // prefix mode (§3.5 branch A) writes no W/M defaults
    expect(config).toEqual({ ...drainingConfig(), desiredSize: 1, warmPrefixTarget: 1 })
  })

  // §3.4/§3.5 step 1: a config with DesiredSize 0 is draining whatever its targets; zeros are written back.
  it.each<{ name: string; pd: boolean }>([
    { name: "SIP", pd: false },
    { name: "PD", pd: true },
  ])("$name: DesiredSize 0 zeroes W, M and WPT in the config object", ({ pd }) => {
    const pool = pd ? pdPool(224, []).pool : sipPool({ cap: 7 })
    const config = cfg(5, 5, 2, { desiredSize: 0 })
    expect(activate(pool, config)).toEqual(NONE)
    expect(config).toEqual(cfg(0, 0, 0, { desiredSize: 0 }))
  })

  // §3.4 steady state: a draining SIP pool has dev = −(warm + PC) and deletes min(n, #warm) IPs; cooling IPs stay.
  it("draining SIP pool deletes every warm IP but no cooling or pending one", () => {
    const pool = sipPool({ cap: 29, pendingCreate: 3, used: [res(1)], cooling: [res(2)], warm: [res(3), res(4)] })
    expect(drain(pool)).toEqual(deleted([res(3), res(4)]))
    expect(pending(pool)).toEqual({ pendingCreate: 3, pendingDelete: 2 })
    expect(tracked(pool)).toEqual({ used: [res(1)], warm: [], cooling: [res(2)] })
    // nothing left to delete
    expect(reconcile(pool)).toEqual(NONE)
  })

  // §2.6: a draining PD pool deletes every free prefix and keeps any prefix with a used or cooling address.
  it("draining PD pool releases every free prefix, none with used or cooling addresses", () => {
    const { pool, used } = pdPool(224, [
      { base: grp(1), warm: 15, used: 1 },
      { base: grp(2), warm: 14, used: 2 },
      { base: grp(3), warm: 16 },
      { base: grp(4), warm: 16 },
    ])
    const [pod, ip] = [...used.entries()].find(([, a]) => prefixOf(a) === grp(1))!
    expect(pool.free(pod, ip, 0)).toBe(0)
    expect(drain(pool)).toEqual(deleted([grp(3), grp(4)]))
    expect(pool.pendingDelete).toBe(32)
    // grp-1 is all warm again after cool-down and goes at the next reconcile
    expect(pool.processCoolDown(Pool.COOL_DOWN_MS)).toBe(false)
    expect(reconcile(pool)).toEqual(deleted([grp(1)]))
  })
})

// ---------------------------------------------------------------------------------------------------------------
// coolDownSettles predicts, without changing the pool, what the loop's ProcessCoolDownQueue + ReconcilePool would
// do (Cluster applies such a loop late). Oracle: the same pool built twice from random operations, one asked, the
// other actually run.

type PoolOp =
  | { readonly op: "assign"; readonly pod: number; readonly n: number }
  | { readonly op: "free"; readonly pick: number; readonly n: number }
  | { readonly op: "advance"; readonly ms: number }
  | { readonly op: "cooldown" }
  | { readonly op: "reconcile"; readonly ok: boolean }
  | { readonly op: "config"; readonly w: number; readonly m: number; readonly wpt: number; readonly dev: number }

const poolOps: fc.Arbitrary<PoolOp[]> = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant("assign" as const), pod: fc.nat(60), n: fc.integer({ min: 1, max: 16 }) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant("free" as const), pick: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(1, 5_000, 20_000, 30_000) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("cooldown" as const) }) },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant("reconcile" as const), ok: fc.constantFrom(true, true, true, false) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("config" as const),
        w: fc.integer({ min: -1, max: 20 }),
        m: fc.integer({ min: -1, max: 20 }),
        wpt: fc.nat(2),
        dev: fc.constantFrom(0, 0, 1),
      }),
    },
  ),
  { maxLength: 80 },
)

/** A pool after `ops` (a reconcile's job completes at once, failed when !ok); and the time reached. */
const poolAfter = (isPd: boolean, legacy: boolean, ops: readonly PoolOp[]): { pool: WarmPool; now: number } => {
  const pool = new WarmPool({
    capacity: isPd ? 48 : 10,
    isPrefixPool: isPd,
    config: isPd ? pdDefaultConfig() : sipDefaultConfig(),
    order: ascendingOrder,
    legacySecondaryIp: legacy,
  })
  const job = new PoolJob()
  const pods: Array<[number, number]> = []
  let next = 16 * 100
  let now = 0
  for (const o of ops) {
    if (o.op === "assign") {
      for (let pod = o.pod; pod < o.pod + o.n; pod++) {
        const ip = pool.assign(pod)
        if (ip >= 0) pods.push([pod, ip])
      }
    } else if (o.op === "free") {
      for (let i = 0; i < o.n && pods.length > 0; i++) {
        const [pod, ip] = pods.splice((o.pick + i) % pods.length, 1)[0]!
        pool.free(pod, ip, now)
      }
    } else if (o.op === "advance") now += o.ms
    else if (o.op === "cooldown") pool.processCoolDown(now)
    else if (o.op === "reconcile") {
      const type = pool.reconcile(job)
      const made: number[] = []
      if (type === JobType.Create && o.ok)
        for (let i = 0; i < job.count; i++, next += Pool.IPS_PER_PREFIX)
          made.push(isPd ? next : next / Pool.IPS_PER_PREFIX)
      if (type === JobType.Create || type === JobType.Deleted)
        pool.updatePool(type, job.count, type === JobType.Deleted && !o.ok ? [...job.groups] : made, o.ok, true)
    } else if (o.op === "config") pool.setToActive(cfg(o.w, o.m, o.wpt, { maxDeviation: o.dev }), job)
  }
  // The precondition: a reconcile with the current config has run.
  pool.reconcile(job)
  return { pool, now }
}

describe("coolDownSettles: the loop that only returns cooled addresses to warm", () => {
  it("sees a prefix made whole by cooled addresses, which the loop then releases (§3.5)", () => {
    const pool = new WarmPool({ capacity: 48, isPrefixPool: true, config: pdDefaultConfig(), order: ascendingOrder })
    const job = new PoolJob()
    const fill = (prefix: number): void => {
      expect(pool.reconcile(job)).toBe(JobType.Create)
      pool.updatePool(JobType.Create, job.count, [prefix], true, true)
    }
    const held = new Map<number, number>()
    fill(grp(1))
    for (let pod = 0; pod < 16; pod++) held.set(pod, pool.assign(pod))
    fill(grp(2))
    held.set(16, pool.assign(16))
    const inFirst = [...held].filter(([, ip]) => prefixOf(ip) === grp(1))
    expect(inFirst).toHaveLength(16)
    // 15 of the first prefix's 16 pods leave: after the cool-down no prefix is whole, nothing to do.
    for (const [pod, ip] of inFirst.slice(0, 15)) pool.free(pod, ip, 0)
    expect(pool.reconcile(job)).toBe(JobType.NoReconcile)
    expect(pool.coolDownSettles(20_000)).toBe(false) // not cooled yet
    expect(pool.coolDownSettles(30_000)).toBe(true)
    // The 16th leaves too: the cooled addresses make the first prefix whole, and the loop would release it.
    const [pod, ip] = inFirst[15]!
    pool.free(pod, ip, 1)
    expect(pool.reconcile(job)).toBe(JobType.NoReconcile)
    expect(pool.coolDownSettles(30_001)).toBe(false)
    pool.processCoolDown(30_001)
    expect(pool.reconcile(job)).toBe(JobType.Deleted)
    expect([...job.groups]).toEqual([grp(1)])
  })

  it("is true exactly when that loop would leave nothing cooling and nothing to reconcile", () => {
    let settles = 0
    let wholeAfterCoolDown = 0
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        poolOps,
        fc.constantFrom(0, 10_000, 30_000, 60_000),
        (isPd, legacy, ops, later) => {
          const asked = poolAfter(isPd, legacy && !isPd, ops)
          const run = poolAfter(isPd, legacy && !isPd, ops)
          const at = asked.now + later
          const before = { used: asked.pool.usedCount, warm: asked.pool.warmCountIps, cooling: asked.pool.coolingCount }
          const predicted = asked.pool.coolDownSettles(at)
          // Asking changes nothing.
          expect({
            used: asked.pool.usedCount,
            warm: asked.pool.warmCountIps,
            cooling: asked.pool.coolingCount,
          }).toEqual(before)
          const hadCooling = run.pool.coolingCount > 0
          const resync = run.pool.reSyncRequired
          const remains = run.pool.processCoolDown(at)
          const actual = hadCooling && !remains && run.pool.reconcile(new PoolJob()) === JobType.NoReconcile
          // A pool waiting for a ReSync is never predicted (its reconcile depends on the pending jobs).
          expect(predicted).toBe(actual && !resync)
          if (predicted) settles++
          if (
            isPd &&
            remains === false &&
            hadCooling &&
            run.pool.warmGroups().some(([, n]) => n === Pool.IPS_PER_PREFIX)
          )
            wholeAfterCoolDown++
        },
      ),
      { numRuns: 3000, seed: 7 },
    )
    // Not vacuous: both answers occur, and cooled addresses make whole free prefixes.
    expect(settles).toBeGreaterThan(50)
    expect(wholeAfterCoolDown).toBeGreaterThan(10)
  })
})
