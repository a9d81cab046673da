// Oracle tables for the warm pool: research/vpc-resource-controller.md §6.1 (pkg/pool/pool_test.go) and the worked
// examples §3.7 A–H. The Go tests build pools with pre-filled maps; here every fixture is reached through the public
// API (see the builders below), so a few Go fixtures become their closest reachable state, noted where it happens.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ascendingOrder, type MapOrder, randomOrder } from "../../go/MapOrder.ts"
import { Rng } from "../../kernel/Rng.ts"
import { type ConfigMapData, getWinWarmPoolConfig } from "../ConfigMap.ts"
import { drainingConfig, pdDefaultConfig, sipDefaultConfig, type WarmPoolConfig } from "../WarmPoolConfig.ts"
import { assignShouldReconcile, JobType, Pool, PoolError, PoolJob, WarmPool } from "./WarmPool.ts"

// ---------------------------------------------------------------------------------------------------------------
// Names of the Go fixtures: SIP "res-k" is the address 100 + k; PD "grp-k" is the prefix 16 × (100 + k).
const res = (k: number): number => 100 + k
const grp = (k: number): number => 16 * (100 + k)
const prefixOf = (ip: number): number => ip - (ip % Pool.IPS_PER_PREFIX)

const cfg = (w: number, m: number, wpt = 0, extra: Partial<WarmPoolConfig> = {}): WarmPoolConfig => ({
  desiredSize: 1,
  warmIpTarget: w,
  minIpTarget: m,
  warmPrefixTarget: wpt,
  maxDeviation: 0,
  reservedSize: 0,
  ...extra,
})

interface JobView {
  type: JobType
  count: number
  groups: number[]
}
const view = (type: JobType, job: PoolJob): JobView => ({ type, count: job.count, groups: [...job.groups] })
const reconcile = (pool: WarmPool): JobView => {
  const job = new PoolJob()
  return view(pool.reconcile(job), job)
}
const activate = (pool: WarmPool, config: WarmPoolConfig): JobView => {
  const job = new PoolJob()
  return view(pool.setToActive(config, job), job)
}
const drain = (pool: WarmPool): JobView => {
  const job = new PoolJob()
  return view(pool.setToDraining(job), job)
}
const NONE: JobView = { type: JobType.NoReconcile, count: 0, groups: [] }
const RESYNC: JobView = { type: JobType.ReSync, count: 0, groups: [] }
const create = (count: number): JobView => ({ type: JobType.Create, count, groups: [] })
const deleted = (groups: number[]): JobView => ({ type: JobType.Deleted, count: groups.length, groups })

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b)
/** Warm groups with at least one address, ascending: what the Go test maps hold (emptied keys left out). */
const warmOf = (pool: WarmPool): Array<[number, number]> =>
  pool
    .warmGroups()
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0])
const tracked = (pool: WarmPool) => {
  const t = pool.trackedAddresses()
  return { used: sorted(t.used), warm: sorted(t.warm), cooling: t.cooling }
}
const pending = (pool: WarmPool) => ({ pendingCreate: pool.pendingCreate, pendingDelete: pool.pendingDelete })

// ---------------------------------------------------------------------------------------------------------------
// Fixture builders.

interface SipFixture {
  cap: number
  /** Pod i + 1 holds used[i] (Go: pod-1 → res-1, pod-2 → res-2). */
  used?: number[]
  /** Freed addresses in free order, each freed `age` ms before `now` (default: freed at 0). */
  cooling?: Array<number | { ip: number; at: number }>
  warm?: number[]
  /** Outstanding create jobs, made by a real ReconcilePool on the empty pool before anything else. */
  pendingCreate?: number
  order?: MapOrder
}

const COOLING_POD = 10_000

/** A secondary-IP pool in the given state, reached through updatePool / assign / free only. */
const sipPool = (f: SipFixture): WarmPool => {
  const pc = f.pendingCreate ?? 0
  const pool = new WarmPool({
    capacity: f.cap,
    isPrefixPool: false,
    config: cfg(pc, 0),
    order: f.order ?? ascendingOrder,
  })
  if (pc > 0) expect(reconcile(pool)).toEqual(create(pc))
  ;(f.used ?? []).forEach((ip, i) => {
    pool.updatePool(JobType.Create, 0, [ip], true, false)
    expect(pool.assign(i + 1)).toBe(ip)
  })
  ;(f.cooling ?? []).forEach((entry, i) => {
    const { ip, at } = typeof entry === "number" ? { ip: entry, at: 0 } : entry
    pool.updatePool(JobType.Create, 0, [ip], true, false)
    expect(pool.assign(COOLING_POD + i)).toBe(ip)
    expect(pool.free(COOLING_POD + i, ip, at)).toBe(0)
  })
  if (f.warm !== undefined && f.warm.length > 0) pool.updatePool(JobType.Create, 0, f.warm, true, false)
  expect(pending(pool)).toEqual({ pendingCreate: pc, pendingDelete: 0 })
  return pool
}

interface PdGroup {
  base: number
  /** Warm addresses left in the group's list (0 = an emptied key, like Go's grp-4). */
  warm: number
  /** Addresses of the group held by pods. */
  used?: number
}

/**
 * A prefix pool whose warm lists have the given lengths. A fresh prefix is all 16 warm; partial lists with nothing
 * else tracked (Go's warmPfx: 22 warm IPs, no used) cannot come from create jobs alone, because used + warm +
 * cooling of a prefix is always 16 (§1.2). They are reached the way a real pool gets there: pods hold every address,
 * a failed job forces a ReSync, EC2 no longer lists the prefix, so ReSync drops the cooling copies while used
 * addresses stay; the pods that were meant to leave warm addresses then end and cool down back into their group.
 * Returns the pool and the pods still holding addresses.
 */
const pdPool = (cap: number, groups: PdGroup[], order: MapOrder = ascendingOrder) => {
  const pool = new WarmPool({ capacity: cap, isPrefixPool: true, config: cfg(0, 0), order })
  const used = new Map<number, number>()
  const partial = groups.filter((g) => g.warm !== Pool.IPS_PER_PREFIX || (g.used ?? 0) > 0)
  const full = groups.filter((g) => !partial.includes(g))
  if (partial.length > 0) {
    pool.updatePool(JobType.Create, 0, sorted(partial.map((g) => g.base)), true, true)
    const podsOf = new Map<number, number[]>()
    const addr = new Map<number, number>()
    for (let pod = 1; pod <= partial.length * Pool.IPS_PER_PREFIX; pod++) {
      const ip = pool.assign(pod)
      expect(ip).toBeGreaterThanOrEqual(0)
      addr.set(pod, ip)
      const list = podsOf.get(prefixOf(ip)) ?? []
      list.push(pod)
      podsOf.set(prefixOf(ip), list)
    }
    const toWarm: number[] = []
    const discard: number[] = []
    for (const g of partial) {
      const pods = podsOf.get(g.base)!
      const u = g.used ?? 0
      for (const pod of pods.slice(0, u)) used.set(pod, addr.get(pod)!)
      toWarm.push(...pods.slice(u, u + g.warm))
      discard.push(...pods.slice(u + g.warm))
    }
    for (const pod of discard) expect(pool.free(pod, addr.get(pod)!, 0)).toBe(0)
    expect(pool.updatePool(JobType.Create, 0, [], false, true)).toBe(true)
    pool.reSync([])
    for (const pod of toWarm) expect(pool.free(pod, addr.get(pod)!, 0)).toBe(0)
    expect(pool.processCoolDown(Pool.COOL_DOWN_MS)).toBe(false)
  }
  if (full.length > 0)
    pool.updatePool(
      JobType.Create,
      0,
      full.map((g) => g.base),
      true,
      true,
    )
  expect(pool.reSyncRequired).toBe(false)
  expect(pool.coolingCount).toBe(0)
  return { pool, used }
}

/** Go's warmPfx: grp-1 [1], grp-2 [2], grp-3 [3], grp-4 [] (empty), grp-7 [16]; optional pods per group. */
const WARM_PFX = (used: [number, number, number] = [0, 0, 0]): PdGroup[] => [
  { base: grp(1), warm: 1, used: used[0] },
  { base: grp(2), warm: 2, used: used[1] },
  { base: grp(3), warm: 3, used: used[2] },
  { base: grp(4), warm: 0 },
  { base: grp(7), warm: 16 },
]

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

// ---------------------------------------------------------------------------------------------------------------
// §6.1 Assign / free. used2 = {pod-1: res-1, pod-2: res-2}; warmSIP = {res-3}. Pods: pod-k is k.

describe("§6.1 TestPool_AssignResource*", () => {
  it.each<{ name: string; fixture: SipFixture; pod: number; result: number; reconcile: boolean }>([
    {
      name: "AssignResource",
      fixture: { cap: 5, used: [res(1), res(2)], warm: [res(3)] },
      pod: 3,
      result: res(3),
      reconcile: true,
    },
    {
      name: "AssignResource_AlreadyAssigned",
      fixture: { cap: 2, used: [res(1), res(2)] },
      pod: 1,
      result: PoolError.ResourceAlreadyAssigned,
      reconcile: false,
    },
    {
      name: "AssignResource_AtCapacity",
      fixture: { cap: 2, used: [res(1), res(2)] },
      pod: 3,
      result: PoolError.PoolAtMaxCapacity,
      reconcile: false,
    },
    {
      name: "AssignResource_WarmPoolEmpty",
      fixture: { cap: 5, used: [res(1), res(2)] },
      pod: 3,
      result: PoolError.WarmPoolEmpty,
      reconcile: true,
    },
    {
      name: "AssignResource_CoolDown",
      fixture: { cap: 3, used: [res(1), res(2)], cooling: [res(3)] },
      pod: 3,
      result: PoolError.ResourceAreBeingCooledDown,
      reconcile: false,
    },
  ])("$name", ({ fixture, pod, result, reconcile: shouldReconcile }) => {
    const pool = sipPool(fixture)
    const got = pool.assign(pod)
    expect(got).toBe(result)
    expect(assignShouldReconcile(got)).toBe(shouldReconcile)
    if (result >= 0) expect(pool.assigned(pod)).toBe(result)
  })
})

// §3.1: the checks in order, including paths the Go tests leave out.
describe("§3.1 AssignResource check order", () => {
  const pd = (cap: number) =>
    new WarmPool({ capacity: cap, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder })

  it.each<{ name: string; build: () => WarmPool; pod: number; result: number; reconcile: boolean }>([
    {
      name: "1 already assigned beats 2 at capacity",
      build: () => sipPool({ cap: 2, used: [res(1), res(2)] }),
      pod: 2,
      result: PoolError.ResourceAlreadyAssigned,
      reconcile: false,
    },
    {
      name: "3 U + C == cap",
      build: () => sipPool({ cap: 4, used: [res(1), res(2)], cooling: [res(3), res(4)] }),
      pod: 9,
      result: PoolError.ResourceAreBeingCooledDown,
      reconcile: false,
    },
    {
      name: "4 U + C + PC + PDl == cap",
      build: () => {
        const pool = sipPool({ cap: 3, used: [res(1), res(2)] })
        expect(activate(pool, cfg(3, 3))).toEqual(create(1))
        return pool
      },
      pod: 9,
      result: PoolError.ResourcesAreBeingCreated,
      reconcile: false,
    },
    {
      name: "4 counts pending deletes too",
      build: () => {
        const pool = sipPool({ cap: 3, used: [res(1)], warm: [res(2), res(3)] })
        expect(activate(pool, cfg(0, 0))).toEqual(deleted([res(2), res(3)]))
        return pool
      },
      pod: 9,
      result: PoolError.ResourcesAreBeingCreated,
      reconcile: false,
    },
    {
      name: "5 SIP, no warm keys at all",
      build: () => sipPool({ cap: 5 }),
      pod: 1,
      result: PoolError.WarmPoolEmpty,
      reconcile: true,
    },
    {
      name: "5 PD, no warm keys, prefixAvailable starts false → ErrInsufficientCidrBlocks",
      build: () => pd(224),
      pod: 1,
      result: PoolError.InsufficientCidrBlocks,
      reconcile: false,
    },
    {
      name: "5 PD, no warm keys, a job reported prefixAvailable → ErrWarmPoolEmpty",
      build: () => {
        const pool = pd(224)
        pool.updatePool(JobType.Create, 0, [], true, true)
        return pool
      },
      pod: 1,
      result: PoolError.WarmPoolEmpty,
      reconcile: true,
    },
    {
      name: "6 PD, emptied key left, prefixAvailable false → ErrWarmPoolEmpty, not ErrInsufficientCidrBlocks (§5.2)",
      build: () => {
        const { pool } = pdPool(224, [{ base: grp(1), warm: 0, used: 16 }])
        pool.updatePool(JobType.Create, 0, [], true, false)
        expect(pool.prefixAvailable).toBe(false)
        return pool
      },
      pod: 99,
      result: PoolError.WarmPoolEmpty,
      reconcile: true,
    },
    {
      name: "over-full pool falls through the == checks (derived): U + C + PC + PDl = 5 > cap 3",
      build: () => {
        // a ReSync can bring more addresses than the capacity; deleting them leaves PDl above the capacity
        const pool = sipPool({ cap: 3 })
        pool.updatePool(JobType.Create, 0, [], false, false)
        pool.reSync([res(1), res(2), res(3), res(4), res(5), res(6)])
        expect(activate(pool, cfg(1, 0))).toEqual(deleted([res(1), res(2), res(3), res(4), res(5)]))
        return pool
      },
      pod: 1,
      result: res(6),
      reconcile: true,
    },
  ])("$name", ({ build, pod, result, reconcile: shouldReconcile }) => {
    const pool = build()
    const got = pool.assign(pod)
    expect(got).toBe(result)
    expect(assignShouldReconcile(got)).toBe(shouldReconcile)
  })
})

describe("§6.1 TestPool_FreeResource* / GetAssignedResource", () => {
  it.each<{ name: string; pod: number; ip: number; result: number }>([
    { name: "FreeResource", pod: 2, ip: res(2), result: 0 },
    { name: "FreeResource_isNotAssigned", pod: 3, ip: res(3), result: PoolError.ResourceDoesntExist },
    { name: "FreeResource_IncorrectOwner", pod: 2, ip: res(1), result: PoolError.IncorrectResourceOwner },
  ])("$name", ({ pod, ip, result }) => {
    const pool = sipPool({ cap: 3, used: [res(1), res(2)] })
    expect(pool.free(pod, ip, 0)).toBe(result)
    if (result === 0) {
      expect(pool.assigned(pod)).toBe(-1)
      expect(pool.trackedAddresses().cooling[0]).toBe(res(2))
    } else {
      expect(pool.usedCount).toBe(2)
      expect(pool.coolingCount).toBe(0)
    }
  })

  it("GetAssignedResource: pod-1 → res-1, pod-3 → not found", () => {
    const pool = sipPool({ cap: 7, used: [res(1), res(2)] })
    expect(pool.assigned(1)).toBe(res(1))
    expect(pool.assigned(3)).toBe(-1)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §6.1 UpdatePool (SIP, used2, cap 3) and the §6.4 job → UpdatePool rows.

describe("§6.1 TestPool_UpdatePool_*", () => {
  it.each<{
    name: string
    type: JobType
    resources: number[]
    count: number
    ok: boolean
    returns: boolean
    warm: Array<[number, number]>
  }>([
    {
      name: "OperationCreate_Succeed",
      type: JobType.Create,
      resources: [res(3), res(4)],
      count: 2,
      ok: true,
      returns: false,
      warm: [
        [res(3), 1],
        [res(4), 1],
      ],
    },
    {
      name: "OperationCreate_Failed",
      type: JobType.Create,
      resources: [],
      count: 2,
      ok: false,
      returns: true,
      warm: [],
    },
    {
      name: "OperationDelete_Succeed",
      type: JobType.Deleted,
      resources: [],
      count: 1,
      ok: true,
      returns: false,
      warm: [],
    },
    {
      name: "OperationDelete_Failed",
      type: JobType.Deleted,
      resources: [res(3), res(4)],
      count: 2,
      ok: false,
      returns: true,
      warm: [
        [res(3), 1],
        [res(4), 1],
      ],
    },
  ])("$name", ({ type, resources, count, ok, returns, warm }) => {
    // the Go fixture has no pending job; the requested count is subtracted anyway (§3.6 step 4)
    const pool = sipPool({ cap: 3, used: [res(1), res(2)] })
    expect(pool.updatePool(type, count, resources, ok, false)).toBe(returns)
    expect(warmOf(pool)).toEqual(warm)
    expect(pool.reSyncRequired).toBe(!ok)
    expect(pending(pool)).toEqual(
      type === JobType.Create
        ? { pendingCreate: -count, pendingDelete: 0 }
        : { pendingCreate: 0, pendingDelete: -count },
    )
  })
})

describe("§6.4 provider job → UpdatePool (pending counters, prefixAvailable)", () => {
  const P1 = grp(1)
  const P2 = grp(2)

  it.each<{
    name: string
    wpt: number
    resources: number[]
    ok: boolean
    prefixAvailable: boolean
    returns: boolean
    warm: number
  }>([
    {
      name: "PD create 2 → ([p1, p2], 2, true, true)",
      wpt: 2,
      resources: [P1, P2],
      ok: true,
      prefixAvailable: true,
      returns: false,
      warm: 32,
    },
    {
      name: "PD create 3 failed → ([p1, p2], 3, false, true)",
      wpt: 3,
      resources: [P1, P2],
      ok: false,
      prefixAvailable: true,
      returns: true,
      warm: 32,
    },
    {
      name: "PD create 3 InsufficientCidrBlocks → ([p1, p2], 3, true, false)",
      wpt: 3,
      resources: [P1, P2],
      ok: true,
      prefixAvailable: false,
      returns: false,
      warm: 32,
    },
  ])("$name", ({ wpt, resources, ok, prefixAvailable, returns, warm }) => {
    const pool = new WarmPool({ capacity: 224, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder })
    expect(activate(pool, cfg(0, 0, wpt))).toEqual(create(wpt))
    expect(pool.pendingCreate).toBe(wpt * Pool.IPS_PER_PREFIX)
    expect(pool.updatePool(JobType.Create, wpt, resources, ok, prefixAvailable)).toBe(returns)
    // the requested count is subtracted, even on partial success (§3.6 step 4)
    expect(pool.pendingCreate).toBe(0)
    expect(pool.warmCountIps).toBe(warm)
    expect(pool.prefixAvailable).toBe(prefixAvailable)
    expect(pool.reSyncRequired).toBe(!ok)
    // after a failure the next reconcile asks for a ReSync (§6.4 "then ReconcilePool, SubmitJob")
    if (!ok) expect(reconcile(pool)).toEqual(RESYNC)
  })

  it("a prefix listed twice (a lost job's prefix back from ReSync, then the job's answer) keeps both copies, in order", () => {
    // Go appends to the prefix's slice each time, so its list holds 32 entries; assign takes them oldest first.
    const pool = new WarmPool({ capacity: 224, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder })
    pool.updatePool(JobType.Create, 0, [P1], true, true)
    pool.updatePool(JobType.Create, 0, [P2], true, true)
    pool.updatePool(JobType.Create, 0, [P1], true, true)
    expect(warmOf(pool)).toEqual([
      [P1, 32],
      [P2, 16],
    ])
    expect(pool.warmCountIps).toBe(48)
    const got = Array.from({ length: 33 }, (_, pod) => pool.assign(pod))
    // The smallest list first: P2's 16, then P1's addresses twice over, then P1's last copy of its first.
    expect(got).toEqual([
      ...Array.from({ length: 16 }, (_, i) => P2 + i),
      ...Array.from({ length: 16 }, (_, i) => P1 + i),
      P1,
    ])
    expect(tracked(pool).warm).toEqual(Array.from({ length: 15 }, (_, i) => P1 + 1 + i))
  })

  it.each<{ name: string; failed: number[]; warm: Array<[number, number]> }>([
    { name: "PD delete [p1, p2] → ([], 2, true, true)", failed: [], warm: [] },
    { name: "PD delete [p1, p2], p2 failed → ([p2], 2, true, true): p2 back to warm", failed: [P2], warm: [[P2, 16]] },
  ])("$name", ({ failed, warm }) => {
    const { pool } = pdPool(224, [
      { base: P1, warm: 16 },
      { base: P2, warm: 16 },
    ])
    expect(drain(pool)).toEqual(deleted([P1, P2]))
    expect(pool.pendingDelete).toBe(32)
    expect(pool.updatePool(JobType.Deleted, 2, failed, true, true)).toBe(false)
    expect(pool.pendingDelete).toBe(0)
    expect(warmOf(pool)).toEqual(warm)
  })

  it.each<{ name: string; resources: number[]; ok: boolean; warm: number }>([
    { name: "SIP create 2 → ([ip1, ip2], 2, true, false)", resources: [res(1), res(2)], ok: true, warm: 2 },
    {
      name: "SIP create 2 with error → ([ip1, ip2], 2, false, false)",
      resources: [res(1), res(2)],
      ok: false,
      warm: 2,
    },
  ])("$name", ({ resources, ok, warm }) => {
    const pool = sipPool({ cap: 14, pendingCreate: 2 })
    expect(pool.updatePool(JobType.Create, 2, resources, ok, true)).toBe(!ok)
    expect(pool.pendingCreate).toBe(0)
    expect(pool.warmCountIps).toBe(warm)
    // prefixAvailable belongs to prefix pools only
    expect(pool.prefixAvailable).toBe(false)
  })

  it.each<{ name: string; failed: number[]; warm: Array<[number, number]> }>([
    { name: "SIP delete [ip1, ip2] → ([], 2, true, false)", failed: [], warm: [] },
    { name: "SIP delete [ip1, ip2] → ([ip2], 2, true, false)", failed: [res(2)], warm: [[res(2), 1]] },
  ])("$name", ({ failed, warm }) => {
    const pool = sipPool({ cap: 14, warm: [res(1), res(2)] })
    expect(drain(pool)).toEqual(deleted([res(1), res(2)]))
    expect(pool.updatePool(JobType.Deleted, 2, failed, true, false)).toBe(false)
    expect(pool.pendingDelete).toBe(0)
    expect(warmOf(pool)).toEqual(warm)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §6.1 ProcessCoolDownQueue. Go's fixture (cap 3, 2 used, 3 cooling) is over-full; assign refuses to get there, so
// the capacity here is 5. Capacity plays no part in ProcessCoolDownQueue.

describe("§6.1 TestPool_ProcessCoolDownQueue*", () => {
  const NOW = 100_000
  it.each<{
    name: string
    ages: Array<[number, number]>
    more: boolean
    warm: Array<[number, number]>
    left: number[]
  }>([
    {
      name: "ProcessCoolDownQueue: res-3 33 s, res-4 32 s, res-5 10 s",
      ages: [
        [res(3), 33_000],
        [res(4), 32_000],
        [res(5), 10_000],
      ],
      more: true,
      warm: [
        [res(3), 1],
        [res(4), 1],
      ],
      left: [res(5)],
    },
    {
      name: "NoFurtherProcessingRequired: res-3 33 s",
      ages: [[res(3), 33_000]],
      more: false,
      warm: [[res(3), 1]],
      left: [],
    },
    // §3.6: age ≥ 30 s matures; the walk stops at the first younger entry
    { name: "exactly 30 s matures", ages: [[res(3), 30_000]], more: false, warm: [[res(3), 1]], left: [] },
    { name: "29.999 s does not", ages: [[res(3), 29_999]], more: true, warm: [], left: [res(3)] },
    { name: "empty queue", ages: [], more: false, warm: [], left: [] },
    {
      name: "stops at the first young entry, keeps queue order",
      ages: [
        [res(3), 45_000],
        [res(4), 20_000],
        [res(5), 5_000],
      ],
      more: true,
      warm: [[res(3), 1]],
      left: [res(4), res(5)],
    },
  ])("$name", ({ ages, more, warm, left }) => {
    const pool = sipPool({ cap: 5, used: [res(1), res(2)], cooling: ages.map(([ip, age]) => ({ ip, at: NOW - age })) })
    expect(pool.processCoolDown(NOW)).toBe(more)
    expect(warmOf(pool)).toEqual(warm)
    expect(pool.trackedAddresses().cooling).toEqual(left)
    expect(pool.coolingCount).toBe(left.length)
    expect(pool.usedCount).toBe(2)
  })

  it("returns addresses to the end of their group's list (FIFO reuse, §3.1)", () => {
    const { pool, used } = pdPool(224, [{ base: grp(1), warm: 14, used: 2 }])
    const [first, second] = [...used.entries()]
    expect(pool.free(first![0], first![1], 0)).toBe(0)
    expect(pool.processCoolDown(Pool.COOL_DOWN_MS)).toBe(false)
    // 14 older warm addresses are handed out before the returned one
    const got: number[] = []
    for (let pod = 100; pod < 115; pod++) got.push(pool.assign(pod))
    expect(got[14]).toBe(first![1])
    expect(got.slice(0, 14)).not.toContain(first![1])
    expect(pool.assigned(second![0])).toBe(second![1])
  })
})

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
// §6.1 helpers, through observable behaviour: findFreeGroup shows in which groups a delete takes, findMinGroup in
// which prefix an assign takes from, numResourcesFromMap in warmCountIps.

describe("§6.1 TestFindFreeGroup (via delete candidates)", () => {
  it("findFreeGroup(warmSIP, 1) = [res-3]", () => {
    const pool = sipPool({ cap: 7, used: [res(1), res(2)], warm: [res(3)] })
    expect(drain(pool)).toEqual(deleted([res(3)]))
  })

  // findFreeGroup(nil, 1) = []: a negative deviation with no candidate gives NoReconcile (§3.3 step 6). Reachable in
  // prefix mode: WPT 1 with 2 prefixes still pending → dev = 1 − 0 − 2 = −1 prefix.
  it("no candidate group → NoReconcile, nothing pending to delete", () => {
    const pool = new WarmPool({ capacity: 224, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder })
    expect(activate(pool, cfg(0, 0, 2))).toEqual(create(2))
    expect(activate(pool, cfg(0, 0, 1))).toEqual(NONE)
    expect(pending(pool)).toEqual({ pendingCreate: 32, pendingDelete: 0 })
  })

  // findFreeGroup(warmPfx, 3) = [grp-3] asks for size 3, which the pool never does (sizes are 1 and 16); with size 16
  // the only candidate in warmPfx is grp-7.
  it("findFreeGroup(warmPfx, 16) = [grp-7]: every prefix released at once when draining", () => {
    const { pool } = pdPool(224, WARM_PFX())
    expect(drain(pool)).toEqual(deleted([grp(7)]))
  })
})

describe("§6.1 TestFindMinGroup / TestAssignResourceFrom*Group (via assign)", () => {
  it("AssignResourceFromMinGroup_PD_Pool: warmPfx, 4 assigns → grp-1, grp-2, grp-2, grp-3 (empty grp-4 ignored)", () => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 0]))
    const first = pool.assign(1001)
    // grp-1's only warm address: the one left by the builder
    expect(prefixOf(first)).toBe(grp(1))
    expect([1002, 1003, 1004].map((pod) => prefixOf(pool.assign(pod)))).toEqual([grp(2), grp(2), grp(3)])
    expect(pool.warmCountIps).toBe(18)
  })

  it.each([1, 2, 3])("AssignResourceFromMinGroup_PD_Pool with random map order (seed %i): same sequence", (seed) => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 0]), randomOrder(Rng.stream(seed, "min-group")))
    expect([1001, 1002, 1003, 1004].map((pod) => prefixOf(pool.assign(pod)))).toEqual([grp(1), grp(2), grp(2), grp(3)])
  })

  // findMinGroup(warmSame): grp-5 and grp-6 both hold 2 → either; count 2.
  it("FindMinGroup ties, ascending order: grp-5", () => {
    const { pool } = pdPool(224, [
      { base: grp(5), warm: 2 },
      { base: grp(6), warm: 2 },
    ])
    expect(prefixOf(pool.assign(1001))).toBe(grp(5))
    expect(warmOf(pool)).toEqual([
      [grp(5), 1],
      [grp(6), 2],
    ])
  })

  it("FindMinGroup ties, random order: either group, both seen over seeds", () => {
    const seen = new Set<number>()
    for (let seed = 1; seed <= 16; seed++) {
      const { pool } = pdPool(
        224,
        [
          { base: grp(5), warm: 2 },
          { base: grp(6), warm: 2 },
        ],
        randomOrder(Rng.stream(seed, "tie")),
      )
      const g = prefixOf(pool.assign(1001))
      expect([grp(5), grp(6)]).toContain(g)
      expect(pool.warmGroups().find(([k]) => k === g)![1]).toBe(1)
      seen.add(g)
    }
    expect(seen.size).toBe(2)
  })

  it("AssignResourceFromAnyGroup_SecondaryIP_Pool: warmSIP → res-3", () => {
    const pool = sipPool({ cap: 7, used: [res(1), res(2)], warm: [res(3)] })
    expect(pool.assign(3)).toBe(res(3))
  })

  it("AssignResourceFromAnyGroup_PD_Pool: warmPfx → some address, warm 22 → 21", () => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 0]))
    const ip = pool.assign(1001)
    expect(ip).toBeGreaterThanOrEqual(0)
    expect(pool.warmCountIps).toBe(21)
  })

  it.each([1, 2, 3])("SIP picks any warm IP in random map order (seed %i)", (seed) => {
    const warm = [1, 2, 3, 4, 5, 6, 7, 8].map(res)
    const pool = sipPool({ cap: 29, warm, order: randomOrder(Rng.stream(seed, "any")) })
    const got = [1, 2, 3, 4, 5, 6, 7, 8].map((pod) => pool.assign(pod))
    expect(sorted(got)).toEqual(warm)
  })
})

describe("§6.1 TestNumResourcesFromMap (via warmCountIps)", () => {
  it.each<{ name: string; build: () => WarmPool; count: number; keys: number }>([
    { name: "warmPfx → 22", build: () => pdPool(224, WARM_PFX()).pool, count: 22, keys: 5 },
    { name: "{grp-5: [1 item]} → 1", build: () => pdPool(224, [{ base: grp(5), warm: 1 }]).pool, count: 1, keys: 1 },
    { name: "{} → 0", build: () => pdPool(224, []).pool, count: 0, keys: 0 },
    { name: "{grp-5: []} → 0", build: () => pdPool(224, [{ base: grp(5), warm: 0 }]).pool, count: 0, keys: 1 },
  ])("$name", ({ build, count, keys }) => {
    const pool = build()
    expect(pool.warmCountIps).toBe(count)
    expect(pool.warmGroupKeys).toBe(keys)
    expect(pool.trackedAddresses().warm).toHaveLength(count)
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

// ---------------------------------------------------------------------------------------------------------------
// §3.7 worked examples. Jobs are completed by calling updatePool with made-up increasing addresses. `bind` is the
// pod handler (§4.2): assign, then reconcile when AssignResource says so; `free` reconciles after a successful free;
// `tick` is the 30 s ProcessDeleteQueue job (cool-down, then reconcile).

class Sim {
  readonly pool: WarmPool
  readonly created: number[] = []
  private next: number
  private readonly jobs: JobView[] = []
  private readonly pods = new Map<number, number>()

  constructor(isPrefixPool: boolean, capacity: number, config: WarmPoolConfig, order: MapOrder = ascendingOrder) {
    this.pool = new WarmPool({ capacity, isPrefixPool, config, order })
    this.next = isPrefixPool ? grp(100) : res(100)
  }

  reconcile(): JobView {
    const job = reconcile(this.pool)
    if (job.type === JobType.Create || job.type === JobType.Deleted) this.jobs.push(job)
    return job
  }

  /** Completes the oldest outstanding job successfully. */
  completeOne(): void {
    const job = this.jobs.shift()!
    const pd = this.pool.isPrefixPool
    if (job.type === JobType.Create) {
      const made: number[] = []
      for (let i = 0; i < job.count; i++) {
        made.push(this.next)
        this.next += pd ? Pool.IPS_PER_PREFIX : 1
      }
      this.created.push(...made)
      expect(this.pool.updatePool(JobType.Create, job.count, made, true, pd)).toBe(false)
    } else expect(this.pool.updatePool(JobType.Deleted, job.count, [], true, pd)).toBe(false)
  }

  completeAll(): void {
    while (this.jobs.length > 0) this.completeOne()
  }

  /** Completes jobs and reconciles until the pool asks for nothing (jobs applied immediately). */
  settle(): void {
    for (let i = 0; i < 100; i++) {
      this.completeAll()
      if (this.reconcile().type === JobType.NoReconcile) return
    }
    throw new Error("no steady state")
  }

  bind(pod: number): { ip: number; job: JobView | undefined } {
    const ip = this.pool.assign(pod)
    if (ip >= 0) this.pods.set(pod, ip)
    return { ip, job: assignShouldReconcile(ip) ? this.reconcile() : undefined }
  }

  free(pod: number, now: number): JobView {
    expect(this.pool.free(pod, this.pods.get(pod)!, now)).toBe(0)
    this.pods.delete(pod)
    return this.reconcile()
  }

  tick(now: number): { more: boolean; job: JobView } {
    const more = this.pool.processCoolDown(now)
    return { more, job: this.reconcile() }
  }

  addr(pod: number): number {
    return this.pods.get(pod)!
  }

  /** The §3.7 "used / warm / cooling / PC" column. */
  get state(): [number, number, number, number] {
    const p = this.pool
    return [p.usedCount, p.warmCountIps, p.coolingCount, p.pendingCreate]
  }

  /** Prefix pools: pods per prefix, in creation order (prefix addresses increase). */
  get podsPerPrefix(): number[] {
    return this.pool
      .warmGroups()
      .sort((a, b) => a[0] - b[0])
      .map(([, warm]) => Pool.IPS_PER_PREFIX - warm)
  }
}

describe("§3.7 worked examples", () => {
  it("A. SIP defaults (W 3, M 3), m5.large (cap 9), jobs complete between events", () => {
    const s = new Sim(false, 9, sipDefaultConfig())
    // step 0: node init
    expect(s.reconcile()).toEqual(create(3))
    expect(s.state).toEqual([0, 0, 0, 3])
    s.completeAll()
    expect(s.state).toEqual([0, 3, 0, 0])
    // steps 1–6: one Create 1 per pod
    for (let pod = 1; pod <= 6; pod++) {
      const r = s.bind(pod)
      expect(r.ip).toBeGreaterThanOrEqual(0)
      expect(r.job).toEqual(create(1))
      s.completeAll()
      expect(s.state).toEqual([pod, 3, 0, 0])
    }
    // step 7: dev 1 but canCreateUpto = 9 − 9 = 0; steps 8, 9
    for (const [pod, state] of [
      [7, [7, 2, 0, 0]],
      [8, [8, 1, 0, 0]],
      [9, [9, 0, 0, 0]],
    ] as const) {
      const r = s.bind(pod)
      expect(r.ip).toBeGreaterThanOrEqual(0)
      expect(r.job).toEqual(NONE)
      expect(s.state).toEqual(state)
    }
    // step 10
    expect(s.bind(10)).toEqual({ ip: PoolError.PoolAtMaxCapacity, job: undefined })
    // step 11: used + cooling = cap
    expect(s.free(1, 0)).toEqual(NONE)
    expect(s.free(2, 5_000)).toEqual(NONE)
    expect(s.state).toEqual([7, 0, 2, 0])
    // step 12: new pod at t ≈ 10 s
    expect(s.bind(11)).toEqual({ ip: PoolError.ResourceAreBeingCooledDown, job: undefined })
    // step 13: loop at 25 s, ages 25 and 20 s
    expect(s.tick(25_000)).toEqual({ more: true, job: NONE })
    expect(s.state).toEqual([7, 0, 2, 0])
    // step 14: loop at 55 s, both matured; short 1 but canCreateUpto 0
    expect(s.tick(55_000)).toEqual({ more: false, job: NONE })
    expect(s.state).toEqual([7, 2, 0, 0])
    // step 15: the retry after 55 s succeeds
    const r = s.bind(11)
    expect(r.ip).toBeGreaterThanOrEqual(0)
    expect(r.job).toEqual(NONE)
    expect(s.state).toEqual([8, 1, 0, 0])
  })

  it("B. SIP defaults, burst of 5 pods before any create job finishes: at most W in flight", () => {
    const s = new Sim(false, 9, sipDefaultConfig())
    s.settle()
    expect(s.state).toEqual([0, 3, 0, 0])
    expect(s.bind(1).job).toEqual(create(1))
    expect(s.state).toEqual([1, 2, 0, 1])
    expect(s.bind(2).job).toEqual(create(1))
    expect(s.state).toEqual([2, 1, 0, 2])
    expect(s.bind(3).job).toEqual(create(1))
    expect(s.state).toEqual([3, 0, 0, 3])
    // pods 4, 5: ErrWarmPoolEmpty → reconcile: available 0 + 3 = W → no job
    expect(s.bind(4)).toEqual({ ip: PoolError.WarmPoolEmpty, job: NONE })
    expect(s.bind(5)).toEqual({ ip: PoolError.WarmPoolEmpty, job: NONE })
    // each landed 1-IP job lets one retry through, which queues another Create 1
    s.completeOne()
    expect(s.state).toEqual([3, 1, 0, 2])
    expect(s.bind(4).job).toEqual(create(1))
    expect(s.state).toEqual([4, 0, 0, 3])
    expect(s.bind(5)).toEqual({ ip: PoolError.WarmPoolEmpty, job: NONE })
    s.completeOne()
    expect(s.bind(5).job).toEqual(create(1))
    expect(s.state).toEqual([5, 0, 0, 3])
    s.completeAll()
    expect(s.state).toEqual([5, 3, 0, 0])
    expect(s.reconcile()).toEqual(NONE)
  })

  it("C. SIP scale-down: 5 used + 3 warm, all pods deleted → one Deleted job of 5 IPs after cool-down", () => {
    const s = new Sim(false, 9, sipDefaultConfig())
    s.settle()
    for (let pod = 1; pod <= 5; pod++) {
      expect(s.bind(pod).ip).toBeGreaterThanOrEqual(0)
      s.settle()
    }
    expect(s.state).toEqual([5, 3, 0, 0])
    for (let pod = 1; pod <= 5; pod++) expect(s.free(pod, 0)).toEqual(NONE)
    expect(s.state).toEqual([0, 3, 5, 0])
    const { more, job } = s.tick(Pool.COOL_DOWN_MS)
    expect(more).toBe(false)
    expect(job.type).toBe(JobType.Deleted)
    expect(job.count).toBe(5)
    expect(s.state).toEqual([0, 3, 0, 0])
    expect(s.pool.pendingDelete).toBe(5)
    s.completeAll()
    expect(s.pool.pendingDelete).toBe(0)
    expect(s.reconcile()).toEqual(NONE)
  })

  it("D. SIP with only windows-minimum-ip-target 6 (W 0, M 6, cap 9): the 7th pod waits forever", () => {
    const data: ConfigMapData = { "enable-windows-ipam": "true", "windows-minimum-ip-target": "6" }
    const s = new Sim(false, 9, getWinWarmPoolConfig(data, false))
    expect(s.reconcile()).toEqual(create(6))
    s.completeAll()
    for (let pod = 1; pod <= 6; pod++) {
      const r = s.bind(pod)
      expect(r.ip).toBeGreaterThanOrEqual(0)
      expect(r.job).toEqual(NONE)
    }
    expect(s.state).toEqual([6, 0, 0, 0])
    for (let retry = 0; retry < 5; retry++) expect(s.bind(7)).toEqual({ ip: PoolError.WarmPoolEmpty, job: NONE })
    expect(s.tick(Pool.COOL_DOWN_MS)).toEqual({ more: false, job: NONE })
    expect(s.bind(7)).toEqual({ ip: PoolError.WarmPoolEmpty, job: NONE })
  })

  it("E. PD defaults (W 1, M 3), cap 144", () => {
    const s = new Sim(true, 144, pdDefaultConfig())
    expect(s.reconcile()).toEqual(create(1))
    expect(s.state).toEqual([0, 0, 0, 16])
    s.completeAll()
    const [a] = s.created
    for (let pod = 1; pod <= 15; pod++) expect(s.bind(pod).job).toEqual(NONE)
    expect(s.state).toEqual([15, 1, 0, 0])
    // pod 16: ceil(17/16) = 2 → Create 1 prefix
    expect(s.bind(16).job).toEqual(create(1))
    expect(s.state).toEqual([16, 0, 0, 16])
    // pod 17 before that job lands: the emptied key of prefix A remains → ErrWarmPoolEmpty (600 ms), no new job
    expect(s.bind(17)).toEqual({ ip: PoolError.WarmPoolEmpty, job: NONE })
    s.completeAll()
    const b = s.created[1]!
    expect(s.bind(17).job).toEqual(NONE)
    expect(s.bind(18).job).toEqual(NONE)
    expect(prefixOf(s.addr(17))).toBe(b)
    expect(prefixOf(s.addr(18))).toBe(b)
    expect(s.free(17, 0)).toEqual(NONE)
    expect(s.free(18, 0)).toEqual(NONE)
    // prefix B is free again, but need = ceil(17/16) = 2 = current → kept
    expect(s.tick(Pool.COOL_DOWN_MS)).toEqual({ more: false, job: NONE })
    expect(s.pool.warmGroups().sort((x, y) => x[0] - y[0])).toEqual([
      [a, 0],
      [b, 16],
    ])
  })

  it.each<[string, () => MapOrder]>([
    ["ascending", () => ascendingOrder],
    ["random seed 1", () => randomOrder(Rng.stream(1, "F"))],
    ["random seed 2", () => randomOrder(Rng.stream(2, "F"))],
    ["random seed 3", () => randomOrder(Rng.stream(3, "F"))],
    ["random seed 4", () => randomOrder(Rng.stream(4, "F"))],
  ])("F. PD warm-prefix-target 1 (prefix mode), %s map order", (_name, order) => {
    const data: ConfigMapData = {
      "enable-windows-ipam": "true",
      "enable-windows-prefix-delegation": "true",
      "warm-prefix-target": "1",
    }
    const s = new Sim(true, 224, getWinWarmPoolConfig(data, true), order())
    // init: free 0 → Create 1 (A)
    expect(s.reconcile()).toEqual(create(1))
    s.completeAll()
    // pod 1: A has 15 warm, no free prefix → Create 1 (B)
    expect(s.bind(1).job).toEqual(create(1))
    s.completeAll()
    const [a, b] = s.created as [number, number]
    // pods 2–16 fill A (min-group rule)
    for (let pod = 2; pod <= 16; pod++) {
      expect(s.bind(pod).job).toEqual(NONE)
      expect(prefixOf(s.addr(pod))).toBe(a)
    }
    // pod 17 takes from B → no free prefix → Create 1 (C)
    expect(s.bind(17).job).toEqual(create(1))
    expect(prefixOf(s.addr(17))).toBe(b)
    s.completeAll()
    const c = s.created[2]!
    expect(s.podsPerPrefix).toEqual([16, 1, 0])
    expect(s.pool.warmCountIps).toBe(31)
    // delete 8 pods of A and the one in B
    for (const pod of [1, 2, 3, 4, 5, 6, 7, 8, 17]) expect(s.free(pod, 0)).toEqual(NONE)
    // after cool-down free = {B, C}: dev = 1 − 2 = −1 → one of them goes (random)
    const { job } = s.tick(Pool.COOL_DOWN_MS)
    expect(job.type).toBe(JobType.Deleted)
    expect(job.count).toBe(1)
    expect([b, c]).toContain(job.groups[0])
    if (order() === ascendingOrder) expect(job.groups).toEqual([b])
    expect(s.pool.pendingDelete).toBe(16)
  })

  it("G. PD draining (= SetToDraining_PD_Pool): current ceil(25/16) = 2, need ceil(3/16) = 1 → Deleted [grp-7]", () => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 1]))
    expect(pool.usedCount + pool.warmCountIps).toBe(25)
    expect(drain(pool)).toEqual(deleted([grp(7)]))
    expect(pool.pendingDelete).toBe(16)
  })
})

// §3.7 H / §6.9: the documentation tables, pods added one by one, jobs applied immediately.
describe("§3.7 H docs/windows/secondary_ip_mode_config_options.md (cap 29, m5.4xlarge)", () => {
  it.each<[w: number, m: number, pods: number, total: number, warm: number]>([
    [1, 0, 0, 1, 1],
    [1, 0, 5, 6, 1],
    [5, 0, 0, 5, 5],
    [1, 1, 0, 1, 1],
    [1, 1, 1, 2, 1],
    [1, 3, 3, 4, 1],
    [1, 3, 5, 6, 1],
    [5, 10, 0, 10, 10],
    [10, 10, 0, 10, 10],
    [10, 10, 10, 20, 10],
    [15, 10, 10, 25, 15],
  ])("W %i, M %i, %i pods → %i IPs, %i warm", (w, m, pods, total, warm) => {
    const data: ConfigMapData = {
      "enable-windows-ipam": "true",
      "windows-warm-ip-target": String(w),
      "windows-minimum-ip-target": String(m),
    }
    const s = new Sim(false, 29, getWinWarmPoolConfig(data, false))
    s.settle()
    for (let pod = 1; pod <= pods; pod++) {
      if (s.bind(pod).ip < 0) {
        s.settle()
        expect(s.bind(pod).ip).toBeGreaterThanOrEqual(0)
      }
      s.settle()
    }
    expect(s.pool.usedCount).toBe(pods)
    expect(s.pool.usedCount + s.pool.warmCountIps).toBe(total)
    expect(s.pool.warmCountIps).toBe(warm)
  })
})

// Pods per prefix lists every attached prefix; the doc leaves out trailing empty prefixes in three rows (3 prefixes
// "0"; 2 prefixes "5"; 3 prefixes "16,1").
describe("§3.7 H docs/windows/prefix_delegation_config_options.md (cap 224)", () => {
  const dash = null
  it.each<
    [
      wpt: number | null,
      w: number | null,
      m: number | null,
      pods: number,
      prefixes: number,
      perPrefix: number[],
      unusedPrefixes: number,
      unusedIps: number,
    ]
  >([
    [dash, dash, dash, 0, 1, [0], 1, 16],
    [dash, dash, dash, 15, 1, [15], 0, 1],
    [dash, dash, dash, 16, 2, [16, 0], 1, 16],
    [1, dash, dash, 0, 1, [0], 1, 16],
    [3, dash, dash, 0, 3, [0, 0, 0], 3, 48],
    [1, dash, dash, 5, 2, [5, 0], 1, 27],
    [1, dash, dash, 17, 3, [16, 1, 0], 1, 31],
    [dash, dash, 1, 0, 1, [0], 1, 16],
    [dash, dash, 1, 5, 1, [5], 0, 11],
    [dash, dash, 1, 15, 1, [15], 0, 1],
    [dash, dash, 1, 16, 2, [16, 0], 1, 16],
    [dash, 5, dash, 0, 1, [0], 1, 16],
    [dash, 5, dash, 5, 1, [5], 0, 11],
    [dash, 5, dash, 11, 1, [11], 0, 5],
    [dash, 5, dash, 12, 2, [12, 0], 1, 20],
    [dash, 1, 1, 0, 1, [0], 1, 16],
    [dash, 1, 1, 5, 1, [5], 0, 11],
    [dash, 1, 1, 17, 2, [16, 1], 0, 15],
    [dash, 3, 1, 14, 2, [14, 0], 1, 18],
    [dash, 7, 20, 0, 2, [0, 0], 2, 32],
    [dash, 7, 20, 5, 2, [5, 0], 1, 27],
    [dash, 7, 20, 17, 2, [16, 1], 0, 15],
    [dash, 7, 20, 26, 3, [16, 10, 0], 1, 22],
  ])("WPT %j, W %j, M %j, %i pods → %i prefixes %j, %i unused, %i unused IPs", (wpt, w, m, pods, prefixes, perPrefix, unusedPrefixes, unusedIps) => {
    const data: Record<string, string> = { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" }
    if (wpt !== null) data["warm-prefix-target"] = String(wpt)
    if (w !== null) data["warm-ip-target"] = String(w)
    if (m !== null) data["minimum-ip-target"] = String(m)
    const s = new Sim(true, 224, getWinWarmPoolConfig(data, true))
    s.settle()
    for (let pod = 1; pod <= pods; pod++) {
      if (s.bind(pod).ip < 0) {
        s.settle()
        expect(s.bind(pod).ip).toBeGreaterThanOrEqual(0)
      }
      s.settle()
    }
    expect(s.pool.warmGroupKeys).toBe(prefixes)
    expect(s.podsPerPrefix).toEqual(perPrefix)
    expect(s.pool.warmGroups().filter(([, n]) => n === Pool.IPS_PER_PREFIX)).toHaveLength(unusedPrefixes)
    expect(s.pool.warmCountIps).toBe(unusedIps)
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
