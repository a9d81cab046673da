// How far a pool is from its config's targets (warm IPs, minimum IPs, warm prefixes): the deviation
// ReconcilePool creates or deletes by, in addresses.

import { prefixOf } from "../../ec2/Ipv4.ts"
import { ceilDivision } from "../../go/GoText.ts"
import {
  PD_DEFAULT_MIN_IP_TARGET,
  PD_DEFAULT_WARM_IP_TARGET,
  SIP_DEFAULT_MIN_IP_TARGET,
  SIP_DEFAULT_WARM_IP_TARGET,
} from "../WarmPoolConfig.ts"
import { Pool } from "./Pool.ts"
import { countFreeGroups, groupIndex } from "./PoolLists.ts"
import { Conf, Hdr } from "./PoolRegion.ts"

/** freePrefixesAfterCoolDown's counts (shared: the kernel is single-threaded and the function does not nest). */
const afterCoolDown: number[] = []

/**
 * Free prefixes once every cooling address is back in its prefix's warm list: each group's list length
 * plus its cooling addresses, counted per group (cooling × groups steps; a pairwise scan of the cooling
 * addresses was quadratic in them, a millisecond for a burst of a hundred deletes). A cooling address
 * whose prefix has no group would start one, as pushWarm does.
 */
export function freePrefixesAfterCoolDown(f: Float64Array, h: Int32Array, b: number): number {
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
export function sipDeviation(f: Float64Array, h: Int32Array, b: number, warm: number, cooling: number): number {
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
export function pdDeviation(
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
