// One run of a sweep, as a worker thread executes it: the scenario file is loaded (once per worker), the
// point's variant built, the kernel run, and only the numbers the analysis needs sent back.

import { Cluster } from "@ipamsim/core/Cluster"
import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { type LoadedScenario, loadScenario } from "../scenario/ScenarioLoader.ts"
import { measureRollout, type RolloutTransient } from "./RolloutTransient.ts"
import { applyVariant, type VariantOverrides } from "./Variant.ts"

export type TuneJob =
  | { readonly kind: "point"; readonly file: string; readonly seed: number; readonly variant: VariantOverrides }
  | {
      readonly kind: "rollout"
      readonly file: string
      readonly seed: number
      readonly variant: VariantOverrides
      readonly atMs: number
      readonly windowMs: number
    }

/**
 * What the analysis reads from one run; IP-seconds to the ms the kernel reports. With Linux nodes, the
 * pods' figures cover both OSes (p99 and max wait the worse of the two, counts summed) and the addresses are
 * the report's top-level ones, which include the Linux nodes' (docs/report.md).
 */
export interface RunMetrics {
  readonly seed: number
  readonly simulatedMs: number
  /** The worse of the Windows and Linux pods' p99 wait. */
  readonly p99WaitMs: number
  readonly maxWaitMs: number
  readonly wasteIpSeconds: number
  readonly warmIpSeconds: number
  readonly allocatedIpSeconds: number
  readonly usedIpSeconds: number
  readonly peakAllocated: number
  /** Pods that asked for an address: Windows pods plus Linux pods needing one. */
  readonly requestingAddress: number
  /** Windows and Linux pods that never got an address. */
  readonly neverGotIp: number
  readonly exhausted: boolean
  /** Exhausted time, summed over subnets. */
  readonly exhaustedMs: number
  /** The fewest free addresses any subnet had (outside prefix reservations). */
  readonly minFree: number
  readonly ec2Calls: number
  readonly throttled: number
  /** With Linux nodes only: each OS's share of the figures above. */
  readonly linux?: {
    readonly windowsP99WaitMs: number
    readonly linuxP99WaitMs: number
    readonly windowsNeverGotIp: number
    readonly linuxNeverGotIp: number
    readonly linuxWarmIpSeconds: number
    readonly linuxUsedIpSeconds: number
  }
}

export type JobOutput =
  | { readonly kind: "point"; readonly metrics: RunMetrics }
  | { readonly kind: "rollout"; readonly transient: RolloutTransient }

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)
const ms3 = (v: number): number => Math.round(v * 1000) / 1000

export const runMetrics = (r: SimResult): RunMetrics => {
  const l = r.linux
  return {
    seed: r.seed,
    simulatedMs: r.simulatedMs,
    p99WaitMs: l === undefined ? r.pods.waitMs.p99 : Math.max(r.pods.waitMs.p99, l.pods.waitMs.p99),
    maxWaitMs: l === undefined ? r.pods.waitMs.max : Math.max(r.pods.waitMs.max, l.pods.waitMs.max),
    wasteIpSeconds: ms3(r.addresses.ipSeconds.allocated - r.addresses.ipSeconds.used),
    warmIpSeconds: r.addresses.ipSeconds.warm,
    allocatedIpSeconds: r.addresses.ipSeconds.allocated,
    usedIpSeconds: r.addresses.ipSeconds.used,
    peakAllocated: r.addresses.peakAllocated,
    requestingAddress: r.pods.requestingAddress + (l?.pods.needingAddress ?? 0),
    neverGotIp: r.pods.neverGotIp + (l?.pods.neverGotIp ?? 0),
    exhausted: r.subnets.some((s) => s.firstExhaustedAtMs !== null),
    exhaustedMs: r.subnets.reduce((a, s) => a + s.exhaustedMs, 0),
    minFree: r.subnets.length === 0 ? 0 : Math.min(...r.subnets.map((s) => s.minFree)),
    ec2Calls: sum(r.ec2.calls),
    throttled: sum(r.ec2.throttled),
    ...(l === undefined
      ? {}
      : {
          linux: {
            windowsP99WaitMs: r.pods.waitMs.p99,
            linuxP99WaitMs: l.pods.waitMs.p99,
            windowsNeverGotIp: r.pods.neverGotIp,
            linuxNeverGotIp: l.pods.neverGotIp,
            linuxWarmIpSeconds: l.addresses.ipSeconds.warm,
            linuxUsedIpSeconds: l.addresses.ipSeconds.used,
          },
        }),
  }
}

/** Runs jobs against scenario files, loading each file once. */
export class JobRunner {
  private readonly loaded = new Map<string, LoadedScenario>()

  run(job: TuneJob): JobOutput {
    let loaded = this.loaded.get(job.file)
    if (loaded === undefined) {
      loaded = loadScenario(job.file)
      this.loaded.set(job.file, loaded)
    }
    // Runs already fill every core: traces are read in the run's own thread. The rollout check watches
    // pods by name, so its traces keep their names (no pod ids).
    const podIds = job.kind !== "rollout"
    const build = (v: VariantOverrides) =>
      buildSimSpec(
        { ...loaded, scenario: applyVariant(loaded.scenario, v) },
        { seed: job.seed, parallelTraces: false, podIds },
      )
    const spec = build(job.variant)
    // Runs that stop before their traces end close them: a worker does many runs.
    try {
      if (job.kind === "rollout") {
        const { change: _, ...without } = job.variant
        const baseline = build(without)
        try {
          return { kind: "rollout", transient: measureRollout(spec, baseline, job.atMs, job.windowMs) }
        } finally {
          baseline.trace.close?.()
        }
      }
      return { kind: "point", metrics: runMetrics(new Cluster(spec).run()) }
    } finally {
      spec.trace.close?.()
    }
  }
}
