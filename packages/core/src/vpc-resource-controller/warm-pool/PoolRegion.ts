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

import type { WarmPoolConfig } from "../WarmPoolConfig.ts"
import { Pool } from "./Pool.ts"
import type { PoolMemory } from "./PoolMemory.ts"

// The layout's names are enums, not consts: a bundle writes their values into the code of every file that
// reads a region (docs/performance.md, "Constants as enums").

/** The header's first line: int32 fields, at PoolMemory.h[2 × base + field]. */
export enum Hdr {
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
export enum Conf {
  DESIRED = 8,
  WARM_IP_TARGET = 9,
  MIN_IP_TARGET = 10,
  WARM_PREFIX_TARGET = 11,
  MAX_DEVIATION = 12,
  LEGACY = 13,
  USED_CAP = 14,
  GROUPS_CAP = 15,
}
export enum Region {
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
export function createRegion(pm: PoolMemory, id: number, capacity: number, isPd: boolean, legacy: boolean): void {
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

export function grow(pm: PoolMemory, id: number, what: number): void {
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

export function setConfig(f: Float64Array, b: number, config: WarmPoolConfig): void {
  f[b + Conf.DESIRED] = config.desiredSize
  f[b + Conf.WARM_IP_TARGET] = config.warmIpTarget
  f[b + Conf.MIN_IP_TARGET] = config.minIpTarget
  f[b + Conf.WARM_PREFIX_TARGET] = config.warmPrefixTarget
  f[b + Conf.MAX_DEVIATION] = config.maxDeviation
}
