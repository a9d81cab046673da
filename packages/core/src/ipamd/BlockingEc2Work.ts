// The EC2 work behind one pool action, as ipamd does it while its pool manager waits (cni-ipamd.md §5, §6.2,
// §8; pkg/awsutils/awsutils.go AllocENI, FreeENI, waitForENIAndIPsAttached): an assign is one
// AssignPrivateIpAddresses; a new ENI is [DescribeSubnets] → CreateNetworkInterface (per subnet tried) →
// DescribeInstances → AttachNetworkInterface → ModifyNetworkInterfaceAttribute → polling instance metadata
// until the ENI shows; a release is one UnassignPrivateIpAddresses; freeing an ENI is
// DescribeNetworkInterfaces → DetachNetworkInterface → 2 s → DeleteNetworkInterface. Every call goes through
// the account's buckets with ipamd's SDK retryer (Ec2Calls, Caller.IPAMD).

import { Ec2Action, Ec2Code } from "../ec2/Ec2.ts"
import { Caller, type Ec2Calls } from "../ec2/Ec2Calls.ts"
import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import type { Subnet } from "../ec2/Subnet.ts"
import type { Rng } from "../kernel/Rng.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import type { SubnetUse } from "../metrics/SubnetUse.ts"
import { IpamdEvent } from "./IpamdEvent.ts"
import type { LinuxNode } from "./LinuxNode.ts"
import { CallResult, Ec2Op } from "./PoolCycle.ts"

/** Steps of the work in flight (LinuxNode.step). */
enum Step {
  ASSIGN = 0,
  DESCRIBE_SUBNETS = 1,
  CREATE = 2,
  DESCRIBE_INSTANCE = 3,
  ATTACH = 4,
  MODIFY = 5,
  IMDS_WAIT = 6,
  DELETE_FAILED_ATTACH = 7,
  UNASSIGN = 8,
  DESCRIBE_ENI = 9,
  DETACH = 10,
  DETACH_WAIT = 11,
  DELETE = 12,
}

/** The code of a CALL event that ends a wait rather than answering a call. */
const TIMER = 100

/** waitForENIAndIPsAttached: up to 12 polls, sleeping 100 ms doubling (cap 60 s), each +0–15 % jitter. */
const IMDS_POLLS = 12
const IMDS_FIRST_SLEEP_MS = 100
const IMDS_MAX_SLEEP_MS = 60_000
/** FreeENI: the pause between detach and delete. */
const DETACH_TO_DELETE_MS = 2_000

/** What the work tells the pool manager when the request is answered. */
export type AnswerSink = (ln: LinuxNode, result: CallResult, eni: number) => void

export class BlockingEc2Work {
  constructor(
    private readonly sim: Simulation,
    private readonly ec2: SimulatedEc2,
    private readonly calls: Ec2Calls,
    private readonly subnets: readonly Subnet[],
    private readonly subnetUse: SubnetUse,
    /** Time after the attach until instance metadata shows the new ENI. */
    private readonly visibility: (rng: Rng) => number,
    private readonly rng: Rng,
    private readonly answer: AnswerSink,
  ) {}

  /** Starts the EC2 work of the node's cycle's request. */
  begin(ln: LinuxNode): void {
    const req = ln.cycle.request
    ln.got.length = 0
    switch (req.op) {
      case Ec2Op.ASSIGN:
        ln.pending = req.prefix ? 16 * req.n : req.n
        this.call(ln, Step.ASSIGN, Ec2Action.AssignPrivateIpAddresses)
        break
      case Ec2Op.CREATE_ENI:
        ln.pending = req.prefix ? 16 * req.n : req.n
        this.candidateSubnets(ln)
        // Custom networking without an ENIConfig: ipamd finds no subnet for the ENI and gives up this cycle.
        if (ln.subnets.length === 0) this.done(ln, CallResult.ERROR, -1)
        else if (!ln.ds.settings.customNetworking && ln.ds.settings.subnetDiscovery)
          this.call(ln, Step.DESCRIBE_SUBNETS, Ec2Action.DescribeSubnets)
        else this.call(ln, Step.CREATE, Ec2Action.CreateNetworkInterface)
        break
      case Ec2Op.UNASSIGN_IPS:
      case Ec2Op.UNASSIGN_PREFIXES:
        this.call(ln, Step.UNASSIGN, Ec2Action.UnassignPrivateIpAddresses)
        break
      case Ec2Op.DELETE_ENI:
        this.call(ln, Step.DESCRIBE_ENI, Ec2Action.DescribeNetworkInterfaces)
        break
      default:
        throw new Error(`ipamd: no EC2 work for request ${req.op}`)
    }
  }

  /** The node leaves mid-way: an ENI created and not attached yet goes too (it would leak otherwise). */
  abandon(ln: LinuxNode): void {
    if (ln.newEni >= 0 && ln.step >= Step.DESCRIBE_INSTANCE && ln.step <= Step.ATTACH) this.deleteEni(ln.newEni)
    ln.newEni = -1
  }

  /** A CALL event: an answer (code) or the end of a wait (TIMER). */
  onCall(ln: LinuxNode, code: number): void {
    if (!ln.alive) return
    const req = ln.cycle.request
    const now = this.sim.now
    const ok = code === Ec2Code.Ok || code === TIMER
    switch (ln.step) {
      case Step.ASSIGN: {
        let result = ok ? CallResult.OK : this.failure(code)
        if (ok) {
          const subnet = this.ec2.subnetOf(req.eni)
          const c = req.prefix
            ? this.ec2.assignPrefixes(req.eni, req.n, ln.got)
            : this.ec2.assignIps(req.eni, req.n, ln.got)
          if (c !== Ec2Code.Ok) {
            result = this.failure(c)
            this.calls.fail(Ec2Action.AssignPrivateIpAddresses, Caller.IPAMD)
          }
          if (subnet !== undefined) this.touchSubnet(subnet, c, now)
        }
        this.done(ln, result, -1)
        return
      }
      case Step.DESCRIBE_SUBNETS:
        // DescribeSubnets failing: ipamd falls back to the node's own subnet.
        if (!ok) {
          ln.subnets.length = 0
          ln.subnets.push(ln.node.subnetIndex)
        }
        this.call(ln, Step.CREATE, Ec2Action.CreateNetworkInterface)
        return
      case Step.CREATE: {
        let result = ok ? CallResult.OK : this.failure(code)
        if (ok) {
          const si = ln.subnets[ln.subnetAt]!
          const subnet = this.subnets[si]!
          const id = this.ec2.createEni(subnet, ln.slotsPerEni, req.n, req.prefix, ln.got)
          if (id >= 0) {
            ln.newEni = id
            if (si !== ln.node.subnetIndex) ln.otherSubnets = true
            this.subnetUse.touch(si, now)
            this.call(ln, Step.DESCRIBE_INSTANCE, Ec2Action.DescribeInstances)
            return
          }
          this.calls.fail(Ec2Action.CreateNetworkInterface, Caller.IPAMD)
          this.touchSubnet(subnet, -id as Ec2Code, now)
          result = this.failure(-id)
        }
        // The next eligible subnet, if any (subnet discovery tries them in order until one works).
        if (++ln.subnetAt < ln.subnets.length) {
          this.call(ln, Step.CREATE, Ec2Action.CreateNetworkInterface)
          return
        }
        this.done(ln, result, -1)
        return
      }
      case Step.DESCRIBE_INSTANCE:
        // The free device index comes from DescribeInstances: without it the attach fails (awsutils.go AllocENI).
        if (ok) this.call(ln, Step.ATTACH, Ec2Action.AttachNetworkInterface)
        else this.call(ln, Step.DELETE_FAILED_ATTACH, Ec2Action.DeleteNetworkInterface)
        return
      case Step.ATTACH:
        if (ok && this.ec2.attach(ln.newEni, ln.node.eni) === Ec2Code.Ok) {
          this.call(ln, Step.MODIFY, Ec2Action.ModifyNetworkInterfaceAttribute)
          return
        }
        // A failed attach deletes the new ENI.
        this.call(ln, Step.DELETE_FAILED_ATTACH, Ec2Action.DeleteNetworkInterface)
        return
      case Step.MODIFY:
        if (!ok) {
          // DeleteOnTermination not set: ipamd frees the new ENI (detach, delete) and the allocation fails.
          this.ec2.detach(ln.newEni)
          this.call(ln, Step.DELETE_FAILED_ATTACH, Ec2Action.DeleteNetworkInterface)
          return
        }
        ln.step = Step.IMDS_WAIT
        this.sim.events.push(now + this.imdsWait(), IpamdEvent.CALL, ln.node.index, TIMER)
        return
      case Step.IMDS_WAIT:
        this.done(ln, CallResult.OK, ln.newEni)
        return
      case Step.DELETE_FAILED_ATTACH:
        // A delete that fails too leaves the ENI in EC2 (ipamd's leaked-ENI cleanup is not modelled).
        if (ok) this.deleteEni(ln.newEni)
        this.done(ln, CallResult.ERROR, -1)
        return
      case Step.UNASSIGN: {
        const subnet = this.ec2.subnetOf(req.eni)
        if (ok) {
          if (req.op === Ec2Op.UNASSIGN_PREFIXES) this.ec2.unassignPrefixes(req.eni, req.cidrs)
          else this.ec2.unassignIps(req.eni, req.cidrs)
          if (subnet !== undefined) this.touchSubnet(subnet, Ec2Code.Ok, now)
        }
        this.done(ln, ok ? CallResult.OK : CallResult.ERROR, -1)
        return
      }
      case Step.DESCRIBE_ENI:
        // freeENI needs the attachment id: without it the ENI stays where it is.
        if (ok) this.call(ln, Step.DETACH, Ec2Action.DetachNetworkInterface)
        else this.done(ln, CallResult.ERROR, -1)
        return
      case Step.DETACH:
        if (!ok) {
          this.done(ln, CallResult.ERROR, -1)
          return
        }
        this.ec2.detach(req.eni)
        ln.step = Step.DETACH_WAIT
        this.sim.events.push(now + DETACH_TO_DELETE_MS, IpamdEvent.CALL, ln.node.index, TIMER)
        return
      case Step.DETACH_WAIT:
        this.call(ln, Step.DELETE, Ec2Action.DeleteNetworkInterface)
        return
      case Step.DELETE:
        if (ok) this.deleteEni(req.eni)
        this.done(ln, ok ? CallResult.OK : CallResult.ERROR, -1)
        return
    }
  }

  private call(ln: LinuxNode, step: Step, action: Ec2Action): void {
    ln.step = step
    this.calls.call(action, IpamdEvent.CALL, ln.node.index, Caller.IPAMD)
  }

  private done(ln: LinuxNode, result: CallResult, eni: number): void {
    ln.pending = 0
    ln.newEni = -1
    this.answer(ln, result, eni)
  }

  private failure(code: number): CallResult {
    return code === Ec2Code.InsufficientCidrBlocks || code === Ec2Code.InsufficientFreeAddressesInSubnet
      ? CallResult.INSUFFICIENT
      : CallResult.ERROR
  }

  private deleteEni(eni: number): void {
    const subnet = this.ec2.subnetOf(eni)
    this.ec2.deleteEni(eni)
    if (subnet !== undefined) this.touchSubnet(subnet, Ec2Code.Ok, this.sim.now)
  }

  private touchSubnet(subnet: Subnet, code: number, now: number): void {
    const si = this.subnets.indexOf(subnet)
    if (si < 0) return
    const tr = this.subnetUse.trackers[si]!
    if (code === Ec2Code.InsufficientFreeAddressesInSubnet) tr.insufficientErrors++
    else if (code === Ec2Code.InsufficientCidrBlocks) tr.prefixErrors++
    this.subnetUse.touch(si, now)
  }

  /**
   * Subnets a new ENI may go to, in the order ipamd tries them: the ENIConfig subnet under custom networking;
   * else with subnet discovery the node's subnet (unless tagged kubernetes.io/role/cni=0) and the subnets
   * tagged for the CNI, most free addresses first; else the node's subnet.
   */
  private candidateSubnets(ln: LinuxNode): void {
    const list = ln.subnets
    list.length = 0
    ln.subnetAt = 0
    if (ln.ds.settings.customNetworking) {
      if (ln.eniConfigSubnet >= 0) list.push(ln.eniConfigSubnet)
      return
    }
    const own = ln.node.subnetIndex
    if (!ln.ds.settings.subnetDiscovery) {
      list.push(own)
      return
    }
    for (let i = 0; i < this.subnets.length; i++) {
      const role = this.subnets[i]!.cniRole
      if (i === own ? role !== false : role === true) list.push(i)
    }
    // Sorted by AvailableIpAddressCount, descending (a stable sort: ties keep the scenario's order).
    list.sort((a, b) => this.subnets[b]!.freeOutsideReservations - this.subnets[a]!.freeOutsideReservations)
  }

  /** The polls' schedule until the ENI is visible: the first poll at or after the visibility time answers. */
  private imdsWait(): number {
    const visible = this.visibility(this.rng)
    let t = 0
    let sleep = IMDS_FIRST_SLEEP_MS
    for (let i = 0; i < IMDS_POLLS; i++) {
      if (t >= visible) return t
      t += Math.round(sleep * (1 + 0.15 * this.rng.float()))
      sleep = Math.min(sleep * 2, IMDS_MAX_SLEEP_MS)
    }
    return t
  }
}
