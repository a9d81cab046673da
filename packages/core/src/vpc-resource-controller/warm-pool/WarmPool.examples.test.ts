// The worked examples of research/vpc-resource-controller.md §3.7 A–H: a pool driven as the controller
// drives it (pod handler, job completions, the 30 s loop), step by step. Fixtures: WarmPool.fixtures.ts.

import { describe, expect, it } from "vitest"
import { ascendingOrder, type MapOrder, randomOrder } from "../../go/MapOrder.ts"
import { Rng } from "../../kernel/Rng.ts"
import { type ConfigMapData, getWinWarmPoolConfig } from "../ConfigMap.ts"
import { pdDefaultConfig, sipDefaultConfig, type WarmPoolConfig } from "../WarmPoolConfig.ts"
import { assignShouldReconcile, JobType, Pool, PoolError } from "./Pool.ts"
import {
  create,
  deleted,
  drain,
  grp,
  type JobView,
  NONE,
  pdPool,
  prefixOf,
  reconcile,
  res,
  WARM_PFX,
} from "./WarmPool.fixtures.ts"
import { WarmPool } from "./WarmPool.ts"

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
