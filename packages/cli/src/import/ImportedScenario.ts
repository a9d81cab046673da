// `ipamsim import`, the writing half: a scenario YAML from an AccountSnapshot. Subnets keep their CIDR;
// what others hold becomes `usedByOthers.ranges` (exact, compressed into CIDR blocks), and what EC2
// counts as used but no visible ENI explains becomes `usedByOthers.count`. Windows nodes become node
// groups by (instance type, subnet) that join at 0 with empty warm pools. What EC2 cannot tell (the
// ConfigMap, the pod workload, kubelet's max-pods, subnet CIDR reservations) is filled with defaults
// and said so in comments, so the file runs as it is and shows what to replace.

import type { EC2Client } from "@aws-sdk/client-ec2"
import { addressesToCidrs } from "@ipamsim/aws/Cidrs"
import { type AccountSnapshot, type ImportedSubnet, type ImportSelection, readAccount } from "@ipamsim/aws/Import"
import { instanceLimitsField } from "@ipamsim/aws/InstanceTypeLimits"
import { limitsOf, type VpcLimits } from "@ipamsim/core/ec2/InstanceLimits"
import { formatCidr, type Ipv4 } from "@ipamsim/core/ec2/Ipv4"
import { Subnet } from "@ipamsim/core/ec2/Subnet"
import { Rng } from "@ipamsim/core/kernel/Rng"
import { Document, isMap, isScalar, type Pair, type Scalar, type YAMLMap } from "yaml"
import type { Scenario } from "../scenario/ScenarioSchema.ts"

export interface ScenarioOptions {
  /** The scenario's duration, as text ("1h"). */
  readonly duration?: string
  /** The time written in the header (tests pin it). */
  readonly now?: Date
  /** Write the proposed `instanceLimits` field for types missing from the bundled table. */
  readonly instanceLimitsField?: boolean
}

/** A scenario with the instanceLimits field. */
export type ImportedScenarioDocument = Omit<Scenario, "instanceLimits" | "configMap"> & {
  readonly instanceLimits?: Record<string, VpcLimits>
  /** The whole ConfigMap as kubectl prints it, so the real one can be pasted over it. */
  readonly configMap: {
    readonly apiVersion: "v1"
    readonly kind: "ConfigMap"
    readonly metadata: { readonly name: "amazon-vpc-cni"; readonly namespace: "kube-system" }
    readonly data: Record<string, string>
  }
}

export interface ImportedScenario {
  readonly scenario: ImportedScenarioDocument
  /** The file's text; starts with "# ipamsim scenario imported", the marker writeOutput looks for. */
  readonly yaml: string
  /** One line for the terminal. */
  readonly summary: string
}

/** Per-subnet facts for the comments: what is free for prefixes now and once the nodes start empty. */
interface SubnetFacts {
  readonly usable: number
  /** Free addresses by our own count (usable minus everything the ENIs hold). */
  readonly computedFree: number
  /** Used addresses EC2 counts that no visible ENI explains; negative when EC2 counts fewer. */
  readonly hidden: number
  readonly freeBlocksNow: number
  readonly freeBlocksAtStart: number
  readonly fragmentedNow: number
}

const subnetWith = (s: ImportedSubnet, used: Iterable<Ipv4>): Subnet =>
  new Subnet({
    id: s.subnetId,
    cidr: s.cidr,
    rng: new Rng(1),
    usedByOthers: { ranges: addressesToCidrs(used) },
  })

const factsOf = (s: ImportedSubnet): SubnetFacts => {
  const now = subnetWith(s, [...s.otherAddresses, ...s.nodeAddresses])
  const start = subnetWith(s, s.otherAddresses)
  return {
    usable: now.usable,
    computedFree: now.free,
    hidden: s.availableIpAddressCount === undefined ? 0 : now.free - s.availableIpAddressCount,
    freeBlocksNow: now.freeAlignedBlocks,
    freeBlocksAtStart: start.freeAlignedBlocks,
    fragmentedNow: now.fragmentedFree,
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** Lifetime of the placeholder pods, and its mean (lognormal with the given median and p99). */
const LIFETIME = { median: 600, p99: 1800 }
const meanLifetimeSeconds = (): number => {
  const sigma = Math.log(LIFETIME.p99 / LIFETIME.median) / 2.326347874
  return LIFETIME.median * Math.exp((sigma * sigma) / 2)
}

const roundTo3 = (x: number): number => Number(x.toPrecision(3))

export const scenarioFromSnapshot = (snapshot: AccountSnapshot, options: ScenarioOptions = {}): ImportedScenario => {
  const sel = snapshot.selection
  const duration = options.duration ?? "1h"
  const now = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z")
  const extra = options.instanceLimitsField === true ? snapshot.unknownTypeLimits : new Map<string, VpcLimits>()
  const facts = new Map(snapshot.subnets.map((s) => [s.subnetId, factsOf(s)]))

  // Node groups by (instance type, subnet), in subnet order, then type.
  const groups = new Map<string, { instanceType: string; subnetId: string; count: number }>()
  for (const n of snapshot.nodes) {
    const key = `${n.subnetId} ${n.instanceType}`
    const g = groups.get(key) ?? { instanceType: n.instanceType, subnetId: n.subnetId, count: 0 }
    g.count++
    groups.set(key, g)
  }
  const order = snapshot.subnets.map((s) => s.subnetId)
  const nodeGroups = [...groups.values()]
    .sort((a, b) => order.indexOf(a.subnetId) - order.indexOf(b.subnetId) || (a.instanceType < b.instanceType ? -1 : 1))
    .map((g) => ({
      name: `windows-${g.instanceType.replace(/\./g, "-")}-${g.subnetId}`,
      instanceType: g.instanceType,
      count: g.count,
      subnet: g.subnetId,
    }))

  // Placeholder workload: enough pods to keep about half the nodes' secondary-IP capacity busy.
  const capacity = nodeGroups.reduce(
    (sum, g) => sum + g.count * (limitsOf(g.instanceType, extra).IPv4PerInterface - 1),
    0,
  )
  const ratePerSecond = roundTo3(Math.max(0.01, (0.5 * capacity) / meanLifetimeSeconds()))

  const prefixesOnNodes = snapshot.subnets.reduce((sum, s) => sum + s.nodePrefixes, 0)
  const configData: Record<string, string> = { "enable-windows-ipam": "true" }
  if (prefixesOnNodes > 0) configData["enable-windows-prefix-delegation"] = "true"

  const subnets = snapshot.subnets.map((s) => {
    const f = facts.get(s.subnetId)!
    const ranges = addressesToCidrs(s.otherAddresses).map(formatCidr)
    // Addresses EC2 counts as used that no ENI we can see holds (another account's ENIs in a shared VPC,
    // or changes during the import): placed at random, as the scenario format allows.
    const count = Math.max(0, Math.min(f.hidden, f.computedFree))
    const usedByOthers = {
      ...(count > 0 ? { count } : {}),
      ...(ranges.length > 0 ? { ranges } : {}),
    }
    return {
      id: s.subnetId,
      cidr: s.cidrText,
      ...(Object.keys(usedByOthers).length > 0 ? { usedByOthers } : {}),
    }
  })

  const source = [
    `region ${sel.region ?? "(default)"}`,
    ...(sel.endpoint !== undefined ? [`endpoint ${sel.endpoint}`] : []),
    ...(sel.profile !== undefined ? [`profile ${sel.profile}`] : []),
    ...(sel.cluster !== undefined ? [`cluster ${sel.cluster}`] : []),
  ].join(", ")
  const nodeWord = plural(snapshot.nodes.length, "Windows node")
  const description = [
    `Imported from EC2 (${source}) at ${now}: ${nodeWord} in ${plural(nodeGroups.length, "node group")}, ${plural(snapshot.subnets.length, "subnet")}.`,
    ...snapshot.subnets.map((s) => {
      const f = facts.get(s.subnetId)!
      return (
        `${s.subnetId} ${s.cidrText}: ${s.availableIpAddressCount ?? "?"} of ${f.usable} addresses available, ` +
        `${s.otherAddresses.size} held by others (${plural(s.otherPrefixes, "/28 prefix", "/28 prefixes")}); ` +
        `free /28 blocks: ${f.freeBlocksNow} now, ${f.freeBlocksAtStart} at simulation start.`
      )
    }),
    "The workload is a placeholder (see the comment on workload).",
  ].join("\n")

  const scenario: ImportedScenarioDocument = {
    name: `imported-${sel.cluster ?? snapshot.subnets.map((s) => s.subnetId).join("-")}`.slice(0, 200),
    description,
    seed: 1,
    duration,
    ...(extra.size > 0 ? { instanceLimits: instanceLimitsField(extra) } : {}),
    configMap: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
      data: configData,
    },
    subnets,
    nodeGroups,
    workload: {
      generators: [
        {
          kind: "poisson",
          ratePerSecond,
          lifetime: { lognormal: { median: `${LIFETIME.median / 60}m`, p99: `${LIFETIME.p99 / 60}m` } },
          namePrefix: "placeholder",
        },
      ],
    },
  }

  const doc = new Document(scenario)
  doc.commentBefore = [
    ` ipamsim scenario imported from EC2 by \`ipamsim import\` at ${now}`,
    ` Source: ${source}; read with ${snapshot.actionsCalled.join(", ")} (read-only).`,
    " Not in EC2, so not imported: the amazon-vpc-cni ConfigMap, the pod workload, kubelet --max-pods, and subnet",
    " CIDR reservations (prefixReservations; add them by hand from `aws ec2 get-subnet-cidr-reservations`).",
    ...(snapshot.nodesOutsideSubnets > 0
      ? [` ${plural(snapshot.nodesOutsideSubnets, "Windows node")} of the cluster outside the chosen subnets left out.`]
      : []),
  ].join("\n")
  const top = doc.contents as YAMLMap
  const keyOf = (name: string): Scalar | undefined =>
    (top.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === name)?.key as Scalar | undefined
  const comment = (name: string, text: string): void => {
    const k = keyOf(name)
    if (k !== undefined) k.commentBefore = text
  }

  if (extra.size > 0)
    comment(
      "instanceLimits",
      " Limits from DescribeInstanceTypes for instance types the controller's table (vpc-limits.json) lacks;\n" +
        " the real controller would leave such nodes Unsupported.",
    )
  comment(
    "configMap",
    " The real ConfigMap (kube-system/amazon-vpc-cni) lives in Kubernetes, not in EC2: paste the output of\n" +
      " kubectl -n kube-system get configmap amazon-vpc-cni -o yaml here as it is, or save it to a file and write\n" +
      " configMap: { file: amazon-vpc-cni.yaml }. Windows IPAM enabled is assumed.",
  )
  if (prefixesOnNodes > 0) {
    const v = doc.getIn(["configMap", "data", "enable-windows-prefix-delegation"], true) as Scalar | undefined
    if (v !== undefined)
      v.comment = ` inferred: the Windows nodes hold ${plural(prefixesOnNodes, "/28 prefix", "/28 prefixes")}`
  }

  snapshot.subnets.forEach((s, i) => {
    const f = facts.get(s.subnetId)!
    const node = doc.getIn(["subnets", i], true)
    if (!isMap(node)) return
    const types = [...s.otherInterfaceTypes].map(([t, n]) => `${t} ×${n}`).join(", ")
    const nodesHere = snapshot.nodes.filter((n) => n.subnetId === s.subnetId)
    const secondary = nodesHere.reduce((sum, n) => sum + n.secondaryIps, 0)
    const lines = [
      ` ${s.cidrText}${s.availabilityZone !== undefined ? ` in ${s.availabilityZone}` : ""}: EC2 reports ${s.availableIpAddressCount ?? "?"} of ${f.usable} usable addresses available.`,
      s.otherEnis === 0
        ? " Others: no other ENI in this subnet."
        : ` Others: ${plural(s.otherEnis, "ENI")} (${types}) hold ${plural(s.otherAddresses.size, "address", "addresses")}, ${plural(s.otherPrefixes, "/28 prefix", "/28 prefixes")} among them.`,
      ` Windows nodes now: ${plural(nodesHere.length, "primary address", "primary addresses")}, ${secondary} secondary, ${plural(s.nodePrefixes, "prefix", "prefixes")} (the simulation starts their pools empty).`,
      ` Free aligned /28 blocks: ${f.freeBlocksNow} now, ${f.freeBlocksAtStart} at simulation start; ${f.fragmentedNow} free addresses now lie outside any free /28.`,
    ]
    if (f.hidden > 0)
      lines.push(
        ` usedByOthers.count: EC2 counts ${f.hidden} more addresses in use than the visible ENIs hold (shared VPC, or changes during the import).`,
      )
    if (f.hidden < 0)
      lines.push(
        ` EC2 counts ${-f.hidden} fewer addresses in use than the visible ENIs hold (changes during the import?).`,
      )
    node.commentBefore = lines.join("\n")
  })

  comment(
    "nodeGroups",
    " The Windows instances, grouped by (instance type, subnet). They join at 0 with empty warm pools, not in their\n" +
      " current state. maxPods is the default 110: kubelet's --max-pods is not visible in EC2.",
  )
  comment(
    "workload",
    " PLACEHOLDER: a Poisson stream sized to keep about half the nodes' secondary-IP capacity busy. Replace it with\n" +
      " the cluster's real pod trace (workload.traces; `ipamsim trace` can convert one) before drawing conclusions.",
  )

  const yaml = doc.toString({ lineWidth: 0 })
  const others = snapshot.subnets.reduce((sum, s) => sum + s.otherAddresses.size, 0)
  const summary =
    `imported ${nodeWord} (${plural(nodeGroups.length, "node group")}) in ${plural(snapshot.subnets.length, "subnet")}; ` +
    `others hold ${plural(others, "address", "addresses")}; the workload is a placeholder to replace with a real trace`
  return { scenario, yaml, summary }
}

export interface ImportOptions extends ImportSelection, ScenarioOptions {}

/**
 * Reads the account and writes the scenario. With `instanceLimitsField`, node types missing from the
 * bundled table get the proposed `instanceLimits` field instead of failing the import.
 */
export const importScenario = async (client: EC2Client, options: ImportOptions): Promise<ImportedScenario> => {
  const snapshot = await readAccount(client, options, {
    unknownInstanceTypes: options.instanceLimitsField === true ? "instanceLimits" : "fail",
  })
  return scenarioFromSnapshot(snapshot, options)
}
