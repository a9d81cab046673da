// The run's timeline as OpenMetrics text (`ipamsim run --openmetrics <file> --start <RFC 3339>`), for
// `promtool tsdb create-blocks-from openmetrics` and so Prometheus and Grafana (docs/report.md, "OpenMetrics").
// Sample times are the run's times shifted to `--start`. Names follow what users already graph where one
// exists (ipamd's awscni_total_ip_addresses and awscni_assigned_ip_addresses, summed per node group); the
// rest are ipamsim_*.

import { UserFacingError } from "../UserFacingError.ts"
import type { Report } from "./Report.ts"

/** RFC 3339 date-time (a `T` or a space, seconds required, `Z` or an offset): epoch ms, or why not. */
export const parseRfc3339 = (text: string): number | string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text)
  const why = `--start ${text}: expected an RFC 3339 time such as 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00`
  if (m === null) return why
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[]
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return why
  const ms = Date.parse(text.replace(" ", "T").toUpperCase())
  if (Number.isNaN(ms) || new Date(Date.UTC(y!, mo! - 1, d!)).getUTCDate() !== d) return why
  return ms
}

/** A label value as OpenMetrics escapes it. */
const label = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")

/** Seconds since the epoch, to the millisecond. */
const seconds = (ms: number): string => {
  const s = Math.floor(ms / 1000)
  const rest = ms - s * 1000
  return rest === 0 ? String(s) : `${s}.${String(rest).padStart(3, "0").replace(/0+$/, "")}`
}

interface Family {
  readonly name: string
  readonly type: "gauge" | "counter" | "info"
  readonly help: string
  readonly unit?: string
}

/**
 * The timeline as OpenMetrics: per node group total / assigned / warm / cooling / pending addresses, per subnet
 * available addresses, pods waiting and pending, and EC2 calls and throttles by action (counters: 0 at the
 * start, the run's totals at its end). `startMs` is where the run's time 0 lands (epoch ms).
 */
export const openMetricsText = (r: Report, startMs: number): string => {
  const out: string[] = []
  const tl = r.timeline
  const family = (f: Family): void => {
    out.push(`# TYPE ${f.name} ${f.type}`)
    if (f.unit !== undefined) out.push(`# UNIT ${f.name} ${f.unit}`)
    out.push(`# HELP ${f.name} ${f.help}`)
  }
  const series = (name: string, labels: ReadonlyArray<readonly [string, string]>, values: readonly number[]): void => {
    const ls = labels.length === 0 ? "" : `{${labels.map(([k, v]) => `${k}="${label(v)}"`).join(",")}}`
    tl.t.forEach((t, i) => {
      const v = values[i]
      if (v !== undefined) out.push(`${name}${ls} ${v} ${seconds(startMs + t)}`)
    })
  }
  const run = [
    ["scenario", r.scenario],
    ["seed", String(r.seed)],
  ] as const
  family({ name: "ipamsim_run", type: "info", help: "The ipamsim run these series come from." })
  out.push(`ipamsim_run_info{${run.map(([k, v]) => `${k}="${label(v)}"`).join(",")}} 1 ${seconds(startMs)}`)

  const groups = Object.entries(tl.groups)
  const os = (g: string): string => (r.nodes.some((n) => n.group === g && n.os === "linux") ? "linux" : "windows")
  const perGroup = (name: string, help: string, pick: (s: (typeof groups)[number][1], i: number) => number): void => {
    family({ name, type: "gauge", help })
    for (const [g, s] of groups)
      series(
        name,
        [
          ["nodegroup", g],
          ["os", os(g)],
        ],
        tl.t.map((_, i) => pick(s, i)),
      )
  }
  perGroup(
    "awscni_total_ip_addresses",
    "Addresses the node group's nodes hold: assigned to pods, warm and cooling (ipamd's gauge, summed over the group).",
    (s, i) => s.used[i]! + s.warm[i]! + s.cooling[i]!,
  )
  perGroup(
    "awscni_assigned_ip_addresses",
    "Addresses assigned to pods on the node group's nodes (ipamd's gauge, summed over the group).",
    (s, i) => s.used[i]!,
  )
  perGroup(
    "ipamsim_warm_ip_addresses",
    "Addresses held for pods to come and not cooling (the warm pool).",
    (s, i) => s.warm[i]!,
  )
  perGroup(
    "ipamsim_cooling_ip_addresses",
    "Addresses released by pods and still cooling down.",
    (s, i) => s.cooling[i]!,
  )
  perGroup(
    "ipamsim_pending_ip_addresses",
    "Addresses asked of EC2 and not answered yet (pendingCreate on Windows nodes).",
    (s, i) => s.pending[i]!,
  )

  const perSubnet = (name: string, help: string, pick: (s: (typeof tl.subnets)[string]) => number[]): void => {
    family({ name, type: "gauge", help })
    for (const s of r.subnets) {
      const samples = tl.subnets[s.id]
      if (samples !== undefined)
        series(
          name,
          [
            ["subnet_id", s.id],
            ["cidr", s.cidr],
          ],
          pick(samples),
        )
    }
  }
  perSubnet(
    "ipamsim_subnet_available_ip_addresses",
    "The subnet's free addresses outside prefix reservations (DescribeSubnets' AvailableIpAddressCount).",
    (s) => s.free,
  )
  perSubnet(
    "ipamsim_subnet_free_aligned_28_blocks",
    "The subnet's fully free aligned /28 blocks (what a prefix can take).",
    (s) => s.freeAligned,
  )

  family({
    name: "ipamsim_pods_waiting_for_address",
    type: "gauge",
    help: "Pods bound to a node and waiting for an address (ContainerCreating), Windows and Linux.",
  })
  series("ipamsim_pods_waiting_for_address", [], tl.podsWaiting)
  family({
    name: "ipamsim_pods_pending",
    type: "gauge",
    help: "Pods not scheduled (Pending: Insufficient vpc.amazonaws.com/PrivateIPv4Address or no room).",
  })
  series("ipamsim_pods_pending", [], tl.podsPending)

  // EC2's counts are totals of the run: 0 at its start, the total at its end.
  const end = seconds(startMs + r.simulatedMs)
  const counter = (name: string, help: string, counts: Record<string, number>): void => {
    family({ name, type: "counter", help })
    for (const [action, n] of Object.entries(counts)) {
      out.push(`${name}_total{action="${label(action)}"} 0 ${seconds(startMs)}`)
      if (r.simulatedMs > 0) out.push(`${name}_total{action="${label(action)}"} ${n} ${end}`)
    }
  }
  counter("ipamsim_ec2_api_calls", "EC2 API calls by action (the controller's and ipamd's).", r.ec2.calls)
  counter(
    "ipamsim_ec2_api_throttled",
    "EC2 API attempts answered RequestLimitExceeded, by action (CloudWatch's ThrottledCalls).",
    r.ec2.throttled,
  )
  counter("ipamsim_ec2_api_failed", "EC2 API calls that ended in an error, by action.", r.ec2.failed)
  out.push("# EOF")
  return `${out.join("\n")}\n`
}

/**
 * `run`'s --openmetrics and --start together: the start as epoch ms when --openmetrics is given, undefined
 * when neither is; a UserFacingError when one comes without the other or the time is not RFC 3339.
 */
export const openMetricsStart = (path: string | undefined, start: string | undefined): number | undefined => {
  if (path === undefined && start === undefined) return undefined
  if (path === undefined)
    throw new UserFacingError("--start is the time of the --openmetrics samples: give --openmetrics <file> too")
  if (start === undefined)
    throw new UserFacingError(
      `--openmetrics ${path}: needs --start <RFC 3339 time>, where the run's time 0 lands (e.g. --start 2026-12-01T09:00:00Z)`,
    )
  const ms = parseRfc3339(start)
  if (typeof ms === "string") throw new UserFacingError(ms)
  return ms
}
