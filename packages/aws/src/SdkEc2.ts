// An EC2Client served from a SimAccount: a middleware at the top of the client's stack (step
// "initialize", research/ecosystem.md §6) answers the commands the VPC Resource Controller makes for
// Windows IPAM, so code written against the real SDK (`client.send(new AssignPrivateIpAddressesCommand(…))`)
// runs against a simulated account. Nothing below the middleware runs: no serialization, signing, retries
// or HTTP, so a call never leaves the process. Outputs use the SDK's own types; errors are the
// EC2ServiceException the SDK would throw (Ec2Errors.ts).

import {
  type AssignPrivateIpAddressesCommandInput,
  type AssignPrivateIpAddressesCommandOutput,
  type DescribeInstancesCommandInput,
  type DescribeInstancesCommandOutput,
  type DescribeNetworkInterfacesCommandInput,
  type DescribeNetworkInterfacesCommandOutput,
  type DescribeSubnetsCommandInput,
  type DescribeSubnetsCommandOutput,
  EC2Client,
  type EC2ClientConfig,
  type Subnet as Ec2Subnet,
  type Filter,
  type Instance,
  type InstanceNetworkInterface,
  type NetworkInterface,
  type Reservation,
  type UnassignPrivateIpAddressesCommandInput,
  type UnassignPrivateIpAddressesCommandOutput,
} from "@aws-sdk/client-ec2"
import { Ec2Code, ec2CodeName } from "@ipamsim/core/ec2/Ec2"
import { formatIpv4, type Ipv4, parseCidr, parseIpv4 } from "@ipamsim/core/ec2/Ipv4"
import { ec2Error } from "./Ec2Errors.ts"
import type { SimAccount, SimEni, SimInstance, SimSubnet } from "./SimAccount.ts"

/** The commands the adapter answers; any other command fails with UnsupportedOperation. */
export const SIMULATED_COMMANDS = [
  "AssignPrivateIpAddressesCommand",
  "UnassignPrivateIpAddressesCommand",
  "DescribeNetworkInterfacesCommand",
  "DescribeInstancesCommand",
  "DescribeSubnetsCommand",
] as const

export const SIMULATED_EC2_MIDDLEWARE = "ipamsimSimulatedEc2"

/** Adds the simulated backend to an existing client (once); returns the client. */
export const serveFromSimAccount = (client: EC2Client, account: SimAccount): EC2Client => {
  const backend = new SdkEc2Backend(account)
  client.middlewareStack.add(
    (_next, context) => async (args) => ({
      output: backend.handle(context.commandName ?? "(unknown command)", args.input) as never,
      response: {},
    }),
    { step: "initialize", priority: "high", name: SIMULATED_EC2_MIDDLEWARE },
  )
  return client
}

/** A new EC2Client answered by the account: placeholder credentials, no retries (the adapter never fails transiently). */
export const simulatedEc2Client = (account: SimAccount, config: EC2ClientConfig = {}): EC2Client => {
  // The SDK warns on Node < 22 about its releases after January 2027; this pinned release runs fine.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"
  return serveFromSimAccount(
    new EC2Client({
      region: account.region,
      credentials: { accessKeyId: "AKIDIPAMSIM", secretAccessKey: "ipamsim" },
      maxAttempts: 1,
      ...config,
    }),
    account,
  )
}

const RUNNING = { Code: 16, Name: "running" } as const
const TERMINATED = { Code: 48, Name: "terminated" } as const

/** EC2 filter values allow `*` and `?` wildcards. */
const globMatch = (pattern: string, value: string): boolean => {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === value
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".")
  return new RegExp(`^${re}$`).test(value)
}

/** The request's answers, one method per command; state lives in the account. */
class SdkEc2Backend {
  constructor(private readonly account: SimAccount) {}

  handle(commandName: string, input: unknown): object {
    switch (commandName) {
      case "AssignPrivateIpAddressesCommand":
        return this.assign(input as AssignPrivateIpAddressesCommandInput)
      case "UnassignPrivateIpAddressesCommand":
        return this.unassign(input as UnassignPrivateIpAddressesCommandInput)
      case "DescribeNetworkInterfacesCommand":
        return this.describeNetworkInterfaces(input as DescribeNetworkInterfacesCommandInput)
      case "DescribeInstancesCommand":
        return this.describeInstances(input as DescribeInstancesCommandInput)
      case "DescribeSubnetsCommand":
        return this.describeSubnets(input as DescribeSubnetsCommandInput)
      default:
        throw this.error(
          "UnsupportedOperation",
          `ipamsim: ${commandName} is not simulated (supported: ${SIMULATED_COMMANDS.join(", ")})`,
        )
    }
  }

  private assign(input: AssignPrivateIpAddressesCommandInput): AssignPrivateIpAddressesCommandOutput {
    const e = this.eniFor(input.NetworkInterfaceId)
    if ((input.PrivateIpAddresses?.length ?? 0) > 0 || (input.Ipv4Prefixes?.length ?? 0) > 0)
      throw this.error(
        "UnsupportedOperation",
        "ipamsim: explicit PrivateIpAddresses or Ipv4Prefixes are not simulated; ask for SecondaryPrivateIpAddressCount or Ipv4PrefixCount (EC2 picks the addresses, as the controller lets it)",
      )
    const ipCount = input.SecondaryPrivateIpAddressCount
    const prefixCount = input.Ipv4PrefixCount
    if (ipCount !== undefined && prefixCount !== undefined)
      throw this.error(
        "InvalidParameterCombination",
        "SecondaryPrivateIpAddressCount and Ipv4PrefixCount cannot be specified in the same request",
      )
    const count = ipCount ?? prefixCount
    if (count === undefined)
      throw this.error(
        "MissingParameter",
        "Either SecondaryPrivateIpAddressCount, PrivateIpAddresses, Ipv4PrefixCount or Ipv4Prefixes must be specified",
      )
    if (!Number.isInteger(count) || count < 1)
      throw this.error(
        "InvalidParameterValue",
        `Value (${count}) for parameter count is invalid. Expected a positive integer`,
      )
    const out: Ipv4[] = []
    const code =
      ipCount !== undefined
        ? this.account.ec2.assignIps(e.eni, count, out)
        : this.account.ec2.assignPrefixes(e.eni, count, out)
    this.check(code, e)
    const base = { NetworkInterfaceId: e.networkInterfaceId, $metadata: this.metadata() }
    return ipCount !== undefined
      ? { ...base, AssignedPrivateIpAddresses: out.map((ip) => ({ PrivateIpAddress: formatIpv4(ip) })) }
      : { ...base, AssignedIpv4Prefixes: out.map((p) => ({ Ipv4Prefix: `${formatIpv4(p)}/28` })) }
  }

  private unassign(input: UnassignPrivateIpAddressesCommandInput): UnassignPrivateIpAddressesCommandOutput {
    const e = this.eniFor(input.NetworkInterfaceId)
    const ipTexts = input.PrivateIpAddresses ?? []
    const prefixTexts = input.Ipv4Prefixes ?? []
    if (ipTexts.length === 0 && prefixTexts.length === 0)
      throw this.error("MissingParameter", "Either PrivateIpAddresses or Ipv4Prefixes must be specified")
    const heldIps: Ipv4[] = []
    const heldPrefixes: Ipv4[] = []
    this.check(this.account.ec2.describeEni(e.eni, heldIps, heldPrefixes), e)
    // EC2 validates the whole request before changing anything.
    const ips = ipTexts.map((t) => parseIpv4(t))
    if (ips.some((ip) => !heldIps.includes(ip)))
      throw this.error(
        "InvalidParameterValue",
        `Some of the specified addresses are not assigned to interface ${e.networkInterfaceId}`,
      )
    const prefixes = prefixTexts.map((t) => {
      const c = parseCidr(t)
      return typeof c === "string" || c.prefixLength !== 28 ? -1 : c.base
    })
    if (prefixes.some((p) => !heldPrefixes.includes(p)))
      throw this.error(
        "InvalidParameterValue",
        `Some of the specified prefixes are not assigned to interface ${e.networkInterfaceId}`,
      )
    if (ips.length > 0) this.check(this.account.ec2.unassignIps(e.eni, ips), e)
    if (prefixes.length > 0) this.check(this.account.ec2.unassignPrefixes(e.eni, prefixes), e)
    return { $metadata: this.metadata() }
  }

  private describeNetworkInterfaces(
    input: DescribeNetworkInterfacesCommandInput,
  ): DescribeNetworkInterfacesCommandOutput {
    const ids = input.NetworkInterfaceIds ?? []
    const enis = ids.length > 0 ? ids.map((id) => this.eniFor(id)) : this.account.networkInterfaces()
    const shapes = enis.map((e) => this.networkInterface(e))
    return {
      NetworkInterfaces: shapes.filter((n) =>
        this.matches(input.Filters, (name) => {
          switch (name) {
            case "network-interface-id":
              return [n.NetworkInterfaceId!]
            case "subnet-id":
              return [n.SubnetId!]
            case "vpc-id":
              return [n.VpcId!]
            case "status":
              return [n.Status!]
            case "description":
              return [n.Description ?? ""]
            case "attachment.instance-id":
              return n.Attachment?.InstanceId === undefined ? [] : [n.Attachment.InstanceId]
            case "attachment.device-index":
              return n.Attachment === undefined ? [] : [String(n.Attachment.DeviceIndex)]
            case "addresses.private-ip-address":
              return (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress!)
            default:
              return undefined
          }
        }),
      ),
      $metadata: this.metadata(),
    }
  }

  private describeInstances(input: DescribeInstancesCommandInput): DescribeInstancesCommandOutput {
    const ids = input.InstanceIds ?? []
    const instances = ids.length > 0 ? ids.map((id) => this.instanceFor(id)) : this.account.instances()
    const reservations: Reservation[] = []
    for (const i of instances) {
      const shape = this.instance(i)
      const ok = this.matches(input.Filters, (name) => {
        if (name.startsWith("tag:")) {
          const v = i.tags[name.slice(4)]
          return v === undefined ? [] : [v]
        }
        switch (name) {
          case "instance-id":
            return [i.instanceId]
          case "instance-type":
            return [i.instanceType]
          case "subnet-id":
            return i.state === "running" ? [i.subnetId] : []
          case "vpc-id":
            return [this.account.vpcId]
          case "instance-state-name":
            return [i.state]
          case "platform":
            return i.platform === "windows" ? ["windows"] : []
          case "private-ip-address":
            return shape.PrivateIpAddress === undefined ? [] : [shape.PrivateIpAddress]
          case "tag-key":
            return Object.keys(i.tags)
          default:
            return undefined
        }
      })
      if (ok) reservations.push({ ReservationId: i.reservationId, OwnerId: this.account.accountId, Instances: [shape] })
    }
    return { Reservations: reservations, $metadata: this.metadata() }
  }

  private describeSubnets(input: DescribeSubnetsCommandInput): DescribeSubnetsCommandOutput {
    const ids = input.SubnetIds ?? []
    const subnets = ids.length > 0 ? ids.map((id) => this.subnetFor(id)) : this.account.subnets()
    const shapes = subnets.map((s) => this.subnetShape(s))
    return {
      Subnets: shapes.filter((s) =>
        this.matches(input.Filters, (name) => {
          switch (name) {
            case "subnet-id":
              return [s.SubnetId!]
            case "vpc-id":
              return [s.VpcId!]
            case "cidr-block":
            case "cidr":
              return [s.CidrBlock!]
            case "availability-zone":
              return [s.AvailabilityZone!]
            default:
              return undefined
          }
        }),
      ),
      $metadata: this.metadata(),
    }
  }

  // ---- shapes ---------------------------------------------------------------------------------------

  private networkInterface(e: SimEni): NetworkInterface {
    const s = this.account.subnet(e.subnetId)!
    const { primary, ips, prefixes } = this.addresses(e)
    return {
      NetworkInterfaceId: e.networkInterfaceId,
      SubnetId: e.subnetId,
      VpcId: s.vpcId,
      AvailabilityZone: s.availabilityZone,
      OwnerId: this.account.accountId,
      Description: e.description,
      InterfaceType: "interface",
      Status: e.instanceId === undefined ? "available" : "in-use",
      RequesterManaged: false,
      SourceDestCheck: true,
      PrivateIpAddress: primary,
      PrivateIpAddresses: [
        { PrivateIpAddress: primary, Primary: true },
        ...ips.map((ip) => ({ PrivateIpAddress: formatIpv4(ip), Primary: false })),
      ],
      Ipv4Prefixes: prefixes.map((p) => ({ Ipv4Prefix: `${formatIpv4(p)}/28` })),
      ...(e.instanceId !== undefined
        ? {
            Attachment: {
              AttachmentId: e.networkInterfaceId.replace(/^eni-/, "eni-attach-"),
              DeviceIndex: 0,
              NetworkCardIndex: 0,
              InstanceId: e.instanceId,
              InstanceOwnerId: this.account.accountId,
              Status: "attached",
              DeleteOnTermination: true,
            },
          }
        : {}),
    }
  }

  private instance(i: SimInstance): Instance {
    const s = this.account.subnet(i.subnetId)!
    const common: Instance = {
      InstanceId: i.instanceId,
      InstanceType: i.instanceType as Instance["InstanceType"],
      // The SDK's enum says "Windows", but EC2 (and moto) send lowercase "windows" and the SDK passes it on.
      ...(i.platform === "windows" ? { Platform: "windows" as Instance["Platform"], PlatformDetails: "Windows" } : {}),
      Placement: { AvailabilityZone: s.availabilityZone },
      Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
    }
    const e = this.account.networkInterface(i.networkInterfaceId)
    if (i.state === "terminated" || e === undefined) return { ...common, State: TERMINATED, NetworkInterfaces: [] }
    const n = this.networkInterface(e)
    const nic: InstanceNetworkInterface = {
      NetworkInterfaceId: n.NetworkInterfaceId,
      SubnetId: n.SubnetId,
      VpcId: n.VpcId,
      OwnerId: n.OwnerId,
      Description: n.Description,
      InterfaceType: n.InterfaceType,
      Status: n.Status,
      SourceDestCheck: n.SourceDestCheck,
      PrivateIpAddress: n.PrivateIpAddress,
      PrivateIpAddresses: n.PrivateIpAddresses,
      Ipv4Prefixes: n.Ipv4Prefixes,
      Attachment: {
        AttachmentId: n.Attachment!.AttachmentId,
        DeviceIndex: 0,
        NetworkCardIndex: 0,
        Status: "attached",
        DeleteOnTermination: true,
      },
    }
    return {
      ...common,
      State: RUNNING,
      SubnetId: i.subnetId,
      VpcId: s.vpcId,
      PrivateIpAddress: n.PrivateIpAddress,
      NetworkInterfaces: [nic],
    }
  }

  private subnetShape(s: SimSubnet): Ec2Subnet {
    return {
      SubnetId: s.subnetId,
      VpcId: s.vpcId,
      OwnerId: this.account.accountId,
      AvailabilityZone: s.availabilityZone,
      CidrBlock: s.subnet.snapshot().cidr,
      // EC2 counts every free address, including those inside prefix reservations.
      AvailableIpAddressCount: s.subnet.free,
      State: "available",
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private addresses(e: SimEni): { primary: string; ips: Ipv4[]; prefixes: Ipv4[] } {
    const ips: Ipv4[] = []
    const prefixes: Ipv4[] = []
    this.account.ec2.describeEni(e.eni, ips, prefixes)
    return { primary: formatIpv4(this.account.ec2.primaryIp(e.eni)), ips, prefixes }
  }

  private eniFor(id: string | undefined): SimEni {
    if (id === undefined || id === "")
      throw this.error("MissingParameter", "The request must contain the parameter NetworkInterfaceId")
    if (!id.startsWith("eni-"))
      throw this.error("InvalidNetworkInterfaceID.Malformed", `Invalid id: "${id}" (expecting "eni-...")`)
    const e = this.account.networkInterface(id)
    if (e === undefined)
      throw this.error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`)
    return e
  }

  private instanceFor(id: string): SimInstance {
    if (!id.startsWith("i-")) throw this.error("InvalidInstanceID.Malformed", `Invalid id: "${id}"`)
    const i = this.account.instance(id)
    if (i === undefined) throw this.error("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`)
    return i
  }

  private subnetFor(id: string): SimSubnet {
    if (!id.startsWith("subnet-")) throw this.error("InvalidSubnetID.Malformed", `Invalid id: "${id}"`)
    const s = this.account.subnet(id)
    if (s === undefined) throw this.error("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`)
    return s
  }

  /** Every filter must match (AND); within one filter any value may match (OR). */
  private matches(filters: readonly Filter[] | undefined, values: (name: string) => string[] | undefined): boolean {
    for (const f of filters ?? []) {
      const name = f.Name ?? ""
      const have = values(name)
      if (have === undefined) throw this.error("InvalidParameterValue", `The filter '${name}' is invalid`)
      if (!(f.Values ?? []).some((pattern) => have.some((v) => globMatch(pattern, v)))) return false
    }
    return true
  }

  private check(code: Ec2Code, e: SimEni): void {
    if (code === Ec2Code.Ok) return
    if (code === Ec2Code.InvalidNetworkInterfaceId)
      throw this.error(
        "InvalidNetworkInterfaceID.NotFound",
        `The networkInterface ID '${e.networkInterfaceId}' does not exist`,
      )
    throw this.error(ec2CodeName(code))
  }

  private error(code: string, message?: string) {
    return ec2Error(code, message, { requestId: this.account.nextRequestId() })
  }

  private metadata() {
    return { httpStatusCode: 200, requestId: this.account.nextRequestId(), attempts: 1, totalRetryDelay: 0 }
  }
}
