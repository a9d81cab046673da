// The ipamd conformance protocol (docs/conformance.md, "ipamd conformance"): one JSON op in, one JSON answer
// out, driving one node's Datastore and PoolCycle against the protocol's simulated EC2, with every Go map
// walked in ascending order (ENIs by id, CIDRs by address then length), so that answers can be compared op
// for op with cases recorded from ipamd's own code.

import { formatIpv4 } from "../ec2/Ipv4.ts"
import { ascendingOrder, type MapOrder } from "../go/MapOrder.ts"
import { AssignBehaviour, ConformanceEc2, CreateBehaviour } from "./ConformanceEc2.ts"
import { CidrLimits, Datastore, DsError } from "./Datastore.ts"
import { type IpamdSettings, IpamMode, ipamdSettings } from "./IpamdSettings.ts"
import { CallResult, Ec2Op, PoolAction, PoolCycle, type PoolRequest } from "./PoolCycle.ts"
import { Decisions, decide } from "./PoolDecisions.ts"

/** Thrown for input that does not follow the protocol; the CLI turns it into a one-line error. */
export class ProtocolError extends Error {}

export interface IpamdState {
  readonly total: number
  readonly assigned: number
  readonly cooldown: number
  readonly prefixes: number
  readonly enis: readonly (readonly [string, number, number])[]
}

export interface IpamdAnswer {
  readonly op: string
  readonly error: string | null
  readonly result: unknown
  readonly ec2: readonly Record<string, unknown>[] | null
  readonly state: IpamdState
}

const DS_ERRORS: Record<DsError, string | null> = {
  [DsError.OK]: null,
  [DsError.DuplicatedENI]: "DuplicatedENI",
  [DsError.IPAlreadyInStore]: "IPAlreadyInStore",
  [DsError.UnknownIP]: "UnknownIP",
  [DsError.IPInUse]: "IPInUse",
  [DsError.ENIInUse]: "ENIInUse",
  [DsError.UnknownENI]: "UnknownENI",
  [DsError.UnknownPod]: "UnknownPod",
  [DsError.NoAvailableIP]: "NoAvailableIP",
}

const ACTIONS: Record<string, PoolAction> = {
  tick: PoolAction.TICK,
  increase: PoolAction.INCREASE,
  decrease: PoolAction.DECREASE,
  freeENI: PoolAction.FREE_ENI,
  cleanup: PoolAction.CLEANUP,
}

const ASSIGN: Record<string, AssignBehaviour> = {
  ok: AssignBehaviour.OK,
  insufficient: AssignBehaviour.INSUFFICIENT,
  error: AssignBehaviour.ERROR,
  failMany: AssignBehaviour.FAIL_MANY,
}

const CREATE: Record<string, CreateBehaviour> = {
  ok: CreateBehaviour.OK,
  insufficient: CreateBehaviour.INSUFFICIENT,
  error: CreateBehaviour.ERROR,
}

const RESULT_NAMES = ["ok", "insufficient", "error"]

const int = (o: Record<string, unknown>, field: string): number | undefined => {
  const v = o[field]
  if (v === undefined) return undefined
  if (typeof v !== "number" || !Number.isInteger(v)) throw new ProtocolError(`field "${field}": expected an integer`)
  return v
}

const required = (o: Record<string, unknown>, field: string): number => {
  const v = int(o, field)
  if (v === undefined) throw new ProtocolError(`field "${field}": expected an integer`)
  return v
}

const bool = (o: Record<string, unknown>, field: string): boolean | undefined => {
  const v = o[field]
  if (v === undefined || typeof v === "boolean") return v
  throw new ProtocolError(`field "${field}": expected true or false`)
}

const text = (o: Record<string, unknown>, field: string): string => {
  const v = o[field]
  if (typeof v !== "string") throw new ProtocolError(`field "${field}": expected a string`)
  return v
}

const oneOf = <T>(o: Record<string, unknown>, field: string, names: Record<string, T>): T | undefined => {
  const v = o[field]
  if (v === undefined) return undefined
  if (typeof v === "string" && Object.hasOwn(names, v)) return names[v]
  throw new ProtocolError(
    `field "${field}": expected one of ${Object.keys(names)
      .map((k) => `"${k}"`)
      .join(", ")}`,
  )
}

const OCTET = "(0|[1-9]\\d{0,2})"
const CIDR = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(\\d{1,2})$`)

/** "a.b.c.d/n" as [address, length], or undefined (BadCidr) for text that is not one or a CIDR larger than a /16. */
const parseCidr = (s: string): [number, number] | undefined => {
  const m = CIDR.exec(s)
  if (m === null) return undefined
  const octets = [m[1], m[2], m[3], m[4]].map(Number)
  const len = Number(m[5])
  if (octets.some((x) => x > 255) || len < CidrLimits.SHORTEST || len > CidrLimits.LONGEST) return undefined
  return [octets.reduce((a, x) => a * 256 + x, 0), len]
}

export class IpamdConformance {
  private ds: Datastore | undefined
  private cycle: PoolCycle | undefined
  private ec2 = new ConformanceEc2()
  private clock = 0
  /** ENI ids by key (keys are given in the order ids are first met) and keys by id. */
  private names: string[] = []
  private keys = new Map<string, number>()
  private pods = new Map<string, number>()
  private readonly decisions = new Decisions()
  /** ENIs walked by id, in byte order. */
  private readonly eniOrder: MapOrder = {
    choose: (candidates, n) => {
      let best = candidates[0]!
      for (let i = 1; i < n; i++) if (this.names[candidates[i]!]! < this.names[best]!) best = candidates[i]!
      return best
    },
    arrange: (candidates, n) => {
      const sorted = candidates.slice(0, n).sort((a, b) => (this.names[a]! < this.names[b]! ? -1 : 1))
      for (let i = 0; i < n; i++) candidates[i] = sorted[i]!
    },
    next: (candidates, n) => {
      let at = 0
      for (let i = 1; i < n; i++) if (this.names[candidates[i]!]! < this.names[candidates[at]!]!) at = i
      return at
    },
  }

  /** Applies one op (already parsed from JSON) and returns the answer. */
  apply(input: unknown): IpamdAnswer {
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw new ProtocolError("expected a JSON object per line")
    const o = input as Record<string, unknown>
    const op = text(o, "op")
    if (op === "init") return this.init(o)
    const ds = this.ds
    const cycle = this.cycle
    if (ds === undefined || cycle === undefined) throw new ProtocolError(`op "${op}" before "init"`)
    const action = Object.hasOwn(ACTIONS, op) ? ACTIONS[op] : undefined
    if (action !== undefined) {
      const calls: Record<string, unknown>[] = []
      let waiting = cycle.start(action, this.clock)
      while (waiting) {
        const r = cycle.request
        const result = this.ec2.answer(r)
        calls.push(this.call(r, result))
        const created = this.ec2.eni < 0 ? -1 : this.key(`eni-${this.ec2.eni}`, true)
        waiting = cycle.answer(result, this.ec2.got, created, this.clock)
      }
      const error = action === PoolAction.INCREASE && cycle.error ? "EC2Error" : null
      return this.answer(op, error, null, calls)
    }
    switch (op) {
      case "addENI": {
        const eni = text(o, "eni")
        const primary = bool(o, "primary") ?? false
        const trunk = bool(o, "trunk") ?? false
        const efa = bool(o, "efa") ?? false
        return this.answer(op, DS_ERRORS[ds.addEni(this.key(eni, true), primary, trunk, efa, this.clock)])
      }
      case "addCidr":
      case "delCidr": {
        const eni = this.key(text(o, "eni"), false)
        const cidr = parseCidr(text(o, "cidr"))
        const flag = bool(o, op === "addCidr" ? "prefix" : "force")
        if (cidr === undefined) return this.answer(op, "BadCidr")
        const [base, len] = cidr
        const e =
          op === "addCidr" ? ds.addCidr(eni, base, len, flag ?? len !== 32) : ds.delCidr(eni, base, len, flag ?? false)
        return this.answer(op, DS_ERRORS[e])
      }
      case "removeENI":
        return this.answer(op, DS_ERRORS[ds.removeEni(this.key(text(o, "eni"), false), bool(o, "force") ?? false)])
      case "assign": {
        const ip = ds.assign(this.pod(text(o, "pod")), this.clock)
        if (ip < 0) return this.answer(op, "NoAvailableIP")
        return this.answer(op, null, { ip: formatIpv4(ip), eni: this.names[ds.lastEni]! })
      }
      case "unassign": {
        const pod = this.pod(text(o, "pod"))
        const eni = ds.eniOf(pod)
        const ip = ds.unassign(pod, this.clock)
        if (ip < 0) return this.answer(op, "UnknownPod")
        return this.answer(op, null, { ip: formatIpv4(ip), eni: this.names[eni]! })
      }
      case "advance":
        this.clock += required(o, "ms")
        return this.answer(op, null)
      case "decide":
        return this.answer(op, null, this.decide(ds))
      case "freeable":
        return this.answer(op, null, this.freeable(ds, this.key(text(o, "eni"), false)))
      case "ec2": {
        const ec2 = this.ec2
        ec2.assign = oneOf(o, "assign", ASSIGN) ?? ec2.assign
        ec2.assignMax = int(o, "assignMax") ?? ec2.assignMax
        ec2.createEni = oneOf(o, "createENI", CREATE) ?? ec2.createEni
        return this.answer(op, null)
      }
      default:
        return this.answer(op, "UnknownOp")
    }
  }

  private init(o: Record<string, unknown>): IpamdAnswer {
    const mode = o.mode
    if (mode !== "SIP" && mode !== "PD") throw new ProtocolError(`field "mode": expected "SIP" or "PD"`)
    const pd = mode === "PD"
    const cooldown = int(o, "cooldown")
    const settings: IpamdSettings = ipamdSettings({
      mode: pd ? IpamMode.PD : IpamMode.SIP,
      maxENI: required(o, "maxENI"),
      perEni: required(o, pd ? "maxPrefixesPerENI" : "maxIPsPerENI"),
      maxPods: required(o, "maxPods"),
      warmENITarget: int(o, "warmENITarget"),
      warmIPTarget: int(o, "warmIPTarget"),
      minimumIPTarget: int(o, "minimumIPTarget"),
      warmPrefixTarget: int(o, "warmPrefixTarget"),
      cooldownMs: cooldown === undefined ? undefined : cooldown * 1000,
      subnetDiscovery: bool(o, "subnetDiscovery"),
    })
    this.ds = new Datastore(settings, ascendingOrder, this.eniOrder)
    this.cycle = new PoolCycle(this.ds)
    this.ec2 = new ConformanceEc2()
    this.clock = 1_700_000_000_000
    this.names = []
    this.keys = new Map()
    this.pods = new Map()
    const s = settings
    return this.answer("init", null, {
      maxIPsPerENI: s.maxIPsPerENI,
      maxPrefixesPerENI: s.maxPrefixesPerENI,
      warmENITarget: s.warmENITarget,
      warmIPTarget: s.warmIPTarget,
      minimumIPTarget: s.minimumIPTarget,
      warmPrefixTarget: s.warmPrefixTarget,
      cooldownMs: s.cooldownMs,
    })
  }

  /** An ENI id's key; an id never met is given one only when `create` (otherwise -1, which no ENI has). */
  private key(id: string, create: boolean): number {
    const k = this.keys.get(id)
    if (k !== undefined || !create) return k ?? -1
    this.names.push(id)
    this.keys.set(id, this.names.length - 1)
    return this.names.length - 1
  }

  private pod(name: string): number {
    let k = this.pods.get(name)
    if (k === undefined) {
      k = this.pods.size
      this.pods.set(name, k)
    }
    return k
  }

  private decide(ds: Datastore): Record<string, unknown> {
    const d = decide(ds, this.clock, this.decisions)
    return {
      low: d.low,
      high: d.high,
      skipDecrease: d.skipDecrease,
      removeExtraENIs: d.removeExtraENIs,
      short: d.short,
      over: d.over,
      targetsDefined: d.targetsDefined,
      prefixShort: d.prefixShort,
      prefixTargetDef: d.prefixTargetDef,
      extraPrefixes: d.extraPrefixes,
      prefixesNeeded: d.prefixesNeeded,
      eniResources: d.eniResources,
      roomForENI: d.roomForENI,
      freePrefixes: d.freePrefixes,
      freeableENIExists: d.freeableENIExists,
      deletableENI: d.deletableENI < 0 ? "" : this.names[d.deletableENI]!,
      allocatableENIs: d.allocatableENIs.map((k) => this.names[k]!),
      insufficientCidrCooling: d.insufficientCidrCooling,
    }
  }

  /** FindFreeableCidrs (data_store.go:1562) as text, ascending. */
  private freeable(ds: Datastore, eni: number): string[] {
    const free = (ds.eni(eni)?.cidrs ?? []).filter((c) => c.assigned === 0).sort((a, b) => a.key - b.key)
    return free.map((c) => `${formatIpv4(c.base)}/${c.len}`)
  }

  private call(r: PoolRequest, result: CallResult): Record<string, unknown> {
    const eni = this.names[r.eni]!
    const got = (): string[] => this.ec2.got.map((a) => (r.prefix ? `${formatIpv4(a)}/28` : formatIpv4(a)))
    const outcome = (): Record<string, unknown> =>
      result === CallResult.OK ? { got: got() } : { error: RESULT_NAMES[result] }
    switch (r.op) {
      case Ec2Op.ASSIGN:
        return { call: "assign", eni, n: r.n, ...outcome() }
      case Ec2Op.CREATE_ENI:
        return result === CallResult.OK
          ? { call: "createENI", n: r.n, eni: `eni-${this.ec2.eni}`, got: got() }
          : { call: "createENI", n: r.n, error: RESULT_NAMES[result] }
      case Ec2Op.UNASSIGN_PREFIXES:
        return { call: "unassignPrefixes", eni, cidrs: r.cidrs.map((b, i) => `${formatIpv4(b)}/${r.lens[i]}`) }
      case Ec2Op.UNASSIGN_IPS:
        return { call: "unassignIPs", eni, cidrs: r.cidrs.map(formatIpv4) }
      default:
        return { call: "deleteENI", eni }
    }
  }

  private answer(
    op: string,
    error: string | null,
    result: unknown = null,
    ec2: Record<string, unknown>[] | null = null,
  ): IpamdAnswer {
    const ds = this.ds!
    const enis = ds.enis
      .map((e): [string, number, number] => [this.names[e.key]!, e.cidrs.length, e.assigned])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const state = {
      total: ds.total,
      assigned: ds.assigned,
      cooldown: ds.coolingCount(this.clock),
      prefixes: ds.prefixCounter,
      enis,
    }
    return { op, error, result, ec2, state }
  }
}
