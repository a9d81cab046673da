// What the run's HTML page is rendered from: the JSON report `ipamsim run` writes.

import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import type { ReportConfiguration } from "../Configuration.ts"

export interface Expectation {
  readonly name: string
  readonly ok: boolean
  readonly actual: number | boolean | null
  readonly limit: number | boolean
}

/** The JSON report `ipamsim run` writes: the simulation result plus what the scenario said about it. */
export type HtmlReportInput = SimResult & {
  readonly schemaVersion: number
  readonly scenario: string
  readonly description: string
  readonly expectations: ReadonlyArray<Expectation>
  /** What was simulated (reports written before the section existed have none). */
  readonly configuration?: ReportConfiguration
}
