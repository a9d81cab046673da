// The lists in a pool's region (see PoolRegion.ts): the used pairs, the warm map with its lists, the
// cool-down queue. A push that finds its list full grows the region, so callers read the region's base
// again after one.

import { type Ipv4, prefixOf } from "../../ec2/Ipv4.ts"
import type { MapOrder } from "../../go/MapOrder.ts"
import type { PoolMemory } from "./PoolMemory.ts"
import { Conf, grow, Hdr, Region } from "./PoolRegion.ts"

/** Candidate groups for MapOrder, shared by all pools (one is used at a time; a pool's own went cold). */
export const scratch: Ipv4[] = []

/** The pod's place (absolute) in the used pairs, or -1. */
export function usedAt(f: Float64Array, h: Int32Array, b: number, pod: number): number {
  const end = b + Region.USED_AT + 2 * h[2 * b + Hdr.USED]!
  for (let i = b + Region.USED_AT; i < end; i += 2) if (f[i] === pod) return i
  return -1
}

/** The group's index in the warm map, or -1. */
export function groupIndex(f: Float64Array, h: Int32Array, b: number, group: Ipv4): number {
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const n = h[2 * b + Hdr.GROUPS]!
  for (let at = 0; at < n; at++) if (f[g + 2 * at] === group) return at
  return -1
}

export const groupOf = (h: Int32Array, b: number, ip: Ipv4): Ipv4 => (h[2 * b + Hdr.IS_PD] === 1 ? prefixOf(ip) : ip)

export function pushUsed(pm: PoolMemory, id: number, pod: number, ip: Ipv4): void {
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
export function pushWarm(pm: PoolMemory, id: number, group: Ipv4, ip: Ipv4): void {
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
export function shiftWarm(f: Float64Array, h: Int32Array, b: number, at: number): Ipv4 {
  const lenAt = b + h[2 * b + Hdr.GROUPS_AT]! + 2 * at + 1
  const len = f[lenAt]!
  f[lenAt] = len - 1
  if (h[2 * b + Hdr.IS_PD] !== 1) return f[lenAt - 1]!
  const w = b + h[2 * b + Hdr.WARM_AT]! + at * h[2 * b + Hdr.BLOCK]!
  const ip = f[w]!
  for (let i = 1; i < len; i++) f[w + i - 1] = f[w + i]!
  return ip
}

export function deleteGroupAt(f: Float64Array, h: Int32Array, b: number, at: number): void {
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
export function compactCoolDown(f: Float64Array, h: Int32Array, b: number): void {
  const head = h[2 * b + Hdr.COOL_HEAD]!
  if (head === 0) return
  const c = b + h[2 * b + Hdr.COOL_AT]!
  const end = h[2 * b + Hdr.COOL_END]!
  f.copyWithin(c, c + 2 * head, c + 2 * end)
  h[2 * b + Hdr.COOL_END] = end - head
  h[2 * b + Hdr.COOL_HEAD] = 0
}

export function pushCool(pm: PoolMemory, id: number, ip: Ipv4, now: number): void {
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
export function findAnyGroup(f: Float64Array, h: Int32Array, b: number, order: MapOrder): Ipv4 {
  const s = scratch
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const end = g + 2 * h[2 * b + Hdr.GROUPS]!
  let n = 0
  for (let i = g; i < end; i += 2) if (f[i + 1]! > 0) s[n++] = f[i]!
  return n === 0 ? -1 : order.choose(s, n)
}

// findMinGroup: the non-empty group with the fewest warm addresses; ties by map order.
export function findMinGroup(f: Float64Array, h: Int32Array, b: number, order: MapOrder): Ipv4 {
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
export function collectFreeGroups(f: Float64Array, h: Int32Array, b: number, size: number): number {
  const s = scratch
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const end = g + 2 * h[2 * b + Hdr.GROUPS]!
  let n = 0
  for (let i = g; i < end; i += 2) if (f[i + 1] === size) s[n++] = f[i]!
  return n
}

export function countFreeGroups(f: Float64Array, h: Int32Array, b: number, size: number): number {
  const g = b + h[2 * b + Hdr.GROUPS_AT]!
  const end = g + 2 * h[2 * b + Hdr.GROUPS]!
  let n = 0
  for (let i = g + 1; i < end; i += 2) if (f[i] === size) n++
  return n
}
