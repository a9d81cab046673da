// The run's HTML page: what was simulated (the report's `configuration`), as tables: the run and the
// controller, node groups, the targets each group runs with per period, the ConfigMap and the aws-node env
// with their changes, subnets, and EC2's latency, limits and faults. Every string goes through escapeHtml.

import type { LatencySpec } from "@ipamsim/core/ec2/Latency"
import type { LinuxTargets, ReportConfiguration, WindowsTargets } from "../Configuration.ts"
import { fmtMs, fmtNum } from "./Format.ts"
import { escapeHtml } from "./HtmlPage.ts"

type Cell = string | number

const td = (c: Cell): string =>
  typeof c === "number" ? `<td class="num">${escapeHtml(fmtNum(c))}</td>` : `<td class="text">${escapeHtml(c)}</td>`

const table = (head: readonly string[], rows: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  `<div class="scroll"><table class="data"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
  `<tbody>${rows.map((r) => `<tr>${r.map(td).join("")}</tr>`).join("")}</tbody></table></div>`

const at = (ms: number): string => (ms === 0 ? "start" : fmtMs(ms))

export const latencyText = (l: LatencySpec): string =>
  "fixed" in l
    ? fmtMs(l.fixed)
    : "uniform" in l
      ? `uniform ${fmtMs(l.uniform.min)} – ${fmtMs(l.uniform.max)}`
      : `lognormal, median ${fmtMs(l.lognormal.median)}, p99 ${fmtMs(l.lognormal.p99)}`

type Data = Readonly<Record<string, string>> | null

/** What a change did to the data: keys set, changed and removed (or the ConfigMap created or deleted). */
export const dataChange = (before: Data, after: Data): string => {
  if (after === null) return before === null ? "no change" : "deleted"
  const parts: string[] = []
  for (const [k, v] of Object.entries(after)) {
    const old = before?.[k]
    if (old === undefined) parts.push(`${k} = "${v}"`)
    else if (old !== v) parts.push(`${k}: "${old}" → "${v}"`)
  }
  for (const k of Object.keys(before ?? {})) if (!Object.hasOwn(after, k)) parts.push(`${k} removed`)
  const text = parts.length === 0 ? "no change" : parts.join("; ")
  return before === null ? `created: ${text}` : text
}

const dataTable = (title: string, data: Data, changes: ReadonlyArray<{ atMs: number; data: Data }>): string => {
  const start =
    data === null
      ? `<p class="muted">No ${escapeHtml(title)} at the start.</p>`
      : Object.keys(data).length === 0
        ? `<p class="muted">${escapeHtml(title)}: empty at the start.</p>`
        : table(
            ["Key", "Value at the start"],
            Object.entries(data).map(([k, v]) => [k, v]),
          )
  let prev = data
  const rows = changes.map((c): Cell[] => {
    const row = [fmtMs(c.atMs), dataChange(prev, c.data)]
    prev = c.data
    return row
  })
  const timed =
    rows.length === 0
      ? `<p class="muted">No timed changes.</p>`
      : `<h4>Timed changes</h4>${table(["At", "Change"], rows)}`
  return `<h3>${escapeHtml(title)}</h3>${start}${timed}`
}

const isLinux = (t: WindowsTargets | LinuxTargets): t is LinuxTargets => "warmEniTarget" in t

const targetsTable = (group: string, ts: ReadonlyArray<WindowsTargets | LinuxTargets>): string => {
  const first = ts[0]
  if (first === undefined) return ""
  if (isLinux(first)) {
    const rows = (ts as LinuxTargets[]).map((t): Cell[] => [
      at(t.atMs),
      t.mode,
      t.warmEniTarget,
      t.warmIpTarget,
      t.minimumIpTarget,
      t.warmPrefixTarget,
      fmtMs(t.cooldownMs),
      t.maxEnis,
      t.ipsPerEni,
      t.maxPods,
      t.envWarnings.join("; "),
    ])
    return (
      `<h4>${escapeHtml(group)} <span class="muted">(Linux, ipamd)</span></h4>` +
      table(
        [
          "From",
          "Mode",
          "WARM_ENI_TARGET",
          "WARM_IP_TARGET",
          "MINIMUM_IP_TARGET",
          "WARM_PREFIX_TARGET",
          "Cool-down",
          "Max ENIs",
          "Addresses per ENI",
          "Max pods",
          "Not taken as written",
        ],
        rows,
      )
    )
  }
  const rows = (ts as WindowsTargets[]).map((t): Cell[] => [
    at(t.atMs),
    t.ipam ? "on" : "off",
    t.mode,
    t.warmIpTarget,
    t.minimumIpTarget,
    t.warmPrefixTarget,
    t.maxDeviation === 0 ? "—" : `${t.desiredSize} ± ${t.maxDeviation}`,
    t.advertisedCapacity,
  ])
  return (
    `<h4>${escapeHtml(group)} <span class="muted">(Windows, VPC Resource Controller)</span></h4>` +
    table(
      [
        "From",
        "IPAM",
        "Mode",
        "Warm IP",
        "Minimum IP",
        "Warm prefix",
        "Fixed pool (pre-v1.6.0)",
        "Advertised capacity",
      ],
      rows,
    )
  )
}

export const configurationSection = (c: ReportConfiguration): string => {
  const run = table(
    ["Setting", "Value"],
    [
      ["duration", c.run.durationMs === null ? "end of the workload + drain" : fmtMs(c.run.durationMs)],
      ["drain after the workload", fmtMs(c.run.drainMs)],
      ["timeline sample every", fmtMs(c.run.timelineEveryMs)],
      ["controller profile", c.controller.profile],
      ["--enable-windows-prefix-delegation", String(c.controller.prefixDelegationFlag)],
    ],
  )
  const groups = table(
    ["Node group", "OS", "Instance type", "Nodes", "Subnet", "Joins", "Leaves", "Max pods"],
    c.nodeGroups.map((g): Cell[] => [
      g.name,
      g.os === "linux" ? "Linux" : "Windows",
      g.instanceType,
      g.count,
      g.eniConfigSubnet === undefined ? g.subnet : `${g.subnet} (pods: ${g.eniConfigSubnet})`,
      g.joinEveryMs === 0 ? `at ${at(g.joinAtMs)}` : `from ${at(g.joinAtMs)}, one every ${fmtMs(g.joinEveryMs)}`,
      g.leaveAtMs === null ? "never" : fmtMs(g.leaveAtMs),
      g.maxPods,
    ]),
  )
  const targets = Object.entries(c.targets)
    .map(([g, ts]) => targetsTable(g, ts))
    .join("")
  const subnets = table(
    ["Subnet", "CIDR", "Size", "Used by others", "Prefix reservations", "CNI role tag"],
    c.subnets.map((s): Cell[] => [
      s.id,
      s.cidr,
      s.size,
      [
        ...(s.usedByOthers.count > 0 ? [`${fmtNum(s.usedByOthers.count)} addresses`] : []),
        ...s.usedByOthers.ranges,
      ].join(", ") || "none",
      s.prefixReservations.join(", ") || "none",
      s.cniRole === null ? "no tag" : s.cniRole ? "1" : "0",
    ]),
  )
  const e = c.ec2
  const actions = Object.keys(e.latency) as Array<keyof typeof e.latency>
  const ec2 = table(
    ["EC2 action", "Latency", "Account bucket", "Refill per second"],
    actions.map((a): Cell[] => {
      const l = e.latency[a]
      const b = e.accountBuckets[a]
      return [a, l === undefined ? "" : latencyText(l), b?.capacity ?? "", b?.refillPerSecond ?? ""]
    }),
  )
  const client = table(
    ["Client", "Value"],
    [
      ["controller's client limiter", `${fmtNum(e.clientLimiter.qps)} QPS, burst ${fmtNum(e.clientLimiter.burst)}`],
      ["controller's attempts per call", String(e.maxAttempts)],
      ["controller's HTTP timeout", fmtMs(e.httpTimeoutMs)],
      ["assigned addresses visible after", latencyText(e.visibility)],
      ...(e.ipamd === undefined
        ? []
        : ([
            ["ipamd's attempts per call", String(e.ipamd.maxAttempts)],
            ["ipamd's HTTP timeout", fmtMs(e.ipamd.httpTimeoutMs)],
          ] as Array<[string, string]>)),
    ],
  )
  const faults =
    e.faults.length === 0
      ? `<p class="muted">No injected EC2 faults.</p>`
      : table(
          ["Fault: action", "Error", "Rate per attempt", "From", "Until"],
          e.faults.map((f): Cell[] => [
            f.action,
            f.error,
            f.rate ?? 1,
            f.fromMs === undefined ? "start" : fmtMs(f.fromMs),
            f.untilMs === undefined ? "end" : fmtMs(f.untilMs),
          ]),
        )
  const env = c.awsNode
  const warnings =
    c.warnings.length === 0
      ? ""
      : `<h3>Warnings</h3><ul class="warnings">${c.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>`
  return (
    `<section class="configuration">` +
    `<div class="tables"><div>${run}</div></div>` +
    `<h3>Node groups</h3>${groups}` +
    `<h3>Targets in force <span class="muted">after the controller's and ipamd's parsing and defaults, per period</span></h3>${targets}` +
    dataTable("ConfigMap amazon-vpc-cni", c.configMap.data, c.configMap.changes) +
    (env === undefined
      ? ""
      : dataTable(
          "aws-node env",
          env.env,
          env.changes.map((ch) => ({ atMs: ch.atMs, data: ch.env })),
        )) +
    `<h3>Subnets</h3>${subnets}` +
    `<h3>EC2</h3><div class="tables"><div>${ec2}</div><div>${client}</div></div>${faults}` +
    warnings +
    `</section>`
  )
}
