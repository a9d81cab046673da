// The pool's operations over its region: what the kernel calls by pool id on a pod event, without a pool
// object on the way. WarmPool (WarmPool.ts) is the same pool as an object, for everything else.

import type { Ipv4 } from "../../ec2/Ipv4.ts"
import type { MapOrder } from "../../go/MapOrder.ts"
import { JobType, Pool, PoolError, type PoolJob } from "./Pool.ts"
import {
  collectFreeGroups,
  countFreeGroups,
  deleteGroupAt,
  findAnyGroup,
  findMinGroup,
  groupIndex,
  groupOf,
  pushCool,
  pushUsed,
  pushWarm,
  scratch,
  shiftWarm,
  usedAt,
} from "./PoolLists.ts"
import type { PoolMemory } from "./PoolMemory.ts"
import { Conf, Hdr, Region } from "./PoolRegion.ts"
import { freePrefixesAfterCoolDown, pdDeviation, sipDeviation } from "./PoolTargets.ts"

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
export function poolUpdate(
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
 * Whether ReconcilePool would now return a job (Create, Deleted or ReSync) rather than
 * OperationReconcileNotRequired: its decisions without its effects (no pending count, no warm group taken,
 * no map-order draw). The deviation functions write their defaults back into the config as a reconcile
 * does; those writes depend on the config alone and repeat identically, so this changes nothing a later
 * reconcile sees. For the scheduler of Node updates, which skips an update that would change nothing.
 */
export function poolNeedsJob(pm: PoolMemory, id: number): boolean {
  const f = pm.f
  const h = pm.h
  const b = pm.bases[id]!
  const u = h[2 * b + Hdr.USED]!
  const c = h[2 * b + Hdr.COOL_END]! - h[2 * b + Hdr.COOL_HEAD]!
  const warm = h[2 * b + Hdr.WARM]!
  const pendingCreate = h[2 * b + Hdr.PENDING_CREATE]!
  const pendingDelete = h[2 * b + Hdr.PENDING_DELETE]!
  const capacity = h[2 * b + Hdr.CAPACITY]!
  if (h[2 * b + Hdr.RESYNC] === 1) return pendingCreate === 0 && pendingDelete === 0
  if (u + pendingCreate + pendingDelete + c === capacity) return false
  const isPd = h[2 * b + Hdr.IS_PD] === 1
  const deviation = isPd ? pdDeviation(f, h, b, warm, c, false) : sipDeviation(f, h, b, warm, c)
  const maxDeviation = f[b + Conf.MAX_DEVIATION]!
  if (deviation > maxDeviation) return capacity - (warm + u + c + pendingCreate + pendingDelete) !== 0
  if (-deviation > maxDeviation) return countFreeGroups(f, h, b, isPd ? Pool.IPS_PER_PREFIX : 1) > 0
  return false
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
