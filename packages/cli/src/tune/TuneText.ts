// The terminal output of `ipamsim tune`, rendered from the JSON report so both always say the same thing.

import { formatDuration } from "../scenario/Duration.ts"
import type { Spread } from "./Analysis.ts"
import type { RunMetrics } from "./TuneJob.ts"
import { describeConstraints, type Objective } from "./TunePlan.ts"
import type { ReportPoint, RolloutCheck, TuneReport } from "./TuneReport.ts"

/** How each objective is shown: IP-seconds as IP-hours, addresses as counts. */
export const OBJECTIVE_TEXT: Record<Objective, { name: string; unit: string; scale: number; what: string }> = {
  waste: { name: "waste", unit: "IP-h", scale: 1 / 3600, what: "address-time allocated but not used by pods" },
  "peak-allocated": { name: "peak allocated", unit: "addresses", scale: 1, what: "most addresses held at once" },
  "warm-ip-seconds": { name: "warm", unit: "IP-h", scale: 1 / 3600, what: "address-time spent warm" },
}

const fixed = (v: number, digits: number): string => {
  const t = v.toFixed(digits)
  return t === `-${(0).toFixed(digits)}` ? t.slice(1) : t
}

const sec = (ms: number): string =>
  ms < 10_000 ? `${fixed(ms / 1000, 2)} s` : ms < 120_000 ? `${fixed(ms / 1000, 1)} s` : `${fixed(ms / 60_000, 1)} min`

/** A mean over seeds, with its range when the seeds disagree. */
export const spreadText = (s: Spread, f: (v: number) => string): string =>
  s.min === s.max ? f(s.mean) : `${f(s.mean)} (${f(s.min)}–${f(s.max)})`

const count = (v: number): string => (Number.isInteger(v) ? String(v) : fixed(v, 1))

const pad = (rows: string[][], right: ReadonlySet<number>): string[] => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? "")].length)))
  return rows.map((r) =>
    r
      .map((cell, c) => {
        const gap = " ".repeat(widths[c]! - [...cell].length)
        return right.has(c) ? gap + cell : cell + gap
      })
      .join("  ")
      .trimEnd(),
  )
}

const pointsTable = (r: TuneReport): string[] => {
  const o = OBJECTIVE_TEXT[r.objective]
  const objective = (v: number): string => fixed(v * o.scale, o.scale === 1 ? 1 : 2)
  const seeds = r.sweep.seeds.length
  const rows: string[][] = [
    ["#", "setting", "p99 wait (s)", `${o.name} (${o.unit})`, "peak allocated", "never got IP", "feasible", ""],
  ]
  for (const p of r.points) {
    const okSeeds = seeds - new Set(p.failures.map((f) => f.seed)).size
    rows.push([
      String(p.id),
      p.label,
      spreadText(p.stats.p99WaitMs, (v) => fixed(v / 1000, 2)),
      spreadText(p.stats.objective, objective),
      spreadText(p.stats.peakAllocated, count),
      spreadText(p.stats.neverGotIp, count),
      `${okSeeds}/${seeds}`,
      [p.onFrontier ? "F" : "", p.recommended ? "R" : ""].join(""),
    ])
  }
  return pad(rows, new Set([0, 6])).map((l) => `  ${l}`)
}

/** Which OS's pods gave a run's p99 wait, with Linux nodes: " (Linux pods)" or " (Windows pods)". */
const p99Os = (run: RunMetrics | undefined): string =>
  run?.linux === undefined
    ? ""
    : run.linux.linuxP99WaitMs >= run.linux.windowsP99WaitMs
      ? " (Linux pods)"
      : " (Windows pods)"

/** Pods without an address, by OS when the cluster has Linux nodes. */
const neverText = (run: RunMetrics | undefined): string =>
  run === undefined
    ? "some"
    : run.linux === undefined
      ? String(run.neverGotIp)
      : `${run.neverGotIp} (${run.linux.windowsNeverGotIp} Windows, ${run.linux.linuxNeverGotIp} Linux)`

const failureText = (p: ReportPoint): string =>
  p.failures
    .map((f) => {
      const run = p.runs.find((x) => x.seed === f.seed)
      return f.constraint === "maxP99WaitMs"
        ? `seed ${f.seed}: p99 wait${p99Os(run)} ${sec(f.actual as number)} > ${sec(f.limit as number)}`
        : f.constraint === "noExhaustion"
          ? `seed ${f.seed}: a subnet ran out of addresses`
          : `seed ${f.seed}: ${neverText(run)} pods never got an address`
    })
    .join("; ")

const marginText = (r: TuneReport): string[] =>
  (r.recommendation?.margins ?? []).map((m) =>
    m.constraint === "maxP99WaitMs"
      ? `p99 wait ${sec(m.worst)}${r.sweep.baseAwsNodeEnv !== null ? " (the worse OS)" : ""} on the worst seed: ${sec(m.margin ?? 0)} under the ${sec(m.limit as number)} limit`
      : m.constraint === "noExhaustion"
        ? `no subnet ran out; at least ${m.worst} addresses stayed free on every seed`
        : `every pod got an address on every seed`,
  )

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n))

const rolloutText = (c: RolloutCheck): string[] => {
  const lines = [
    `Rollout check: a run on the current setting switches to the recommended one at ${formatDuration(c.atMs)}; window ${formatDuration(c.windowMs)} (in brackets: the same run without the switch)`,
  ]
  const rows: string[][] = [
    [
      "seed",
      "allocated before",
      "after",
      "by the switch",
      "claimed/released",
      "pods waited",
      "max wait",
      "never got IP",
      "EC2 calls",
      "throttled",
    ],
  ]
  for (const t of c.seeds) {
    const b = t.withoutSwitch
    rows.push([
      String(t.seed),
      String(t.allocatedBefore),
      `${t.allocatedAfter} (${b.allocatedAfter})`,
      signed(t.bySwitch),
      `+${t.claimed}/-${t.released}`,
      `${t.podsWaited} (${b.podsWaited})`,
      t.podsWaited === 0 ? "-" : sec(t.maxWaitMs),
      `${t.neverGotIp} (${b.neverGotIp})`,
      `${t.ec2Calls} (${b.ec2Calls})`,
      `${t.throttled} (${b.throttled})`,
    ])
  }
  lines.push(...pad(rows, new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).map((l) => `  ${l}`))
  const w = c.worst
  lines.push(
    `  worst seed: the switch left up to ${w.claimedBySwitch} more and up to ${w.releasedBySwitch} fewer addresses allocated than the run without it; ${w.podsWaited} pods waited (longest ${w.podsWaited === 0 ? "-" : sec(w.maxWaitMs)}), ${w.neverGotIp} never got one; ${w.ec2Calls} EC2 calls, ${w.throttled} throttled`,
  )
  lines.push(
    "  by the switch: allocated after, minus the same without the switch; claimed/released: per node, after minus before (churn included)",
  )
  return lines
}

/** What the table's columns count when the cluster has Linux nodes (the same words in the HTML page). */
export const LINUX_COLUMNS =
  "Windows and Linux nodes: p99 wait is the worse of the two OSes' pods' p99; never got IP counts the pods of both; the objective and peak allocated count the addresses of both (the report's top-level addresses)"

export const tuneText = (r: TuneReport, options: { rollout: boolean }): string => {
  const o = OBJECTIVE_TEXT[r.objective]
  const lines: string[] = []
  const s = r.sweep
  lines.push(
    `ipamsim tune: ${r.scenario}, ${r.points.length} settings × ${s.seeds.length} seeds = ${s.runs} runs (seeds ${s.seeds.join(", ")})`,
  )
  const linux = s.baseAwsNodeEnv !== null
  const constraints = describeConstraints(r.constraints, linux)
  lines.push(
    `objective: ${o.name}, ${o.what}${linux ? " on Windows and Linux nodes" : ""} (lower is better); constraints: ${constraints.length === 0 ? "none" : `${constraints.join(", ")}, on every seed`}`,
  )
  lines.push("")
  lines.push(...pointsTable(r))
  lines.push(`  mean (min–max over seeds) · F on the Pareto frontier of ${o.name} against p99 wait · R recommended`)
  if (linux) lines.push(`  ${LINUX_COLUMNS}`)
  for (const n of r.notes) lines.push(`  note: ${n}`)
  lines.push("")
  lines.push(
    `Pareto frontier (${o.name} against p99 wait, lowest wait first): ${r.frontier.map((id) => `#${id}`).join(", ")}`,
  )
  lines.push("")
  const rec = r.recommendation
  if (rec !== null) {
    const p = r.points.find((x) => x.id === rec.pointId)!
    const objective = (v: number): string => fixed(v * o.scale, o.scale === 1 ? 1 : 2)
    const secs = (v: number): string => fixed(v / 1000, 2)
    lines.push(`Recommended: #${p.id} ${p.label}`)
    lines.push(
      `  ${o.name} ${spreadText(p.stats.objective, objective)} ${o.unit}, p99 wait ${spreadText(p.stats.p99WaitMs, secs)} s, peak allocated ${spreadText(p.stats.peakAllocated, count)}`,
    )
    for (const m of marginText(r)) lines.push(`  ${m}`)
    if (p.aliases.length > 0) lines.push(`  behaves exactly like: ${p.aliases.join("; ")}`)
    if (rec.snippet !== null) {
      lines.push("")
      lines.push("ConfigMap to apply (kubectl apply -f):")
      lines.push(
        ...rec.snippet
          .trimEnd()
          .split("\n")
          .map((l) => `  ${l}`),
      )
    }
    if (rec.kubectlSetEnv !== null) {
      lines.push("")
      lines.push("aws-node env to apply (Linux nodes; the DaemonSet restarts its pods):")
      lines.push(`  ${rec.kubectlSetEnv}`)
    }
    if (options.rollout && r.rolloutCheck !== null) {
      lines.push("")
      lines.push(...rolloutText(r.rolloutCheck))
    }
  } else {
    lines.push("No setting meets the constraints on every seed: no recommendation.")
    const c = r.closest
    if (c !== null) {
      const p = r.points.find((x) => x.id === c.pointId)!
      lines.push(`Closest: #${p.id} ${p.label}: ${failureText(p)}`)
    }
  }
  return `${lines.join("\n")}\n`
}
