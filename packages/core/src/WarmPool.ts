// The Windows warm pool, operation for operation as pkg/pool/pool.go of the VPC Resource Controller
// (research/vpc-resource-controller.md §1.2, §3). One pool per node and mode. Addresses are numbers
// (see Ipv4.ts); a secondary IP is its own group, a prefix is the group of its 16 addresses.

import { ceilDivision } from "./GoText.ts"
import { type Ipv4, prefixOf } from "./Ipv4.ts"
import type { MapOrder } from "./MapOrder.ts"
import {
  drainingConfig,
  PD_DEFAULT_MIN_IP_TARGET,
  PD_DEFAULT_WARM_IP_TARGET,
  SIP_DEFAULT_MIN_IP_TARGET,
  SIP_DEFAULT_WARM_IP_TARGET,
  type WarmPoolConfig,
} from "./WarmPoolConfig.ts"

export const IPS_PER_PREFIX = 16
/** config.CoolDownPeriod: fixed, no ConfigMap key for Windows. */
export const COOL_DOWN_MS = 30_000

/** The pool's errors. Negative so that AssignResource can return an address or an error in one number. */
export const PoolError = {
  ResourceAlreadyAssigned: -1,
  PoolAtMaxCapacity: -2,
  ResourceAreBeingCooledDown: -3,
  ResourcesAreBeingCreated: -4,
  WarmPoolEmpty: -5,
  InsufficientCidrBlocks: -6,
  ResourceDoesntExist: -7,
  IncorrectResourceOwner: -8,
} as const
export type PoolError = (typeof PoolError)[keyof typeof PoolError]

/** The controller's error variable names, by code. */
export const poolErrorName = (code: number): string => {
  switch (code) {
    case PoolError.ResourceAlreadyAssigned:
      return "ErrResourceAlreadyAssigned"
    case PoolError.PoolAtMaxCapacity:
      return "ErrPoolAtMaxCapacity"
    case PoolError.ResourceAreBeingCooledDown:
      return "ErrResourceAreBeingCooledDown"
    case PoolError.ResourcesAreBeingCreated:
      return "ErrResourcesAreBeingCreated"
    case PoolError.WarmPoolEmpty:
      return "ErrWarmPoolEmpty"
    case PoolError.InsufficientCidrBlocks:
      return "ErrInsufficientCidrBlocks"
    case PoolError.ResourceDoesntExist:
      return "ErrResourceDoesntExist"
    case PoolError.IncorrectResourceOwner:
      return "ErrIncorrectResourceOwner"
    default:
      return `unknown pool error ${code}`
  }
}

/** AssignResource's shouldReconcile, derived from its result as the controller returns it. */
export const assignShouldReconcile = (result: number): boolean => result >= 0 || result === PoolError.WarmPoolEmpty

export const JobType = { NoReconcile: 0, Create: 1, Deleted: 2, ReSync: 3 } as const
export type JobType = (typeof JobType)[keyof typeof JobType]

/** A warm-pool job as ReconcilePool returns it. Reused by callers to avoid an allocation per reconcile. */
export class PoolJob {
  type: JobType = JobType.NoReconcile
  /** Create: IPs (secondary-IP) or prefixes (prefix mode). Deleted: number of groups. */
  count = 0
  /** Deleted: the group IDs taken out of the warm map. */
  readonly groups: Ipv4[] = []
}

/** Candidate groups for MapOrder, shared by all pools (one is used at a time; a pool's own went cold). */
const scratch: Ipv4[] = []
/** freePrefixesAfterCoolDown's counts (shared: the kernel is single-threaded and the function does not nest). */
const afterCoolDown: number[] = []

export class WarmPool {
  readonly capacity: number
  readonly isPrefixPool: boolean
  config: WarmPoolConfig

  /**
   * The used map, podUID → address, as (pod, address) pairs in one array (order does not matter: the
   * controller only looks pods up and counts them). A node holds at most its max pods, so a scan finds a
   * pod within a line or two, where a Map costs a hash table per pool; pairs put a pod and its address on
   * the same line, one array to reach instead of two.
   */
  private readonly used: number[] = []
  /**
   * The warm map, group → warm addresses, in the map's insertion order (what MapOrder chooses among):
   * (key, list length) pairs in one array, so that scans for a group by key or size read one small array.
   * Keys stay when a list empties, as in Go (it matters to AssignResource check 5). A pool has at most a
   * few dozen groups, so a linear search finds one. The lists themselves: a secondary IP's list can only
   * hold its own address (as often as it was added), so a secondary-IP pool keeps none; a prefix pool keeps
   * each prefix's list, oldest first, in that group's own block of `block` entries in `warm`, so a pod
   * event reaches it through one array, not an array of arrays. A block holds a prefix's 16 addresses; as
   * in Go, a list can hold an address twice (a ReSync after a lost job can add one the list has), and
   * then every block doubles.
   */
  private readonly groups: number[] = []
  private warm: Ipv4[] = []
  private block = IPS_PER_PREFIX
  private warmCount = 0
  /**
   * Cool-down queue, in free order: pairs (address, release time) in one array, pairs `coolHead` to
   * `coolEnd`. The array keeps its length when the queue empties: setting a length is a runtime call, and
   * a queue that drains after every delete paid it (with a new backing store) each time.
   */
  private readonly cool: number[] = []
  private coolHead = 0
  private coolEnd = 0

  pendingCreate = 0
  pendingDelete = 0
  reSyncRequired = false
  /** Prefix pools only; starts false, so a pod seen before the first prefix lands gets ErrInsufficientCidrBlocks. */
  prefixAvailable = false

  private readonly order: MapOrder

  /** Before v1.6.0 (#443) secondary-IP pools kept DesiredSize warm with a dead band and had no targets. */
  private readonly legacySecondaryIp: boolean

  constructor(options: {
    capacity: number
    isPrefixPool: boolean
    config: WarmPoolConfig
    order: MapOrder
    legacySecondaryIp?: boolean
  }) {
    this.capacity = options.capacity
    this.isPrefixPool = options.isPrefixPool
    this.config = options.config
    this.order = options.order
    this.legacySecondaryIp = options.legacySecondaryIp ?? false
  }

  get usedCount(): number {
    return this.used.length >> 1
  }
  get warmCountIps(): number {
    return this.warmCount
  }
  get coolingCount(): number {
    return this.coolEnd - this.coolHead
  }
  /** Number of keys in the warm map (including emptied ones), what the controller's introspection calls warm. */
  get warmGroupKeys(): number {
    return this.groups.length >> 1
  }

  /** The address a pod holds, or -1 (GetAssignedResource). */
  assigned(pod: number): Ipv4 {
    const at = this.usedAt(pod)
    return at < 0 ? -1 : this.used[at + 1]!
  }

  /** AssignResource: an address (≥ 0) or a PoolError, checks in the controller's order (§3.1). */
  assign(pod: number): number {
    if (this.usedAt(pod) >= 0) return PoolError.ResourceAlreadyAssigned
    const u = this.used.length >> 1
    const c = this.coolingCount
    if (u === this.capacity) return PoolError.PoolAtMaxCapacity
    if (u + c === this.capacity) return PoolError.ResourceAreBeingCooledDown
    if (u + c + this.pendingCreate + this.pendingDelete === this.capacity) return PoolError.ResourcesAreBeingCreated
    if (this.groups.length === 0) {
      if (this.isPrefixPool && !this.prefixAvailable) return PoolError.InsufficientCidrBlocks
      return PoolError.WarmPoolEmpty
    }
    const group = this.isPrefixPool ? this.findMinGroup() : this.findAnyGroup()
    if (group < 0) return PoolError.WarmPoolEmpty
    const ip = this.shiftWarm(this.groupIndex(group))
    this.warmCount--
    this.used.push(pod, ip)
    return ip
  }

  /** FreeResource: 0 on success (shouldReconcile true) or a PoolError (shouldReconcile false). */
  free(pod: number, ip: Ipv4, now: number): number {
    const at = this.usedAt(pod)
    if (at < 0) return PoolError.ResourceDoesntExist
    const used = this.used
    const held = used[at + 1]!
    if (held !== ip) return PoolError.IncorrectResourceOwner
    // Remove by moving the last pair into the hole (pop: setting a length is a runtime call).
    const last = used.length - 2
    used[at] = used[last]!
    used[at + 1] = used[last + 1]!
    used.pop()
    used.pop()
    const end = 2 * this.coolEnd++
    if (end === this.cool.length) this.cool.push(held, now)
    else {
      this.cool[end] = held
      this.cool[end + 1] = now
    }
    return 0
  }

  /**
   * UpdatePool: a job's result. `resources` are the created addresses / prefixes (Create) or the groups that
   * failed to delete (Deleted); `count` is the job's requested count. Returns shouldReconcile.
   */
  updatePool(type: JobType, count: number, resources: readonly Ipv4[], didSucceed: boolean, prefixAvailable: boolean) {
    let shouldReconcile = false
    if (!didSucceed) {
      this.reSyncRequired = true
      shouldReconcile = true
    }
    if (this.isPrefixPool) this.prefixAvailable = prefixAvailable
    for (const group of resources) {
      if (this.isPrefixPool) {
        for (let i = 0; i < IPS_PER_PREFIX; i++) this.pushWarm(group, group + i)
        this.warmCount += IPS_PER_PREFIX
      } else {
        this.pushWarm(group, group)
        this.warmCount++
      }
    }
    const scale = this.isPrefixPool ? IPS_PER_PREFIX : 1
    if (type === JobType.Create) this.pendingCreate -= count * scale
    else if (type === JobType.Deleted) this.pendingDelete -= count * scale
    return shouldReconcile
  }

  /** ProcessCoolDownQueue: returns matured addresses to warm; true when entries remain. */
  processCoolDown(now: number): boolean {
    const cool = this.cool
    const n = this.coolEnd
    let i = this.coolHead
    while (i < n && now - cool[2 * i + 1]! >= COOL_DOWN_MS) {
      const ip = cool[2 * i]!
      this.pushWarm(this.groupOf(ip), ip)
      this.warmCount++
      i++
    }
    this.coolHead = i
    if (i === n || i > 1024) this.compactCoolDown()
    return i < n
  }

  /** Release time of the oldest cooling address, or -1 (for the scheduler that skips loops). */
  oldestCoolingAt(): number {
    return this.coolHead < this.coolEnd ? this.cool[2 * this.coolHead + 1]! : -1
  }

  /** ReconcilePool (§3.3); fills `out` and returns its type. */
  reconcile(out: PoolJob): JobType {
    // Setting an array's length is a runtime call even when it does not change: only when needed.
    if (out.groups.length !== 0) out.groups.length = 0
    out.count = 0
    const u = this.used.length >> 1
    const c = this.coolingCount
    const total = this.warmCount + u + c + this.pendingCreate + this.pendingDelete
    if (this.reSyncRequired) {
      out.type = this.pendingCreate !== 0 || this.pendingDelete !== 0 ? JobType.NoReconcile : JobType.ReSync
      return out.type
    }
    out.type = JobType.NoReconcile
    if (u + this.pendingCreate + this.pendingDelete + c === this.capacity) return out.type

    let deviation = this.isPrefixPool
      ? this.pdDeviation(this.warmCount, c, this.countFreeGroups(IPS_PER_PREFIX))
      : this.sipDeviation(this.warmCount, c)
    if (deviation > this.config.maxDeviation) {
      const canCreateUpto = this.capacity - total
      if (canCreateUpto === 0) return out.type
      if (deviation > canCreateUpto) deviation = canCreateUpto
      this.pendingCreate += deviation
      out.type = JobType.Create
      out.count = this.isPrefixPool ? Math.trunc(deviation / IPS_PER_PREFIX) : deviation
      return out.type
    }
    if (-deviation > this.config.maxDeviation) {
      let toDelete = -deviation
      const n = this.collectFreeGroups(this.isPrefixPool ? IPS_PER_PREFIX : 1)
      this.order.arrange(scratch, n)
      for (let i = 0; i < n && toDelete > 0; i++) {
        const group = scratch[i]!
        const at = this.groupIndex(group)
        const size = this.groups[2 * at + 1]!
        out.groups.push(group)
        toDelete -= size
        this.pendingDelete += size
        this.warmCount -= size
        this.deleteGroupAt(at)
      }
      if (out.groups.length > 0) {
        out.type = JobType.Deleted
        out.count = out.groups.length
      }
    }
    return out.type
  }

  /**
   * Whether the 30 s loop at `at` would return every cooling address to warm and then find nothing to
   * reconcile (for the scheduler that applies such a loop when the pool is next touched). Changes nothing;
   * call it after a reconcile with the current config (the deviation functions write defaults back into
   * the config object, and those writes are idempotent from the second call on).
   */
  coolDownSettles(at: number): boolean {
    const c = this.coolingCount
    if (c === 0 || this.reSyncRequired || at - this.cool[2 * this.coolEnd - 1]! < COOL_DOWN_MS) return false
    const u = this.used.length >> 1
    if (u + this.pendingCreate + this.pendingDelete === this.capacity) return true
    const warm = this.warmCount + c
    // Each matured address joins its group's warm list; a secondary IP is a new group of one.
    const free = this.isPrefixPool ? this.freePrefixesAfterCoolDown() : c
    const deviation = this.isPrefixPool ? this.pdDeviation(warm, 0, free) : this.sipDeviation(warm, 0)
    if (deviation > this.config.maxDeviation)
      return warm + u + this.pendingCreate + this.pendingDelete === this.capacity
    return -deviation <= this.config.maxDeviation || free === 0
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
      if (this.isPrefixPool) for (let i = 0; i < IPS_PER_PREFIX; i++) upstream.push(g + i)
      else upstream.push(g)
    }
    const local: Ipv4[] = []
    this.appendCooling(local)
    this.appendUsed(local)
    this.appendWarm(local)
    const upstreamSet = new Set(upstream)
    const localSet = new Set(local)
    const added = upstream.filter((ip) => !localSet.has(ip))
    const deleted = local.filter((ip) => !upstreamSet.has(ip))
    for (const ip of added) {
      this.pushWarm(this.groupOf(ip), ip)
      this.warmCount++
    }
    if (deleted.length === 0) return
    const gone = new Set(deleted)
    for (const ip of gone) {
      const at = this.groupIndex(this.groupOf(ip))
      if (at < 0) continue
      const len = this.groups[2 * at + 1]!
      if (len === 0) continue
      // A secondary IP's list holds only its own address; a prefix's list keeps its other addresses in order.
      let kept = 0
      if (this.isPrefixPool) {
        const w = this.warm
        const base = at * this.block
        for (let i = 0; i < len; i++) if (w[base + i] !== ip) w[base + kept++] = w[base + i]!
      }
      this.warmCount -= len - kept
      this.groups[2 * at + 1] = kept
      if (kept === 0) this.deleteGroupAt(at)
    }
    this.compactCoolDown()
    let w = 0
    const cool = this.cool
    for (let i = 0; i < 2 * this.coolEnd; i += 2) {
      if (gone.has(cool[i]!)) continue
      cool[w] = cool[i]!
      cool[w + 1] = cool[i + 1]!
      w += 2
    }
    this.coolEnd = w >> 1
  }

  /** NewResourcePool's used map, at node init: a running pod's annotated address. */
  adoptUsed(pod: number, ip: Ipv4): void {
    const at = this.usedAt(pod)
    if (at >= 0) this.used[at + 1] = ip
    else this.used.push(pod, ip)
  }

  /** NewResourcePool's warm map, at node init: addresses on the ENI that no running pod uses. */
  adoptWarm(ips: readonly Ipv4[]): void {
    for (const ip of ips) this.pushWarm(this.groupOf(ip), ip)
    this.warmCount += ips.length
  }

  /** Every address the pool tracks (used, warm, cooling): for invariant checks, not the hot path. */
  trackedAddresses(): { used: Ipv4[]; warm: Ipv4[]; cooling: Ipv4[] } {
    const used: Ipv4[] = []
    const warm: Ipv4[] = []
    const cooling: Ipv4[] = []
    this.appendUsed(used)
    this.appendWarm(warm)
    this.appendCooling(cooling)
    return { used, warm, cooling }
  }

  /** Warm groups and their warm counts (for reports of prefix occupancy). */
  warmGroups(): Array<[Ipv4, number]> {
    const out: Array<[Ipv4, number]> = []
    for (let i = 0; i < this.groups.length; i += 2) out.push([this.groups[i]!, this.groups[i + 1]!])
    return out
  }

  // calculateSecondaryIPDeviation (§3.4), writing defaults back into the config object.
  private sipDeviation(warm: number, cooling: number): number {
    const cfg = this.config
    if (this.legacySecondaryIp) return cfg.desiredSize - (warm + this.pendingCreate)
    const assigned = (this.used.length >> 1) + warm + this.pendingCreate + cooling
    if (cfg.desiredSize === 0) {
      cfg.warmIpTarget = 0
      cfg.minIpTarget = 0
      cfg.warmPrefixTarget = 0
    }
    if (cfg.minIpTarget < 0) cfg.minIpTarget = SIP_DEFAULT_MIN_IP_TARGET
    if (cfg.warmIpTarget < 0) cfg.warmIpTarget = SIP_DEFAULT_WARM_IP_TARGET
    const available = warm + this.pendingCreate
    let short = Math.max(cfg.warmIpTarget - available, 0)
    short = Math.max(short, cfg.minIpTarget - assigned)
    let over = Math.max(available - cfg.warmIpTarget, 0)
    over = Math.max(Math.min(over, assigned - cfg.minIpTarget), 0)
    return short - over
  }

  // getPDDeviation (§3.5): IPs, a multiple of 16.
  private pdDeviation(warm: number, cooling: number, freePrefixes: number): number {
    const cfg = this.config
    let warmDefined = false
    let minDefined = false
    let prefixDefined = false
    if (cfg.desiredSize === 0) {
      cfg.warmIpTarget = 0
      cfg.minIpTarget = 0
      cfg.warmPrefixTarget = 0
    } else {
      warmDefined = cfg.warmIpTarget > 0
      minDefined = cfg.minIpTarget > 0
      prefixDefined = cfg.warmPrefixTarget > 0
      if (!warmDefined && (minDefined || !prefixDefined)) cfg.warmIpTarget = PD_DEFAULT_WARM_IP_TARGET
      if (!minDefined && (warmDefined || !prefixDefined)) cfg.minIpTarget = PD_DEFAULT_MIN_IP_TARGET
    }
    if (!warmDefined && !minDefined && prefixDefined) {
      const dev = cfg.warmPrefixTarget - freePrefixes - ceilDivision(this.pendingCreate, IPS_PER_PREFIX)
      return dev * IPS_PER_PREFIX
    }
    const u = this.used.length >> 1
    const current = ceilDivision(u + this.pendingCreate + warm + cooling, IPS_PER_PREFIX)
    const forWarm = ceilDivision(u + cfg.warmIpTarget, IPS_PER_PREFIX)
    const forMin = ceilDivision(cfg.minIpTarget, IPS_PER_PREFIX)
    let dev = Math.max(forWarm, forMin) - current
    if (dev < 0 && freePrefixes === 0) dev = 0
    return dev * IPS_PER_PREFIX
  }

  private groupOf(ip: Ipv4): Ipv4 {
    return this.isPrefixPool ? prefixOf(ip) : ip
  }

  /** The pod's place in the used pairs, or -1. */
  private usedAt(pod: number): number {
    const u = this.used
    for (let i = 0; i < u.length; i += 2) if (u[i] === pod) return i
    return -1
  }

  /** The group's place in the warm arrays, or -1. */
  private groupIndex(group: Ipv4): number {
    const g = this.groups
    for (let i = 0; i < g.length; i += 2) if (g[i] === group) return i >> 1
    return -1
  }

  /** Appends an address to its group's warm list, adding the group at the end of the map when new. */
  private pushWarm(group: Ipv4, ip: Ipv4): void {
    let at = this.groupIndex(group)
    if (at < 0) {
      at = this.groups.length >> 1
      this.groups.push(group, 0)
      if (this.isPrefixPool) for (let i = 0; i < this.block; i++) this.warm.push(0)
    }
    const len = this.groups[2 * at + 1]!
    if (this.isPrefixPool) {
      if (len === this.block) this.widenBlocks()
      this.warm[at * this.block + len] = ip
    }
    this.groups[2 * at + 1] = len + 1
  }

  /** Takes the oldest address of the group at `at` from its warm list (the list is not empty). */
  private shiftWarm(at: number): Ipv4 {
    const len = this.groups[2 * at + 1]!
    this.groups[2 * at + 1] = len - 1
    if (!this.isPrefixPool) return this.groups[2 * at]!
    const w = this.warm
    const base = at * this.block
    const ip = w[base]!
    for (let i = 1; i < len; i++) w[base + i - 1] = w[base + i]!
    return ip
  }

  /** Every used address, onto `out`. */
  private appendUsed(out: Ipv4[]): void {
    for (let i = 1; i < this.used.length; i += 2) out.push(this.used[i]!)
  }

  /** Every cooling address, oldest first, onto `out`. */
  private appendCooling(out: Ipv4[]): void {
    for (let i = 2 * this.coolHead; i < 2 * this.coolEnd; i += 2) out.push(this.cool[i]!)
  }

  /** Every warm address, in map order then list order, onto `out`. */
  private appendWarm(out: Ipv4[]): void {
    const g = this.groups
    for (let at = 0; 2 * at < g.length; at++) {
      const len = g[2 * at + 1]!
      for (let i = 0; i < len; i++) out.push(this.isPrefixPool ? this.warm[at * this.block + i]! : g[2 * at]!)
    }
  }

  private deleteGroupAt(at: number): void {
    this.groups.splice(2 * at, 2)
    if (!this.isPrefixPool) return
    const w = this.warm
    w.copyWithin(at * this.block, (at + 1) * this.block)
    w.length -= this.block
  }

  /** Doubles every prefix's block, for a list longer than the blocks (see `warm`). */
  private widenBlocks(): void {
    const wider: Ipv4[] = []
    const block = 2 * this.block
    for (let at = 0; 2 * at < this.groups.length; at++) {
      const len = this.groups[2 * at + 1]!
      for (let i = 0; i < block; i++) wider.push(i < len ? this.warm[at * this.block + i]! : 0)
    }
    this.warm = wider
    this.block = block
  }

  // assignResourceFromAnyGroup: the first non-empty group in map order.
  private findAnyGroup(): Ipv4 {
    const s = scratch
    const g = this.groups
    let n = 0
    for (let i = 0; i < g.length; i += 2) if (g[i + 1]! > 0) s[n++] = g[i]!
    return n === 0 ? -1 : this.order.choose(s, n)
  }

  // findMinGroup: the non-empty group with the fewest warm addresses; ties by map order.
  private findMinGroup(): Ipv4 {
    const s = scratch
    const g = this.groups
    let n = 0
    let min = Number.POSITIVE_INFINITY
    for (let i = 0; i < g.length; i += 2) {
      const len = g[i + 1]!
      if (len === 0 || len > min) continue
      if (len < min) {
        min = len
        n = 0
      }
      s[n++] = g[i]!
    }
    return n === 0 ? -1 : this.order.choose(s, n)
  }

  // findFreeGroup: groups whose warm list has exactly `size` entries, into scratch; returns how many.
  private collectFreeGroups(size: number): number {
    const s = scratch
    const g = this.groups
    let n = 0
    for (let i = 0; i < g.length; i += 2) if (g[i + 1] === size) s[n++] = g[i]!
    return n
  }

  private countFreeGroups(size: number): number {
    const g = this.groups
    let n = 0
    for (let i = 1; i < g.length; i += 2) if (g[i] === size) n++
    return n
  }

  /**
   * Free prefixes once every cooling address is back in its prefix's warm list: each group's list length
   * plus its cooling addresses, counted per group (cooling × groups steps; a pairwise scan of the cooling
   * addresses was quadratic in them, a millisecond for a burst of a hundred deletes). A cooling address
   * whose prefix has no group would start one, as pushWarm does.
   */
  private freePrefixesAfterCoolDown(): number {
    const g = this.groups
    const groups = g.length >> 1
    const lengths = afterCoolDown
    for (let at = 0; at < groups; at++) lengths[at] = g[2 * at + 1]!
    // Prefixes with no group yet, as (prefix, count) pairs after the groups' lengths.
    let end = groups
    const cool = this.cool
    for (let i = this.coolHead; i < this.coolEnd; i++) {
      const prefix = prefixOf(cool[2 * i]!)
      const at = this.groupIndex(prefix)
      if (at >= 0) {
        lengths[at]!++
        continue
      }
      let j = groups
      while (j < end && lengths[j] !== prefix) j += 2
      if (j === end) {
        lengths[end++] = prefix
        lengths[end++] = 0
      }
      lengths[j + 1]!++
    }
    let free = 0
    for (let at = 0; at < groups; at++) if (lengths[at] === IPS_PER_PREFIX) free++
    for (let j = groups + 1; j < end; j += 2) if (lengths[j] === IPS_PER_PREFIX) free++
    return free
  }

  private compactCoolDown(): void {
    const head = 2 * this.coolHead
    if (head === 0) return
    // In place, and the array keeps its length (see `cool`).
    const cool = this.cool
    const n = 2 * this.coolEnd - head
    for (let i = 0; i < n; i++) cool[i] = cool[head + i]!
    this.coolEnd -= this.coolHead
    this.coolHead = 0
  }
}
