// A reference model of the warm pool, written from research/vpc-resource-controller.md §3.1–§3.6 alone (with
// pool.go for the one point §3.6 leaves open: ReSync keeps a group key whose warm list was already empty), for
// WarmPool.model.test.ts to run WarmPool against.

import { expect } from "vitest"
import type { WarmPoolConfig } from "../WarmPoolConfig.ts"
import { JobType, Pool, PoolError } from "./Pool.ts"

export interface Job {
  readonly type: JobType
  readonly count: number
  readonly groups: readonly number[]
}

const ceil16 = (x: number): number => Math.trunc((x + Pool.IPS_PER_PREFIX - 1) / Pool.IPS_PER_PREFIX)

/** What the rules allow for one AssignResource: an error, or "any of these addresses". */
export type AssignOutcome = { readonly error: number } | { readonly choices: readonly number[] }

export class RefPool {
  readonly used = new Map<number, number>()
  /** group → warm addresses, FIFO. A key stays when its list empties (§1.2). */
  readonly warm = new Map<number, number[]>()
  readonly cooling: Array<{ ip: number; at: number }> = []
  pendingCreate = 0
  pendingDelete = 0
  reSyncRequired = false
  prefixAvailable = false

  constructor(
    readonly capacity: number,
    readonly isPd: boolean,
    public config: WarmPoolConfig,
  ) {}

  get groupSize(): number {
    return this.isPd ? Pool.IPS_PER_PREFIX : 1
  }
  groupOf(ip: number): number {
    return this.isPd ? ip - (ip % Pool.IPS_PER_PREFIX) : ip
  }
  get warmIps(): number {
    let n = 0
    for (const list of this.warm.values()) n += list.length
    return n
  }
  addWarm(ip: number): void {
    const g = this.groupOf(ip)
    const list = this.warm.get(g)
    if (list === undefined) this.warm.set(g, [ip])
    else list.push(ip)
  }
  expand(group: number): number[] {
    return this.isPd ? Array.from({ length: Pool.IPS_PER_PREFIX }, (_, i) => group + i) : [group]
  }

  // §3.1, checks in order.
  assign(pod: number): AssignOutcome {
    const u = this.used.size
    const c = this.cooling.length
    if (this.used.has(pod)) return { error: PoolError.ResourceAlreadyAssigned }
    if (u === this.capacity) return { error: PoolError.PoolAtMaxCapacity }
    if (u + c === this.capacity) return { error: PoolError.ResourceAreBeingCooledDown }
    if (u + c + this.pendingCreate + this.pendingDelete === this.capacity)
      return { error: PoolError.ResourcesAreBeingCreated }
    if (this.warm.size === 0) {
      return { error: this.isPd && !this.prefixAvailable ? PoolError.InsufficientCidrBlocks : PoolError.WarmPoolEmpty }
    }
    const nonEmpty = [...this.warm.entries()].filter(([, l]) => l.length > 0)
    if (nonEmpty.length === 0) return { error: PoolError.WarmPoolEmpty }
    // SIP: any group; PD: a group with the fewest warm addresses. Either way the list's first address.
    const min = Math.min(...nonEmpty.map(([, l]) => l.length))
    const groups = this.isPd ? nonEmpty.filter(([, l]) => l.length === min) : nonEmpty
    return { choices: groups.map(([, l]) => l[0]!) }
  }
  takeWarm(pod: number, ip: number): void {
    const list = this.warm.get(this.groupOf(ip))!
    expect(list[0], `the pool handed out ${ip}, not the head of its group's list`).toBe(ip)
    list.shift()
    this.used.set(pod, ip)
  }

  // §3.2.
  free(pod: number, ip: number, now: number): number {
    const held = this.used.get(pod)
    if (held === undefined) return PoolError.ResourceDoesntExist
    if (held !== ip) return PoolError.IncorrectResourceOwner
    this.used.delete(pod)
    this.cooling.push({ ip, at: now })
    return 0
  }

  // §3.4.
  sipDeviation(): number {
    let { warmIpTarget: w, minIpTarget: m } = this.config
    if (this.config.desiredSize === 0) {
      w = 0
      m = 0
    }
    if (m < 0) m = 3
    if (w < 0) w = 3
    const available = this.warmIps + this.pendingCreate
    const total = this.used.size + this.warmIps + this.pendingCreate + this.cooling.length
    const short = Math.max(Math.max(w - available, 0), m - total)
    const over = Math.max(Math.min(Math.max(available - w, 0), total - m), 0)
    return short - over
  }

  // §3.5, in IPs.
  pdDeviation(): number {
    let { warmIpTarget: w, minIpTarget: m, warmPrefixTarget: wpt } = this.config
    let wDef = false
    let mDef = false
    let pDef = false
    if (this.config.desiredSize === 0) {
      w = 0
      m = 0
      wpt = 0
    } else {
      wDef = w > 0
      mDef = m > 0
      pDef = wpt > 0
      if (!wDef && (mDef || !pDef)) w = 1
      if (!mDef && (wDef || !pDef)) m = 3
    }
    const free = this.freeGroups().length
    if (!wDef && !mDef && pDef) return (wpt - free - ceil16(this.pendingCreate)) * Pool.IPS_PER_PREFIX
    const current = ceil16(this.used.size + this.pendingCreate + this.warmIps + this.cooling.length)
    let dev = Math.max(ceil16(this.used.size + w), ceil16(m)) - current
    if (dev < 0 && free === 0) dev = 0
    return dev * Pool.IPS_PER_PREFIX
  }

  freeGroups(): number[] {
    return [...this.warm.entries()].filter(([, l]) => l.length === this.groupSize).map(([g]) => g)
  }

  /**
   * §3.3. Returns the job, or for a delete how many IPs to delete and the free groups to choose from (the choice
   * is the pool's: `checkDelete` validates it, `bookDelete` books it).
   */
  reconcile(): { job: Job } | { toDelete: number; candidates: number[] } {
    const none: Job = { type: JobType.NoReconcile, count: 0, groups: [] }
    const u = this.used.size
    const c = this.cooling.length
    const total = this.warmIps + u + c + this.pendingCreate + this.pendingDelete
    if (this.reSyncRequired) {
      const busy = this.pendingCreate !== 0 || this.pendingDelete !== 0
      return { job: busy ? none : { type: JobType.ReSync, count: 0, groups: [] } }
    }
    if (u + this.pendingCreate + this.pendingDelete + c === this.capacity) return { job: none }
    let dev = this.isPd ? this.pdDeviation() : this.sipDeviation()
    if (dev > this.config.maxDeviation) {
      const canCreateUpto = this.capacity - total
      if (canCreateUpto === 0) return { job: none }
      if (dev > canCreateUpto) dev = canCreateUpto
      this.pendingCreate += dev
      return {
        job: { type: JobType.Create, count: this.isPd ? Math.trunc(dev / Pool.IPS_PER_PREFIX) : dev, groups: [] },
      }
    }
    if (-dev > this.config.maxDeviation) {
      const candidates = this.freeGroups()
      if (candidates.length === 0) return { job: none }
      return { toDelete: -dev, candidates }
    }
    return { job: none }
  }

  /** A delete choice is legal when it takes distinct free groups, one at a time, while IPs are still to delete. */
  checkDelete(toDelete: number, candidates: readonly number[], groups: readonly number[]): void {
    expect(new Set(groups).size, "delete groups are distinct").toBe(groups.length)
    let left = toDelete
    for (const g of groups) {
      expect(candidates, `delete group ${g} is a free group`).toContain(g)
      expect(left, "a group is taken only while IPs remain to delete").toBeGreaterThan(0)
      left -= this.groupSize
    }
    // It stops only when enough is taken or no free group is left.
    if (left > 0) expect(groups.length).toBe(candidates.length)
  }
  bookDelete(groups: readonly number[]): Job {
    for (const g of groups) {
      this.pendingDelete += this.warm.get(g)!.length
      this.warm.delete(g)
    }
    return { type: JobType.Deleted, count: groups.length, groups }
  }

  // §3.6.
  updatePool(job: Job, resources: readonly number[], didSucceed: boolean, prefixAvailable: boolean): boolean {
    if (this.isPd) this.prefixAvailable = prefixAvailable
    for (const g of resources) for (const ip of this.expand(g)) this.addWarm(ip)
    const scale = this.isPd ? Pool.IPS_PER_PREFIX : 1
    if (job.type === JobType.Create) this.pendingCreate -= job.count * scale
    if (job.type === JobType.Deleted) this.pendingDelete -= job.count * scale
    if (!didSucceed) this.reSyncRequired = true
    return !didSucceed
  }

  processCoolDown(now: number): boolean {
    while (this.cooling.length > 0 && now - this.cooling[0]!.at >= Pool.COOL_DOWN_MS)
      this.addWarm(this.cooling.shift()!.ip)
    return this.cooling.length > 0
  }

  reSync(upstreamGroups: readonly number[]): void {
    if (!this.reSyncRequired) return
    this.reSyncRequired = false
    const upstream = upstreamGroups.flatMap((g) => this.expand(g))
    const local = new Set([...this.cooling.map((e) => e.ip), ...this.used.values(), ...[...this.warm.values()].flat()])
    const upstreamSet = new Set(upstream)
    for (const ip of upstream) if (!local.has(ip)) this.addWarm(ip)
    for (const ip of local) {
      if (upstreamSet.has(ip)) continue
      // pool.go: only a non-empty list is searched, and a key is deleted when its list becomes empty.
      const g = this.groupOf(ip)
      const list = this.warm.get(g)
      if (list !== undefined && list.length > 0) {
        const kept = list.filter((x) => x !== ip)
        if (kept.length === 0) this.warm.delete(g)
        else this.warm.set(g, kept)
      }
      for (let i = this.cooling.length - 1; i >= 0; i--) if (this.cooling[i]!.ip === ip) this.cooling.splice(i, 1)
    }
  }
}
