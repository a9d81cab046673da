// One node's ipamd datastore for network card 0 (aws/amazon-vpc-cni-k8s pkg/ipamd/datastore/data_store.go):
// ENIs, their CIDRs (/32 secondary IPs or prefixes) and the address records inside each CIDR. A record is an
// address assigned to a pod, or released by one and not yet purged (its releasedAt). Records live in typed
// arrays allocated with their CIDR (reused from CIDRs removed earlier), so pod events allocate nothing.
// Where ipamd walks a Go map (ENIs, the CIDRs of an ENI) the choice goes through a MapOrder: ascending keys
// in conformance, seeded random in simulations.

import type { MapOrder } from "../go/MapOrder.ts"
import { type IpamdSettings, IpamMode } from "./IpamdSettings.ts"
import { PodIndex, type PodPlaces } from "./PodIndex.ts"

/** The datastore's errors (data_store.go:44–59, ErrUnknownPod :80, ErrNoAvailableIPInDataStore :83). */
export enum DsError {
  OK = 0,
  DuplicatedENI,
  IPAlreadyInStore,
  UnknownIP,
  IPInUse,
  ENIInUse,
  UnknownENI,
  UnknownPod,
  NoAvailableIP,
}

/** Shortest and longest CIDR lengths a datastore takes (a /16 is 65,536 records). */
export enum CidrLimits {
  SHORTEST = 16,
  LONGEST = 32,
  /** A record's place in the pod index: CIDR id × this + offset (an int32: CIDR ids stay below 32,768). */
  SPAN = 65_536,
}

/** A CIDR on an ENI and its records; written by the Datastore only. */
export class Cidr {
  eni!: Eni
  base = 0
  len = 32
  prefix = false
  size = 1
  /** The map-order key: by address, then by length. */
  key = 0
  /** Records with a pod. */
  assigned = 0
  /** Records: with a pod, or released and not purged. */
  records = 0
  /** Its index in its ENI's `cidrs` (and `kinds`, `gate`). */
  at = 0
  /** Per address: the pod's key, or -1. */
  readonly pod: Int32Array
  /** Per address: when its pod released it, or NaN (no record, or a record with a pod). */
  readonly releasedAt: Float64Array

  constructor(
    readonly id: number,
    size: number,
  ) {
    this.pod = new Int32Array(size).fill(-1)
    this.releasedAt = new Float64Array(size).fill(Number.NaN)
  }
}

/** An ENI of the datastore; written by the Datastore only. */
export class Eni {
  /** Its CIDRs, ascending by key (address, then length). */
  readonly cidrs: Cidr[] = []
  /**
   * Beside `cidrs`, so that a CNI ADD reads two small arrays rather than every CIDR object: each CIDR's kind
   * (1: prefix), and for a single address its record — -Infinity none, +Infinity assigned, else when it
   * was released — or NaN for a larger CIDR (whose records are read from the CIDR itself).
   */
  kinds = new Uint8Array(16)
  gate = new Float64Array(16)
  /** Records with a pod, in CIDRs of both kinds. */
  assigned = 0
  constructor(
    readonly key: number,
    readonly primary: boolean,
    readonly trunk: boolean,
    readonly efa: boolean,
    readonly created: number,
  ) {}
}

/** The map-order key of a CIDR: numerically by address, then by prefix length. */
export const cidrKey = (base: number, len: number): number => base * 64 + len

export class Datastore {
  /** The live ENIs, in no particular order (walks go through `eniOrder`). */
  readonly enis: Eni[] = []
  /** allocatedPrefix (data_store.go:291): +1 per prefix CIDR added, −1 per one removed, twice on a forced ENI removal with pods. */
  prefixCounter = 0
  /** lastDecreaseIPPool; -Infinity = never. */
  lastDecrease = Number.NEGATIVE_INFINITY
  /** lastInsufficientCidrError; -Infinity = never. */
  lastInsufficient = Number.NEGATIVE_INFINITY
  /** The ENI of the last successful assign. */
  lastEni = -1
  /** Whether the last successful unassign released an address of a current-mode CIDR. */
  lastReleaseCounts = false
  /** The walk over an ENI's CIDRs (and, unless `eniOrder` is given, over the ENIs). */
  readonly order: MapOrder
  readonly eniOrder: MapOrder
  /** Sizes and assigned records of the CIDRs by kind (index 0: /32 secondary IPs, 1: prefixes), i.e. by IpamMode. */
  private readonly totalOf = [0, 0]
  private readonly assignedOf = [0, 0]
  private freePrefixCount = 0
  private readonly pods: PodPlaces
  private readonly cidrById: Cidr[] = []
  /** Removed CIDRs by length, for reuse. */
  private readonly spare: Cidr[][] = Array.from({ length: CidrLimits.LONGEST + 1 }, () => [])
  private readonly keys: number[] = []
  private readonly cidrIdx: number[] = []

  constructor(
    public settings: IpamdSettings,
    order: MapOrder,
    eniOrder: MapOrder = order,
    /** Where pods' records are found: its own table unless one is shared (pod keys unique across them). */
    pods: PodPlaces = new PodIndex(),
  ) {
    this.order = order
    this.eniOrder = eniOrder
    this.pods = pods
  }

  /** Takes every pod it holds out of its pod table (the node is gone; a shared table outlives it). */
  forgetPods(): void {
    for (const e of this.enis)
      for (const c of e.cidrs)
        if (c.assigned > 0) for (let i = 0; i < c.size; i++) if (c.pod[i]! >= 0) this.pods.delete(c.pod[i]!)
  }

  /** TotalIPs of GetIPStats (data_store.go:916): sizes of the current mode's CIDRs. */
  get total(): number {
    return this.totalOf[this.settings.mode]!
  }

  /** AssignedIPs of GetIPStats: records with a pod in the current mode's CIDRs. */
  get assigned(): number {
    return this.assignedOf[this.settings.mode]!
  }

  /** Sizes and assigned records of the other mode's CIDRs (leftovers after a mode switch). */
  get totalOther(): number {
    return this.totalOf[1 - this.settings.mode]!
  }
  get assignedOther(): number {
    return this.assignedOf[1 - this.settings.mode]!
  }

  get eniCount(): number {
    return this.enis.length
  }

  /** CooldownIPs of GetIPStats: released records of the current mode's CIDRs still cooling at `now`. */
  coolingCount(now: number): number {
    const pd = this.settings.mode === IpamMode.PD
    const cooldown = this.settings.cooldownMs
    let n = 0
    for (const e of this.enis)
      for (const c of e.cidrs) {
        if (c.prefix !== pd || c.records === c.assigned) continue
        for (let i = 0; i < c.size; i++) if (now - c.releasedAt[i]! <= cooldown) n++
      }
    return n
  }

  /** GetFreePrefixes (data_store.go:1448): prefix CIDRs without a pod, on every ENI, in either mode. */
  freePrefixes(): number {
    return this.freePrefixCount
  }

  eni(key: number): Eni | undefined {
    for (const e of this.enis) if (e.key === key) return e
    return undefined
  }

  hasEni(key: number): boolean {
    return this.eni(key) !== undefined
  }

  /** AddENI (data_store.go:468). */
  addEni(key: number, primary: boolean, trunk: boolean, efa: boolean, now: number): DsError {
    if (this.hasEni(key)) return DsError.DuplicatedENI
    this.enis.push(new Eni(key, primary, trunk, efa, now))
    return DsError.OK
  }

  /** AddIPv4CidrToStore (data_store.go:530); `base` is masked to the CIDR's network address. */
  addCidr(key: number, base: number, len: number, prefix: boolean): DsError {
    if (!(len >= CidrLimits.SHORTEST && len <= CidrLimits.LONGEST)) throw new RangeError(`CIDR length ${len}`)
    const e = this.eni(key)
    if (e === undefined) return DsError.UnknownENI
    const size = 2 ** (32 - len)
    const network = base - (base % size)
    if (this.find(e, network, len) >= 0) return DsError.IPAlreadyInStore
    const c = this.spare[len]!.pop() ?? this.newCidr(size)
    c.eni = e
    c.base = network
    c.len = len
    c.prefix = prefix
    c.size = size
    c.key = cidrKey(network, len)
    // Kept in key order, so that a CIDR's index in the list orders like its key (and is a small integer).
    let at = e.cidrs.length
    while (at > 0 && e.cidrs[at - 1]!.key > c.key) at--
    e.cidrs.splice(at, 0, c)
    this.reindex(e)
    this.totalOf[prefix ? 1 : 0]! += size
    if (prefix) {
      this.prefixCounter++
      this.freePrefixCount++
    }
    return DsError.OK
  }

  /** DelIPv4CidrFromStore (data_store.go:568): with `force`, the CIDR's pods are forgotten. */
  delCidr(key: number, base: number, len: number, force: boolean): DsError {
    const e = this.eni(key)
    if (e === undefined) return DsError.UnknownENI
    const size = 2 ** (32 - len)
    const i = this.find(e, base - (base % size), len)
    if (i < 0) return DsError.UnknownIP
    const c = e.cidrs[i]!
    if (c.assigned > 0 && !force) return DsError.IPInUse
    if (c.prefix) this.prefixCounter--
    this.release(c)
    e.cidrs.splice(i, 1)
    this.reindex(e)
    return DsError.OK
  }

  /**
   * RemoveENIFromDataStore (data_store.go:1175); RemoveUnusedENIFromStore (:1144) is the same for an ENI without pods.
   * A forced removal of an ENI with pods counts its prefixes off twice (data_store.go:1202 and :1214).
   */
  removeEni(key: number, force: boolean): DsError {
    const e = this.eni(key)
    if (e === undefined) return DsError.UnknownENI
    if (e.assigned > 0 && !force) return DsError.ENIInUse
    const perPrefix = e.assigned > 0 ? 2 : 1
    for (const c of e.cidrs) {
      if (c.prefix) this.prefixCounter -= perPrefix
      this.release(c)
    }
    e.cidrs.length = 0
    const i = this.enis.indexOf(e)
    this.enis[i] = this.enis[this.enis.length - 1]!
    this.enis.pop()
    return DsError.OK
  }

  /**
   * AssignPodIPv4Address (data_store.go:782): the pod's address if it has one; else the first address met
   * walking the ENIs, then each one's CIDRs of the current mode: in a CIDR, the lowest stale record (every
   * stale record of the CIDR is purged), else its lowest address without a record. Returns the address or -1
   * (NoAvailableIP); `lastEni` is the ENI that gave it. Walking the ENIs in map order and taking the first that
   * can give an address is choosing among those that can, which is what is done.
   */
  assign(pod: number, now: number): number {
    const held = this.pods.get(pod)
    if (held >= 0) {
      const c = this.cidrAt(held)
      this.lastEni = c.eni.key
      return c.base + this.offsetAt(held)
    }
    const pd = this.settings.mode === IpamMode.PD
    // Go walks the ENIs, then an ENI's CIDRs, in map order and takes the first address it can: the walk
    // draws the next ENI (and CIDR) in map order and stops at the first that can give.
    const enis = this.enis
    const keys = this.keys
    let n = enis.length
    for (let k = 0; k < n; k++) keys[k] = enis[k]!.key
    let e: Eni | undefined
    let c: Cidr | undefined
    while (n > 0 && c === undefined) {
      const at = n === 1 ? 0 : this.eniOrder.next(keys, n)
      const key = keys[at]!
      keys[at] = keys[n - 1]!
      n--
      e = this.eni(key)!
      c = this.firstCidr(e, pd, now)
    }
    if (c === undefined || e === undefined) {
      this.lastEni = -1
      return -1
    }
    const i = this.take(c, now)
    c.pod[i] = pod
    if (c.size === 1) e.gate[c.at] = Number.POSITIVE_INFINITY
    c.assigned++
    c.records++
    e.assigned++
    this.assignedOf[c.prefix ? 1 : 0]!++
    if (c.prefix && c.assigned === 1) this.freePrefixCount--
    this.pods.set(pod, c.id * CidrLimits.SPAN + i)
    this.lastEni = e.key
    return c.base + i
  }

  /** UnassignPodIPAddress (data_store.go:1239): the record keeps the address, released at `now`. Returns the address or -1 (UnknownPod). */
  unassign(pod: number, now: number): number {
    const held = this.pods.take(pod)
    if (held < 0) return -1
    const c = this.cidrAt(held)
    const i = this.offsetAt(held)
    c.pod[i] = -1
    c.releasedAt[i] = now
    if (c.size === 1) c.eni.gate[c.at] = now
    c.assigned--
    c.eni.assigned--
    this.assignedOf[c.prefix ? 1 : 0]!--
    if (c.prefix && c.assigned === 0) this.freePrefixCount++
    this.lastReleaseCounts = c.prefix === (this.settings.mode === IpamMode.PD)
    return c.base + i
  }

  /** The address a pod holds, or -1. */
  addressOf(pod: number): number {
    const held = this.pods.get(pod)
    return held < 0 ? -1 : this.cidrAt(held).base + this.offsetAt(held)
  }

  /** The ENI holding a pod's address, or -1. */
  eniOf(pod: number): number {
    const held = this.pods.get(pod)
    return held < 0 ? -1 : this.cidrAt(held).eni.key
  }

  /** Every CIDR of either kind, with its ENI (order unspecified). */
  forEachCidr(fn: (eni: number, base: number, len: number, prefix: boolean) => void): void {
    for (const e of this.enis) for (const c of e.cidrs) fn(e.key, c.base, c.len, c.prefix)
  }

  /** hasIPInCooling (data_store.go:1101; inCoolingPeriod :252 tests ≤): a released record of any CIDR of the ENI still cooling at `now`. */
  hasCooling(e: Eni, now: number): boolean {
    const cooldown = this.settings.cooldownMs
    for (const c of e.cidrs) {
      if (c.records === c.assigned) continue
      for (let i = 0; i < c.size; i++) if (now - c.releasedAt[i]! <= cooldown) return true
    }
    return false
  }

  /** The first instant after `now` when a record of the ENI that cools at `now` stops cooling (+Infinity if none). */
  coolingEnds(e: Eni, now: number): number {
    const cooldown = this.settings.cooldownMs
    let t = Number.POSITIVE_INFINITY
    for (const c of e.cidrs) {
      if (c.records === c.assigned) continue
      for (let i = 0; i < c.size; i++) {
        const r = c.releasedAt[i]!
        // Cooling while now − r ≤ cooldown: over from the first whole millisecond past r + cooldown.
        if (now - r <= cooldown) t = Math.min(t, Math.floor(r + cooldown) + 1)
      }
    }
    return t
  }

  /** The ENI's CIDR of the mode met first in map order that can give an address at `now`, if any. */
  private firstCidr(e: Eni, pd: boolean, now: number): Cidr | undefined {
    // CIDRs by index: indices order like keys, and a small integer comes back from the order unboxed.
    const cidrs = e.cidrs
    const kinds = e.kinds
    const gate = e.gate
    const want = pd ? 1 : 0
    const cooldown = this.settings.cooldownMs
    const idx = this.cidrIdx
    let n = 0
    for (let j = 0; j < cidrs.length; j++) if (kinds[j] === want) idx[n++] = j
    while (n > 0) {
      const at = n === 1 ? 0 : this.order.next(idx, n)
      const j = idx[at]!
      const g = gate[j]!
      // A single address: free, or released and no longer cooling (canTake, read from the gate).
      if (Number.isNaN(g) ? this.canTake(cidrs[j]!, now) : now - g > cooldown) return cidrs[j]!
      idx[at] = idx[n - 1]!
      n--
    }
    return undefined
  }

  /** Rebuilds an ENI's `kinds` and `gate` after its CIDR list changed. */
  private reindex(e: Eni): void {
    const cidrs = e.cidrs
    if (e.kinds.length < cidrs.length) {
      e.kinds = new Uint8Array(2 * cidrs.length)
      e.gate = new Float64Array(2 * cidrs.length)
    }
    for (let j = 0; j < cidrs.length; j++) {
      const c = cidrs[j]!
      c.at = j
      e.kinds[j] = c.prefix ? 1 : 0
      e.gate[j] =
        c.size !== 1
          ? Number.NaN
          : c.pod[0]! >= 0
            ? Number.POSITIVE_INFINITY
            : Number.isNaN(c.releasedAt[0]!)
              ? Number.NEGATIVE_INFINITY
              : c.releasedAt[0]!
    }
  }

  /** getUnusedIP would find an address: one without a record, or a stale record (released, no longer cooling). */
  private canTake(c: Cidr, now: number): boolean {
    if (c.records < c.size) return true
    if (c.assigned === c.size) return false
    const cooldown = this.settings.cooldownMs
    for (let i = 0; i < c.size; i++) if (c.pod[i]! < 0 && !(now - c.releasedAt[i]! <= cooldown)) return true
    return false
  }

  /** getUnusedIP (data_store.go:1499): purges the CIDR's stale records and returns the offset to use. */
  private take(c: Cidr, now: number): number {
    const cooldown = this.settings.cooldownMs
    let pick = -1
    if (c.records > c.assigned) {
      for (let i = 0; i < c.size; i++) {
        const r = c.releasedAt[i]!
        if (!Number.isNaN(r) && !(now - r <= cooldown)) {
          if (pick < 0) pick = i
          c.releasedAt[i] = Number.NaN
          c.records--
        }
      }
    }
    if (pick >= 0) return pick
    for (let i = 0; i < c.size; i++) if (c.pod[i]! < 0 && Number.isNaN(c.releasedAt[i]!)) return i
    throw new Error("ipamd datastore: no free address in a CIDR that had one")
  }

  /** Takes the CIDR off the counters and its pods out of the index, and keeps it for reuse. */
  private release(c: Cidr): void {
    const kind = c.prefix ? 1 : 0
    this.totalOf[kind]! -= c.size
    this.assignedOf[kind]! -= c.assigned
    c.eni.assigned -= c.assigned
    if (c.prefix && c.assigned === 0) this.freePrefixCount--
    if (c.assigned > 0) for (let i = 0; i < c.size; i++) if (c.pod[i]! >= 0) this.pods.delete(c.pod[i]!)
    c.pod.fill(-1)
    c.releasedAt.fill(Number.NaN)
    c.assigned = 0
    c.records = 0
    this.spare[c.len]!.push(c)
  }

  private find(e: Eni, base: number, len: number): number {
    for (let i = 0; i < e.cidrs.length; i++) {
      const c = e.cidrs[i]!
      if (c.base === base && c.len === len) return i
    }
    return -1
  }

  private newCidr(size: number): Cidr {
    const c = new Cidr(this.cidrById.length, size)
    this.cidrById.push(c)
    return c
  }

  private cidrAt(held: number): Cidr {
    return this.cidrById[Math.floor(held / CidrLimits.SPAN)]!
  }

  private offsetAt(held: number): number {
    return held % CidrLimits.SPAN
  }
}
