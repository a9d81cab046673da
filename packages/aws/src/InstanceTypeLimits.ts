// Instance limits for types the bundled controller table (vpc-limits.json) lacks, read from EC2's
// DescribeInstanceTypes. The controller itself never does this: it marks such nodes "Unsupported". An
// import offers the numbers so a scenario can still model a type the next controller release will know.

import {
  type _InstanceType,
  type EC2Client,
  type InstanceTypeInfo,
  paginateDescribeInstanceTypes,
} from "@aws-sdk/client-ec2"
import type { VpcLimits } from "@ipamsim/core/ec2/InstanceLimits"

/** The controller's vpc.Limits entry for a type, from its DescribeInstanceTypes record. */
export const vpcLimitsFromInstanceType = (info: InstanceTypeInfo): VpcLimits => {
  const net = info.NetworkInfo
  return {
    Interface: net?.MaximumNetworkInterfaces ?? 1,
    IPv4PerInterface: net?.Ipv4AddressesPerInterface ?? 1,
    // EC2 does not say whether a type supports ENI trunking (security groups for pods); Windows never uses it.
    IsTrunkingCompatible: false,
    BranchInterface: 0,
    DefaultNetworkCardIndex: net?.DefaultNetworkCardIndex ?? 0,
    NetworkCards: (net?.NetworkCards ?? []).map((c) => ({
      MaximumNetworkInterfaces: c.MaximumNetworkInterfaces ?? 0,
      NetworkCardIndex: c.NetworkCardIndex ?? 0,
    })),
    // Bare-metal types have no hypervisor; the table writes "" for them too.
    Hypervisor: info.Hypervisor ?? "",
    IsBareMetal: info.BareMetal ?? false,
  }
}

/** DescribeInstanceTypes (read-only) for the given types, 100 per call; the limits by type name. */
export const fetchInstanceLimits = async (
  client: EC2Client,
  instanceTypes: readonly string[],
): Promise<Map<string, VpcLimits>> => {
  const out = new Map<string, VpcLimits>()
  const types = [...new Set(instanceTypes)].sort()
  for (let i = 0; i < types.length; i += 100) {
    const batch = types.slice(i, i + 100)
    const pages = paginateDescribeInstanceTypes({ client }, { InstanceTypes: batch as _InstanceType[] })
    for await (const page of pages)
      for (const info of page.InstanceTypes ?? [])
        if (info.InstanceType !== undefined) out.set(info.InstanceType, vpcLimitsFromInstanceType(info))
  }
  return out
}

/**
 * The scenario field `instanceLimits`: a map from instance type to its vpc.Limits entry, which the loader
 * passes to the kernel as SimSpec.extraLimits.
 */
export const instanceLimitsField = (limits: ReadonlyMap<string, VpcLimits>): Record<string, VpcLimits> =>
  Object.fromEntries([...limits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
