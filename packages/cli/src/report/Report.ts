// The JSON report of a run (docs/report.md): the kernel's result plus the scenario's identity and the
// checked expectations. Versioned: bump REPORT_SCHEMA_VERSION on any incompatible change.

import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import type { Scenario } from "../scenario/ScenarioSchema.ts"
import { type ReportConfiguration, scenarioConfiguration } from "./Configuration.ts"

export const REPORT_SCHEMA_VERSION = 1

export interface ExpectationResult {
  readonly name: string
  readonly ok: boolean
  readonly actual: number | boolean
  readonly limit: number | boolean
}

export type Report = {
  readonly schemaVersion: number
  readonly scenario: string
  readonly description: string
} & SimResult & {
    readonly expectations: readonly ExpectationResult[]
    /** What was simulated (absent from reports written before the section existed). */
    readonly configuration?: ReportConfiguration
  }

/** Evaluates the scenario's expectations against a result, in a fixed order. */
export const checkExpectations = (scenario: Scenario, r: SimResult): ExpectationResult[] => {
  const e = scenario.expectations
  if (e === undefined) return []
  const out: ExpectationResult[] = []
  const max = (name: string, actual: number, limit: number | undefined): void => {
    if (limit !== undefined) out.push({ name, ok: actual <= limit, actual, limit })
  }
  max("maxP99WaitMs", r.pods.waitMs.p99, e.maxP99WaitMs)
  max("maxP90WaitMs", r.pods.waitMs.p90, e.maxP90WaitMs)
  max("maxWaitMs", r.pods.waitMs.max, e.maxWaitMs)
  // Pods of both OSes: a Linux pod without an address is as stuck as a Windows one.
  const never = r.pods.neverGotIp + (r.linux?.pods.neverGotIp ?? 0)
  if (e.allPodsGetIp !== undefined) {
    const all = never === 0
    out.push({ name: "allPodsGetIp", ok: all === e.allPodsGetIp, actual: all, limit: e.allPodsGetIp })
  }
  max("maxNeverGotIp", never, e.maxNeverGotIp)
  if (e.noSubnetExhaustion !== undefined) {
    const none = r.subnets.every((s) => s.firstExhaustedAtMs === null)
    out.push({
      name: "noSubnetExhaustion",
      ok: none === e.noSubnetExhaustion,
      actual: none,
      limit: e.noSubnetExhaustion,
    })
  }
  max("maxWasteRatio", r.addresses.wasteRatio, e.maxWasteRatio)
  max("maxPeakAllocated", r.addresses.peakAllocated, e.maxPeakAllocated)
  max(
    "maxThrottled",
    Object.values(r.ec2.throttled).reduce((a, b) => a + b, 0),
    e.maxThrottled,
  )
  return out
}

export const buildReport = (scenario: Scenario, result: SimResult): Report => ({
  schemaVersion: REPORT_SCHEMA_VERSION,
  scenario: scenario.name,
  description: scenario.description ?? "",
  ...result,
  expectations: checkExpectations(scenario, result),
  // Last: the report's first keys are how `run --json` recognises a file it wrote (OutputFile).
  configuration: scenarioConfiguration(scenario),
})

/** Stable JSON text: same report, same bytes. */
export const reportJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`
