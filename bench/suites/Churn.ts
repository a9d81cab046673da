// The kernel on in-memory traces (no file reading): Poisson churn generated into an array, and a cluster of
// c5.xlarge Windows nodes in prefix mode to replay it on (at most 1,250 nodes per /16). Growth times it;
// Memory weighs the heap it holds.

import { Cluster } from "@ipamsim/core/Cluster"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { simSpec } from "@ipamsim/core/spec/SpecBuilder"
import { generatedTrace } from "@ipamsim/core/workload/TraceGenerators"

export const churn = (pods: number, durationMs: number): PodEvent[] => {
  const src = generatedTrace(
    [
      {
        kind: "poisson",
        ratePerSecond: pods / (durationMs / 1000),
        endMs: durationMs,
        lifetime: { lognormal: { median: 600_000, p99: 3_600_000 } },
      },
    ],
    7,
  )
  const out: PodEvent[] = []
  for (let e = src.next(); e !== undefined; e = src.next()) out.push(e)
  return out
}
export const kernelCluster = (nodes: number, events: PodEvent[], durationMs: number): Cluster =>
  new Cluster(
    simSpec({
      subnets: Array.from({ length: Math.ceil(nodes / 1250) }, (_, g) => ({ id: `s${g}`, cidr: `10.${g}.0.0/16` })),
      nodeGroups: Array.from({ length: Math.ceil(nodes / 1250) }, (_, g) => ({
        name: `g${g}`,
        instanceType: "c5.xlarge",
        count: Math.min(1250, nodes - g * 1250),
        subnet: `s${g}`,
        joinEveryMs: 2000,
      })),
      configMap: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
      trace: events,
      durationMs: durationMs + 600_000,
    }),
  )
export const kernelRun =
  (nodes: number, events: PodEvent[], durationMs: number): (() => void) =>
  () => {
    kernelCluster(nodes, events, durationMs).run()
  }
export const noopRun =
  (events: PodEvent[]): (() => void) =>
  () => {
    let n = 0
    for (const e of events) if (e.type === "create") n++
    if (n < 0) throw new Error("unreachable")
  }
