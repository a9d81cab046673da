// `ipamsim compare`: two or more JSON reports side by side (docs/report.md, "Comparing runs"). Reports of
// different schema versions are refused; the comparison says which inputs differ (scenario, seed, and every
// configuration value that differs, by path), gives each summary figure per run with its change from the
// first run, and keeps the wait histograms and the timelines the HTML page overlays.

import { readFileSync } from "node:fs"
import type { TimelineSeries } from "@ipamsim/core/metrics/SimResult"
import type { Report } from "../report/Report.ts"
import { UserFacingError } from "../UserFacingError.ts"

/** The compare JSON's own format version (`kind: "ipamsim-compare"`). */
export const COMPARE_SCHEMA_VERSION = 1

export interface LoadedReport {
  readonly file: string
  readonly report: Report
}

export interface Metric {
  readonly name: string
  readonly unit: "count" | "ms" | "ratio" | "IP-s"
  /** One value per run (null: the run has no such figure, e.g. a subnet it does not have). */
  readonly values: ReadonlyArray<number | null>
  /** value − the first run's value (null for the first run or a missing value). */
  readonly deltas: ReadonlyArray<number | null>
}

export interface InputDifference {
  /** `scenario`, `seed`, or a path inside `configuration` such as `configMap.changes[0].data.warm-ip-target`. */
  readonly path: string
  /** One value per run, as JSON text; null when the run has no value there. */
  readonly values: ReadonlyArray<string | null>
}

export interface Comparison {
  readonly schemaVersion: number
  readonly kind: "ipamsim-compare"
  readonly reportSchemaVersion: number
  readonly runs: ReadonlyArray<{
    readonly file: string
    readonly scenario: string
    readonly seed: number
    readonly simulatedMs: number
    readonly hasConfiguration: boolean
  }>
  readonly inputsDiffer: ReadonlyArray<InputDifference>
  readonly summary: readonly Metric[]
  readonly waitHistograms: {
    readonly edgesMs: readonly number[]
    readonly windows: ReadonlyArray<readonly number[]>
    /** Linux pods' histograms when any run has Linux nodes (null for a run without). */
    readonly linux?: ReadonlyArray<readonly number[] | null>
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Reads one JSON report, refusing anything that is not one. */
export const readReport = (file: string): LoadedReport => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    throw new UserFacingError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new UserFacingError(`${file}: not JSON (${(e as Error).message})`)
  }
  if (!isObject(json) || typeof json.schemaVersion !== "number")
    throw new UserFacingError(`${file}: not an ipamsim report (no schemaVersion); write one with ipamsim run --json`)
  if (json.kind !== undefined)
    throw new UserFacingError(`${file}: a ${String(json.kind)} file, not the report of a run (ipamsim run --json)`)
  for (const key of ["scenario", "seed", "simulatedMs", "pods", "addresses", "subnets", "ec2", "timeline"])
    if (!(key in json)) throw new UserFacingError(`${file}: not an ipamsim report (no ${key})`)
  return { file, report: json as unknown as Report }
}

/** Leaves of a JSON value by path: `a.b[0].c`; keys that are not identifiers are kept as they are. */
const flatten = (v: unknown, path: string, out: Map<string, string>): void => {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, "[]")
    v.forEach((x, i) => {
      flatten(x, `${path}[${i}]`, out)
    })
  } else if (isObject(v)) {
    const keys = Object.keys(v)
    if (keys.length === 0) out.set(path, "{}")
    for (const k of keys) flatten(v[k], path === "" ? k : `${path}.${k}`, out)
  } else out.set(path, JSON.stringify(v))
}

const inputDifferences = (reports: readonly Report[]): InputDifference[] => {
  const out: InputDifference[] = []
  const same = (vs: ReadonlyArray<string | null>): boolean => vs.every((v) => v === vs[0])
  const top = (path: string, pick: (r: Report) => unknown): void => {
    const values = reports.map((r) => JSON.stringify(pick(r)))
    if (!same(values)) out.push({ path, values })
  }
  top("scenario", (r) => r.scenario)
  top("seed", (r) => r.seed)
  const withConfig = reports.filter((r) => r.configuration !== undefined)
  if (withConfig.length < 2) return out
  const flat = reports.map((r) => {
    const m = new Map<string, string>()
    if (r.configuration !== undefined) flatten(r.configuration, "", m)
    return m
  })
  const paths: string[] = []
  const seen = new Set<string>()
  for (const m of flat)
    for (const p of m.keys())
      if (!seen.has(p)) {
        seen.add(p)
        paths.push(p)
      }
  for (const p of paths) {
    const values = reports.map((r, i) => (r.configuration === undefined ? null : (flat[i]!.get(p) ?? null)))
    const present = values.filter((_, i) => reports[i]!.configuration !== undefined)
    if (!same(present)) out.push({ path: `configuration.${p}`, values })
  }
  return out
}

const total = (o: Record<string, number> | undefined): number | null =>
  o === undefined ? null : Object.values(o).reduce((a, b) => a + b, 0)

const summaryMetrics = (reports: readonly Report[]): Metric[] => {
  const metrics: Metric[] = []
  const add = (name: string, unit: Metric["unit"], pick: (r: Report) => number | null | undefined): void => {
    const values = reports.map((r) => {
      const v = pick(r)
      return v === undefined || v === null || Number.isNaN(v) ? null : v
    })
    if (values.every((v) => v === null)) return
    const first = values[0] ?? null
    const deltas = values.map((v, i) =>
      i === 0 || v === null || first === null ? null : Math.round((v - first) * 1e6) / 1e6,
    )
    metrics.push({ name, unit, values, deltas })
  }
  add("pods created", "count", (r) => r.pods.created)
  add("pods with IP", "count", (r) => r.pods.withIp)
  add("pods never got IP", "count", (r) => r.pods.neverGotIp)
  add("pods still waiting at end", "count", (r) => r.pods.stillWaiting)
  add("pods unscheduled", "count", (r) => r.pods.unscheduled)
  for (const k of ["p50", "p90", "p99", "max", "mean"] as const) add(`wait ${k}`, "ms", (r) => r.pods.waitMs[k])
  for (const k of ["used", "warm", "cooling", "pending", "allocated"] as const)
    add(`address-time ${k}`, "IP-s", (r) => r.addresses.ipSeconds[k])
  add("waste ratio", "ratio", (r) => r.addresses.wasteRatio)
  add("peak allocated", "count", (r) => r.addresses.peakAllocated)
  add("EC2 calls", "count", (r) => total(r.ec2.calls))
  add("EC2 throttled", "count", (r) => total(r.ec2.throttled))
  add("EC2 failed", "count", (r) => total(r.ec2.failed))
  add("EC2 AssignPrivateIpAddresses calls", "count", (r) => r.ec2.calls.AssignPrivateIpAddresses)
  add("EC2 UnassignPrivateIpAddresses calls", "count", (r) => r.ec2.calls.UnassignPrivateIpAddresses)
  add("controller ReSync jobs", "count", (r) => r.controller.resyncJobs)
  const subnetIds = [...new Set(reports.flatMap((r) => r.subnets.map((s) => s.id)))]
  for (const id of subnetIds) {
    const s = (r: Report) => r.subnets.find((x) => x.id === id)
    add(`subnet ${id} min free`, "count", (r) => s(r)?.minFree)
    add(`subnet ${id} exhausted for`, "ms", (r) => s(r)?.exhaustedMs)
    add(`subnet ${id} insufficient-address errors`, "count", (r) => s(r)?.insufficientErrors)
  }
  if (reports.some((r) => r.linux !== undefined)) {
    add("Linux pods with IP", "count", (r) => r.linux?.pods.withIp)
    add("Linux pods never got IP", "count", (r) => r.linux?.pods.neverGotIp)
    for (const k of ["p50", "p90", "p99", "max"] as const) add(`Linux wait ${k}`, "ms", (r) => r.linux?.pods.waitMs[k])
    add("Linux address-time warm", "IP-s", (r) => r.linux?.addresses.ipSeconds.warm)
    add("ipamd ENIs created", "count", (r) => r.linux?.ipamd.enisCreated)
    add("ipamd EC2 calls", "count", (r) => total(r.linux?.ec2.calls))
  }
  add("expectations failed", "count", (r) => r.expectations.filter((e) => !e.ok).length)
  return metrics
}

/** Compares two or more reports; refuses reports of different schema versions. */
export const compareReports = (inputs: readonly LoadedReport[]): Comparison => {
  if (inputs.length < 2) throw new UserFacingError("compare needs two or more reports")
  const versions = inputs.map((i) => i.report.schemaVersion)
  if (versions.some((v) => v !== versions[0]))
    throw new UserFacingError(
      `reports of different schema versions cannot be compared: ${inputs
        .map((i) => `${i.file} has v${i.report.schemaVersion}`)
        .join(", ")}; run the scenarios again with one ipamsim version`,
    )
  const reports = inputs.map((i) => i.report)
  const edges = reports[0]!.pods.waitHistogram.edgesMs
  const linux = reports.some((r) => r.linux !== undefined)
  return {
    schemaVersion: COMPARE_SCHEMA_VERSION,
    kind: "ipamsim-compare",
    reportSchemaVersion: versions[0]!,
    runs: inputs.map((i) => ({
      file: i.file,
      scenario: i.report.scenario,
      seed: i.report.seed,
      simulatedMs: i.report.simulatedMs,
      hasConfiguration: i.report.configuration !== undefined,
    })),
    inputsDiffer: inputDifferences(reports),
    summary: summaryMetrics(reports),
    waitHistograms: {
      edgesMs: edges,
      windows: reports.map((r) => r.pods.waitHistogram.counts),
      ...(linux ? { linux: reports.map((r) => r.linux?.pods.waitHistogram.counts ?? null) } : {}),
    },
  }
}

/** The compare JSON: same inputs, same bytes. */
export const comparisonJson = (c: Comparison): string => `${JSON.stringify(c, null, 2)}\n`

const fmt = (v: number | null, unit: Metric["unit"]): string => {
  if (v === null) return "–"
  if (unit === "ratio") return `${(v * 100).toFixed(1)} %`
  if (unit === "ms") return Math.abs(v) < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`
  return Number.isInteger(v) ? String(v) : v.toFixed(1)
}

const signed = (v: number | null, unit: Metric["unit"]): string =>
  v === null ? "" : v === 0 ? "(=)" : `(${v > 0 ? "+" : "−"}${fmt(Math.abs(v), unit)})`

/** The terminal text: which inputs differ, then each figure per run with its change from the first run. */
export const comparisonText = (c: Comparison): string => {
  const lines: string[] = []
  const label = (i: number): string => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(i) : "")
  lines.push(`ipamsim compare: ${c.runs.length} reports (report schema v${c.reportSchemaVersion})`)
  c.runs.forEach((r, i) => {
    lines.push(`  ${label(i)}: ${r.file} (${r.scenario}, seed ${r.seed})`)
  })
  lines.push("")
  const noConfig = c.runs.filter((r) => !r.hasConfiguration).map((r) => r.file)
  if (noConfig.length > 0)
    lines.push(`No configuration section in ${noConfig.join(", ")} (written by an older ipamsim): not compared`)
  if (c.inputsDiffer.length === 0) lines.push("Inputs: the same")
  else {
    lines.push("Inputs that differ")
    for (const d of c.inputsDiffer)
      lines.push(`  ${d.path}: ${d.values.map((v, i) => `${label(i)} ${v ?? "(none)"}`).join(", ")}`)
  }
  lines.push("")
  const rows = c.summary.map((m) => [
    m.name,
    ...m.values.map((v, i) => `${fmt(v, m.unit)} ${i === 0 ? "" : signed(m.deltas[i] ?? null, m.unit)}`.trimEnd()),
  ])
  const head = ["", ...c.runs.map((_, i) => label(i))]
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((x, k) => (k === 0 ? x.padEnd(widths[k]!) : x.padStart(widths[k]!)))
      .join("  ")
      .trimEnd()
  lines.push(line(head))
  for (const r of rows) lines.push(`${line(r)}`)
  return `${lines.join("\n")}\n`
}

/** The timelines of the runs for the HTML page: total addresses per state over the node groups, pods, subnets. */
export const timelineTotals = (t: TimelineSeries) => {
  const sumOf = (k: "used" | "warm" | "cooling" | "pending"): number[] =>
    t.t.map((_, i) => Object.values(t.groups).reduce((a, g) => a + (g[k][i] ?? 0), 0))
  return {
    t: t.t,
    used: sumOf("used"),
    warm: sumOf("warm"),
    cooling: sumOf("cooling"),
    pending: sumOf("pending"),
    podsWaiting: t.podsWaiting,
    podsPending: t.podsPending,
    subnets: Object.fromEntries(Object.entries(t.subnets).map(([id, s]) => [id, s.free])),
  }
}
