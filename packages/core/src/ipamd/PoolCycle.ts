// The pool manager's actions (aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go) as a step machine: every EC2 call
// takes time and the pool manager's goroutine blocks on it, so an action stops at each call (`request`) and
// goes on when its answer comes (`answer`). Datastore changes happen where the Go code makes them: a
// decrease, a cleanup or freeing an ENI deletes from the datastore before the EC2 release call; an increase
// adds what EC2 granted after the answer. Pods may come and go between the steps.

import type { Datastore } from "./Datastore.ts"
import { Ipamd, IpamMode, targetsDefined } from "./IpamdSettings.ts"
import {
  allocatableEnis,
  cidrsPerEni,
  deletableEni,
  eniResources,
  extraPrefixes,
  insufficientCidrCooling,
  poolTooHigh,
  poolTooLow,
  prefixesNeeded,
  roomForEni,
  shouldRemoveExtraEnis,
  skipDecrease,
  targetOver,
  targetShort,
} from "./PoolDecisions.ts"

/** updateIPPoolIfRequired, increaseDatastorePool, decreaseDatastorePool, tryFreeENI, the node-init cleanup. */
export enum PoolAction {
  TICK = 0,
  INCREASE = 1,
  DECREASE = 2,
  FREE_ENI = 3,
  CLEANUP = 4,
}

/** The EC2 call an action waits on. */
export enum Ec2Op {
  NONE = 0,
  /** AssignPrivateIpAddresses on `eni`: `n` secondary IPs, or `n` prefixes when `prefix`. */
  ASSIGN = 1,
  /** CreateNetworkInterface (+ attach) with `n` secondary IPs, or `n` prefixes when `prefix`. */
  CREATE_ENI = 2,
  /** UnassignPrivateIpAddresses of the prefixes `cidrs` (with `lens`) on `eni`. */
  UNASSIGN_PREFIXES = 3,
  /** UnassignPrivateIpAddresses of the secondary IPs `cidrs` on `eni`. */
  UNASSIGN_IPS = 4,
  /** Detach and DeleteNetworkInterface of `eni`. */
  DELETE_ENI = 5,
}

/** How an EC2 call ended: InsufficientCidrBlocks / InsufficientFreeAddressesInSubnet, or any other error. */
export enum CallResult {
  OK = 0,
  INSUFFICIENT = 1,
  ERROR = 2,
}

export class PoolRequest {
  op = Ec2Op.NONE
  eni = -1
  n = 0
  prefix = false
  /** The bases of the CIDRs to release. */
  readonly cidrs: number[] = []
  /** Their prefix lengths. */
  readonly lens: number[] = []
}

/** The part of an action that runs. */
enum Phase {
  IDLE = 0,
  INCREASE = 1,
  DECREASE = 2,
  FREE_ENI = 3,
  CLEANUP = 4,
}

export class PoolCycle {
  readonly request = new PoolRequest()
  /** The increase's error (EC2Error): its assign calls failed with an error other than insufficient capacity. */
  error = false
  /** The last tick's decisions: the pool was low; a decrease ran; the ENI it freed (-1 if none). */
  lastLow = false
  lastDecreased = false
  lastFreedEni = -1

  private action = PoolAction.TICK
  private phase = Phase.IDLE
  private pd = false
  /** ENI keys the action walks (allocatable ENIs, or every ENI) and where it is. */
  private readonly list: number[] = []
  private listLength = 0
  private at = 0
  private readonly keys: number[] = []
  /** Increase: how many wanted, the CIDR limit per ENI, the retry with 1. */
  private want = 0
  private max = 0
  private retried = false
  /** Decrease: how many CIDRs still to release; how many released on the current ENI. */
  private over = 0
  private released = 0
  /** The secondary IPs to release once the prefixes' call is answered. */
  private readonly pendingIps: number[] = []
  private readonly pendingIpLens: number[] = []
  /** Tick: available addresses at its start; whether a decrease ran. */
  private startAvailable = 0
  private decreased = false

  constructor(readonly ds: Datastore) {}

  /** Whether an action waits on `request`. */
  get busy(): boolean {
    return this.phase !== Phase.IDLE
  }

  /** Begins an action at `now`; true when it waits on `request`, false when it finished. */
  start(action: PoolAction, now: number): boolean {
    if (this.busy) throw new Error("ipamd pool cycle: an action is still waiting on EC2")
    this.action = action
    this.error = false
    this.pd = this.ds.settings.mode === IpamMode.PD
    switch (action) {
      case PoolAction.TICK: {
        // updateIPPoolIfRequired (ipamd.go:796): the statistics once, at the start.
        const ds = this.ds
        this.startAvailable = ds.total - ds.assigned
        this.lastLow = poolTooLow(ds)
        this.lastFreedEni = -1
        this.decreased = false
        if (this.lastLow) return this.increase(now)
        if (poolTooHigh(ds) && !skipDecrease(ds, now)) {
          this.decreased = true
          this.lastDecreased = true
          return this.decrease(now)
        }
        this.lastDecreased = false
        return this.tickTail(now)
      }
      case PoolAction.INCREASE:
        return this.increase(now)
      case PoolAction.DECREASE:
        return this.decrease(now)
      case PoolAction.FREE_ENI:
        return this.freeEni(now)
      case PoolAction.CLEANUP:
        return this.cleanup(now)
    }
  }

  /**
   * The answer to `request` at `now`: `got` holds the granted /32 addresses or prefix bases (ASSIGN,
   * CREATE_ENI), `eni` the created ENI's key (CREATE_ENI). True when the action waits on the next `request`.
   */
  answer(result: CallResult, got: readonly number[], eni: number, now: number): boolean {
    const ds = this.ds
    const r = this.request
    switch (r.op) {
      case Ec2Op.ASSIGN:
        if (result === CallResult.OK) {
          // addENIsecondaryIPsToDataStore / addENIv4prefixesToDataStore (ipamd.go:1343, :1360).
          this.addGranted(r.eni, got)
          return this.finished(now)
        }
        if (!this.retried) {
          // tryAssignIPs / tryAssignPrefixes (ipamd.go:1138, :1228): after any failure, once more for 1.
          this.retried = true
          r.n = 1
          return true
        }
        if (result === CallResult.INSUFFICIENT && ds.settings.subnetDiscovery) {
          this.at++
          return this.assignNext(now)
        }
        // increaseDatastorePool (ipamd.go:987): insufficient capacity freezes growth; other errors are returned.
        if (result === CallResult.INSUFFICIENT) ds.lastInsufficient = now
        else this.error = true
        return this.finished(now)
      case Ec2Op.CREATE_ENI:
        // tryAllocateENI (ipamd.go:1050): a failure is never the increase's error.
        if (result === CallResult.OK) {
          ds.addEni(eni, false, false, false, now)
          this.addGranted(eni, got)
        } else if (result === CallResult.INSUFFICIENT) ds.lastInsufficient = now
        return this.finished(now)
      case Ec2Op.UNASSIGN_PREFIXES:
        // DeallocCidrs (ipamd.go:2684): the prefixes' call, then the secondary IPs' call.
        if (this.pendingIps.length > 0) {
          this.setRelease(Ec2Op.UNASSIGN_IPS, r.eni, this.pendingIps, this.pendingIpLens)
          this.pendingIps.length = 0
          this.pendingIpLens.length = 0
          return true
        }
        return this.afterRelease(now)
      case Ec2Op.UNASSIGN_IPS:
        return this.afterRelease(now)
      case Ec2Op.DELETE_ENI:
        return this.finished(now)
      case Ec2Op.NONE:
        throw new Error("ipamd pool cycle: an answer while no call is made")
    }
  }

  /** increaseDatastorePool (ipamd.go:968). */
  private increase(now: number): boolean {
    const ds = this.ds
    this.phase = Phase.INCREASE
    if (insufficientCidrCooling(ds, now)) return this.finished(now)
    const s = ds.settings
    if (this.pd) this.want = prefixesNeeded(ds)
    else {
      // tryAssignIPs (ipamd.go:1115): with targets defined and nothing short, straight to a new ENI.
      const defined = targetsDefined(s)
      const short = targetShort(ds)
      if (defined && short === 0) return this.createEni(now)
      this.want = defined ? short : s.maxIPsPerENI
    }
    this.max = cidrsPerEni(ds)
    this.listLength = allocatableEnis(ds, this.list)
    this.at = 0
    return this.assignNext(now)
  }

  /** The next allocatable ENI's assign call, or a new ENI when none is left. */
  private assignNext(now: number): boolean {
    while (this.at < this.listLength) {
      const e = this.ds.eni(this.list[this.at]!)
      if (e === undefined || e.cidrs.length >= this.max) {
        this.at++
        continue
      }
      const r = this.request
      r.op = Ec2Op.ASSIGN
      r.eni = e.key
      r.n = Math.min(this.max - e.cidrs.length, this.want)
      r.prefix = this.pd
      this.retried = false
      return true
    }
    return this.createEni(now)
  }

  /** increaseDatastorePool's second step: a new ENI when there is room and something to ask for. */
  private createEni(now: number): boolean {
    const ds = this.ds
    const n = roomForEni(ds) ? eniResources(ds) : 0
    if (n <= 0) return this.finished(now)
    const r = this.request
    r.op = Ec2Op.CREATE_ENI
    r.eni = -1
    r.n = n
    r.prefix = this.pd
    return true
  }

  private addGranted(eni: number, got: readonly number[]): void {
    const len = this.pd ? Ipamd.PREFIX_LENGTH : 32
    // An address already there is skipped (IPAlreadyInStore is not an error there).
    for (const g of got) this.ds.addCidr(eni, g, len, this.pd)
  }

  /** decreaseDatastorePool → tryUnassignCidrsFromAll (ipamd.go:892). */
  private decrease(now: number): boolean {
    const ds = this.ds
    this.phase = Phase.DECREASE
    this.over = targetsDefined(ds.settings) ? targetOver(ds) : extraPrefixes(ds)
    if (this.over <= 0) return this.finished(now)
    this.walkEveryEni()
    return this.releaseNext(now)
  }

  /** The ENIs of the datastore now (GetENIInfos), in map order. */
  private walkEveryEni(): void {
    let n = 0
    for (const e of this.ds.enis) this.list[n++] = e.key
    this.ds.eniOrder.arrange(this.list, n)
    this.listLength = n
    this.at = 0
  }

  /** On the next ENI with free CIDRs: the first `over` of them (FindFreeableCidrs, map order) leave the datastore. */
  private releaseNext(now: number): boolean {
    while (this.at < this.listLength) {
      const n = this.freeCidrKeys(this.list[this.at]!, 0)
      if (n === 0) {
        this.at++
        continue
      }
      return this.releaseKeys(this.list[this.at]!, Math.min(this.over, n), now)
    }
    return this.finished(now)
  }

  /** Writes into `keys` the map-order keys of the ENI's CIDRs without a pod (kind: 0 both, 1 prefixes, 2 /32s). */
  private freeCidrKeys(eni: number, kind: number): number {
    const e = this.ds.eni(eni)
    if (e === undefined) return 0
    let n = 0
    for (const c of e.cidrs) if (c.assigned === 0 && (kind === 0 || c.prefix === (kind === 1))) this.keys[n++] = c.key
    this.ds.order.arrange(this.keys, n)
    return n
  }

  /** Deletes the ENI's first `k` CIDRs of `keys` from the datastore and makes the first release call. */
  private releaseKeys(eni: number, k: number, now: number): boolean {
    const r = this.request
    r.cidrs.length = 0
    r.lens.length = 0
    this.pendingIps.length = 0
    this.pendingIpLens.length = 0
    this.released = 0
    const e = this.ds.eni(eni)!
    for (let i = 0; i < k; i++) {
      const key = this.keys[i]!
      let c = e.cidrs[0]!
      for (const x of e.cidrs) if (x.key === key) c = x
      const { base, len, prefix } = c
      // Not forced: a CIDR a pod took meanwhile stays (it cannot here: nothing runs in between).
      if (this.ds.delCidr(eni, base, len, false) !== 0) continue
      this.released++
      if (prefix) {
        r.cidrs.push(base)
        r.lens.push(len)
      } else {
        this.pendingIps.push(base)
        this.pendingIpLens.push(len)
      }
    }
    r.eni = eni
    if (this.released === 0) return this.afterRelease(now)
    if (r.cidrs.length > 0) {
      r.op = Ec2Op.UNASSIGN_PREFIXES
      return true
    }
    this.setRelease(Ec2Op.UNASSIGN_IPS, eni, this.pendingIps, this.pendingIpLens)
    this.pendingIps.length = 0
    this.pendingIpLens.length = 0
    return true
  }

  private setRelease(op: Ec2Op, eni: number, cidrs: readonly number[], lens: readonly number[]): void {
    const r = this.request
    r.op = op
    r.eni = eni
    r.cidrs.length = 0
    r.lens.length = 0
    for (let i = 0; i < cidrs.length; i++) {
      r.cidrs.push(cidrs[i]!)
      r.lens.push(lens[i]!)
    }
  }

  /** After an ENI's release calls: the decrease goes on while `over` > 0; the cleanup to the next ENI. */
  private afterRelease(now: number): boolean {
    this.at++
    if (this.phase === Phase.CLEANUP) return this.cleanNext(now)
    this.over -= this.released
    if (this.over <= 0) return this.finished(now)
    return this.releaseNext(now)
  }

  /** tryFreeENI (ipamd.go:849): RemoveUnusedENIFromStore, then EC2 deletes it. */
  private freeEni(now: number): boolean {
    const ds = this.ds
    this.phase = Phase.FREE_ENI
    const eni = deletableEni(ds, now)
    if (eni < 0) return this.finished(now)
    ds.removeEni(eni, false)
    this.lastFreedEni = eni
    const r = this.request
    r.op = Ec2Op.DELETE_ENI
    r.eni = eni
    return true
  }

  /**
   * nodeInit's cleanup (ipamd.go:574): in PD every ENI's free /32s go (tryUnassignIPsFromENIs, :2401), in SIP
   * its free prefixes (tryUnassignPrefixesFromENIs, :2444); one call per ENI with any.
   */
  private cleanup(now: number): boolean {
    this.phase = Phase.CLEANUP
    this.walkEveryEni()
    return this.cleanNext(now)
  }

  private cleanNext(now: number): boolean {
    while (this.at < this.listLength) {
      const eni = this.list[this.at]!
      const n = this.freeCidrKeys(eni, this.pd ? 2 : 1)
      if (n === 0) {
        this.at++
        continue
      }
      return this.releaseKeys(eni, n, now)
    }
    return this.finished(now)
  }

  /** A part of the action is over: a tick goes on to the ENI check, anything else ends. */
  private finished(now: number): boolean {
    if (this.action === PoolAction.TICK && this.phase !== Phase.FREE_ENI) return this.tickTail(now)
    return this.end(now)
  }

  /** updateIPPoolIfRequired's ENI check, with `available` from the start of the cycle. */
  private tickTail(now: number): boolean {
    if (shouldRemoveExtraEnis(this.ds, this.startAvailable)) return this.freeEni(now)
    return this.end(now)
  }

  private end(now: number): boolean {
    // ipamd.go:820: after a decrease ran, even one that released nothing.
    if (this.action === PoolAction.TICK && this.decreased) this.ds.lastDecrease = now
    this.phase = Phase.IDLE
    this.request.op = Ec2Op.NONE
    return false
  }
}
