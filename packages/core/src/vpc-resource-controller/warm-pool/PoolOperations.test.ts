// Oracle tables for the warm pool: research/vpc-resource-controller.md §6.1 (pkg/pool/pool_test.go),
// for the operations a pod event and a job's result call: AssignResource, FreeResource, UpdatePool,
// ProcessCoolDownQueue. Fixtures: WarmPool.fixtures.ts.

import { describe, expect, it } from "vitest"
import { ascendingOrder } from "../../go/MapOrder.ts"
import { assignShouldReconcile, JobType, Pool, PoolError } from "./Pool.ts"
import {
  activate,
  cfg,
  create,
  deleted,
  drain,
  grp,
  pdPool,
  pending,
  RESYNC,
  reconcile,
  res,
  type SipFixture,
  sipPool,
  tracked,
  warmOf,
} from "./WarmPool.fixtures.ts"
import { WarmPool } from "./WarmPool.ts"

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
