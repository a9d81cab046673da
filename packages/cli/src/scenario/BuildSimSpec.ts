// The kernel's input (SimSpec) for a loaded scenario: its parts, and its trace files opened as streaming
// sources merged with its generators.

import { resolve } from "node:path"
import type { SimSpec, TraceSource } from "@ipamsim/core/spec/SimSpec"
import { generatorSource, mergeSources } from "@ipamsim/core/workload/TraceGenerators"
import { openTrace } from "../trace/OpenTrace.ts"
import { type LoadedScenario, ScenarioError } from "./ScenarioLoader.ts"
import { awsNodeEnv, buildParts, configMapData, extraLimits, formatPath, ms, type Problem } from "./ScenarioParts.ts"

export interface BuildOptions {
  readonly seed?: number | undefined
  readonly sortTraces?: boolean | undefined
  readonly checkInvariants?: boolean | undefined
  /** Let a lone csv trace give pod ids (faster; default true). Off for callers that look pods up by name. */
  readonly podIds?: boolean | undefined
  /** Read trace files on a second thread: "auto" (default) for large files; false in worker threads of tune. */
  readonly parallelTraces?: boolean | "auto" | undefined
  /**
   * Let a lone trace reuse one event object, read on a second thread or in this one
   * (OpenTraceOptions.reuseEvents; default true): off for callers that keep events past the next one.
   */
  readonly reuseEvents?: boolean | undefined
}

/** The kernel input for a loaded scenario; opens the trace files (streamed) and the generators. */
export const buildSimSpec = (loaded: LoadedScenario, options: BuildOptions = {}): SimSpec => {
  const s = loaded.scenario
  const problems: Problem[] = []
  const parts = buildParts(s, loaded.dir, problems)
  if (problems.length > 0)
    throw new ScenarioError(problems.map((p) => `${loaded.file}: ${formatPath(p.path)}: ${p.message}`))
  const seed = options.seed ?? s.seed ?? 1
  const traces = s.workload.traces ?? []
  // Pod ids only from a trace read alone: merged sources are read ahead, and each would number its own pods.
  const podIds = (options.podIds ?? true) && traces.length === 1 && parts.generators.length === 0
  const sources: TraceSource[] = traces.map((t) =>
    openTrace(resolve(loaded.dir, t.file), {
      ...(t.format !== undefined ? { format: t.format } : {}),
      // Checked in buildParts, which reports a bad offset with its line.
      ...(t.offset !== undefined ? { offsetMs: ms(t.offset, [], []) } : {}),
      sort: t.sort ?? options.sortTraces ?? false,
      podIds,
      parallel: options.parallelTraces ?? "auto",
      // Merged sources keep one event of each while they pull the next: only a lone trace may reuse one.
      reuseEvents: (options.reuseEvents ?? true) && traces.length === 1 && parts.generators.length === 0,
    }),
  )
  parts.generators.forEach((g, i) => {
    sources.push(generatorSource(g, seed, i))
  })
  const horizon = parts.durationMs
  const timelineEveryMs =
    parts.timelineEveryMs ?? (horizon !== undefined ? Math.max(1000, Math.round(horizon / 400)) : 10_000)
  return {
    seed,
    durationMs: horizon,
    drainMs: parts.drainMs,
    controller: {
      prefixDelegationFlag: s.controller?.prefixDelegationFlag ?? true,
      profile: s.controller?.profile ?? "current",
      ec2: parts.ec2,
      visibility: parts.visibility,
    },
    configMap: { data: configMapData(s), changes: parts.changes },
    subnets: parts.subnets,
    nodeGroups: parts.nodeGroups,
    ...(parts.nodeGroups.some((g) => g.os === "linux")
      ? { awsNode: { env: awsNodeEnv(s), changes: parts.envChanges } }
      : {}),
    trace: sources.length === 1 ? sources[0]! : mergeSources(sources),
    timelineEveryMs,
    extraLimits: extraLimits(s),
    ...(options.checkInvariants ? { checkInvariants: true } : {}),
  }
}
