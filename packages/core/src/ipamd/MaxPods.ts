// A Linux node's kubelet max pods (cni-ipamd.md §10): the row of the VPC CNI's eni-max-pods.txt (bundled as
// data/eni-max-pods.txt), else the formula it was made with, ENIs × (IPv4 per ENI − 1) + 2 on the default
// network card; with custom networking the primary ENI takes no pods, so ENIs − 1 (the calculator's rule).

import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { VpcLimits } from "../ec2/InstanceLimits.ts"

let table: ReadonlyMap<string, number> | undefined

/** The bundled eni-max-pods.txt, read once. */
export const eniMaxPods = (): ReadonlyMap<string, number> => {
  if (table === undefined) {
    const file = createRequire(import.meta.url).resolve("@ipamsim/core/data/eni-max-pods.txt")
    const rows = new Map<string, number>()
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = /^([a-z0-9.-]+)\s+(\d+)\s*$/.exec(line)
      if (m !== null) rows.set(m[1]!, Number(m[2]))
    }
    table = rows
  }
  return table
}

/** ENIs on the default network card (what the file and ipamd count). */
export const defaultCardEnis = (limits: VpcLimits): number =>
  limits.NetworkCards.find((c) => c.NetworkCardIndex === limits.DefaultNetworkCardIndex)?.MaximumNetworkInterfaces ??
  limits.Interface

/** The formula: ENIs × (IPv4 per ENI − 1) + 2; one ENI fewer under custom networking. */
export const maxPodsFormula = (limits: VpcLimits, customNetworking: boolean): number =>
  (defaultCardEnis(limits) - (customNetworking ? 1 : 0)) * (limits.IPv4PerInterface - 1) + 2

/** A Linux node's max pods when the scenario gives none: the file's row, else the formula. */
export const linuxMaxPods = (instanceType: string, limits: VpcLimits, customNetworking: boolean): number =>
  customNetworking ? maxPodsFormula(limits, true) : (eniMaxPods().get(instanceType) ?? maxPodsFormula(limits, false))
