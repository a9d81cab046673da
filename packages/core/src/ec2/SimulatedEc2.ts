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
}

export class SimulatedEc2 implements Ec2 {
  private readonly enis: Eni[] = []
  /** Secondary addresses held by all ENIs: secondary IPs plus 16 per prefix (primaries excluded). */
  secondaryHeld = 0

  /** Launches an instance: its primary ENI takes a primary address. Returns the ENI id, or -1 if the subnet is full. */
  launch(subnet: Subnet, slots: number): number {
    const primaryIp = subnet.allocatePrimaryIp()
    if (primaryIp < 0) return -1
    this.enis.push({ subnet, primaryIp, slots, ips: new Set(), prefixes: new Set(), alive: true })
    return this.enis.length - 1
  }

  /** Terminates the instance behind an ENI: every address it held goes back to the subnet. */
  terminate(eni: number): void {
    const e = this.enis[eni]
    if (e === undefined || !e.alive) return
    for (const ip of e.ips) e.subnet.releaseIp(ip)
    for (const p of e.prefixes) e.subnet.releasePrefix(p)
    this.secondaryHeld -= e.ips.size + 16 * e.prefixes.size
    e.subnet.releaseIp(e.primaryIp)
    e.ips.clear()
    e.prefixes.clear()
    e.alive = false
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
