// `ipamsim import`, the reading half: what a real account's subnets hold, seen through four read-only
// EC2 calls (DescribeInstances, DescribeSubnets, DescribeNetworkInterfaces, DescribeInstanceTypes).
// Which instances are the Windows nodes: with --cluster, the running Windows instances tagged for the
// cluster; without, every running Windows instance in the --subnet subnets. Which subnets: --subnet if
// given (it limits the import), else the nodes' subnets. Everything else holding addresses in those
// subnets (other ENIs, other ENIs of the nodes, prefixes of Linux nodes) is "used by others".
// The CLI's ImportedScenario.ts turns the snapshot into a scenario.

import type { EC2Client, Subnet as Ec2Subnet, Filter, Instance, NetworkInterface } from "@aws-sdk/client-ec2"
import {
  DescribeSubnetsCommand,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
} from "@aws-sdk/client-ec2"
import { type VpcLimits, vpcLimits } from "@ipamsim/core/ec2/InstanceLimits"
import { type Cidr, type Ipv4, parseCidr, parseIpv4 } from "@ipamsim/core/ec2/Ipv4"
import { type AwsContext, awsCall, ImportError } from "./AwsErrors.ts"
import { fetchInstanceLimits } from "./InstanceTypeLimits.ts"
import type { AwsConnection } from "./ReadOnlyEc2Client.ts"

export interface ImportSelection extends AwsConnection {
  /** EKS cluster name: instances tagged kubernetes.io/cluster/<name> or eks:cluster-name=<name>. */
  readonly cluster?: string | undefined
  /** Subnet ids; limits the import to these subnets. */
  readonly subnets?: readonly string[] | undefined
}

export interface ImportedNode {
  readonly instanceId: string
  readonly instanceType: string
  readonly subnetId: string
  /** What the node's primary ENI holds now (the simulation starts it empty). */
  readonly secondaryIps: number
  readonly prefixes: number
}

export interface ImportedSubnet {
  readonly subnetId: string
  readonly cidr: Cidr
  readonly cidrText: string
  readonly availabilityZone: string | undefined
  /** EC2's own count of free addresses. */
  readonly availableIpAddressCount: number | undefined
  /** Every address held by something other than the nodes' primary ENIs (prefixes expanded). */
  readonly otherAddresses: ReadonlySet<Ipv4>
  readonly otherEnis: number
  readonly otherPrefixes: number
  /** Interface types of the other ENIs, with counts (interface, network_load_balancer, lambda, branch, ...). */
  readonly otherInterfaceTypes: ReadonlyMap<string, number>
  /** Addresses held by the nodes' primary ENIs, primaries included, prefixes expanded. */
  readonly nodeAddresses: ReadonlySet<Ipv4>
  readonly nodePrefixes: number
}

export interface AccountSnapshot {
  readonly selection: ImportSelection
  readonly subnets: readonly ImportedSubnet[]
  readonly nodes: readonly ImportedNode[]
  /** Windows instances of the cluster left out because they are outside the --subnet subnets. */
  readonly nodesOutsideSubnets: number
  /** Limits from DescribeInstanceTypes for node types missing from the bundled table. */
  readonly unknownTypeLimits: ReadonlyMap<string, VpcLimits>
  /** The EC2 actions the import called, for the record. */
  readonly actionsCalled: readonly string[]
}

const LIVE_STATES = ["pending", "running"]
/** EC2 accepts at most 200 values per filter. */
const FILTER_VALUES = 200

const chunks = <A>(items: readonly A[], size: number): A[][] => {
  const out: A[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Every address a CIDR covers (prefixes are /28: 16 addresses). */
const addressesOf = (cidrText: string): Ipv4[] => {
  const c = parseCidr(cidrText)
  if (typeof c === "string") return []
  return Array.from({ length: c.size }, (_, i) => c.base + i)
}

/** The node's primary ENI: device index 0 on network card 0. */
const isPrimaryAttachment = (n: {
  Attachment?: { DeviceIndex?: number | undefined; NetworkCardIndex?: number | undefined } | undefined
}): boolean => (n.Attachment?.DeviceIndex ?? 0) === 0 && (n.Attachment?.NetworkCardIndex ?? 0) === 0

interface Holdings {
  readonly addresses: Ipv4[]
  readonly secondaryIps: number
  readonly prefixes: number
}

interface AddressHolder {
  PrivateIpAddress?: string | undefined
  PrivateIpAddresses?:
    | ReadonlyArray<{ PrivateIpAddress?: string | undefined; Primary?: boolean | undefined }>
    | undefined
  Ipv4Prefixes?: ReadonlyArray<{ Ipv4Prefix?: string | undefined }> | undefined
}

const holdingsOf = (n: AddressHolder): Holdings => {
  const addresses: Ipv4[] = []
  let secondaryIps = 0
  for (const a of n.PrivateIpAddresses ?? []) {
    const ip = parseIpv4(a.PrivateIpAddress ?? "")
    if (ip < 0) continue
    addresses.push(ip)
    if (a.Primary !== true) secondaryIps++
  }
  const primary = parseIpv4(n.PrivateIpAddress ?? "")
  if (primary >= 0 && !addresses.includes(primary)) addresses.push(primary)
  const prefixes = n.Ipv4Prefixes ?? []
  for (const p of prefixes) addresses.push(...addressesOf(p.Ipv4Prefix ?? ""))
  return { addresses, secondaryIps, prefixes: prefixes.length }
}

export interface ReadOptions {
  /** Node types missing from the bundled table: "fail" (default) or keep their DescribeInstanceTypes limits. */
  readonly unknownInstanceTypes?: "fail" | "instanceLimits"
}

/** Reads the selected part of the account. Only Describe* calls; throws ImportError in one line. */
export const readAccount = async (
  client: EC2Client,
  requested: ImportSelection,
  options: ReadOptions = {},
): Promise<AccountSnapshot> => {
  const cluster = requested.cluster
  const wanted = [...new Set((requested.subnets ?? []).map((s) => s.trim()).filter((s) => s !== ""))]
  if (cluster === undefined && wanted.length === 0)
    throw new ImportError("say what to import: --cluster <name>, --subnet <id>, or both")
  // The region the client resolved (flag, AWS_REGION, or the profile's): for the record, and so that a
  // missing region fails here, in one line, before any call.
  const region =
    requested.region ??
    (await awsCall({ action: "DescribeInstances", profile: requested.profile, endpoint: requested.endpoint }, () =>
      client.config.region(),
    ))
  const selection: ImportSelection = { ...requested, region }
  const actions: string[] = []
  const call = <A>(action: string, f: () => Promise<A>): Promise<A> => {
    if (!actions.includes(action)) actions.push(action)
    const ctx: AwsContext = {
      action,
      region: selection.region,
      profile: selection.profile,
      endpoint: selection.endpoint,
    }
    return awsCall(ctx, f)
  }

  // The SDK's paginators follow NextToken; errors are explained per action as for single calls.
  const describeInstances = (filters: Filter[]): Promise<Instance[]> =>
    call("DescribeInstances", async () => {
      const out: Instance[] = []
      for await (const page of paginateDescribeInstances({ client, pageSize: 1000 }, { Filters: filters }))
        for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []))
      return out
    })

  // 1. The Windows nodes. Platform is checked here rather than with the "platform" filter, which some
  //    emulators (moto) answer with an HTTP 500.
  const live: Filter = { Name: "instance-state-name", Values: LIVE_STATES }
  const found = new Map<string, Instance>()
  if (cluster !== undefined) {
    const tagged = [
      ...(await describeInstances([{ Name: "tag-key", Values: [`kubernetes.io/cluster/${cluster}`] }, live])),
      ...(await describeInstances([{ Name: "tag:eks:cluster-name", Values: [cluster] }, live])),
    ]
    for (const i of tagged) if (i.InstanceId !== undefined) found.set(i.InstanceId, i)
  } else {
    for (const values of chunks(wanted, FILTER_VALUES))
      for (const i of await describeInstances([{ Name: "subnet-id", Values: values }, live]))
        if (i.InstanceId !== undefined) found.set(i.InstanceId, i)
  }
  const windows = [...found.values()]
    .filter((i) => String(i.Platform ?? "").toLowerCase() === "windows")
    .filter((i) => LIVE_STATES.includes(i.State?.Name ?? "running") && i.SubnetId !== undefined)
    .sort((a, b) => (a.InstanceId! < b.InstanceId! ? -1 : 1))
  if (cluster !== undefined && windows.length === 0)
    throw new ImportError(
      `no running Windows instances tagged kubernetes.io/cluster/${cluster} or eks:cluster-name=${cluster} in ${selection.region ?? "the default region"}`,
    )
  const inScope = wanted.length > 0 ? windows.filter((i) => wanted.includes(i.SubnetId!)) : windows
  if (inScope.length === 0 && cluster !== undefined)
    throw new ImportError(
      `cluster ${cluster} has no running Windows instances in ${wanted.join(", ")} (its Windows nodes are in ${[...new Set(windows.map((i) => i.SubnetId))].join(", ")})`,
    )

  // 2. The subnets.
  const scope = wanted.length > 0 ? wanted : [...new Set(inScope.map((i) => i.SubnetId!))].sort()
  const subnetRecords: Ec2Subnet[] = []
  for (const ids of chunks(scope, FILTER_VALUES)) {
    const r = await call("DescribeSubnets", () => client.send(new DescribeSubnetsCommand({ SubnetIds: ids })))
    subnetRecords.push(...(r.Subnets ?? []))
  }
  const subnetInfo = scope.map((id) => {
    const s = subnetRecords.find((r) => r.SubnetId === id)
    if (s === undefined) throw new ImportError(`subnet ${id}: EC2 did not return it (DescribeSubnets)`)
    if (s.CidrBlock === undefined)
      throw new ImportError(`subnet ${id} has no IPv4 CIDR (IPv6-only); Windows pods on EKS need IPv4 addresses`)
    const cidr = parseCidr(s.CidrBlock)
    if (typeof cidr === "string") throw new ImportError(`subnet ${id}: CIDR ${s.CidrBlock}: ${cidr}`)
    return { record: s, cidr }
  })

  // 3. Every ENI in those subnets.
  const enis: NetworkInterface[] = []
  for (const values of chunks(scope, FILTER_VALUES))
    await call("DescribeNetworkInterfaces", async () => {
      const pages = paginateDescribeNetworkInterfaces(
        { client, pageSize: 1000 },
        { Filters: [{ Name: "subnet-id", Values: values }] },
      )
      for await (const page of pages) enis.push(...(page.NetworkInterfaces ?? []))
    })

  const nodeIds = new Set(inScope.map((i) => i.InstanceId!))
  const nodeHoldings = new Map<string, Holdings>()
  const perSubnet = new Map(
    subnetInfo.map(({ record }) => [
      record.SubnetId!,
      {
        others: new Set<Ipv4>(),
        otherEnis: 0,
        otherPrefixes: 0,
        types: new Map<string, number>(),
        nodes: new Set<Ipv4>(),
        nodePrefixes: 0,
      },
    ]),
  )
  for (const n of enis) {
    const acc = perSubnet.get(n.SubnetId ?? "")
    if (acc === undefined) continue
    const h = holdingsOf(n)
    const owner = n.Attachment?.InstanceId
    if (owner !== undefined && nodeIds.has(owner) && isPrimaryAttachment(n)) {
      nodeHoldings.set(owner, h)
      for (const a of h.addresses) acc.nodes.add(a)
      acc.nodePrefixes += h.prefixes
    } else {
      for (const a of h.addresses) acc.others.add(a)
      acc.otherEnis++
      acc.otherPrefixes += h.prefixes
      const type = n.InterfaceType ?? "interface"
      acc.types.set(type, (acc.types.get(type) ?? 0) + 1)
    }
  }
  // A node whose ENI the listing missed (created during the import): take its holdings from DescribeInstances.
  for (const i of inScope) {
    if (nodeHoldings.has(i.InstanceId!)) continue
    const nic: AddressHolder = (i.NetworkInterfaces ?? []).find((x) => isPrimaryAttachment(x)) ?? {
      PrivateIpAddress: i.PrivateIpAddress,
    }
    const h = holdingsOf(nic)
    nodeHoldings.set(i.InstanceId!, h)
    const acc = perSubnet.get(i.SubnetId!)
    if (acc !== undefined) {
      for (const a of h.addresses) {
        acc.nodes.add(a)
        acc.others.delete(a)
      }
      acc.nodePrefixes += h.prefixes
    }
  }

  // 4. Limits for node types the controller's table lacks.
  const table = vpcLimits()
  const unknownTypes = [...new Set(inScope.map((i) => String(i.InstanceType)))].filter((t) => !table.has(t)).sort()
  let unknownTypeLimits = new Map<string, VpcLimits>()
  if (unknownTypes.length > 0) {
    unknownTypeLimits = await call("DescribeInstanceTypes", () => fetchInstanceLimits(client, unknownTypes))
    if ((options.unknownInstanceTypes ?? "fail") === "fail") {
      const what = unknownTypes
        .map((t) => {
          const l = unknownTypeLimits.get(t)
          const nodes = inScope.filter((i) => i.InstanceType === t).length
          const limits =
            l === undefined
              ? "EC2 does not know it either"
              : `EC2 says IPv4PerInterface ${l.IPv4PerInterface}, Interface ${l.Interface}, hypervisor ${l.Hypervisor || "none (bare metal)"}`
          return `${t} (${nodes} node${nodes === 1 ? "" : "s"}; ${limits})`
        })
        .join("; ")
      throw new ImportError(
        `instance type${unknownTypes.length === 1 ? "" : "s"} not in the controller's limits table (vpc-limits.json), so the controller would leave ${unknownTypes.length === 1 ? "its" : "their"} nodes Unsupported and ipamsim cannot model them yet: ${what}`,
      )
    }
  }

  const subnets: ImportedSubnet[] = subnetInfo.map(({ record, cidr }) => {
    const acc = perSubnet.get(record.SubnetId!)!
    const inside = (a: Ipv4) => a >= cidr.base && a < cidr.base + cidr.size
    return {
      subnetId: record.SubnetId!,
      cidr,
      cidrText: record.CidrBlock!,
      availabilityZone: record.AvailabilityZone,
      availableIpAddressCount: record.AvailableIpAddressCount,
      otherAddresses: new Set([...acc.others].filter(inside)),
      otherEnis: acc.otherEnis,
      otherPrefixes: acc.otherPrefixes,
      otherInterfaceTypes: acc.types,
      nodeAddresses: new Set([...acc.nodes].filter(inside)),
      nodePrefixes: acc.nodePrefixes,
    }
  })
  const nodes: ImportedNode[] = inScope.map((i) => {
    const h = nodeHoldings.get(i.InstanceId!)
    return {
      instanceId: i.InstanceId!,
      instanceType: String(i.InstanceType),
      subnetId: i.SubnetId!,
      secondaryIps: h?.secondaryIps ?? 0,
      prefixes: h?.prefixes ?? 0,
    }
  })
  return {
    selection: { ...selection, subnets: scope },
    subnets,
    nodes,
    nodesOutsideSubnets: windows.length - inScope.length,
    unknownTypeLimits,
    actionsCalled: actions,
  }
}
