// EC2's side of the simulation: instances with their primary ENI, and the addresses and prefixes assigned
// to it, carved out of Subnet objects. Calls are instantaneous here; latency, throttling and faults are
// applied by Ec2Calls before the kernel reaches this object.

import { type Ec2, Ec2Code } from "./Ec2.ts"
import type { Ipv4 } from "./Ipv4.ts"
import type { Subnet } from "./Subnet.ts"

interface Eni {
  readonly subnet: Subnet
  readonly primaryIp: Ipv4
  /** IPv4PerInterface: slots including the primary address; a prefix takes one slot. */
  readonly slots: number
  readonly ips: Set<Ipv4>
  readonly prefixes: Set<Ipv4>
  alive: boolean
  /** An instance's primary ENI: the ENIs attached to it besides (ipamd's), which go when it terminates. */
  readonly attached: number[]
  /** A created ENI: the instance's primary ENI it is attached to, or -1. */
  attachedTo: number
}

export class SimulatedEc2 implements Ec2 {
  private readonly enis: Eni[] = []
  /** Secondary addresses held by all ENIs: secondary IPs plus 16 per prefix (primaries excluded). */
  secondaryHeld = 0

  /** Launches an instance: its primary ENI takes a primary address. Returns the ENI id, or -1 if the subnet is full. */
  launch(subnet: Subnet, slots: number): number {
    const primaryIp = subnet.allocatePrimaryIp()
    if (primaryIp < 0) return -1
    this.enis.push({
      subnet,
      primaryIp,
      slots,
      ips: new Set(),
      prefixes: new Set(),
      alive: true,
      attached: [],
      attachedTo: -1,
    })
    return this.enis.length - 1
  }

  /** Primary addresses of created ENIs that are alive (ipamd's ENIs: neither pods' nor the nodes' own). */
  createdPrimaries = 0

  /**
   * CreateNetworkInterface in `subnet` with `count` secondary IPs, or `count` prefixes (Ipv4PrefixCount):
   * the ENI's id (≥ 0), its addresses or /28 bases in `out`; or an error code as a negative number. All or
   * nothing.
   */
  createEni(subnet: Subnet, slots: number, count: number, prefix: boolean, out: Ipv4[]): number {
    if (count > slots - 1) return -Ec2Code.PrivateIpAddressLimitExceeded
    if (prefix) {
      // The primary address may break an aligned block: it is taken first, then the blocks are counted.
      if (subnet.freeOutsideReservations < 1) return -Ec2Code.InsufficientFreeAddressesInSubnet
      const primaryIp = subnet.allocatePrimaryIp()
      if (subnet.freeAlignedBlocks < count) {
        subnet.releaseIp(primaryIp)
        return -Ec2Code.InsufficientCidrBlocks
      }
      const e = this.created(subnet, primaryIp, slots)
      for (let i = 0; i < count; i++) {
        const p = subnet.allocatePrefix()
        e.prefixes.add(p)
        out.push(p)
      }
      this.secondaryHeld += 16 * count
    } else {
      if (subnet.freeOutsideReservations < 1 + count) return -Ec2Code.InsufficientFreeAddressesInSubnet
      const e = this.created(subnet, subnet.allocatePrimaryIp(), slots)
      for (let i = 0; i < count; i++) {
        const ip = subnet.allocateIp()
        e.ips.add(ip)
        out.push(ip)
      }
      this.secondaryHeld += count
    }
    return this.enis.length - 1
  }

  private created(subnet: Subnet, primaryIp: Ipv4, slots: number): Eni {
    const e: Eni = {
      subnet,
      primaryIp,
      slots,
      ips: new Set(),
      prefixes: new Set(),
      alive: true,
      attached: [],
      attachedTo: -1,
    }
    this.enis.push(e)
    this.createdPrimaries++
    return e
  }

  /** AttachNetworkInterface: `eni` to the instance whose primary ENI is `instanceEni`. */
  attach(eni: number, instanceEni: number): Ec2Code {
    const e = this.live(eni)
    const i = this.live(instanceEni)
    if (e === undefined || i === undefined) return Ec2Code.InvalidNetworkInterfaceId
    e.attachedTo = instanceEni
    i.attached.push(eni)
    return Ec2Code.Ok
  }

  /** DetachNetworkInterface. */
  detach(eni: number): Ec2Code {
    const e = this.live(eni)
    if (e === undefined) return Ec2Code.InvalidNetworkInterfaceId
    if (e.attachedTo >= 0) {
      const list = this.enis[e.attachedTo]!.attached
      const at = list.indexOf(eni)
      if (at >= 0) list.splice(at, 1)
      e.attachedTo = -1
    }
    return Ec2Code.Ok
  }

  /** DeleteNetworkInterface: every address it held, its primary included, goes back to the subnet. */
  deleteEni(eni: number): Ec2Code {
    const e = this.live(eni)
    if (e === undefined) return Ec2Code.InvalidNetworkInterfaceId
    this.detach(eni)
    this.release(e)
    this.createdPrimaries--
    return Ec2Code.Ok
  }

  /** The subnet of a live ENI. */
  subnetOf(eni: number): Subnet | undefined {
    return this.live(eni)?.subnet
  }

  /** Terminates the instance behind an ENI: every address it and its attached ENIs held goes back to the subnets. */
  terminate(eni: number): void {
    const e = this.enis[eni]
    if (e === undefined || !e.alive) return
    for (const a of e.attached) {
      const x = this.enis[a]!
      // DeleteOnTermination (ipamd sets it right after the attach).
      if (x.alive) {
        this.release(x)
        this.createdPrimaries--
      }
    }
    e.attached.length = 0
    this.release(e)
  }

  private release(e: Eni): void {
    for (const ip of e.ips) e.subnet.releaseIp(ip)
    for (const p of e.prefixes) e.subnet.releasePrefix(p)
    this.secondaryHeld -= e.ips.size + 16 * e.prefixes.size
    e.subnet.releaseIp(e.primaryIp)
    e.ips.clear()
    e.prefixes.clear()
    e.alive = false
  }

  /** Subnets an instance's ENIs take addresses from (its primary ENI's first), for metrics after a change. */
  subnetsOfInstance(eni: number, out: Subnet[]): void {
    const e = this.enis[eni]
    if (e === undefined) return
    out.push(e.subnet)
    for (const a of e.attached) out.push(this.enis[a]!.subnet)
  }

  primaryIp(eni: number): Ipv4 {
    return this.enis[eni]?.primaryIp ?? -1
  }

  heldCount(eni: number): { ips: number; prefixes: number } {
    const e = this.enis[eni]
    return e === undefined ? { ips: 0, prefixes: 0 } : { ips: e.ips.size, prefixes: e.prefixes.size }
  }

  remainingSlots(eni: number): number {
    const e = this.enis[eni]
    return e === undefined || !e.alive ? 0 : e.slots - 1 - e.ips.size - e.prefixes.size
  }

  assignIps(eni: number, count: number, out: Ipv4[]): Ec2Code {
    const e = this.live(eni)
    if (e === undefined) return Ec2Code.InvalidNetworkInterfaceId
    if (count > this.remainingSlots(eni)) return Ec2Code.PrivateIpAddressLimitExceeded
    if (e.subnet.freeOutsideReservations < count) return Ec2Code.InsufficientFreeAddressesInSubnet
    for (let i = 0; i < count; i++) {
      const ip = e.subnet.allocateIp()
      e.ips.add(ip)
      out.push(ip)
    }
    this.secondaryHeld += count
    return Ec2Code.Ok
  }

  assignPrefixes(eni: number, count: number, out: Ipv4[]): Ec2Code {
    const e = this.live(eni)
    if (e === undefined) return Ec2Code.InvalidNetworkInterfaceId
    if (count > this.remainingSlots(eni)) return Ec2Code.PrivateIpAddressLimitExceeded
    if (e.subnet.freeAlignedBlocks < count) return Ec2Code.InsufficientCidrBlocks
    for (let i = 0; i < count; i++) {
      const p = e.subnet.allocatePrefix()
      e.prefixes.add(p)
      out.push(p)
    }
    this.secondaryHeld += 16 * count
    return Ec2Code.Ok
  }

  unassignIps(eni: number, ips: readonly Ipv4[]): Ec2Code {
    const e = this.live(eni)
    if (e === undefined) return Ec2Code.InvalidNetworkInterfaceId
    for (const ip of ips) {
      if (e.ips.delete(ip)) {
        e.subnet.releaseIp(ip)
        this.secondaryHeld--
      }
    }
    return Ec2Code.Ok
  }

  unassignPrefixes(eni: number, prefixes: readonly Ipv4[]): Ec2Code {
    const e = this.live(eni)
    if (e === undefined) return Ec2Code.InvalidNetworkInterfaceId
    for (const p of prefixes) {
      if (e.prefixes.delete(p)) {
        e.subnet.releasePrefix(p)
        this.secondaryHeld -= 16
      }
    }
    return Ec2Code.Ok
  }

  describeEni(eni: number, ips: Ipv4[], prefixes: Ipv4[]): Ec2Code {
    const e = this.live(eni)
    if (e === undefined) return Ec2Code.InvalidNetworkInterfaceId
    for (const ip of e.ips) ips.push(ip)
    for (const p of e.prefixes) prefixes.push(p)
    return Ec2Code.Ok
  }

  /** Every ENI's holdings, for invariant checks. */
  allHoldings(): Array<{ eni: number; subnet: Subnet; primaryIp: Ipv4; ips: Ipv4[]; prefixes: Ipv4[] }> {
    const out = []
    for (let i = 0; i < this.enis.length; i++) {
      const e = this.enis[i]!
      if (!e.alive) continue
      out.push({ eni: i, subnet: e.subnet, primaryIp: e.primaryIp, ips: [...e.ips], prefixes: [...e.prefixes] })
    }
    return out
  }

  private live(eni: number): Eni | undefined {
    const e = this.enis[eni]
    return e?.alive ? e : undefined
  }
}
