import {
  AssignPrivateIpAddressesCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2ServiceException,
  UnassignPrivateIpAddressesCommand,
} from "@aws-sdk/client-ec2"
import { parseCidr, parseIpv4 } from "@ipamsim/core/ec2/Ipv4"
import { describe, expect, it } from "vitest"
import { goSdkV1ErrorString, goSdkV2ErrorString } from "./Ec2Errors.ts"
import { simulatedEc2Client } from "./SdkEc2.ts"
import { SimAccount } from "./SimAccount.ts"

const setup = (cidr = "10.0.0.0/24", instanceType = "m5.large", others: readonly string[] = []) => {
  const account = new SimAccount({ seed: 3 })
  const subnet = account.createSubnet({ cidr, usedByOthers: { ranges: others } })
  const node = account.launchInstance({
    subnetId: subnet.subnetId,
    instanceType,
    tags: { "kubernetes.io/cluster/demo": "owned" },
  })
  return { account, subnet, node, client: simulatedEc2Client(account) }
}

/** The rejection of a promise, failing the test if it resolves. */
const rejection = async (p: Promise<unknown>): Promise<EC2ServiceException> => {
  try {
    await p
  } catch (e) {
    return e as EC2ServiceException
  }
  throw new Error("expected the call to fail")
}

const inside = (cidr: string, ip: string): boolean => {
  const c = parseCidr(cidr)
  if (typeof c === "string") throw new Error(c)
  const a = parseIpv4(ip)
  return a >= c.base && a < c.base + c.size
}

describe("SdkEc2: the real EC2Client answered by a SimAccount", () => {
  it("assigns secondary IPs, shows them, and unassigns them", async () => {
    const { client, node, subnet } = setup()
    const eni = node.networkInterfaceId
    const assigned = await client.send(
      new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 2 }),
    )
    expect(assigned.NetworkInterfaceId).toBe(eni)
    expect(assigned.$metadata.httpStatusCode).toBe(200)
    const ips = (assigned.AssignedPrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress!)
    expect(ips).toHaveLength(2)
    expect(new Set(ips).size).toBe(2)
    for (const ip of ips) expect(inside("10.0.0.0/24", ip)).toBe(true)

    const described = await client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))
    const n = described.NetworkInterfaces![0]!
    expect(n.SubnetId).toBe(subnet.subnetId)
    expect(n.InterfaceType).toBe("interface")
    expect(n.Attachment).toMatchObject({ DeviceIndex: 0, InstanceId: node.instanceId })
    const listed = n.PrivateIpAddresses!
    expect(listed[0]).toEqual({ PrivateIpAddress: n.PrivateIpAddress, Primary: true })
    expect(listed.slice(1)).toEqual(ips.map((ip) => ({ PrivateIpAddress: ip, Primary: false })))
    expect(ips).not.toContain(n.PrivateIpAddress)

    const before = await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.subnetId] }))
    expect(before.Subnets![0]).toMatchObject({ CidrBlock: "10.0.0.0/24", AvailableIpAddressCount: 251 - 1 - 2 })

    await client.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, PrivateIpAddresses: ips }))
    const after = await client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))
    expect(after.NetworkInterfaces![0]!.PrivateIpAddresses).toHaveLength(1)
    const subnets = await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.subnetId] }))
    expect(subnets.Subnets![0]!.AvailableIpAddressCount).toBe(250)
  })

  it("assigns /28 prefixes, shows them on the ENI and the instance, and unassigns them", async () => {
    const { client, node, subnet } = setup()
    const eni = node.networkInterfaceId
    const assigned = await client.send(
      new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, Ipv4PrefixCount: 2 }),
    )
    const prefixes = (assigned.AssignedIpv4Prefixes ?? []).map((p) => p.Ipv4Prefix!)
    expect(prefixes).toHaveLength(2)
    expect(assigned.AssignedPrivateIpAddresses).toBeUndefined()
    for (const p of prefixes) {
      const c = parseCidr(p)
      expect(typeof c === "string" ? c : c.prefixLength).toBe(28)
      expect(inside("10.0.0.0/24", p.split("/")[0]!)).toBe(true)
    }
    const described = await client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))
    expect(described.NetworkInterfaces![0]!.Ipv4Prefixes).toEqual(prefixes.map((Ipv4Prefix) => ({ Ipv4Prefix })))

    const instances = await client.send(new DescribeInstancesCommand({ InstanceIds: [node.instanceId] }))
    const instance = instances.Reservations![0]!.Instances![0]!
    expect(instance).toMatchObject({
      InstanceId: node.instanceId,
      InstanceType: "m5.large",
      Platform: "windows",
      SubnetId: subnet.subnetId,
      State: { Name: "running" },
    })
    expect(instance.NetworkInterfaces![0]!.Ipv4Prefixes).toEqual(prefixes.map((Ipv4Prefix) => ({ Ipv4Prefix })))
    expect(instance.NetworkInterfaces![0]!.Attachment?.DeviceIndex).toBe(0)

    const subnets = await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.subnetId] }))
    expect(subnets.Subnets![0]!.AvailableIpAddressCount).toBe(251 - 1 - 32)

    await client.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, Ipv4Prefixes: prefixes }))
    const after = await client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))
    expect(after.NetworkInterfaces![0]!.Ipv4Prefixes).toEqual([])
  })

  it("throws InsufficientFreeAddressesInSubnet as the SDK does when the subnet runs out", async () => {
    // A /28 has 11 usable addresses; the node's primary takes one, m5.xlarge has room for 14 more.
    const { client, node } = setup("10.0.0.0/28", "m5.xlarge")
    const err = await rejection(
      client.send(
        new AssignPrivateIpAddressesCommand({
          NetworkInterfaceId: node.networkInterfaceId,
          SecondaryPrivateIpAddressCount: 11,
        }),
      ),
    )
    expect(err).toBeInstanceOf(EC2ServiceException)
    expect(err.name).toBe("InsufficientFreeAddressesInSubnet")
    expect(err.$fault).toBe("client")
    expect(err.$metadata.httpStatusCode).toBe(400)
    expect(String(err)).toBe(
      "InsufficientFreeAddressesInSubnet: The specified subnet does not have enough free addresses to satisfy the request.",
    )
    expect((err as unknown as { Code: string }).Code).toBe("InsufficientFreeAddressesInSubnet")
    // All or nothing: nothing was assigned.
    const d = await client.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [node.networkInterfaceId] }),
    )
    expect(d.NetworkInterfaces![0]!.PrivateIpAddresses).toHaveLength(1)
    const ok = await client.send(
      new AssignPrivateIpAddressesCommand({
        NetworkInterfaceId: node.networkInterfaceId,
        SecondaryPrivateIpAddressCount: 10,
      }),
    )
    expect(ok.AssignedPrivateIpAddresses).toHaveLength(10)
  })

  it("throws InsufficientCidrBlocks for a prefix in a fragmented subnet with many free addresses", async () => {
    // A /26 is four /28 blocks; AWS reserves addresses in the first and last, others hold one in each middle one.
    const { client, node, subnet } = setup("10.0.0.0/26", "m5.large", ["10.0.0.20/32", "10.0.0.40/32"])
    const free = await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.subnetId] }))
    expect(free.Subnets![0]!.AvailableIpAddressCount).toBe(64 - 5 - 2 - 1)
    const err = await rejection(
      client.send(
        new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: node.networkInterfaceId, Ipv4PrefixCount: 1 }),
      ),
    )
    expect(err).toBeInstanceOf(EC2ServiceException)
    expect(err.name).toBe("InsufficientCidrBlocks")
    expect(err.$metadata.httpStatusCode).toBe(400)
    // What the controller's Go code sees since SDK v2: the code is no longer at the start (research §5.2).
    const go = goSdkV2ErrorString("AssignPrivateIpAddresses", err)
    expect(go).toMatch(
      /^operation error EC2: AssignPrivateIpAddresses, https response error StatusCode: 400, RequestID: [0-9a-f-]+, api error InsufficientCidrBlocks: The specified subnet does not have enough free cidr blocks to satisfy the request\.$/,
    )
    expect(go.startsWith("InsufficientCidrBlocks")).toBe(false)
    expect(goSdkV1ErrorString(err).startsWith("InsufficientCidrBlocks: ")).toBe(true)
  })

  it("throws PrivateIpAddressLimitExceeded past the ENI's slots", async () => {
    // t3.medium: IPv4PerInterface 6, so 5 secondary slots.
    const { client, node } = setup("10.0.0.0/24", "t3.medium")
    const eni = node.networkInterfaceId
    await client.send(
      new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 5 }),
    )
    const err = await rejection(
      client.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 })),
    )
    expect(err.name).toBe("PrivateIpAddressLimitExceeded")
    expect(err).toBeInstanceOf(EC2ServiceException)
  })

  it("rejects unknown ids, unassigning what the ENI does not hold, and what it does not simulate", async () => {
    const { client, node } = setup()
    const eni = node.networkInterfaceId
    const missing = await rejection(
      client.send(
        new AssignPrivateIpAddressesCommand({
          NetworkInterfaceId: "eni-0123456789abcdef0",
          SecondaryPrivateIpAddressCount: 1,
        }),
      ),
    )
    expect(missing.name).toBe("InvalidNetworkInterfaceID.NotFound")
    expect(missing.message).toBe("The networkInterface ID 'eni-0123456789abcdef0' does not exist")
    expect((await rejection(client.send(new DescribeInstancesCommand({ InstanceIds: ["i-0ffff"] })))).name).toBe(
      "InvalidInstanceID.NotFound",
    )
    expect((await rejection(client.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0ffff"] })))).name).toBe(
      "InvalidSubnetID.NotFound",
    )
    const notHeld = await rejection(
      client.send(
        new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, PrivateIpAddresses: ["10.0.0.200"] }),
      ),
    )
    expect(notHeld.name).toBe("InvalidParameterValue")
    const explicit = await rejection(
      client.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, PrivateIpAddresses: ["10.0.0.9"] })),
    )
    expect(explicit.name).toBe("UnsupportedOperation")
    expect(explicit.message).toContain("SecondaryPrivateIpAddressCount")
    const both = await rejection(
      client.send(
        new AssignPrivateIpAddressesCommand({
          NetworkInterfaceId: eni,
          SecondaryPrivateIpAddressCount: 1,
          Ipv4PrefixCount: 1,
        }),
      ),
    )
    expect(both.name).toBe("InvalidParameterCombination")
    const other = await rejection(client.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" })))
    expect(other).toBeInstanceOf(EC2ServiceException)
    expect(other.name).toBe("UnsupportedOperation")
    expect(other.message).toContain("CreateVpcCommand is not simulated")
  })

  it("filters instances by tag and platform, ENIs by subnet, and rejects unknown filters", async () => {
    const { account, client, subnet, node } = setup()
    account.launchInstance({ subnetId: subnet.subnetId, instanceType: "m5.large", platform: "linux" })
    const lb = account.createNetworkInterface({
      subnetId: subnet.subnetId,
      secondaryIpCount: 3,
      description: "ELB app/web",
    })
    const windows = await client.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag-key", Values: ["kubernetes.io/cluster/demo"] },
          { Name: "platform", Values: ["windows"] },
        ],
      }),
    )
    expect(windows.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([node.instanceId])
    const enis = await client.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [subnet.subnetId] }] }),
    )
    expect(enis.NetworkInterfaces).toHaveLength(3)
    const loose = enis.NetworkInterfaces!.find((n) => n.NetworkInterfaceId === lb.networkInterfaceId)!
    expect(loose.Attachment).toBeUndefined()
    expect(loose.Status).toBe("available")
    expect(loose.PrivateIpAddresses).toHaveLength(4)
    const bad = await rejection(
      client.send(new DescribeSubnetsCommand({ Filters: [{ Name: "colour", Values: ["x"] }] })),
    )
    expect(bad.name).toBe("InvalidParameterValue")
  })

  it("terminating an instance frees its addresses and removes its ENI", async () => {
    const { account, client, node, subnet } = setup()
    await client.send(
      new AssignPrivateIpAddressesCommand({
        NetworkInterfaceId: node.networkInterfaceId,
        SecondaryPrivateIpAddressCount: 4,
      }),
    )
    account.terminateInstance(node.instanceId)
    const i = await client.send(new DescribeInstancesCommand({ InstanceIds: [node.instanceId] }))
    expect(i.Reservations![0]!.Instances![0]!.State?.Name).toBe("terminated")
    const gone = await rejection(
      client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [node.networkInterfaceId] })),
    )
    expect(gone.name).toBe("InvalidNetworkInterfaceID.NotFound")
    const s = await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.subnetId] }))
    expect(s.Subnets![0]!.AvailableIpAddressCount).toBe(251)
  })

  it("is deterministic: the same seed gives the same addresses", async () => {
    const run = async () => {
      const { client, node } = setup()
      const r = await client.send(
        new AssignPrivateIpAddressesCommand({
          NetworkInterfaceId: node.networkInterfaceId,
          SecondaryPrivateIpAddressCount: 3,
        }),
      )
      return r.AssignedPrivateIpAddresses
    }
    expect(await run()).toEqual(await run())
  })
})
