// The narrow EC2 interface the kernel calls directly: only the calls the controller makes for Windows
// IPAM (research/vpc-resource-controller.md §5.1) and ipamd makes for Linux nodes (SimulatedEc2's ENIs), on numeric ids and addresses so a call costs no
// string work. The AWS SDK shapes live at the edge (an adapter), never in the kernel.

import type { Ipv4 } from "./Ipv4.ts"

/** Outcome of a call: Ok, or the EC2 error code the caller would see. */
export const Ec2Code = {
  Ok: 0,
  InsufficientFreeAddressesInSubnet: 1,
  InsufficientCidrBlocks: 2,
  PrivateIpAddressLimitExceeded: 3,
  RequestLimitExceeded: 4,
  RequestTimeout: 5,
  InvalidNetworkInterfaceId: 6,
  InternalError: 7,
} as const
export type Ec2Code = (typeof Ec2Code)[keyof typeof Ec2Code]

export const ec2CodeName = (code: Ec2Code): string =>
  [
    "Ok",
    "InsufficientFreeAddressesInSubnet",
    "InsufficientCidrBlocks",
    "PrivateIpAddressLimitExceeded",
    "RequestLimitExceeded",
    "RequestTimeout",
    "InvalidNetworkInterfaceID.NotFound",
    "InternalError",
  ][code] ?? `Ec2Code(${code})`

/** The EC2 actions the model knows, for limits, latencies, faults and call counts. */
export const Ec2Action = {
  AssignPrivateIpAddresses: 0,
  UnassignPrivateIpAddresses: 1,
  DescribeNetworkInterfaces: 2,
  DescribeInstances: 3,
  DescribeSubnets: 4,
  // ipamd's (Linux nodes): ENIs of their own.
  CreateNetworkInterface: 5,
  AttachNetworkInterface: 6,
  ModifyNetworkInterfaceAttribute: 7,
  DetachNetworkInterface: 8,
  DeleteNetworkInterface: 9,
} as const
export type Ec2Action = (typeof Ec2Action)[keyof typeof Ec2Action]
export const EC2_ACTIONS = [
  "AssignPrivateIpAddresses",
  "UnassignPrivateIpAddresses",
  "DescribeNetworkInterfaces",
  "DescribeInstances",
  "DescribeSubnets",
  "CreateNetworkInterface",
  "AttachNetworkInterface",
  "ModifyNetworkInterfaceAttribute",
  "DetachNetworkInterface",
  "DeleteNetworkInterface",
] as const
/** The actions the Windows controller calls (a report of a run without Linux nodes lists only these). */
export const WINDOWS_EC2_ACTIONS = 5
export type Ec2ActionName = (typeof EC2_ACTIONS)[number]

export interface Ec2 {
  /** AssignPrivateIpAddresses with SecondaryPrivateIpAddressCount; the addresses go into `out`. All or nothing. */
  assignIps(eni: number, count: number, out: Ipv4[]): Ec2Code
  /** AssignPrivateIpAddresses with Ipv4PrefixCount; the /28 bases go into `out`. All or nothing. */
  assignPrefixes(eni: number, count: number, out: Ipv4[]): Ec2Code
  /** UnassignPrivateIpAddresses with PrivateIpAddresses. */
  unassignIps(eni: number, ips: readonly Ipv4[]): Ec2Code
  /** UnassignPrivateIpAddresses with Ipv4Prefixes. */
  unassignPrefixes(eni: number, prefixes: readonly Ipv4[]): Ec2Code
  /** DescribeNetworkInterfaces / DescribeInstances for one ENI: its secondary IPs and prefixes. */
  describeEni(eni: number, ips: Ipv4[], prefixes: Ipv4[]): Ec2Code
  /** The ENI's free slots: IPv4PerInterface − primary − secondary IPs − prefixes (ENI manager's InitResources). */
  remainingSlots(eni: number): number
}
