// vpc.Limits (pkg/aws/vpc/limits.go), bundled as data/vpc-limits.json, and the capacity rules of
// research/vpc-resource-controller.md §1.4.

import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

export interface VpcLimits {
  readonly Interface: number
  readonly IPv4PerInterface: number
  readonly IsTrunkingCompatible: boolean
  readonly BranchInterface: number
  readonly DefaultNetworkCardIndex: number
  readonly NetworkCards: ReadonlyArray<{ readonly MaximumNetworkInterfaces: number; readonly NetworkCardIndex: number }>
  readonly Hypervisor: string
  readonly IsBareMetal: boolean
}

let table: ReadonlyMap<string, VpcLimits> | undefined

/** The bundled table, read once. */
export const vpcLimits = (): ReadonlyMap<string, VpcLimits> => {
  if (table === undefined) {
    // Found by package name, so the same code works from source and from the bundled CLI.
    const file = createRequire(import.meta.url).resolve("@ipamsim/core/data/vpc-limits.json")
    const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, VpcLimits>
    table = new Map(Object.entries(raw))
  }
  return table
}

export class UnknownInstanceTypeError extends Error {
  constructor(readonly instanceType: string) {
    super(
      `unknown instance type "${instanceType}": not in the controller's instance limits table (vpc-limits.json); the controller marks such nodes "Unsupported" and never manages them`,
    )
  }
}

export const limitsOf = (instanceType: string, extra?: ReadonlyMap<string, VpcLimits>): VpcLimits => {
  const l = vpcLimits().get(instanceType) ?? extra?.get(instanceType)
  if (l === undefined) throw new UnknownInstanceTypeError(instanceType)
  return l
}

/** utils.IsNitroInstance: Nitro hypervisor or bare metal; prefix delegation needs it. */
export const isNitroInstance = (limits: VpcLimits): boolean => limits.IsBareMetal || limits.Hypervisor === "nitro"

/** getCapacity (both providers): Windows uses one ENI, so IPv4PerInterface − 1; Linux would multiply by ENIs. */
export const getCapacity = (limits: VpcLimits, os: "windows" | "linux"): number =>
  os === "windows" ? limits.IPv4PerInterface - 1 : (limits.IPv4PerInterface - 1) * limits.Interface

export interface WindowsCapacity {
  /** Secondary-IP pool capacity in IPs. */
  readonly secondaryIp: number
  /** Prefix pool capacity in IPs (16 per prefix slot), or undefined where prefix delegation is unsupported. */
  readonly prefix: number | undefined
}

/** Capacity of a Windows node in both modes; prefix mode only on Nitro or bare metal. */
export const windowsCapacity = (instanceType: string, extra?: ReadonlyMap<string, VpcLimits>): WindowsCapacity => {
  const limits = limitsOf(instanceType, extra)
  const sip = getCapacity(limits, "windows")
  return { secondaryIp: sip, prefix: isNitroInstance(limits) ? sip * 16 : undefined }
}
