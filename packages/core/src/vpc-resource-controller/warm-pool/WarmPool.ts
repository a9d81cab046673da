// The Windows warm pool, operation for operation as pkg/pool/pool.go of the VPC Resource Controller
// (research/vpc-resource-controller.md §1.2, §3). One pool per node and mode. Addresses are numbers
// (see Ipv4.ts); a secondary IP is its own group, a prefix is the group of its 16 addresses.

import type { Ipv4 } from "../../ec2/Ipv4.ts"
import type { MapOrder } from "../../go/MapOrder.ts"
import { drainingConfig, type WarmPoolConfig } from "../WarmPoolConfig.ts"
import { type JobType, Pool, type PoolJob } from "./Pool.ts"
import { compactCoolDown, deleteGroupAt, groupIndex, groupOf, pushUsed, pushWarm, usedAt } from "./PoolLists.ts"
import { PoolMemory } from "./PoolMemory.ts"
import {
  poolAssign,
  poolAssigned,
  poolCoolDownSettles,
  poolCooling,
  poolFree,
  poolOldestCoolingAt,
  poolPendingCreate,
  poolProcessCoolDown,
  poolReconcile,
  poolUpdate,
  poolUsed,
  poolWarm,
} from "./PoolOperations.ts"
import { Conf, createRegion, Hdr, Region, setConfig } from "./PoolRegion.ts"

/**
 * The Windows warm pool as an object: a view of its region in a PoolMemory (its own unless one is given,
 * with the pool's id there). Tests, the conformance protocol and the kernel's colder paths use it; the
 * kernel's pod events call the functions of PoolOperations.ts by id.
 */
export class WarmPool {
  readonly capacity: number
  readonly isPrefixPool: boolean
  readonly memory: PoolMemory
  /** Its id in the memory; changed only by moveTo. */
  id: number
  private readonly order: MapOrder
  /** The config object as given; the region holds its values, and its default write-backs come back here when read. */
  private configObject: WarmPoolConfig

  constructor(options: {
    capacity: number
    isPrefixPool: boolean
    config: WarmPoolConfig
    order: MapOrder
    legacySecondaryIp?: boolean
    /** Where the pool's state lives, and its id there (default: a memory of its own, id 0). */
    memory?: PoolMemory | undefined
    id?: number | undefined
  }) {
    this.capacity = options.capacity
    this.isPrefixPool = options.isPrefixPool
    this.order = options.order
    this.memory = options.memory ?? new PoolMemory()
    this.id = options.id ?? 0
    createRegion(this.memory, this.id, this.capacity, this.isPrefixPool, options.legacySecondaryIp ?? false)
    this.configObject = options.config
    setConfig(this.memory.f, this.base, options.config)
  }

  /** The pool's region becomes pool `id`'s (see PoolMemory.move). */
  moveTo(id: number): void {
    this.memory.move(this.id, id)
    this.id = id
  }

  private get base(): number {
    return this.memory.bases[this.id]!
  }
  private get f(): Float64Array {
    return this.memory.f
  }
  /**
   * The deviation functions' default write-backs, copied into the config object (the controller writes
   * them into the config it holds; the kernel's calls by id leave them in the region, where this getter
   * and the object's next reader find them).
   */
  private syncConfig(): WarmPoolConfig {
    const c = this.configObject
    const f = this.memory.f
    const b = this.base
    c.desiredSize = f[b + Conf.DESIRED]!
    c.warmIpTarget = f[b + Conf.WARM_IP_TARGET]!
    c.minIpTarget = f[b + Conf.MIN_IP_TARGET]!
    c.warmPrefixTarget = f[b + Conf.WARM_PREFIX_TARGET]!
    c.maxDeviation = f[b + Conf.MAX_DEVIATION]!
    return c
  }

  private field(at: number): number {
    return this.memory.h[2 * this.base + at]!
  }
  private setField(at: number, value: number): void {
    this.memory.h[2 * this.base + at] = value
  }

  /** The config object, with the defaults the deviation functions wrote back (as the controller's would hold). */
  get config(): WarmPoolConfig {
    return this.syncConfig()
  }
  set config(config: WarmPoolConfig) {
    this.configObject = config
    setConfig(this.memory.f, this.base, config)
  }

  get pendingCreate(): number {
    return poolPendingCreate(this.memory, this.id)
  }
  set pendingCreate(n: number) {
    this.setField(Hdr.PENDING_CREATE, n)
  }
  get pendingDelete(): number {
    return this.field(Hdr.PENDING_DELETE)
  }
  set pendingDelete(n: number) {
    this.setField(Hdr.PENDING_DELETE, n)
  }
  get reSyncRequired(): boolean {
    return this.field(Hdr.RESYNC) === 1
  }
  set reSyncRequired(on: boolean) {
    this.setField(Hdr.RESYNC, on ? 1 : 0)
  }
  /** Prefix pools only; starts false, so a pod seen before the first prefix lands gets ErrInsufficientCidrBlocks. */
  get prefixAvailable(): boolean {
    return this.field(Hdr.PREFIX_AVAILABLE) === 1
  }
  set prefixAvailable(on: boolean) {
    this.setField(Hdr.PREFIX_AVAILABLE, on ? 1 : 0)
  }

  get usedCount(): number {
    return poolUsed(this.memory, this.id)
  }
  get warmCountIps(): number {
    return poolWarm(this.memory, this.id)
  }
  get coolingCount(): number {
    return poolCooling(this.memory, this.id)
  }
  /** Number of keys in the warm map (including emptied ones), what the controller's introspection calls warm. */
  get warmGroupKeys(): number {
    return this.field(Hdr.GROUPS)
  }

  /** The address a pod holds, or -1 (GetAssignedResource). */
  assigned(pod: number): Ipv4 {
    return poolAssigned(this.memory, this.id, pod)
  }

  /** AssignResource: an address (≥ 0) or a PoolError, checks in the controller's order (§3.1). */
  assign(pod: number): number {
    return poolAssign(this.memory, this.id, pod, this.order)
  }

  /** FreeResource: 0 on success (shouldReconcile true) or a PoolError (shouldReconcile false). */
  free(pod: number, ip: Ipv4, now: number): number {
    return poolFree(this.memory, this.id, pod, ip, now)
  }

  /**
   * UpdatePool: a job's result. `resources` are the created addresses / prefixes (Create) or the groups that
   * failed to delete (Deleted); `count` is the job's requested count. Returns shouldReconcile.
   */
  updatePool(type: JobType, count: number, resources: readonly Ipv4[], didSucceed: boolean, prefixAvailable: boolean) {
    return poolUpdate(this.memory, this.id, type, count, resources, didSucceed, prefixAvailable)
  }

  /** ProcessCoolDownQueue: returns matured addresses to warm; true when entries remain. */
  processCoolDown(now: number): boolean {
    return poolProcessCoolDown(this.memory, this.id, now)
  }

  /** Release time of the oldest cooling address, or -1 (for the scheduler that skips loops). */
  oldestCoolingAt(): number {
    return poolOldestCoolingAt(this.memory, this.id)
  }

  /** ReconcilePool (§3.3); fills `out` and returns its type. */
  reconcile(out: PoolJob): JobType {
    const type = poolReconcile(this.memory, this.id, out, this.order)
    this.syncConfig()
    return type
  }

  /** See poolCoolDownSettles. */
  coolDownSettles(at: number): boolean {
    const settles = poolCoolDownSettles(this.memory, this.id, at)
    this.syncConfig()
    return settles
  }

  setToActive(config: WarmPoolConfig, out: PoolJob): JobType {
    this.config = config
    return this.reconcile(out)
  }

  setToDraining(out: PoolJob): JobType {
    this.config = drainingConfig()
    return this.reconcile(out)
  }

  /**
   * ReSync with what EC2 holds: secondary IPs (secondary-IP pool) or prefixes (prefix pool). Adds unknown
   * addresses to warm and drops warm or cooling addresses EC2 no longer has; used addresses are never dropped.
   */
  reSync(upstreamGroups: readonly Ipv4[]): void {
    if (!this.reSyncRequired) return
    this.reSyncRequired = false
    const upstream: Ipv4[] = []
    for (const g of upstreamGroups) {
      if (this.isPrefixPool) for (let i = 0; i < Pool.IPS_PER_PREFIX; i++) upstream.push(g + i)
      else upstream.push(g)
    }
    const { used, warm, cooling } = this.trackedAddresses()
    const local = [...cooling, ...used, ...warm]
    const upstreamSet = new Set(upstream)
    const localSet = new Set(local)
    const added = upstream.filter((ip) => !localSet.has(ip))
    const deleted = local.filter((ip) => !upstreamSet.has(ip))
    for (const ip of added) {
      pushWarm(this.memory, this.id, groupOf(this.memory.h, this.base, ip), ip)
      this.setField(Hdr.WARM, this.field(Hdr.WARM) + 1)
    }
    if (deleted.length === 0) return
    const gone = new Set(deleted)
    const f = this.f
    const h = this.memory.h
    const b = this.base
    for (const ip of gone) {
      const at = groupIndex(f, h, b, groupOf(h, b, ip))
      if (at < 0) continue
      const lenAt = b + h[2 * b + Hdr.GROUPS_AT]! + 2 * at + 1
      const len = f[lenAt]!
      if (len === 0) continue
      // A secondary IP's list holds only its own address; a prefix's list keeps its other addresses in order.
      let kept = 0
      if (this.isPrefixPool) {
        const w = b + h[2 * b + Hdr.WARM_AT]! + at * h[2 * b + Hdr.BLOCK]!
        for (let i = 0; i < len; i++) if (f[w + i] !== ip) f[w + kept++] = f[w + i]!
      }
      h[2 * b + Hdr.WARM] = h[2 * b + Hdr.WARM]! - (len - kept)
      f[lenAt] = kept
      if (kept === 0) deleteGroupAt(f, h, b, at)
    }
    compactCoolDown(f, h, b)
    const c = b + h[2 * b + Hdr.COOL_AT]!
    const end = h[2 * b + Hdr.COOL_END]!
    let w = 0
    for (let i = 0; i < 2 * end; i += 2) {
      if (gone.has(f[c + i]!)) continue
      f[c + w] = f[c + i]!
      f[c + w + 1] = f[c + i + 1]!
      w += 2
    }
    h[2 * b + Hdr.COOL_END] = w >> 1
  }

  /** NewResourcePool's used map, at node init: a running pod's annotated address. */
  adoptUsed(pod: number, ip: Ipv4): void {
    const at = usedAt(this.f, this.memory.h, this.base, pod)
    if (at >= 0) this.f[at + 1] = ip
    else pushUsed(this.memory, this.id, pod, ip)
  }

  /** NewResourcePool's warm map, at node init: addresses on the ENI that no running pod uses. */
  adoptWarm(ips: readonly Ipv4[]): void {
    for (const ip of ips) pushWarm(this.memory, this.id, groupOf(this.memory.h, this.base, ip), ip)
    this.setField(Hdr.WARM, this.field(Hdr.WARM) + ips.length)
  }

  /** Every address the pool tracks (used, warm, cooling): for invariant checks, not the hot path. */
  trackedAddresses(): { used: Ipv4[]; warm: Ipv4[]; cooling: Ipv4[] } {
    const f = this.f
    const h = this.memory.h
    const b = this.base
    const used: Ipv4[] = []
    for (let i = 0; i < h[2 * b + Hdr.USED]!; i++) used.push(f[b + Region.USED_AT + 2 * i + 1]!)
    const warm: Ipv4[] = []
    const g = b + h[2 * b + Hdr.GROUPS_AT]!
    for (let at = 0; at < h[2 * b + Hdr.GROUPS]!; at++) {
      const len = f[g + 2 * at + 1]!
      const w = b + h[2 * b + Hdr.WARM_AT]! + at * h[2 * b + Hdr.BLOCK]!
      for (let i = 0; i < len; i++) warm.push(this.isPrefixPool ? f[w + i]! : f[g + 2 * at]!)
    }
    const cooling: Ipv4[] = []
    const c = b + h[2 * b + Hdr.COOL_AT]!
    for (let i = h[2 * b + Hdr.COOL_HEAD]!; i < h[2 * b + Hdr.COOL_END]!; i++) cooling.push(f[c + 2 * i]!)
    return { used, warm, cooling }
  }

  /** Warm groups and their warm counts (for reports of prefix occupancy). */
  warmGroups(): Array<[Ipv4, number]> {
    const f = this.f
    const h = this.memory.h
    const g = this.base + h[2 * this.base + Hdr.GROUPS_AT]!
    const out: Array<[Ipv4, number]> = []
    for (let at = 0; at < h[2 * this.base + Hdr.GROUPS]!; at++) out.push([f[g + 2 * at]!, f[g + 2 * at + 1]!])
    return out
  }
}
