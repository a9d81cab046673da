// Oracle tables for the warm pool: research/vpc-resource-controller.md §6.1 (pkg/pool/pool_test.go),
// for ReconcilePool and the deviation from the config's targets it acts on: calculateSecondaryIPDeviation,
// getPDDeviation, and targets as large as Atoi gives them. Fixtures: WarmPool.fixtures.ts.

import { describe, expect, it } from "vitest"
import { ascendingOrder, randomOrder } from "../../go/MapOrder.ts"
import { Rng } from "../../kernel/Rng.ts"
import type { WarmPoolConfig } from "../WarmPoolConfig.ts"
import { JobType } from "./Pool.ts"
import {
  activate,
  cfg,
  create,
  deleted,
  grp,
  type JobView,
  NONE,
  pdPool,
  pending,
  res,
  sipPool,
  sorted,
  WARM_PFX,
} from "./WarmPool.fixtures.ts"
import { WarmPool } from "./WarmPool.ts"

// ---------------------------------------------------------------------------------------------------------------
// §6.1 ReconcilePool (SIP). The Go tests share one package-level poolConfig and mutate it in file order (§6.1
// "shared config caveat"); the rows run in that order against one shared object, so each sees what the previous
// left. Initial value: {DesiredSize 1, ReservedSize 1, MaxDeviation 0, W 3, M 3, WPT 0}.

describe("§6.1 TestPool_ReconcilePool_* (shared poolConfig)", () => {
  const shared: WarmPoolConfig = cfg(3, 3, 0, { reservedSize: 1 })

  it.each<{
    name: string
    set: Partial<WarmPoolConfig>
    build: () => WarmPool
    job: JobView
    pendingCreate: number
    pendingDelete: number
  }>([
    {
      // used 2, warm 1, cooling 1, PC 1, PDl 1, cap 6: NoReconcile via canCreateUpto = 0 (dev = 1, total 6); the
      // U + PC + PDl + C check is 5 ≠ 6. PC and PDl come from real jobs.
      name: "ReconcilePool_MaxCapacity (cfg 3/3/0)",
      set: {},
      build: () => {
        const pool = sipPool({ cap: 6, used: [res(1), res(2)], cooling: [res(3)], warm: [res(4), res(5)] })
        expect(activate(pool, cfg(1, 0))).toEqual(deleted([res(4)]))
        expect(activate(pool, cfg(2, 0))).toEqual(create(1))
        expect([pool.usedCount, pool.warmCountIps, pool.coolingCount]).toEqual([2, 1, 1])
        return pool
      },
      job: NONE,
      pendingCreate: 1,
      pendingDelete: 1,
    },
    {
      name: "ReconcilePool_NotRequired (cfg 2/0/0, PC 2)",
      set: { warmIpTarget: 2, minIpTarget: 0 },
      build: () => sipPool({ cap: 7, pendingCreate: 2 }),
      job: NONE,
      pendingCreate: 2,
      pendingDelete: 0,
    },
    {
      name: "ReconcilePool_Create (cfg 2/0/0)",
      set: { warmIpTarget: 2, minIpTarget: 0 },
      build: () => sipPool({ cap: 7 }),
      job: create(2),
      pendingCreate: 2,
      pendingDelete: 0,
    },
    {
      name: "ReconcilePool_Create_LimitByMaxCapacity (6 used, cap 7)",
      set: { warmIpTarget: 2, minIpTarget: 0 },
      build: () => sipPool({ cap: 7, used: [1, 2, 3, 4, 5, 6].map(res) }),
      job: create(1),
      pendingCreate: 1,
      pendingDelete: 0,
    },
    {
      name: "ReconcilePool_Delete_NotRequired (cfg 2/0, MaxDeviation 1 from here on)",
      set: { warmIpTarget: 2, minIpTarget: 0, maxDeviation: 1 },
      build: () => sipPool({ cap: 7, warm: [res(3), res(4), res(5)] }),
      job: NONE,
      pendingCreate: 0,
      pendingDelete: 0,
    },
    {
      // Go: any 2 of the 4 keys; ascending map order takes the two lowest
      name: "ReconcilePool_Delete (cfg 2/0, MaxDeviation 1)",
      set: { warmIpTarget: 2, minIpTarget: 0 },
      build: () => sipPool({ cap: 7, warm: [res(1), res(2), res(3), res(4)] }),
      job: deleted([res(1), res(2)]),
      pendingCreate: 0,
      pendingDelete: 2,
    },
  ])("$name", ({ set, build, job, pendingCreate, pendingDelete }) => {
    Object.assign(shared, set)
    const before = { ...shared }
    const pool = build()
    expect(activate(pool, shared)).toEqual(job)
    expect(pending(pool)).toEqual({ pendingCreate, pendingDelete })
    // no negative targets, so nothing is written back
    expect(shared).toEqual(before)
  })

  it.each([1, 2, 3, 4, 5])("ReconcilePool_Delete with random map order (seed %i): any 2 of the 4 warm IPs", (seed) => {
    const warm = [res(1), res(2), res(3), res(4)]
    const pool = sipPool({ cap: 7, warm, order: randomOrder(Rng.stream(seed, "delete")) })
    const job = activate(pool, cfg(2, 0, 0, { maxDeviation: 1 }))
    expect(job.type).toBe(JobType.Deleted)
    expect(job.count).toBe(2)
    expect(new Set(job.groups).size).toBe(2)
    for (const g of job.groups) expect(warm).toContain(g)
    expect(pool.pendingDelete).toBe(2)
    expect(sorted(pool.trackedAddresses().warm)).toEqual(warm.filter((ip) => !job.groups.includes(ip)))
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §6.1 getPDDeviation (§3.5), observed through ReconcilePool: +16 → Create 1 prefix, −16 → Deleted [grp-7] (the only
// free prefix), 0 → NoReconcile; the config object shows the write-back. Shared poolConfig: when
// TestGetPDDeviation_TargetNotSet runs, earlier tests have left {DesiredSize 1, ReservedSize 1, MaxDeviation 1, W 1,
// M 0, WPT 0} (W 1/M 0 from SetToActive_SecondaryIP_Pool, MaxDeviation 1 from ReconcilePool_Delete_NotRequired).
// MaxDeviation 1 does not change any outcome here (deviations are multiples of 16). Capacity 224 everywhere; Go builds
// the two InvalidTarget_Negative pools as secondary-IP pools of capacity 7 and calls getPDDeviation directly, which
// only a prefix pool's ReconcilePool does.

describe("§6.1 TestGetPDDeviation_* (shared poolConfig)", () => {
  const shared: WarmPoolConfig = cfg(1, 0, 0, { reservedSize: 1, maxDeviation: 1 })
  const empty = () => new WarmPool({ capacity: 224, isPrefixPool: true, config: shared, order: ascendingOrder })
  const warmPfx = () => pdPool(224, WARM_PFX()).pool

  it.each<{
    name: string
    set: [number, number, number] | null
    build: () => WarmPool
    job: JobView
    after: [number, number, number]
  }>([
    { name: "TargetNotSet (cfg left at 1/0/0 → M := 3)", set: null, build: empty, job: create(1), after: [1, 3, 0] },
    { name: "InvalidTarget_Zero", set: [0, 0, 0], build: empty, job: create(1), after: [1, 3, 0] },
    { name: "InvalidTarget_Negative", set: [-10, -20, -100], build: empty, job: create(1), after: [1, 3, -100] },
    {
      name: "InvalidTarget_Negative_WarmPrefixTarget",
      set: [0, 0, -100],
      build: empty,
      job: create(1),
      after: [1, 3, -100],
    },
    {
      name: "WarmPrefixTarget_NeedMore (used2, 1 free prefix)",
      set: [0, 0, 2],
      build: () => pdPool(224, WARM_PFX([1, 1, 0])).pool,
      job: create(1),
      after: [0, 0, 2],
    },
    { name: "MinIPTarget_NeedLess", set: [0, 10, 0], build: warmPfx, job: deleted([grp(7)]), after: [1, 10, 0] },
    { name: "MinIPTarget_NeedLess_NoChange", set: [0, 20, 0], build: warmPfx, job: NONE, after: [1, 20, 0] },
    { name: "MinIPTarget_NeedMore", set: [0, 33, 0], build: warmPfx, job: create(1), after: [1, 33, 0] },
    { name: "MinIPTarget_NeedMore_NoChange", set: [0, 25, 0], build: warmPfx, job: NONE, after: [1, 25, 0] },
    { name: "WarmIPTarget_NeedLess", set: [5, 0, 0], build: warmPfx, job: deleted([grp(7)]), after: [5, 3, 0] },
    { name: "WarmIPTarget_NeedLess_NoChange", set: [17, 0, 0], build: warmPfx, job: NONE, after: [17, 3, 0] },
    { name: "WarmIPTarget_NeedMore", set: [33, 0, 0], build: warmPfx, job: create(1), after: [33, 3, 0] },
    { name: "WarmIPTarget_NeedMore_NoChange", set: [30, 0, 0], build: warmPfx, job: NONE, after: [30, 3, 0] },
  ])("$name", ({ set, build, job, after }) => {
    if (set !== null) [shared.warmIpTarget, shared.minIpTarget, shared.warmPrefixTarget] = set
    const pool = build()
    expect(activate(pool, shared)).toEqual(job)
    expect(pool.config).toBe(shared)
    expect([shared.warmIpTarget, shared.minIpTarget, shared.warmPrefixTarget]).toEqual(after)
    expect(pending(pool)).toEqual({
      pendingCreate: job.type === JobType.Create ? 16 : 0,
      pendingDelete: job.type === JobType.Deleted ? 16 : 0,
    })
  })

  // §3.5 further: branch A counts pending creates (ceil(PC/16)); branch B zeroes a negative deviation without free
  // prefixes; cooling addresses count toward current but not toward the warm target.
  it.each<{ name: string; build: () => WarmPool; config: WarmPoolConfig; job: JobView }>([
    {
      name: "prefix mode: WPT 3 with 2 prefixes pending → 1 more",
      build: () => {
        const pool = new WarmPool({ capacity: 224, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder })
        expect(activate(pool, cfg(0, 0, 2))).toEqual(create(2))
        return pool
      },
      config: cfg(0, 0, 3),
      job: create(1),
    },
    {
      name: "prefix mode: WPT 1 with 3 free prefixes → delete 2 (any used prefix ignored)",
      build: () =>
        pdPool(224, [
          { base: grp(1), warm: 10, used: 6 },
          { base: grp(2), warm: 16 },
          { base: grp(3), warm: 16 },
          { base: grp(4), warm: 16 },
        ]).pool,
      config: cfg(0, 0, 1),
      job: deleted([grp(2), grp(3)]),
    },
    {
      name: "IP mode: 2 partly used prefixes, need 1, no free prefix → 0",
      build: () =>
        pdPool(224, [
          { base: grp(1), warm: 15, used: 1 },
          { base: grp(2), warm: 15, used: 1 },
        ]).pool,
      config: cfg(1, 3),
      job: NONE,
    },
    {
      // current = ceil((U + PC + warm + C)/16) = 1 ≥ need max(ceil((0 + 1)/16), ceil(3/16)) = 1
      name: "IP mode: a prefix whose 16 addresses all cool down still counts as current → 0",
      build: () => {
        const pool = new WarmPool({ capacity: 224, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder })
        pool.updatePool(JobType.Create, 0, [grp(1)], true, true)
        for (let pod = 1; pod <= 16; pod++) expect(pool.assign(pod)).toBe(grp(1) + pod - 1)
        for (let pod = 1; pod <= 16; pod++) expect(pool.free(pod, grp(1) + pod - 1, 0)).toBe(0)
        expect([pool.usedCount, pool.warmCountIps, pool.coolingCount]).toEqual([0, 0, 16])
        return pool
      },
      config: cfg(1, 3),
      job: NONE,
    },
    {
      name: "IP mode: M 100 on an empty pool → 7 prefixes",
      build: () => new WarmPool({ capacity: 224, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder }),
      config: cfg(1, 100),
      job: create(7),
    },
    {
      name: "IP mode: creation clamped by capacity (cap 48, M 100 → 3 prefixes)",
      build: () => new WarmPool({ capacity: 48, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder }),
      config: cfg(1, 100),
      job: create(3),
    },
  ])("$name", ({ build, config, job }) => {
    expect(activate(build(), config)).toEqual(job)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §6.1 calculateSecondaryIPDeviation (§3.4), observed through ReconcilePool on a secondary-IP pool of capacity 29
// (large enough that canCreateUpto never clamps; Go calls the function directly on pools of capacity 0 or 14):
// dev > 0 → Create dev, dev < 0 → Deleted −dev IPs, 0 → NoReconcile. Go's w2/w5 put 2 or 5 IPs under one key, which
// a secondary-IP pool never does (each IP is its own group); here they are 2 or 5 one-IP groups, same warm count.

const sipJob = (dev: number) =>
  dev > 0
    ? { type: JobType.Create, count: dev }
    : dev < 0
      ? { type: JobType.Deleted, count: -dev }
      : { type: JobType.NoReconcile, count: 0 }

type SipRow = [name: string, w: number, m: number, pc: number, warm: number, used: number, dev: number]

const runSipRow = ([, w, m, pc, warm, used, dev]: SipRow) => {
  const pool = sipPool({
    cap: 29,
    pendingCreate: pc,
    used: Array.from({ length: used }, (_, i) => res(1 + i)),
    warm: Array.from({ length: warm }, (_, i) => res(11 + i)),
  })
  const config = cfg(w, m)
  const job = activate(pool, config)
  expect({ type: job.type, count: job.count }).toEqual(sipJob(dev))
  expect(pending(pool)).toEqual({ pendingCreate: pc + Math.max(dev, 0), pendingDelete: Math.max(-dev, 0) })
  // each case also asserts the config keeps W and M as given
  expect([config.warmIpTarget, config.minIpTarget]).toEqual([w, m])
}

describe("§6.1 TestCalcSecondaryIPDeviation_*", () => {
  // shared poolConfig at that point: W 0, M 0 set by the test, MaxDeviation 1, ReservedSize 1 left by earlier tests
  it("PDDisabledAndInvalidZeroTargets (shared cfg 0/0, MaxDeviation 1) → 0, config stays 0/0", () => {
    const config = cfg(0, 0, 0, { reservedSize: 1, maxDeviation: 1 })
    const pool = sipPool({ cap: 7 })
    expect(activate(pool, config)).toEqual(NONE)
    expect([config.warmIpTarget, config.minIpTarget]).toEqual([0, 0])
  })

  it.each([-1, -10, -100])("InvalidMinIPTargetSet_UsesDefaultConfig (M %i) → M := 3, dev 3", (m) => {
    const config = cfg(0, m)
    expect(activate(sipPool({ cap: 14 }), config)).toEqual(create(3))
    expect(config.minIpTarget).toBe(3)
    expect(config.warmIpTarget).toBe(0)
  })

  it.each([-1, -10, -100])("InvalidWarmIPTargetSet_UsesDefaultConfig (W %i) → W := 3, dev 3", (w) => {
    const config = cfg(w, 0)
    expect(activate(sipPool({ cap: 14 }), config)).toEqual(create(3))
    expect(config.warmIpTarget).toBe(3)
    expect(config.minIpTarget).toBe(0)
  })

  it.each<SipRow>([
    ["ResourcesNeedToBeDeleted1", 1, 0, 0, 2, 0, -1],
    ["NoResourcesInUseNoWarmNoPendingCreate", 3, 0, 0, 0, 0, 3],
    ["SomePendingResourcesScenario1", 2, 0, 2, 0, 0, 0],
    ["SomePendingResourcesScenario2", 2, 0, 1, 0, 0, 1],
    ["SomeWarmResourcesScenario1", 2, 0, 0, 1, 0, 1],
    ["SomeWarmResourcesScenario2", 2, 0, 0, 2, 0, 0],
    ["SomeUsedResourcesScenario1", 2, 0, 0, 0, 1, 2],
    ["SomeUsedResourcesScenario2", 2, 0, 0, 0, 2, 2],
    ["ComplexScenario1", 3, 0, 1, 2, 1, 0],
    ["ComplexScenario2", 3, 0, 2, 1, 2, 0],
    ["ComplexScenario3", 3, 0, 1, 2, 2, 0],
  ])("OnlyWarmIPTargetSetToNonZero: %s", (...row) => runSipRow(row))

  it.each<SipRow>([
    ["ResourcesNeedToBeDeleted", 1, 0, 0, 2, 0, -1],
    ["NoResourcesInUseNoWarmNoPendingCreate", 1, 3, 0, 0, 0, 3],
    ["SomePendingResourcesScenario1", 1, 2, 2, 0, 0, 0],
    ["SomePendingResourcesScenario2", 1, 2, 1, 0, 0, 1],
    ["SomeWarmResourcesScenario1", 1, 2, 0, 1, 0, 1],
    ["SomeWarmResourcesScenario2", 1, 2, 0, 2, 0, 0],
    ["SomeUsedResourcesScenario1", 1, 2, 0, 0, 1, 1],
    ["SomeUsedResourcesScenario2", 1, 2, 0, 0, 2, 1],
    ["ComplexScenario1", 1, 5, 1, 1, 1, 2],
    ["ComplexScenario2", 1, 5, 3, 2, 2, -2],
    ["ComplexScenario3", 1, 5, 2, 2, 1, 0],
  ])("OnlyMinIPTargetSetToNonZero: %s", (...row) => runSipRow(row))

  it.each<SipRow>([
    ["Scenario1", 1, 1, 0, 0, 0, 1],
    ["Scenario2", 2, 5, 0, 2, 0, 3],
    ["Scenario3", 2, 5, 0, 5, 0, 0],
    ["Scenario4", 1, 0, 0, 5, 0, -4],
    ["Scenario5", 5, 4, 2, 2, 1, 1],
    ["Scenario6", 5, 10, 1, 1, 1, 7],
    ["Scenario7", 12, 12, 5, 2, 2, 5],
    ["Scenario8", 1, 0, 0, 1, 1, 0],
    ["Scenario9", 1, 2, 0, 2, 1, -1],
  ])("MinIPTargetAndWarmIPTargetSet: %s", (...row) => runSipRow(row))

  // §3.4 step 3: cooling addresses count toward the total (M), not toward available (W).
  it.each<[string, WarmPoolConfig, JobView]>([
    ["W 3: 2 cooling do not count as warm → create 3", cfg(3, 0), create(3)],
    ["M 3: 2 cooling + 1 used count toward the minimum → none", cfg(0, 3), NONE],
    ["M 5: → create 2", cfg(0, 5), create(2)],
  ])("cooling: %s", (_name, config, job) => {
    const pool = sipPool({ cap: 29, used: [res(1)], cooling: [res(2), res(3)] })
    expect(activate(pool, config)).toEqual(job)
  })
})

describe("targets as large as Atoi gives them", () => {
  // A ConfigMap value parses to any int64 (clamped at the extremes): the pool must read it as is.
  it("a warm target of 2³² or of Atoi's clamped maximum is a large target, not a wrapped one", () => {
    // Atoi clamps at the int64 maximum, which as a double is 2⁶³.
    for (const w of [2 ** 32, 2 ** 32 + 3, 2 ** 63]) {
      const sip = sipPool({ cap: 14 })
      // Far more warm addresses wanted than the pool can hold: create up to capacity.
      expect(activate(sip, cfg(w, 0))).toEqual(create(14))
      const { pool: pd } = pdPool(224, [])
      expect(activate(pd, cfg(w, 0))).toEqual(create(14))
      // The config object holds what it was given.
      expect(sip.config.warmIpTarget).toBe(w)
    }
    // Minimum targets likewise, and the warm-prefix target in prefix mode.
    expect(activate(sipPool({ cap: 14 }), cfg(0, 2 ** 32))).toEqual(create(14))
    expect(activate(pdPool(224, []).pool, cfg(0, 0, 2 ** 32))).toEqual(create(14))
  })
})
