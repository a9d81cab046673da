// One simulated AWS account: a SimulatedEc2 plus the string identities EC2 shows (subnet-…, i-…, eni-…)
// mapped to the kernel's numeric ENIs and Subnet objects. The kernel never sees this class; it exists so
// that SDK-shaped code (SdkEc2) and tests can talk about resources by their EC2 ids.

import { Ec2Code } from "@ipamsim/core/ec2/Ec2"
import { limitsOf, type VpcLimits } from "@ipamsim/core/ec2/InstanceLimits"
import { parseCidr } from "@ipamsim/core/ec2/Ipv4"
import { SimulatedEc2 } from "@ipamsim/core/ec2/SimulatedEc2"
import { Subnet } from "@ipamsim/core/ec2/Subnet"
import { Rng } from "@ipamsim/core/kernel/Rng"

export interface SimSubnet {
  readonly subnetId: string
  readonly vpcId: string
  readonly availabilityZone: string
  readonly subnet: Subnet
}

export interface SimEni {
  readonly networkInterfaceId: string
  /** The kernel's ENI number in SimulatedEc2. */
  readonly eni: number
  readonly subnetId: string
  readonly description: string
  /** The instance the ENI is attached to (device index 0), if any. */
  readonly instanceId: string | undefined
}

export interface SimInstance {
  readonly instanceId: string
  readonly instanceType: string
  readonly platform: "windows" | "linux"
  readonly subnetId: string
  readonly tags: Readonly<Record<string, string>>
  readonly networkInterfaceId: string
  readonly reservationId: string
  state: "running" | "terminated"
}

export interface CreateSubnetOptions {
  readonly cidr: string
  readonly subnetId?: string
  readonly availabilityZone?: string
  /** Addresses taken by consumers the account does not show as ENIs (as in a scenario file). */
  readonly usedByOthers?: { readonly count?: number; readonly ranges?: readonly string[] }
  readonly prefixReservations?: readonly string[]
}

export interface LaunchInstanceOptions {
  readonly subnetId: string
  readonly instanceType: string
  readonly instanceId?: string
  /** Default "windows": the simulator is about Windows nodes. */
  readonly platform?: "windows" | "linux"
  readonly tags?: Readonly<Record<string, string>>
}

export interface CreateNetworkInterfaceOptions {
  readonly subnetId: string
  /** Secondary addresses to assign at creation, standing for another consumer's use of the subnet. */
  readonly secondaryIpCount?: number
  readonly prefixCount?: number
  readonly description?: string
}

export interface SimAccountOptions {
  readonly seed?: number
  readonly accountId?: string
  readonly region?: string
  /** Limits for instance types missing from the bundled table. */
  readonly extraLimits?: ReadonlyMap<string, VpcLimits>
}

/** EC2-looking ids: a prefix and 17 hex digits, numbered in creation order so runs are reproducible. */
const makeId = (prefix: string, n: number): string => `${prefix}-${n.toString(16).padStart(17, "0")}`

export class SimAccount {
  readonly ec2 = new SimulatedEc2()
  readonly accountId: string
  readonly region: string
  readonly vpcId: string
  private readonly seed: number
  private readonly extraLimits: ReadonlyMap<string, VpcLimits> | undefined
  private readonly subnetsById = new Map<string, SimSubnet>()
  private readonly instancesById = new Map<string, SimInstance>()
  private readonly enisById = new Map<string, SimEni>()
  private idCounter = 0
  private requestCounter = 0

  constructor(options: SimAccountOptions = {}) {
    this.seed = options.seed ?? 1
    this.accountId = options.accountId ?? "123456789012"
    this.region = options.region ?? "us-west-2"
    this.extraLimits = options.extraLimits
    this.vpcId = this.nextId("vpc")
  }

  createSubnet(options: CreateSubnetOptions): SimSubnet {
    const subnetId = options.subnetId ?? this.nextId("subnet")
    if (this.subnetsById.has(subnetId)) throw new Error(`SimAccount: subnet ${subnetId} already exists`)
    const cidr = parseCidr(options.cidr)
    if (typeof cidr === "string") throw new Error(`SimAccount: subnet ${subnetId}: ${cidr}`)
    const cidrOf = (text: string) => {
      const c = parseCidr(text)
      if (typeof c === "string") throw new Error(`SimAccount: subnet ${subnetId}: ${c}`)
      return c
    }
    const subnet = new Subnet({
      id: subnetId,
      cidr,
      // One stream per subnet id, as the kernel does, so adding a subnet never shifts another's picks.
      rng: Rng.stream(this.seed, `subnet:${subnetId}`),
      usedByOthers: {
        count: options.usedByOthers?.count ?? 0,
        ranges: (options.usedByOthers?.ranges ?? []).map(cidrOf),
      },
      prefixReservations: (options.prefixReservations ?? []).map(cidrOf),
    })
    const s: SimSubnet = {
      subnetId,
      vpcId: this.vpcId,
      availabilityZone: options.availabilityZone ?? `${this.region}a`,
      subnet,
    }
    this.subnetsById.set(subnetId, s)
    return s
  }

  /** Launches an instance with its primary ENI; throws when the subnet has no address left. */
  launchInstance(options: LaunchInstanceOptions): SimInstance {
    const s = this.requireSubnet(options.subnetId)
    const limits = limitsOf(options.instanceType, this.extraLimits)
    // Checked before the launch takes an address, so a refused instance leaves the subnet as it was.
    const instanceId = options.instanceId ?? this.nextId("i")
    if (this.instancesById.has(instanceId)) throw new Error(`SimAccount: instance ${instanceId} already exists`)
    const eni = this.ec2.launch(s.subnet, limits.IPv4PerInterface)
    if (eni < 0) throw new Error(`SimAccount: subnet ${s.subnetId} has no free address for a new instance`)
    const networkInterfaceId = this.nextId("eni")
    const instance: SimInstance = {
      instanceId,
      instanceType: options.instanceType,
      platform: options.platform ?? "windows",
      subnetId: s.subnetId,
      tags: { ...options.tags },
      networkInterfaceId,
      reservationId: this.nextId("r"),
      state: "running",
    }
    this.instancesById.set(instanceId, instance)
    this.enisById.set(networkInterfaceId, {
      networkInterfaceId,
      eni,
      subnetId: s.subnetId,
      description: "",
      instanceId,
    })
    return instance
  }

  /** An unattached ENI holding addresses: another consumer of the subnet (a load balancer, Lambda, ...). */
  createNetworkInterface(options: CreateNetworkInterfaceOptions): SimEni {
    const s = this.requireSubnet(options.subnetId)
    const ips = options.secondaryIpCount ?? 0
    const prefixes = options.prefixCount ?? 0
    const eni = this.ec2.launch(s.subnet, 1 + ips + prefixes)
    if (eni < 0) throw new Error(`SimAccount: subnet ${s.subnetId} has no free address for a new ENI`)
    const out: number[] = []
    if (ips > 0 && this.ec2.assignIps(eni, ips, out) !== Ec2Code.Ok)
      throw new Error(`SimAccount: subnet ${s.subnetId} has no room for ${ips} more addresses`)
    if (prefixes > 0 && this.ec2.assignPrefixes(eni, prefixes, out) !== Ec2Code.Ok)
      throw new Error(`SimAccount: subnet ${s.subnetId} has no room for ${prefixes} more prefixes`)
    const e: SimEni = {
      networkInterfaceId: this.nextId("eni"),
      eni,
      subnetId: s.subnetId,
      description: options.description ?? "",
      instanceId: undefined,
    }
    this.enisById.set(e.networkInterfaceId, e)
    return e
  }

  /** Terminates an instance: its ENI and every address on it go back to the subnet. */
  terminateInstance(instanceId: string): void {
    const i = this.instancesById.get(instanceId)
    if (i === undefined || i.state === "terminated") return
    const e = this.enisById.get(i.networkInterfaceId)
    if (e !== undefined) {
      this.ec2.terminate(e.eni)
      this.enisById.delete(i.networkInterfaceId)
    }
    i.state = "terminated"
  }

  subnet(subnetId: string): SimSubnet | undefined {
    return this.subnetsById.get(subnetId)
  }

  instance(instanceId: string): SimInstance | undefined {
    return this.instancesById.get(instanceId)
  }

  networkInterface(networkInterfaceId: string): SimEni | undefined {
    return this.enisById.get(networkInterfaceId)
  }

  subnets(): readonly SimSubnet[] {
    return [...this.subnetsById.values()]
  }

  instances(): readonly SimInstance[] {
    return [...this.instancesById.values()]
  }

  networkInterfaces(): readonly SimEni[] {
    return [...this.enisById.values()]
  }

  /** A fresh request id for a response, deterministic in call order. */
  nextRequestId(): string {
    const n = ++this.requestCounter
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`
  }

  private nextId(prefix: string): string {
    return makeId(prefix, ++this.idCounter)
  }

  private requireSubnet(subnetId: string): SimSubnet {
    const s = this.subnetsById.get(subnetId)
    if (s === undefined) throw new Error(`SimAccount: no subnet ${subnetId}`)
    return s
  }
}
