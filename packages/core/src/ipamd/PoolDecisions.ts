// The pool manager's decisions (aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go and the datastore's ENI checks),
// as functions of the datastore and the clock, and what the simulation needs to skip idle 5 s cycles:
// idleCycle (a cycle now would change nothing) and nextTimedChange (when that could stop being so without
// the datastore changing). Statistics are the datastore's current-mode `total` and `assigned`; cooling
// addresses count as available (DataStoreStats.AvailableAddresses, data_store.go:911).

import type { Datastore, Eni } from "./Datastore.ts"
import { Ipamd, IpamMode, targetsDefined } from "./IpamdSettings.ts"

/** DivCeil(x, 16) (data_store.go:1588) for x ≥ 0. */
const prefixesFor = (x: number): number => Math.floor((x + Ipamd.IPS_PER_PREFIX - 1) / Ipamd.IPS_PER_PREFIX)

/** datastoreTargetState's `short` (ipamd.go:2177): IPs in SIP, prefixes in PD; 0 when targets are not defined. */
export const targetShort = (ds: Datastore): number => {
  const s = ds.settings
  if (!targetsDefined(s)) return 0
  const short = Math.max(Math.max(s.warmIPTarget - (ds.total - ds.assigned), 0), s.minimumIPTarget - ds.total)
  return s.mode === IpamMode.PD ? prefixesFor(short) : short
}

/** datastoreTargetState's `over` (ipamd.go:2177); in PD from free prefixes and the prefix counter. */
export const targetOver = (ds: Datastore): number => {
  const s = ds.settings
  if (!targetsDefined(s)) return 0
  if (s.mode === IpamMode.PD) {
    const needWarm = prefixesFor(ds.assigned + s.warmIPTarget)
    const needMin = prefixesFor(s.minimumIPTarget)
    const over = Math.max(Math.min(ds.freePrefixes(), ds.prefixCounter - needWarm), 0)
    return Math.max(Math.min(over, ds.prefixCounter - needMin), 0)
  }
  const over = Math.max(ds.total - ds.assigned - s.warmIPTarget, 0)
  return Math.max(Math.min(over, ds.total - s.minimumIPTarget), 0)
}

/** datastorePrefixTargetState (ipamd.go:2234): defined whenever PD is on (warmPrefixTarget ≥ 0, :2679). */
export const prefixShort = (ds: Datastore): number =>
  ds.settings.mode === IpamMode.PD ? Math.max(ds.settings.warmPrefixTarget - ds.freePrefixes(), 0) : 0

/** isDatastorePoolTooLow (ipamd.go:2623). */
export const poolTooLow = (ds: Datastore): boolean => {
  const s = ds.settings
  if (ds.total >= s.maxPods) return false
  if (targetsDefined(s)) return targetShort(ds) > 0
  const pd = s.mode === IpamMode.PD
  const target = pd ? s.warmPrefixTarget : s.warmENITarget
  const per = pd ? Ipamd.IPS_PER_PREFIX : s.maxIPsPerENI
  const available = ds.total - ds.assigned
  return available < per * target || (target === 0 && available === 0)
}

/** isDatastorePoolTooHigh (ipamd.go:2659). */
export const poolTooHigh = (ds: Datastore): boolean => {
  const s = ds.settings
  if (targetsDefined(s)) return targetOver(ds) > 0
  return s.mode === IpamMode.PD && ds.freePrefixes() > s.warmPrefixTarget
}

/** computeExtraPrefixesOverWarmTarget (ipamd.go:1516). */
export const extraPrefixes = (ds: Datastore): number =>
  ds.settings.mode === IpamMode.PD ? Math.max(ds.freePrefixes() - ds.settings.warmPrefixTarget, 0) : 0

/** getPrefixesNeeded (ipamd.go:2714): WARM_IP_TARGET / MINIMUM_IP_TARGET first, then WARM_PREFIX_TARGET. */
export const prefixesNeeded = (ds: Datastore): number => {
  if (targetsDefined(ds.settings)) return Math.max(1, targetShort(ds))
  return ds.settings.mode === IpamMode.PD ? Math.max(1, prefixShort(ds)) : 1
}

/** GetENIResourcesToAllocate (ipamd.go:2551): what a new ENI is created with. */
export const eniResources = (ds: Datastore): number => {
  const s = ds.settings
  if (s.mode === IpamMode.PD) return Math.min(prefixesNeeded(ds), s.maxPrefixesPerENI)
  return targetsDefined(s) ? Math.min(targetShort(ds), s.maxIPsPerENI) : s.maxIPsPerENI
}

/** hasRoomForEni (ipamd.go:2592) without trunk, excluded or unmanaged ENIs. */
export const roomForEni = (ds: Datastore): boolean => ds.eniCount < ds.settings.maxENI

/** The CIDR count below which an ENI can take more (the `max` of tryAssignIPs / tryAssignPrefixes). */
export const cidrsPerEni = (ds: Datastore): number =>
  ds.settings.mode === IpamMode.PD ? ds.settings.maxPrefixesPerENI : ds.settings.maxIPsPerENI

/**
 * GetAllocatableENIs (data_store.go:1118): ENIs that are not trunk and have fewer CIDRs (both kinds) than
 * `cidrsPerEni`, the primary included unless custom networking is on (its addresses come from the node's
 * subnet, not the ENIConfig's). Writes their keys into `out` in map order; returns how many.
 */
export const allocatableEnis = (ds: Datastore, out: number[]): number => {
  const max = cidrsPerEni(ds)
  const skipPrimary = ds.settings.customNetworking === true
  let n = 0
  for (const e of ds.enis) if (!e.trunk && e.cidrs.length < max && !(skipPrimary && e.primary)) out[n++] = e.key
  ds.eniOrder.arrange(out, n)
  return n
}

/** CheckFreeableENIexists (data_store.go:1594): an ENI that is not primary, trunk or EFA and has no pod. */
export const freeableEniExists = (ds: Datastore): boolean => {
  for (const e of ds.enis) if (!e.primary && !e.trunk && !e.efa && e.assigned === 0) return true
  return false
}

/**
 * shouldRemoveExtraENIs (ipamd.go:1488), given `available` from the statistics taken at the start of the
 * cycle; its fallback (freeableEniExists) sees the datastore as it is now.
 */
export const shouldRemoveExtraEnis = (ds: Datastore, available: number): boolean => {
  const s = ds.settings
  if (targetsDefined(s)) return true
  const pd = s.mode === IpamMode.PD
  const warm = (pd ? s.warmPrefixTarget : s.warmENITarget) + 1
  if (available >= warm * s.maxIPsPerENI) return true
  return pd && freeableEniExists(ds)
}

/** shouldSkipDataStorePoolDecrease (ipamd.go:825). */
export const skipDecrease = (ds: Datastore, now: number): boolean => now - ds.lastDecrease <= Ipamd.DECREASE_INTERVAL_MS

/** inInsufficientCidrCoolingPeriod (ipamd.go:391). */
export const insufficientCidrCooling = (ds: Datastore, now: number): boolean =>
  now - ds.lastInsufficient <= Ipamd.INSUFFICIENT_COOLDOWN_MS

/** Free addresses, sizes and free CIDRs of either kind on one ENI (the isRequiredFor… sums, data_store.go:974–1040). */
let eniFree = 0
let eniSize = 0
let eniFreeCidrs = 0
const measure = (e: Eni, pd: boolean): void => {
  eniFree = 0
  eniSize = 0
  eniFreeCidrs = 0
  for (const c of e.cidrs) {
    if (c.assigned === 0) eniFreeCidrs++
    if (c.prefix !== pd) continue
    eniSize += c.size
    eniFree += c.size - c.assigned
  }
}

/**
 * getDeletableENI (data_store.go:1042): writes into `out` the keys of the ENIs that tryFreeENI may remove at
 * `now`, returns how many. Not primary; not too young (< 60 s); no cooling record in either kind of CIDR; no
 * pod; not required for WARM_IP_TARGET, MINIMUM_IP_TARGET (both rounded up to whole prefixes in PD) or, in
 * PD, WARM_PREFIX_TARGET (free CIDRs of either kind on the other ENIs); not trunk; not EFA.
 */
export const deletableEnis = (ds: Datastore, now: number, out: number[]): number => {
  const s = ds.settings
  const pd = s.mode === IpamMode.PD
  const round = (t: number): number => (pd ? prefixesFor(t) * Ipamd.IPS_PER_PREFIX : t)
  const warmIp = round(s.warmIPTarget)
  const minIp = round(s.minimumIPTarget)
  let freeCidrs = 0
  if (pd && s.warmPrefixTarget !== 0)
    for (const e of ds.enis) for (const c of e.cidrs) if (c.assigned === 0) freeCidrs++
  let n = 0
  for (const e of ds.enis) {
    if (e.primary || now - e.created < Ipamd.MIN_ENI_LIFETIME_MS || e.assigned > 0 || e.trunk || e.efa) continue
    if (ds.hasCooling(e, now)) continue
    measure(e, pd)
    if (s.warmIPTarget !== 0 && ds.total - ds.assigned - eniFree < warmIp) continue
    if (s.minimumIPTarget !== 0 && ds.total - eniSize < minIp) continue
    if (pd && s.warmPrefixTarget !== 0 && freeCidrs - eniFreeCidrs < s.warmPrefixTarget) continue
    out[n++] = e.key
  }
  return n
}

const scratch: number[] = []

/** The ENI tryFreeENI would remove at `now` (the first deletable one in map order), or -1. */
export const deletableEni = (ds: Datastore, now: number): number => {
  const n = deletableEnis(ds, now, scratch)
  if (n === 0) return -1
  return n === 1 ? scratch[0]! : ds.eniOrder.choose(scratch, n)
}

/** Every decision of the protocol at one instant; one object reused. */
export class Decisions {
  low = false
  high = false
  skipDecrease = false
  removeExtraENIs = false
  short = 0
  over = 0
  targetsDefined = false
  prefixShort = 0
  prefixTargetDef = false
  extraPrefixes = 0
  prefixesNeeded = 1
  eniResources = 0
  roomForENI = false
  freePrefixes = 0
  freeableENIExists = false
  /** An ENI key, or -1. */
  deletableENI = -1
  /** ENI keys in map order. */
  readonly allocatableENIs: number[] = []
  insufficientCidrCooling = false
}

/** Fills `d` with every decision at `now`; changes nothing in the datastore. */
export const decide = (ds: Datastore, now: number, d: Decisions = new Decisions()): Decisions => {
  d.targetsDefined = targetsDefined(ds.settings)
  d.short = targetShort(ds)
  d.over = targetOver(ds)
  d.prefixTargetDef = ds.settings.mode === IpamMode.PD
  d.prefixShort = prefixShort(ds)
  d.low = poolTooLow(ds)
  d.high = poolTooHigh(ds)
  d.skipDecrease = skipDecrease(ds, now)
  d.removeExtraENIs = shouldRemoveExtraEnis(ds, ds.total - ds.assigned)
  d.extraPrefixes = extraPrefixes(ds)
  d.prefixesNeeded = prefixesNeeded(ds)
  d.eniResources = eniResources(ds)
  d.roomForENI = roomForEni(ds)
  d.freePrefixes = ds.freePrefixes()
  d.freeableENIExists = freeableEniExists(ds)
  d.deletableENI = deletableEni(ds, now)
  d.allocatableENIs.length = allocatableEnis(ds, d.allocatableENIs)
  d.insufficientCidrCooling = insufficientCidrCooling(ds, now)
  return d
}

/** Whether increaseDatastorePool at `now` would make an EC2 call (ipamd.go:968, tryAssignIPs :1115, tryAssignPrefixes :1217). */
export const increaseWouldCall = (ds: Datastore, now: number): boolean => {
  if (insufficientCidrCooling(ds, now)) return false
  const s = ds.settings
  const skipExisting = s.mode === IpamMode.SIP && targetsDefined(s) && targetShort(ds) === 0
  if (!skipExisting) {
    const max = cidrsPerEni(ds)
    for (const e of ds.enis) if (!e.trunk && e.cidrs.length < max) return true
  }
  return roomForEni(ds) && eniResources(ds) > 0
}

/**
 * True when a pool-manager cycle at `now` would make no EC2 call and change nothing: not low (or low but the
 * increase would call nothing: growth frozen by insufficientCidrCooling, or nothing to ask for), not (high and
 * not skipDecrease), and no deletable ENI when removeExtraENIs.
 */
export const idleCycle = (ds: Datastore, now: number): boolean => {
  if (poolTooLow(ds)) {
    if (increaseWouldCall(ds, now)) return false
  } else if (poolTooHigh(ds) && !skipDecrease(ds, now)) return false
  return !shouldRemoveExtraEnis(ds, ds.total - ds.assigned) || deletableEnis(ds, now, scratch) === 0
}

/**
 * A time > now before or at which a cycle could first decide differently if the datastore does not change
 * (+Infinity if never): skipDecrease ends at the first whole ms past lastDecrease + 30 s, the insufficient
 * freeze past lastInsufficient + 120 s, an ENI stops being too young at created + 60 s, a record stops
 * cooling past releasedAt + cooldown. Only ENIs that could become deletable are looked at.
 */
export const nextTimedChange = (ds: Datastore, now: number): number => {
  let t = Number.POSITIVE_INFINITY
  const decrease = ds.lastDecrease + Ipamd.DECREASE_INTERVAL_MS
  if (now <= decrease) t = Math.floor(decrease) + 1
  const insufficient = ds.lastInsufficient + Ipamd.INSUFFICIENT_COOLDOWN_MS
  if (now <= insufficient) t = Math.min(t, Math.floor(insufficient) + 1)
  for (const e of ds.enis) {
    if (e.primary || e.trunk || e.efa || e.assigned > 0) continue
    const grown = e.created + Ipamd.MIN_ENI_LIFETIME_MS
    if (now < grown) t = Math.min(t, Math.ceil(grown))
    t = Math.min(t, ds.coolingEnds(e, now))
  }
  return t
}
