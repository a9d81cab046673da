// A capacity scenario as an ipamsim scenario file: a shrunk counterexample that `ipamsim run <file> --html
// report.html` replays (same seed, ConfigMap, subnet, node groups and pod events, so the same simulation),
// with the property's expectations as the scenario's, so the run exits 2 as the property failed.

import { mkdirSync, writeFileSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import type fc from "fast-check"
import type { CapacityExpectations } from "./ExpectCapacity.ts"
import type { CapacityScenario } from "./Scenario.ts"

export interface ScenarioFileOptions {
  /** The scenario's name (default: the file's name without extension). */
  readonly name?: string
  readonly description?: string
  /** Written as the scenario's expectations. */
  readonly expectations?: CapacityExpectations
}

const ms = (n: number): string => `${n}ms`

/** The scenario file's text (YAML) and its trace (CSV), which the file names `traceFile`. */
export const scenarioFile = (
  s: CapacityScenario,
  traceFile: string,
  options: ScenarioFileOptions = {},
): { readonly yaml: string; readonly csv: string } => {
  if (s.ec2 !== undefined)
    throw new Error("scenarioFile: a scenario with ec2 overrides cannot be written as a scenario file yet")
  const e = options.expectations ?? {}
  const expectations = {
    ...(e.maxWaitMs !== undefined ? { maxWaitMs: e.maxWaitMs } : {}),
    ...(e.maxP99WaitMs !== undefined ? { maxP99WaitMs: e.maxP99WaitMs } : {}),
    ...(e.noExhaustion === true ? { noSubnetExhaustion: true } : {}),
    ...(e.allPodsGetIp === true ? { allPodsGetIp: true } : {}),
  }
  const doc = {
    name: options.name ?? "counterexample",
    ...(options.description !== undefined ? { description: options.description } : {}),
    seed: s.seed,
    ...(s.drainMs !== undefined ? { drain: ms(s.drainMs) } : {}),
    configMap: { data: { ...s.configMap } },
    subnets: [
      {
        id: s.subnet.id,
        cidr: s.subnet.cidr,
        ...(s.subnet.usedByOthers !== undefined ? { usedByOthers: s.subnet.usedByOthers } : {}),
        ...(s.subnet.prefixReservations !== undefined ? { prefixReservations: s.subnet.prefixReservations } : {}),
      },
    ],
    nodeGroups: s.nodeGroups.map((g, i) => ({
      name: g.name ?? `g${i}`,
      instanceType: g.instanceType,
      count: g.count ?? 1,
      subnet: g.subnet ?? s.subnet.id,
      ...(g.joinAtMs !== undefined ? { joinAt: ms(g.joinAtMs) } : {}),
      ...(g.joinEveryMs !== undefined ? { joinEvery: ms(g.joinEveryMs) } : {}),
      ...(g.leaveAtMs !== undefined ? { leaveAt: ms(g.leaveAtMs) } : {}),
      ...(g.maxPods !== undefined ? { maxPods: g.maxPods } : {}),
    })),
    workload: { traces: [{ file: traceFile }] },
    ...(Object.keys(expectations).length > 0 ? { expectations } : {}),
  }
  // JSON is YAML; the comment says how to replay it.
  const yaml = `# ipamsim run ${options.name ?? "counterexample"}.yaml --html report.html\n${JSON.stringify(doc, null, 2)}\n`
  const rows = [...s.churn.events()].sort((a, b) => a.t - b.t).map((ev) => `${ev.t},${ev.type},${ev.pod}`)
  return { yaml, csv: `time_ms,event,pod\n${rows.join("\n")}\n` }
}

/**
 * Writes the scenario as `path` (a .yaml file) and its pod events as `<name>.trace.csv` next to it; returns the
 * scenario file's path. `ipamsim run <path> --html report.html` replays it.
 */
export const writeScenarioFile = (s: CapacityScenario, path: string, options: ScenarioFileOptions = {}): string => {
  const name = options.name ?? basename(path).replace(/\.(ya?ml|json)$/, "")
  const traceFile = `${name}.trace.csv`
  const { yaml, csv } = scenarioFile(s, traceFile, { ...options, name })
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(join(dirname(path), traceFile), csv)
  writeFileSync(path, yaml)
  return path
}

/** The shrunk counterexample of a failed checkCapacity run as a scenario file; undefined when the property held. */
export const writeCounterexample = <S extends CapacityScenario>(
  details: fc.RunDetails<[S]>,
  path: string,
  options: ScenarioFileOptions = {},
): string | undefined =>
  details.failed && details.counterexample !== null
    ? writeScenarioFile(details.counterexample[0], path, options)
    : undefined
