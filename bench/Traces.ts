// The standard benchmark traces S, M and L: Poisson pod churn over a cluster of Windows nodes; and LM, the L
// trace's size over a mixed cluster, half its nodes and pods Linux (ipamd with the shipped defaults). Written
// as CSV trace files (bench/out/, not committed) and scenario files that replay them.

import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { TRACE_CSV_HEADER, traceLine, writeTraceFile } from "@ipamsim/cli/trace/TraceWriter"
import { generatedTrace } from "@ipamsim/core/workload/TraceGenerators"
import { OUT } from "./Paths.ts"

export type SizeName = "S" | "M" | "L" | "LM"

export interface TraceSize {
  readonly name: SizeName
  readonly events: number
  readonly nodes: number
  readonly durationMs: number
  readonly instanceType: string
  /** Prefix delegation keeps EC2 jobs rare enough for the controller's 2 workers at this churn. */
  readonly prefixDelegation: boolean
  /** The share of nodes and pods that are Linux (0: a Windows-only cluster). */
  readonly linuxShare: number
}

const DAY = 86_400_000

export const SIZES: Record<SizeName, TraceSize> = {
  S: {
    name: "S",
    events: 100_000,
    nodes: 100,
    durationMs: DAY,
    instanceType: "c5.xlarge",
    prefixDelegation: true,
    linuxShare: 0,
  },
  M: {
    name: "M",
    events: 1_000_000,
    nodes: 1_000,
    durationMs: 2 * DAY,
    instanceType: "c5.xlarge",
    prefixDelegation: true,
    linuxShare: 0,
  },
  L: {
    name: "L",
    events: 10_000_000,
    nodes: 5_000,
    durationMs: 7 * DAY,
    instanceType: "c5.xlarge",
    prefixDelegation: true,
    linuxShare: 0,
  },
  LM: {
    name: "LM",
    events: 10_000_000,
    nodes: 5_000,
    durationMs: 7 * DAY,
    instanceType: "c5.xlarge",
    prefixDelegation: true,
    linuxShare: 0.5,
  },
}

/**
 * Pods start at a steady rate and live a lognormal time well inside the horizon: about 2 events per pod;
 * a mixed cluster's Linux pods come from a second generator of the same shape.
 */
const specs = (s: TraceSize) => {
  const pods = s.events / 2
  const ratePerSecond = pods / (s.durationMs / 1000)
  // Live pods ≈ rate × mean lifetime; aim at ~30 % of the nodes' prefix-mode capacity, 8 pods per node.
  const medianMs = Math.round(((8 * s.nodes) / ratePerSecond) * 1000 * 0.8)
  const one = (share: number, linux: boolean) => ({
    kind: "poisson" as const,
    ratePerSecond: ratePerSecond * share,
    endMs: s.durationMs - 2 * 3_600_000,
    lifetime: { lognormal: { median: medianMs, p99: medianMs * 4 } },
    namePrefix: linux ? "linux" : "pod",
    ...(linux ? { windowsSelector: false } : {}),
  })
  return s.linuxShare === 0 ? [one(1, false)] : [one(1 - s.linuxShare, false), one(s.linuxShare, true)]
}

/**
 * Subnets and node groups: at most 1,250 nodes per /16, because every prefix-mode node needs a free /28
 * and a /16 has only 4,096 of them (fewer once primary addresses land at random).
 */
const layout = (s: TraceSize, nodes: number): string[] => {
  const linuxNodes = Math.round(nodes * s.linuxShare)
  const windowsNodes = nodes - linuxNodes
  const groups = Math.ceil(windowsNodes / 1250)
  // Linux nodes with the shipped defaults hold 2 to 4 ENIs of 15 addresses: 1,000 of them to a /16.
  const linuxGroups = Math.ceil(linuxNodes / 1000)
  const lines = ["subnets:"]
  for (let g = 0; g < groups + linuxGroups; g++) lines.push(`  - id: subnet-${g}`, `    cidr: 10.${g}.0.0/16`)
  lines.push("nodeGroups:")
  for (let g = 0; g < groups; g++) {
    lines.push(
      `  - name: windows-${g}`,
      `    instanceType: ${s.instanceType}`,
      `    count: ${Math.min(1250, windowsNodes - g * 1250)}`,
      `    subnet: subnet-${g}`,
      // Nodes register one every 2 s per group, as a scale-out does: all at once, their init calls alone
      // would queue for many minutes behind the controller's 12 QPS EC2 limiter.
      "    joinEvery: 2s",
    )
  }
  for (let g = 0; g < linuxGroups; g++) {
    lines.push(
      `  - name: linux-${g}`,
      "    os: linux",
      `    instanceType: ${s.instanceType}`,
      `    count: ${Math.min(1000, linuxNodes - g * 1000)}`,
      `    subnet: subnet-${groups + g}`,
      "    joinEvery: 1s",
    )
  }
  return lines
}

/**
 * Writes the trace if missing and its scenario; returns the scenario path. `nodes` replays the same trace
 * over another number of nodes (scenario-<size>-<nodes>.yaml), to see how cost grows with nodes alone.
 */
export const ensureTrace = (s: TraceSize, nodes = s.nodes): string => {
  mkdirSync(OUT, { recursive: true })
  const trace = join(OUT, `trace-${s.name}.csv`)
  const scenario = join(OUT, nodes === s.nodes ? `scenario-${s.name}.yaml` : `scenario-${s.name}-${nodes}.yaml`)
  if (!existsSync(trace)) {
    const source = generatedTrace(specs(s), 42, s.durationMs)
    function* lines(): Generator<string> {
      yield TRACE_CSV_HEADER
      for (let e = source.next(); e !== undefined; e = source.next()) yield traceLine(e, "csv")
    }
    writeTraceFile(trace, lines(), true)
  }
  writeFileSync(
    scenario,
    [
      `name: bench-${s.name}`,
      `description: benchmark trace ${s.name} (${s.events} events, ${nodes} nodes)`,
      "seed: 1",
      `duration: ${s.durationMs}`,
      "timelineEvery: 1h",
      "configMap:",
      "  data:",
      '    enable-windows-ipam: "true"',
      ...(s.prefixDelegation ? ['    enable-windows-prefix-delegation: "true"'] : []),
      ...layout(s, nodes),
      "workload:",
      `  traces: [{ file: trace-${s.name}.csv }]`,
      "",
    ].join("\n"),
  )
  return scenario
}
