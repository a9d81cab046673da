// Fixtures for the warm pool's tests. The Go tests build pools with pre-filled maps; here every fixture is
// reached through the public API (see the builders below), so a few Go fixtures become their closest
// reachable state, noted where it happens.

import { expect } from "vitest"
import { ascendingOrder, type MapOrder } from "../../go/MapOrder.ts"
import type { WarmPoolConfig } from "../WarmPoolConfig.ts"
import { JobType, Pool, PoolJob } from "./Pool.ts"
import { WarmPool } from "./WarmPool.ts"

// ---------------------------------------------------------------------------------------------------------------
// Names of the Go fixtures: SIP "res-k" is the address 100 + k; PD "grp-k" is the prefix 16 × (100 + k).
export const res = (k: number): number => 100 + k
export const grp = (k: number): number => 16 * (100 + k)
export const prefixOf = (ip: number): number => ip - (ip % Pool.IPS_PER_PREFIX)

export const cfg = (w: number, m: number, wpt = 0, extra: Partial<WarmPoolConfig> = {}): WarmPoolConfig => ({
  desiredSize: 1,
  warmIpTarget: w,
  minIpTarget: m,
  warmPrefixTarget: wpt,
  maxDeviation: 0,
  reservedSize: 0,
  ...extra,
})

export interface JobView {
  type: JobType
  count: number
  groups: number[]
}
export const view = (type: JobType, job: PoolJob): JobView => ({ type, count: job.count, groups: [...job.groups] })
export const reconcile = (pool: WarmPool): JobView => {
  const job = new PoolJob()
  return view(pool.reconcile(job), job)
}
export const activate = (pool: WarmPool, config: WarmPoolConfig): JobView => {
  const job = new PoolJob()
  return view(pool.setToActive(config, job), job)
}
export const drain = (pool: WarmPool): JobView => {
  const job = new PoolJob()
  return view(pool.setToDraining(job), job)
}
export const NONE: JobView = { type: JobType.NoReconcile, count: 0, groups: [] }
export const RESYNC: JobView = { type: JobType.ReSync, count: 0, groups: [] }
export const create = (count: number): JobView => ({ type: JobType.Create, count, groups: [] })
export const deleted = (groups: number[]): JobView => ({ type: JobType.Deleted, count: groups.length, groups })

export const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b)
/** Warm groups with at least one address, ascending: what the Go test maps hold (emptied keys left out). */
export const warmOf = (pool: WarmPool): Array<[number, number]> =>
  pool
    .warmGroups()
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0])
export const tracked = (pool: WarmPool) => {
  const t = pool.trackedAddresses()
  return { used: sorted(t.used), warm: sorted(t.warm), cooling: t.cooling }
}
export const pending = (pool: WarmPool) => ({ pendingCreate: pool.pendingCreate, pendingDelete: pool.pendingDelete })

// ---------------------------------------------------------------------------------------------------------------
// Fixture builders.

export interface SipFixture {
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
export const sipPool = (f: SipFixture): WarmPool => {
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

export interface PdGroup {
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
export const pdPool = (cap: number, groups: PdGroup[], order: MapOrder = ascendingOrder) => {
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
export const WARM_PFX = (used: [number, number, number] = [0, 0, 0]): PdGroup[] => [
  { base: grp(1), warm: 1, used: used[0] },
  { base: grp(2), warm: 2, used: used[1] },
  { base: grp(3), warm: 3, used: used[2] },
  { base: grp(4), warm: 0 },
  { base: grp(7), warm: 16 },
]
