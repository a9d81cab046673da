import type { GeneratorSpec } from "@ipamsim/core/workload/TraceGenerators"

// Sizes beyond reason are refused before anything is allocated or generated, each error naming its limit
// (docs/scenarios.md, "Limits"). They sit far above any real cluster: EKS's largest clusters have tens of
// thousands of nodes, kubelet's max pods is a few hundred, and a busy cluster creates tens of pods a second.

/** A scenario file larger than this is refused before it is parsed. */
export const MAX_SCENARIO_BYTES = 16 << 20

/** Nodes in a scenario, all node groups together. */
export const MAX_NODES = 100_000

/** A node group's maxPods. */
export const MAX_PODS_PER_NODE = 10_000

/** Pods one generator creates at once: a rollout's replicas, a cronjob run's parallelism. */
export const MAX_PODS_AT_ONCE = 1_000_000

/** Pod creates per second of a generator (poisson rate, diurnal peak, cronjob runs) or `trace generate --rate`. */
export const MAX_PODS_PER_SECOND = 10_000

/** Timeline samples of a run (duration / timelineEvery). */
export const MAX_TIMELINE_SAMPLES = 1_000_000

/** One line of a trace file (an audit event with its request and response objects fits). */
export const MAX_TRACE_LINE_BYTES = 4 << 20

/** Sizes as messages say them: 16 MiB, 1 MiB, 100,000. */
export const bytesText = (n: number): string =>
  n >= 1 << 20 && n % (1 << 20) === 0 ? `${n >> 20} MiB` : n >= 1024 && n % 1024 === 0 ? `${n >> 10} KiB` : `${n} bytes`

export const countText = (n: number): string => n.toLocaleString("en-US")

const durationText = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`)

/**
 * A generator's sizes against the limits: each problem with the scenario field at fault (ratePerSecond,
 * meanPerSecond, replicas, parallelism, every). `trace generate` names the flags instead.
 */
export const generatorLimits = (spec: GeneratorSpec): Array<{ field: string; message: string }> => {
  const out: Array<{ field: string; message: string }> = []
  const perSecond = `over the limit of ${countText(MAX_PODS_PER_SECOND)} pods per second`
  const atOnce = `over the limit of ${countText(MAX_PODS_AT_ONCE)} pods at once`
  switch (spec.kind) {
    case "poisson":
      if (spec.ratePerSecond > MAX_PODS_PER_SECOND)
        out.push({ field: "ratePerSecond", message: `${spec.ratePerSecond} is ${perSecond}` })
      break
    case "diurnal": {
      const peak = spec.meanPerSecond * (1 + spec.amplitude)
      if (peak > MAX_PODS_PER_SECOND)
        out.push({
          field: "meanPerSecond",
          message: `a peak of ${peak} pods per second (mean × (1 + amplitude)) is ${perSecond}`,
        })
      break
    }
    case "rollout":
      if (spec.replicas > MAX_PODS_AT_ONCE)
        out.push({ field: "replicas", message: `${countText(spec.replicas)} is ${atOnce}` })
      break
    case "cronjob":
      if (spec.parallelism > MAX_PODS_AT_ONCE)
        out.push({ field: "parallelism", message: `${countText(spec.parallelism)} is ${atOnce}` })
      else if (spec.everyMs > 0 && (spec.parallelism * 1000) / spec.everyMs > MAX_PODS_PER_SECOND)
        out.push({
          field: "every",
          message: `${spec.parallelism} pods every ${durationText(spec.everyMs)} is ${perSecond}`,
        })
      break
  }
  return out
}
