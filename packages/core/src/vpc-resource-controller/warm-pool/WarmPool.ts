// The Windows warm pool, operation for operation as pkg/pool/pool.go of the VPC Resource Controller
// (research/vpc-resource-controller.md §1.2, §3). One pool per node and mode. Addresses are numbers
// (see Ipv4.ts); a secondary IP is its own group, a prefix is the group of its 16 addresses.

import { type Ipv4, prefixOf } from "../../ec2/Ipv4.ts"
import { ceilDivision } from "../../go/GoText.ts"
import type { MapOrder } from "../../go/MapOrder.ts"
import {
  drainingConfig,
  PD_DEFAULT_MIN_IP_TARGET,
  PD_DEFAULT_WARM_IP_TARGET,
  SIP_DEFAULT_MIN_IP_TARGET,
  SIP_DEFAULT_WARM_IP_TARGET,
  type WarmPoolConfig,
} from "../WarmPoolConfig.ts"
import { PoolMemory } from "./PoolMemory.ts"

/** The pool's constants (an enum: a bundle writes the values into the code, see Cluster.ts). */
export enum Pool {
  IPS_PER_PREFIX = 16,
  /** config.CoolDownPeriod: fixed, no ConfigMap key for Windows. */
  COOL_DOWN_MS = 30_000,
}

/** The pool's errors. Negative so that AssignResource can return an address or an error in one number. */
export enum PoolError {
  ResourceAlreadyAssigned = -1,
  PoolAtMaxCapacity = -2,
  ResourceAreBeingCooledDown = -3,
  ResourcesAreBeingCreated = -4,
  WarmPoolEmpty = -5,
  InsufficientCidrBlocks = -6,
  ResourceDoesntExist = -7,
  IncorrectResourceOwner = -8,
}

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

export enum JobType {
  NoReconcile = 0,
  Create = 1,
  Deleted = 2,
  ReSync = 3,
}

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

// A pool's region in PoolMemory. A header of two lines: the first, 16 int32 fields (PoolMemory.h at
// 2 × base), the counts and offsets every pod event reads, all bounded by the pool's capacity; the second,
// doubles, the config (copied in, so that a reconcile reads no object; its targets can be any int64 Atoi
// accepts, which no int32 holds) and the region's capacities. Then four regions of doubles
// (PoolMemory.f from base + Region.USED_AT):
// - used: the used map, podUID → address, as (pod, address) pairs in any order (the controller only
//   looks pods up and counts them). A node holds a few pods, so a scan finds one within a line or two,
//   and a pod's address is beside it;
// - groups: the warm map, group → warm addresses, in the map's insertion order (what MapOrder chooses
//   among), as (key, list length) pairs. Keys stay when a list empties, as in Go (it matters to
//   AssignResource check 5). A secondary IP's list can only hold its own address (as often as it was
//   added), so a secondary-IP pool keeps no lists;
// - warm (prefix pools): each prefix's list, oldest first, in a block of Hdr.BLOCK entries per group. A block
//   holds a prefix's 16 addresses; as in Go, a list can hold an address twice (a ReSync after a lost job
//   can add one the list has), and then every block doubles;
// - cool: the cool-down queue in free order, (address, release time) pairs from Hdr.COOL_HEAD to Hdr.COOL_END.
// A region that fills up moves to a bigger one (relocate), so its first sizes can follow what a node
// really holds rather than the pool's capacity.
/** The header's first line: int32 fields, at PoolMemory.h[2 × base + field]. */
enum Hdr {
  USED = 0,
  WARM = 1,
  COOL_HEAD = 2,
  COOL_END = 3,
  PENDING_CREATE = 4,
  PENDING_DELETE = 5,
  GROUPS = 6,
  CAPACITY = 7,
  IS_PD = 8,
  BLOCK = 9,
  GROUPS_AT = 10,
  WARM_AT = 11,
  COOL_AT = 12,
  COOL_CAP = 13,
  RESYNC = 14,
  PREFIX_AVAILABLE = 15,
}
/**
 * The second line, doubles (PoolMemory.f at base + field): the config, whose targets are whatever Atoi
 * gave (any int64), and the region's capacities.
 */
enum Conf {
  DESIRED = 8,
  WARM_IP_TARGET = 9,
  MIN_IP_TARGET = 10,
  WARM_PREFIX_TARGET = 11,
  MAX_DEVIATION = 12,
  LEGACY = 13,
  USED_CAP = 14,
  GROUPS_CAP = 15,
}
enum Region {
  /** The used pairs start after the header's two lines. */
  USED_AT = 16,
}

/** First sizes of a region: enough for the pods and prefixes a busy node holds; more moves the region. */
const FIRST_PAIRS = 16
const FIRST_PREFIXES = 4

const regionSize = (isPd: boolean, usedCap: number, groupsCap: number, block: number, coolCap: number): number =>
  Region.USED_AT + 2 * usedCap + 2 * groupsCap + (isPd ? groupsCap * block : 0) + 2 * coolCap

/** Lays out a region of the given shape at `b` (header fields other than the shape are left as they are). */
function shape(
  f: Float64Array,
  h: Int32Array,
  b: number,
  usedCap: number,
  groupsCap: number,
  block: number,
  coolCap: number,
) {
  const isPd = h[2 * b + Hdr.IS_PD] === 1
  f[b + Conf.USED_CAP] = usedCap
  f[b + Conf.GROUPS_CAP] = groupsCap
  h[2 * b + Hdr.BLOCK] = block
  h[2 * b + Hdr.COOL_CAP] = coolCap
  h[2 * b + Hdr.GROUPS_AT] = Region.USED_AT + 2 * usedCap
  h[2 * b + Hdr.WARM_AT] = Region.USED_AT + 2 * usedCap + 2 * groupsCap
  h[2 * b + Hdr.COOL_AT] = Region.USED_AT + 2 * usedCap + 2 * groupsCap + (isPd ? groupsCap * block : 0)
}

/** Makes pool `id`'s region in `pm` for a new pool. */
function createRegion(pm: PoolMemory, id: number, capacity: number, isPd: boolean, legacy: boolean): void {
  const usedCap = Math.max(1, Math.min(capacity, FIRST_PAIRS))
  const groupsCap = isPd ? Math.max(1, Math.min(Math.ceil(capacity / Pool.IPS_PER_PREFIX), FIRST_PREFIXES)) : usedCap
  const b = pm.reuse(id, regionSize(isPd, usedCap, groupsCap, Pool.IPS_PER_PREFIX, usedCap))
  const f = pm.f
  const h = pm.h
  f.fill(0, b, b + Region.USED_AT)
  h[2 * b + Hdr.CAPACITY] = capacity
  h[2 * b + Hdr.IS_PD] = isPd ? 1 : 0
  f[b + Conf.LEGACY] = legacy ? 1 : 0
  shape(f, h, b, usedCap, groupsCap, Pool.IPS_PER_PREFIX, usedCap)
}

/**
 * Moves pool `id` to a new region of the given shape (each at least the current one), copying its state:
 * used pairs, groups, each group's list into its new block, and the cool-down queue at the same places.
 */
function relocate(pm: PoolMemory, id: number, usedCap: number, groupsCap: number, block: number, coolCap: number) {
  const from = pm.bases[id]!
  const isPd = pm.h[2 * from + Hdr.IS_PD] === 1
  const to = pm.fresh(id, regionSize(isPd, usedCap, groupsCap, block, coolCap))
  const f = pm.f
  const h = pm.h
  f.copyWithin(to, from, from + Region.USED_AT)
  shape(f, h, to, usedCap, groupsCap, block, coolCap)
  f.copyWithin(to + Region.USED_AT, from + Region.USED_AT, from + Region.USED_AT + 2 * h[2 * from + Hdr.USED]!)
  const groups = h[2 * from + Hdr.GROUPS]!
  const gFrom = from + h[2 * from + Hdr.GROUPS_AT]!
  f.copyWithin(to + h[2 * to + Hdr.GROUPS_AT]!, gFrom, gFrom + 2 * groups)
  if (isPd) {
    const oldBlock = h[2 * from + Hdr.BLOCK]!
    const wFrom = from + h[2 * from + Hdr.WARM_AT]!
    const wTo = to + h[2 * to + Hdr.WARM_AT]!
    for (let at = 0; at < groups; at++) {
      const len = f[gFrom + 2 * at + 1]!
      f.copyWithin(wTo + at * block, wFrom + at * oldBlock, wFrom + at * oldBlock + len)
    }
  }
  const cFrom = from + h[2 * from + Hdr.COOL_AT]!
  f.copyWithin(to + h[2 * to + Hdr.COOL_AT]!, cFrom, cFrom + 2 * h[2 * from + Hdr.COOL_END]!)
}

function grow(pm: PoolMemory, id: number, what: number): void {
  const f = pm.f
  const h = pm.h
  const b = pm.bases[id]!
  relocate(
    pm,
    id,
    what === Conf.USED_CAP ? 2 * f[b + Conf.USED_CAP]! : f[b + Conf.USED_CAP]!,
    what === Conf.GROUPS_CAP ? 2 * f[b + Conf.GROUPS_CAP]! : f[b + Conf.GROUPS_CAP]!,
    what === Hdr.BLOCK ? 2 * h[2 * b + Hdr.BLOCK]! : h[2 * b + Hdr.BLOCK]!,
    what === Hdr.COOL_CAP ? 2 * h[2 * b + Hdr.COOL_CAP]! : h[2 * b + Hdr.COOL_CAP]!,
  )
}

/** The pod's place (absolute) in the used pairs, or -1. */
function usedAt(f: Float64Array, h: Int32Array, b: number, pod: number): number {
  const end = b + Region.USED_AT + 2 * h[2 * b + Hdr.USED]!
  for (let i = b + Region.USED_AT; i < end; i += 2) if (f[i] === pod) return i
  return -1
}

/** The group's index in the warm map, or -1. */
function groupIndex(f: Float64Array, h: Int32Array, b: number, group: Ipv4): number {
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const n = h[2 * b + Hdr.GROUPS]!
  for (let at = 0; at < n; at++) if (f[g + 2 * at] === group) return at
  return -1
}

const groupOf = (h: Int32Array, b: number, ip: Ipv4): Ipv4 => (h[2 * b + Hdr.IS_PD] === 1 ? prefixOf(ip) : ip)

function pushUsed(pm: PoolMemory, id: number, pod: number, ip: Ipv4): void {
  let b = pm.bases[id]!
  if (pm.h[2 * b + Hdr.USED] === pm.f[b + Conf.USED_CAP]) {
    grow(pm, id, Conf.USED_CAP)
    b = pm.bases[id]!
  }
  const f = pm.f
  const h = pm.h
  const u = h[2 * b + Hdr.USED]!
  f[b + Region.USED_AT + 2 * u] = pod
  f[b + Region.USED_AT + 2 * u + 1] = ip
  h[2 * b + Hdr.USED] = u + 1
}

/** Appends an address to its group's warm list, adding the group at the end of the map when new. */
function pushWarm(pm: PoolMemory, id: number, group: Ipv4, ip: Ipv4): void {
  let b = pm.bases[id]!
  let at = groupIndex(pm.f, pm.h, b, group)
  if (at < 0) {
    if (pm.h[2 * b + Hdr.GROUPS] === pm.f[b + Conf.GROUPS_CAP]) {
      grow(pm, id, Conf.GROUPS_CAP)
      b = pm.bases[id]!
    }
    const f = pm.f
    const h = pm.h
    at = h[2 * b + Hdr.GROUPS]!
    f[b + h[2 * b + Hdr.GROUPS_AT]! + 2 * at] = group
    f[b + h[2 * b + Hdr.GROUPS_AT]! + 2 * at + 1] = 0
    h[2 * b + Hdr.GROUPS] = at + 1
  }
  const isPd = pm.h[2 * b + Hdr.IS_PD] === 1
  const lenAt = b + pm.h[2 * b + Hdr.GROUPS_AT]! + 2 * at + 1
  const len = pm.f[lenAt]!
  if (isPd) {
    if (len === pm.h[2 * b + Hdr.BLOCK]) {
      grow(pm, id, Hdr.BLOCK)
      b = pm.bases[id]!
    }
    pm.f[b + pm.h[2 * b + Hdr.WARM_AT]! + at * pm.h[2 * b + Hdr.BLOCK]! + len] = ip
  }
  pm.f[b + pm.h[2 * b + Hdr.GROUPS_AT]! + 2 * at + 1] = len + 1
}

/** Takes the oldest address of the group at `at` from its warm list (the list is not empty). */
function shiftWarm(f: Float64Array, h: Int32Array, b: number, at: number): Ipv4 {
  const lenAt = b + h[2 * b + Hdr.GROUPS_AT]! + 2 * at + 1
  const len = f[lenAt]!
  f[lenAt] = len - 1
  if (h[2 * b + Hdr.IS_PD] !== 1) return f[lenAt - 1]!
  const w = b + h[2 * b + Hdr.WARM_AT]! + at * h[2 * b + Hdr.BLOCK]!
  const ip = f[w]!
  for (let i = 1; i < len; i++) f[w + i - 1] = f[w + i]!
  return ip
}

function deleteGroupAt(f: Float64Array, h: Int32Array, b: number, at: number): void {
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const n = h[2 * b + Hdr.GROUPS]!
  f.copyWithin(g + 2 * at, g + 2 * at + 2, g + 2 * n)
  h[2 * b + Hdr.GROUPS] = n - 1
  if (h[2 * b + Hdr.IS_PD] !== 1) return
  const block = h[2 * b + Hdr.BLOCK]!
  const w = b + h[2 * b + Hdr.WARM_AT]!
  f.copyWithin(w + at * block, w + (at + 1) * block, w + n * block)
}

/** Drops the cool-down queue's taken entries: the rest moves to the front. */
function compactCoolDown(f: Float64Array, h: Int32Array, b: number): void {
  const head = h[2 * b + Hdr.COOL_HEAD]!
  if (head === 0) return
  const c = b + h[2 * b + Hdr.COOL_AT]!
  const end = h[2 * b + Hdr.COOL_END]!
  f.copyWithin(c, c + 2 * head, c + 2 * end)
  h[2 * b + Hdr.COOL_END] = end - head
  h[2 * b + Hdr.COOL_HEAD] = 0
}

function pushCool(pm: PoolMemory, id: number, ip: Ipv4, now: number): void {
  let b = pm.bases[id]!
  if (pm.h[2 * b + Hdr.COOL_END] === pm.h[2 * b + Hdr.COOL_CAP]) {
    compactCoolDown(pm.f, pm.h, b)
    if (pm.h[2 * b + Hdr.COOL_END] === pm.h[2 * b + Hdr.COOL_CAP]) {
      grow(pm, id, Hdr.COOL_CAP)
      b = pm.bases[id]!
    }
  }
  const f = pm.f
  const h = pm.h
  const end = h[2 * b + Hdr.COOL_END]!
  const at = b + h[2 * b + Hdr.COOL_AT]! + 2 * end
  f[at] = ip
  f[at + 1] = now
  h[2 * b + Hdr.COOL_END] = end + 1
}

// assignResourceFromAnyGroup: the first non-empty group in map order.
function findAnyGroup(f: Float64Array, h: Int32Array, b: number, order: MapOrder): Ipv4 {
  const s = scratch
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const end = g + 2 * h[2 * b + Hdr.GROUPS]!
  let n = 0
  for (let i = g; i < end; i += 2) if (f[i + 1]! > 0) s[n++] = f[i]!
  return n === 0 ? -1 : order.choose(s, n)
}

// findMinGroup: the non-empty group with the fewest warm addresses; ties by map order.
function findMinGroup(f: Float64Array, h: Int32Array, b: number, order: MapOrder): Ipv4 {
  const s = scratch
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const end = g + 2 * h[2 * b + Hdr.GROUPS]!
  let n = 0
  let min = Number.POSITIVE_INFINITY
  for (let i = g; i < end; i += 2) {
    const len = f[i + 1]!
    if (len === 0 || len > min) continue
    if (len < min) {
      min = len
      n = 0
    }
    s[n++] = f[i]!
  }
  return n === 0 ? -1 : order.choose(s, n)
}

// findFreeGroup: groups whose warm list has exactly `size` entries, into scratch; returns how many.
function collectFreeGroups(f: Float64Array, h: Int32Array, b: number, size: number): number {
  const s = scratch
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const end = g + 2 * h[2 * b + Hdr.GROUPS]!
  let n = 0
  for (let i = g; i < end; i += 2) if (f[i + 1] === size) s[n++] = f[i]!
  return n
}

function countFreeGroups(f: Float64Array, h: Int32Array, b: number, size: number): number {
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const end = g + 2 * h[2 * b + Hdr.GROUPS]!
  let n = 0
  for (let i = g + 1; i < end; i += 2) if (f[i] === size) n++
  return n
}

/**
 * Free prefixes once every cooling address is back in its prefix's warm list: each group's list length
 * plus its cooling addresses, counted per group (cooling × groups steps; a pairwise scan of the cooling
 * addresses was quadratic in them, a millisecond for a burst of a hundred deletes). A cooling address
 * whose prefix has no group would start one, as pushWarm does.
 */
function freePrefixesAfterCoolDown(f: Float64Array, h: Int32Array, b: number): number {
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const groups = h[2 * b + Hdr.GROUPS]!
  const lengths = afterCoolDown
  for (let at = 0; at < groups; at++) lengths[at] = f[g + 2 * at + 1]!
  // Prefixes with no group yet, as (prefix, count) pairs after the groups' lengths.
  let end = groups
  const c = b + h[2 * b + Hdr.COOL_AT]!
  const coolEnd = h[2 * b + Hdr.COOL_END]!
  for (let i = h[2 * b + Hdr.COOL_HEAD]!; i < coolEnd; i++) {
    const prefix = prefixOf(f[c + 2 * i]!)
    const at = groupIndex(f, h, b, prefix)
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
  for (let at = 0; at < groups; at++) if (lengths[at] === Pool.IPS_PER_PREFIX) free++
  for (let j = groups + 1; j < end; j += 2) if (lengths[j] === Pool.IPS_PER_PREFIX) free++
  return free
}

// calculateSecondaryIPDeviation (§3.4), writing defaults back into the config (the header's copy).
function sipDeviation(f: Float64Array, h: Int32Array, b: number, warm: number, cooling: number): number {
  const pendingCreate = h[2 * b + Hdr.PENDING_CREATE]!
  if (f[b + Conf.LEGACY] === 1) return f[b + Conf.DESIRED]! - (warm + pendingCreate)
  const assigned = h[2 * b + Hdr.USED]! + warm + pendingCreate + cooling
  if (f[b + Conf.DESIRED] === 0) {
    f[b + Conf.WARM_IP_TARGET] = 0
    f[b + Conf.MIN_IP_TARGET] = 0
    f[b + Conf.WARM_PREFIX_TARGET] = 0
  }
  if (f[b + Conf.MIN_IP_TARGET]! < 0) f[b + Conf.MIN_IP_TARGET] = SIP_DEFAULT_MIN_IP_TARGET
  if (f[b + Conf.WARM_IP_TARGET]! < 0) f[b + Conf.WARM_IP_TARGET] = SIP_DEFAULT_WARM_IP_TARGET
  const warmIpTarget = f[b + Conf.WARM_IP_TARGET]!
  const minIpTarget = f[b + Conf.MIN_IP_TARGET]!
  const available = warm + pendingCreate
  let short = Math.max(warmIpTarget - available, 0)
  short = Math.max(short, minIpTarget - assigned)
  let over = Math.max(available - warmIpTarget, 0)
  over = Math.max(Math.min(over, assigned - minIpTarget), 0)
  return short - over
}

/** Free prefixes now, or once every cooling address is back in warm (`afterCoolDown`). */
const freePrefixes = (f: Float64Array, h: Int32Array, b: number, afterCoolDown: boolean): number =>
  afterCoolDown ? freePrefixesAfterCoolDown(f, h, b) : countFreeGroups(f, h, b, Pool.IPS_PER_PREFIX)

// getPDDeviation (§3.5): IPs, a multiple of 16. The free prefixes (a scan of the warm map, and of the
// cool-down queue after cool-down) are counted only where Go's result depends on them: a prefix target
// alone, or a surplus.
function pdDeviation(
  f: Float64Array,
  h: Int32Array,
  b: number,
  warm: number,
  cooling: number,
  afterCoolDown: boolean,
): number {
  let warmDefined = false
  let minDefined = false
  let prefixDefined = false
  if (f[b + Conf.DESIRED] === 0) {
    f[b + Conf.WARM_IP_TARGET] = 0
    f[b + Conf.MIN_IP_TARGET] = 0
    f[b + Conf.WARM_PREFIX_TARGET] = 0
  } else {
    warmDefined = f[b + Conf.WARM_IP_TARGET]! > 0
    minDefined = f[b + Conf.MIN_IP_TARGET]! > 0
    prefixDefined = f[b + Conf.WARM_PREFIX_TARGET]! > 0
    if (!warmDefined && (minDefined || !prefixDefined)) f[b + Conf.WARM_IP_TARGET] = PD_DEFAULT_WARM_IP_TARGET
    if (!minDefined && (warmDefined || !prefixDefined)) f[b + Conf.MIN_IP_TARGET] = PD_DEFAULT_MIN_IP_TARGET
  }
  const pendingCreate = h[2 * b + Hdr.PENDING_CREATE]!
  if (!warmDefined && !minDefined && prefixDefined) {
    const dev =
      f[b + Conf.WARM_PREFIX_TARGET]! -
      freePrefixes(f, h, b, afterCoolDown) -
      ceilDivision(pendingCreate, Pool.IPS_PER_PREFIX)
    return dev * Pool.IPS_PER_PREFIX
  }
  const u = h[2 * b + Hdr.USED]!
  const current = ceilDivision(u + pendingCreate + warm + cooling, Pool.IPS_PER_PREFIX)
  const forWarm = ceilDivision(u + f[b + Conf.WARM_IP_TARGET]!, Pool.IPS_PER_PREFIX)
  const forMin = ceilDivision(f[b + Conf.MIN_IP_TARGET]!, Pool.IPS_PER_PREFIX)
  let dev = Math.max(forWarm, forMin) - current
  if (dev < 0 && freePrefixes(f, h, b, afterCoolDown) === 0) dev = 0
  return dev * Pool.IPS_PER_PREFIX
}

function setConfig(f: Float64Array, b: number, config: WarmPoolConfig): void {
  f[b + Conf.DESIRED] = config.desiredSize
  f[b + Conf.WARM_IP_TARGET] = config.warmIpTarget
  f[b + Conf.MIN_IP_TARGET] = config.minIpTarget
  f[b + Conf.WARM_PREFIX_TARGET] = config.warmPrefixTarget
  f[b + Conf.MAX_DEVIATION] = config.maxDeviation
}

// The pool's operations over its region: what the kernel calls by pool id on a pod event, without a pool
// object on the way. WarmPool below is the same pool as an object, for everything else.

/** Used, warm, cooling addresses and pending creates of pool `id` (the metrics' four counts). */
export const poolUsed = (pm: PoolMemory, id: number): number => pm.h[2 * pm.bases[id]! + Hdr.USED]!
export const poolWarm = (pm: PoolMemory, id: number): number => pm.h[2 * pm.bases[id]! + Hdr.WARM]!
export function poolCooling(pm: PoolMemory, id: number): number {
  const b = pm.bases[id]!
  return pm.h[2 * b + Hdr.COOL_END]! - pm.h[2 * b + Hdr.COOL_HEAD]!
}
export const poolPendingCreate = (pm: PoolMemory, id: number): number => pm.h[2 * pm.bases[id]! + Hdr.PENDING_CREATE]!

/** The address a pod holds, or -1 (GetAssignedResource). */
export function poolAssigned(pm: PoolMemory, id: number, pod: number): Ipv4 {
  const f = pm.f
  const h = pm.h
  const at = usedAt(f, h, pm.bases[id]!, pod)
  return at < 0 ? -1 : f[at + 1]!
}

/** AssignResource: an address (≥ 0) or a PoolError, checks in the controller's order (§3.1). */
export function poolAssign(pm: PoolMemory, id: number, pod: number, order: MapOrder): number {
  if (usedAt(pm.f, pm.h, pm.bases[id]!, pod) >= 0) return PoolError.ResourceAlreadyAssigned
  return poolAssignUnheld(pm, id, pod, order)
}

/**
 * AssignResource for a pod that holds no address in the pool, as the caller knows: its first check
 * (ErrResourceAlreadyAssigned, a map lookup in Go, here a scan of every used pair) cannot fail. The
 * kernel's waiting pods hold none (Cluster.checkInvariants verifies it).
 */
export function poolAssignUnheld(pm: PoolMemory, id: number, pod: number, order: MapOrder): number {
  const f = pm.f
  const h = pm.h
  const b = pm.bases[id]!
  const u = h[2 * b + Hdr.USED]!
  const c = h[2 * b + Hdr.COOL_END]! - h[2 * b + Hdr.COOL_HEAD]!
  const capacity = h[2 * b + Hdr.CAPACITY]!
  if (u === capacity) return PoolError.PoolAtMaxCapacity
  if (u + c === capacity) return PoolError.ResourceAreBeingCooledDown
  if (u + c + h[2 * b + Hdr.PENDING_CREATE]! + h[2 * b + Hdr.PENDING_DELETE]! === capacity)
    return PoolError.ResourcesAreBeingCreated
  const isPd = h[2 * b + Hdr.IS_PD] === 1
  if (h[2 * b + Hdr.GROUPS] === 0) {
    if (isPd && h[2 * b + Hdr.PREFIX_AVAILABLE] === 0) return PoolError.InsufficientCidrBlocks
    return PoolError.WarmPoolEmpty
  }
  const group = isPd ? findMinGroup(f, h, b, order) : findAnyGroup(f, h, b, order)
  if (group < 0) return PoolError.WarmPoolEmpty
  const ip = shiftWarm(f, h, b, groupIndex(f, h, b, group))
  h[2 * b + Hdr.WARM] = h[2 * b + Hdr.WARM]! - 1
  pushUsed(pm, id, pod, ip)
  return ip
}

/** FreeResource: 0 on success (shouldReconcile true) or a PoolError (shouldReconcile false). */
export function poolFree(pm: PoolMemory, id: number, pod: number, ip: Ipv4, now: number): number {
  return poolFreeAt(pm, id, poolUsedAt(pm, id, pod), ip, now)
}

/**
 * Where a pod's used pair is in the pool's region (for poolFreeAt), or -1 when it holds no address there.
 * The place stays valid while no pod is assigned or freed, even if the region moves meanwhile.
 */
export function poolUsedAt(pm: PoolMemory, id: number, pod: number): number {
  const b = pm.bases[id]!
  const at = usedAt(pm.f, pm.h, b, pod)
  return at < 0 ? -1 : at - b
}

/** FreeResource of the pod whose used pair is at `place` (poolUsedAt; -1: it holds none). */
export function poolFreeAt(pm: PoolMemory, id: number, place: number, ip: Ipv4, now: number): number {
  if (place < 0) return PoolError.ResourceDoesntExist
  const f = pm.f
  const h = pm.h
  const b = pm.bases[id]!
  const at = b + place
  const held = f[at + 1]!
  if (held !== ip) return PoolError.IncorrectResourceOwner
  // Remove by moving the last pair into the hole.
  const u = h[2 * b + Hdr.USED]! - 1
  const last = b + Region.USED_AT + 2 * u
  f[at] = f[last]!
  f[at + 1] = f[last + 1]!
  h[2 * b + Hdr.USED] = u
  pushCool(pm, id, held, now)
  return 0
}

/**
 * UpdatePool: a job's result. `resources` are the created addresses / prefixes (Create) or the groups that
 * failed to delete (Deleted); `count` is the job's requested count. Returns shouldReconcile.
 */
function poolUpdate(
  pm: PoolMemory,
  id: number,
  type: JobType,
  count: number,
  resources: readonly Ipv4[],
  didSucceed: boolean,
  prefixAvailable: boolean,
): boolean {
  let shouldReconcile = false
  let b = pm.bases[id]!
  if (!didSucceed) {
    pm.h[2 * b + Hdr.RESYNC] = 1
    shouldReconcile = true
  }
  const isPd = pm.h[2 * b + Hdr.IS_PD] === 1
  if (isPd) pm.h[2 * b + Hdr.PREFIX_AVAILABLE] = prefixAvailable ? 1 : 0
  for (const group of resources) {
    // pushWarm may move the region.
    if (isPd) for (let i = 0; i < Pool.IPS_PER_PREFIX; i++) pushWarm(pm, id, group, group + i)
    else pushWarm(pm, id, group, group)
    b = pm.bases[id]!
    pm.h[2 * b + Hdr.WARM] = pm.h[2 * b + Hdr.WARM]! + (isPd ? Pool.IPS_PER_PREFIX : 1)
  }
  const scale = isPd ? Pool.IPS_PER_PREFIX : 1
  if (type === JobType.Create) pm.h[2 * b + Hdr.PENDING_CREATE] = pm.h[2 * b + Hdr.PENDING_CREATE]! - count * scale
  else if (type === JobType.Deleted)
    pm.h[2 * b + Hdr.PENDING_DELETE] = pm.h[2 * b + Hdr.PENDING_DELETE]! - count * scale
  return shouldReconcile
}

/** ProcessCoolDownQueue: returns matured addresses to warm; true when entries remain. */
export function poolProcessCoolDown(pm: PoolMemory, id: number, now: number): boolean {
  let f = pm.f
  let h = pm.h
  let b = pm.bases[id]!
  const n = h[2 * b + Hdr.COOL_END]!
  let i = h[2 * b + Hdr.COOL_HEAD]!
  // pushWarm may move the region; the queue keeps its places when it does.
  while (i < n && now - f[b + h[2 * b + Hdr.COOL_AT]! + 2 * i + 1]! >= Pool.COOL_DOWN_MS) {
    const ip = f[b + h[2 * b + Hdr.COOL_AT]! + 2 * i]!
    pushWarm(pm, id, groupOf(h, b, ip), ip)
    f = pm.f
    h = pm.h
    b = pm.bases[id]!
    h[2 * b + Hdr.WARM] = h[2 * b + Hdr.WARM]! + 1
    i++
  }
  h[2 * b + Hdr.COOL_HEAD] = i
  if (i === n) {
    h[2 * b + Hdr.COOL_HEAD] = 0
    h[2 * b + Hdr.COOL_END] = 0
  }
  return i < n
}

/** Release time of the oldest cooling address, or -1 (for the scheduler that skips loops). */
export function poolOldestCoolingAt(pm: PoolMemory, id: number): number {
  const f = pm.f
  const h = pm.h
  const b = pm.bases[id]!
  const head = h[2 * b + Hdr.COOL_HEAD]!
  return head < h[2 * b + Hdr.COOL_END]! ? f[b + h[2 * b + Hdr.COOL_AT]! + 2 * head + 1]! : -1
}

/** ReconcilePool (§3.3); fills `out` and returns its type. */
export function poolReconcile(pm: PoolMemory, id: number, out: PoolJob, order: MapOrder): JobType {
  // Setting an array's length is a runtime call even when it does not change: only when needed.
  if (out.groups.length !== 0) out.groups.length = 0
  out.count = 0
  const f = pm.f
  const h = pm.h
  const b = pm.bases[id]!
  const u = h[2 * b + Hdr.USED]!
  const c = h[2 * b + Hdr.COOL_END]! - h[2 * b + Hdr.COOL_HEAD]!
  const warm = h[2 * b + Hdr.WARM]!
  const pendingCreate = h[2 * b + Hdr.PENDING_CREATE]!
  const pendingDelete = h[2 * b + Hdr.PENDING_DELETE]!
  const capacity = h[2 * b + Hdr.CAPACITY]!
  const total = warm + u + c + pendingCreate + pendingDelete
  if (h[2 * b + Hdr.RESYNC] === 1) {
    out.type = pendingCreate !== 0 || pendingDelete !== 0 ? JobType.NoReconcile : JobType.ReSync
    return out.type
  }
  out.type = JobType.NoReconcile
  if (u + pendingCreate + pendingDelete + c === capacity) return out.type

  const isPd = h[2 * b + Hdr.IS_PD] === 1
  let deviation = isPd ? pdDeviation(f, h, b, warm, c, false) : sipDeviation(f, h, b, warm, c)
  const maxDeviation = f[b + Conf.MAX_DEVIATION]!
  if (deviation > maxDeviation) {
    const canCreateUpto = capacity - total
    if (canCreateUpto === 0) return out.type
    if (deviation > canCreateUpto) deviation = canCreateUpto
    h[2 * b + Hdr.PENDING_CREATE] = pendingCreate + deviation
    out.type = JobType.Create
    out.count = isPd ? Math.trunc(deviation / Pool.IPS_PER_PREFIX) : deviation
    return out.type
  }
  if (-deviation > maxDeviation) {
    let toDelete = -deviation
    const n = collectFreeGroups(f, h, b, isPd ? Pool.IPS_PER_PREFIX : 1)
    order.arrange(scratch, n)
    const g = b + h[2 * b + Hdr.GROUPS_AT]!
    for (let i = 0; i < n && toDelete > 0; i++) {
      const group = scratch[i]!
      const at = groupIndex(f, h, b, group)
      const size = f[g + 2 * at + 1]!
      out.groups.push(group)
      toDelete -= size
      h[2 * b + Hdr.PENDING_DELETE] = h[2 * b + Hdr.PENDING_DELETE]! + size
      h[2 * b + Hdr.WARM] = h[2 * b + Hdr.WARM]! - size
      deleteGroupAt(f, h, b, at)
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
 * the config, and those writes are idempotent from the second call on).
 */
export function poolCoolDownSettles(pm: PoolMemory, id: number, at: number): boolean {
  const f = pm.f
  const h = pm.h
  const b = pm.bases[id]!
  const end = h[2 * b + Hdr.COOL_END]!
  const c = end - h[2 * b + Hdr.COOL_HEAD]!
  if (c === 0 || h[2 * b + Hdr.RESYNC] === 1 || at - f[b + h[2 * b + Hdr.COOL_AT]! + 2 * end - 1]! < Pool.COOL_DOWN_MS)
    return false
  const u = h[2 * b + Hdr.USED]!
  const pending = h[2 * b + Hdr.PENDING_CREATE]! + h[2 * b + Hdr.PENDING_DELETE]!
  const capacity = h[2 * b + Hdr.CAPACITY]!
  if (u + pending === capacity) return true
  const warm = h[2 * b + Hdr.WARM]! + c
  // Each matured address joins its group's warm list; a secondary IP is a new group of one.
  const isPd = h[2 * b + Hdr.IS_PD] === 1
  const deviation = isPd ? pdDeviation(f, h, b, warm, 0, true) : sipDeviation(f, h, b, warm, 0)
  const maxDeviation = f[b + Conf.MAX_DEVIATION]!
  if (deviation > maxDeviation) return warm + u + pending === capacity
  if (-deviation <= maxDeviation) return true
  // A surplus: the loop would delete free groups, if there are any.
  return (isPd ? freePrefixesAfterCoolDown(f, h, b) : c) === 0
}

/**
 * The Windows warm pool as an object: a view of its region in a PoolMemory (its own unless one is given,
 * with the pool's id there). Tests, the conformance protocol and the kernel's colder paths use it; the
 * kernel's pod events call the functions above by id.
 */
export class WarmPool {
  readonly capacity: number
  readonly isPrefixPool: boolean
  readonly memory: PoolMemory
  readonly id: number
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
