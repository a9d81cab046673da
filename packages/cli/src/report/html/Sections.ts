// The run's HTML page as tables and cards: summary, the Linux nodes (a run with them), expectations, subnets
// with their /28 block maps, nodes and counters. Every string from the report goes through `escapeHtml`
// (here or in `cell`).

import type { LinuxResult, SubnetHolders } from "@ipamsim/core/metrics/SimResult"
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtValue, sum } from "./Format.ts"
import { escapeHtml } from "./HtmlPage.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"

export type Cell = string | number | { readonly html: string; readonly cls?: string }

const cell = (c: Cell, tag: "td" | "th"): string => {
  if (typeof c === "number") return `<${tag} class="num">${fmtNum(c)}</${tag}>`
  if (typeof c === "string") return `<${tag}>${escapeHtml(c)}</${tag}>`
  return `<${tag}${c.cls ? ` class="${c.cls}"` : ""}>${c.html}</${tag}>`
}

export const table = (head: readonly string[], rows: ReadonlyArray<ReadonlyArray<Cell>>, cls = ""): string =>
  `<table class="data${cls ? ` ${cls}` : ""}"><thead><tr>${head.map((h) => cell(h, "th")).join("")}</tr></thead>` +
  `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, "td")).join("")}</tr>`).join("")}</tbody></table>`

/** A two-column key/value card for the summary. */
const card = (title: string, rows: ReadonlyArray<readonly [string, string, string?]>): string =>
  `<section class="card"><h3>${escapeHtml(title)}</h3><dl>` +
  rows
    .map(([k, v, cls]) => `<dt>${escapeHtml(k)}</dt><dd${cls ? ` class="${cls}"` : ""}>${escapeHtml(v)}</dd>`)
    .join("") +
  `</dl></section>`

export const num = (n: number): Cell => ({ html: escapeHtml(fmtNum(n)), cls: "num" })
export const text = (s: string): Cell => ({ html: escapeHtml(s), cls: "text" })

export const summary = (r: HtmlReportInput): string => {
  const p = r.pods
  const w = p.waitMs
  const ip = r.addresses.ipSeconds
  // With Linux nodes, `pods` counts Windows pods only; address-time and EC2 calls cover every node.
  const linux = r.linux
  const of = (windows: string, mixed: string): string => (linux === undefined ? windows : mixed)
  const ec2: Array<readonly [string, string, string?]> = [
    ["calls", fmtInt(sum(r.ec2.calls))],
    ["attempts", fmtInt(sum(r.ec2.attempts))],
    ["throttled", fmtInt(sum(r.ec2.throttled)), sum(r.ec2.throttled) > 0 ? "warn" : ""],
    ["failed", fmtInt(sum(r.ec2.failed)), sum(r.ec2.failed) > 0 ? "bad" : ""],
  ]
  if (linux !== undefined) ec2.splice(1, 0, ["calls by ipamd", fmtInt(sum(linux.ec2.calls))])
  return `<div class="cards">${[
    card(of("Pods", "Windows pods"), [
      ["created", fmtInt(p.created)],
      ["requesting an address", fmtInt(p.requestingAddress)],
      ["with IP", fmtInt(p.withIp)],
      ["never got IP", fmtInt(p.neverGotIp), p.neverGotIp > 0 ? "bad" : ""],
      ["still waiting at end", fmtInt(p.stillWaiting), p.stillWaiting > 0 ? "bad" : ""],
    ]),
    card(of("Wait for an address", "Windows pods' wait for an address"), waitRows(w)),
    card(of("Addresses (IP-seconds)", "Addresses, all nodes (IP-seconds)"), [
      ["used", fmtNum(ip.used)],
      ["warm", fmtNum(ip.warm)],
      ["cooling", fmtNum(ip.cooling)],
      ["waste ratio", fmtPct(r.addresses.wasteRatio)],
      ["peak allocated", fmtInt(r.addresses.peakAllocated)],
    ]),
    card("EC2", ec2),
  ].join("")}</div>`
}

const waitRows = (w: LinuxResult["pods"]["waitMs"]): Array<readonly [string, string]> => [
  ["p50", fmtMs(w.p50)],
  ["p90", fmtMs(w.p90)],
  ["p99", fmtMs(w.p99)],
  ["max", fmtMs(w.max)],
  ["mean", fmtMs(w.mean)],
]

/** A node group's OS, from its nodes: Linux when they have `os: "linux"`; "" when the report lists none of them. */
export const groupOs = (r: HtmlReportInput, group: string): string => {
  const ns = r.nodes.filter((n) => n.group === group)
  if (ns.length === 0) return ""
  return ns.some((n) => n.os === "linux") ? "Linux" : "Windows"
}

/** Who can hold a subnet's addresses (SubnetHolders), in the order they stack up, with the page's names. */
export const HOLDER_LABELS: ReadonlyArray<readonly [keyof SubnetHolders, string]> = [
  ["windowsPods", "Windows pods"],
  ["windowsWarm", "Windows warm"],
  ["windowsCooling", "Windows cooling"],
  ["linuxPods", "Linux pods"],
  ["linuxWarm", "Linux warm"],
  ["linuxCooling", "Linux cooling"],
  ["eniPrimaries", "ENI primaries"],
  ["inFlight", "In flight"],
  ["others", "Others"],
  ["awsReserved", "AWS-reserved"],
  ["free", "Free"],
]

/**
 * The Linux nodes' pods, addresses and ipamd, who holds each subnet's addresses, ipamd's calls per action,
 * and address-time per node group with its OS (runs with Linux nodes).
 */
export const linuxSection = (r: HtmlReportInput, l: LinuxResult): string => {
  const p = l.pods
  const ip = l.addresses.ipSeconds
  const e = l.ec2
  const cards = `<div class="cards">${[
    card("Linux pods", [
      ["created", fmtInt(p.created)],
      ["needing an address", fmtInt(p.needingAddress)],
      ["with IP", fmtInt(p.withIp)],
      ["never got IP", fmtInt(p.neverGotIp), p.neverGotIp > 0 ? "bad" : ""],
      ["still waiting at end", fmtInt(p.stillWaiting), p.stillWaiting > 0 ? "bad" : ""],
      ["unscheduled", fmtInt(p.unscheduled), p.unscheduled > 0 ? "bad" : ""],
      ["host network", fmtInt(p.hostNetwork)],
      ["evicted", fmtInt(p.evicted)],
      ["CNI ADD retries", fmtInt(p.cniRetries), p.cniRetries > 0 ? "warn" : ""],
    ]),
    card("Linux pods' wait for an address", waitRows(p.waitMs)),
    card("Linux addresses (IP-seconds)", [
      ["used", fmtNum(ip.used)],
      ["warm", fmtNum(ip.warm)],
      ["cooling", fmtNum(ip.cooling)],
      ["pending", fmtNum(ip.pending)],
    ]),
    card("ipamd", [
      ["Linux nodes", fmtInt(l.nodes)],
      ["ENIs created", fmtInt(l.ipamd.enisCreated)],
      ["ENIs deleted", fmtInt(l.ipamd.enisDeleted)],
      ["ENIs at end", fmtInt(l.ipamd.enisAtEnd)],
      ["EC2 calls", fmtInt(sum(e.calls))],
      ["attempts", fmtInt(sum(e.attempts))],
      ["throttled", fmtInt(sum(e.throttled)), sum(e.throttled) > 0 ? "warn" : ""],
      ["failed", fmtInt(sum(e.failed)), sum(e.failed) > 0 ? "bad" : ""],
    ]),
  ].join("")}</div>`
  const groups = table(
    ["Node group", "OS", "Used", "Warm", "Cooling", "Pending"],
    Object.entries(r.groups).map(([g, v]): Cell[] => [
      text(g),
      text(groupOs(r, g)),
      num(v.used),
      num(v.warm),
      num(v.cooling),
      num(v.pending),
    ]),
  )
  const held = table(
    ["Subnet", ...HOLDER_LABELS.map(([, label]) => label)],
    Object.entries(l.subnets).map(([id, h]): Cell[] => [text(id), ...HOLDER_LABELS.map(([k]) => num(h[k]))]),
  )
  return (
    `${cards}<h3>Who holds each subnet's addresses at the end</h3><div class="scroll">${held}</div>` +
    `<h3>ipamd's EC2 calls</h3><div class="scroll">${ec2Table(e)}</div>` +
    `<h3>Address-time per node group (IP-seconds)</h3><div class="scroll">${groups}</div>`
  )
}
export const expectations = (r: HtmlReportInput): string => {
  const es = r.expectations
  if (es.length === 0) return `<p class="muted">The scenario states no expectations.</p>`
  const failed = es.filter((e) => !e.ok).length
  const banner =
    failed === 0
      ? `<p class="banner ok">All ${es.length} expectations passed.</p>`
      : `<p class="banner bad">${failed} of ${es.length} expectations failed.</p>`
  const rows = es.map((e): Cell[] => [
    { html: e.ok ? `<span class="badge ok">PASS</span>` : `<span class="badge bad">FAIL</span>` },
    text(e.name),
    { html: escapeHtml(fmtValue(e.actual)), cls: "num" },
    { html: escapeHtml(fmtValue(e.limit)), cls: "num" },
  ])
  return banner + table(["", "Expectation", "Actual", "Limit"], rows, "expectations")
}

const BLOCK_CLASS: Record<string, string> = { ".": "b-free", p: "b-prefix", f: "b-part", "#": "b-full", r: "b-resv" }
const BLOCKS_PER_LINE = 64

/** The /28 map, 64 blocks (1024 addresses) a line, runs of a state coloured. */
const blockMap = (blocks: string): string => {
  const lines: string[] = []
  const width = String(Math.max(0, blocks.length - 1)).length
  for (let at = 0; at < blocks.length; at += BLOCKS_PER_LINE) {
    const line = blocks.slice(at, at + BLOCKS_PER_LINE)
    const runs = line.match(/(.)\1*/gsu) ?? []
    const body = runs.map((run) => {
      const cls = BLOCK_CLASS[run[0]!]
      return cls ? `<span class="${cls}">${escapeHtml(run)}</span>` : escapeHtml(run)
    })
    lines.push(`<span class="b-off">${String(at).padStart(width, " ")}</span> ${body.join("")}`)
  }
  return `<pre class="blocks">${lines.join("\n")}</pre>`
}

export const subnets = (r: HtmlReportInput): string => {
  const rows = r.subnets.map((s): Cell[] => [
    text(s.id),
    text(s.cidr),
    num(s.size),
    num(s.minFree),
    num(s.finalFree),
    num(s.minFreeAlignedBlocks),
    num(s.finalFragmentedFree),
    text(s.firstExhaustedAtMs === null ? "never" : fmtMs(s.firstExhaustedAtMs)),
    text(fmtMs(s.exhaustedMs)),
    num(s.insufficientErrors),
    num(s.insufficientCidrBlocksErrors),
  ])
  const head = [
    "Subnet",
    "CIDR",
    "Size",
    "Min free",
    "Final free",
    "Min free /28s",
    "Final fragmented free",
    "First exhausted",
    "Exhausted for",
    "Insufficient addresses",
    "Insufficient CIDR blocks",
  ]
  const maps = r.subnets
    .map(
      (s) =>
        `<h3>/28 blocks of ${escapeHtml(s.id)} <span class="muted">${escapeHtml(s.cidr)}</span></h3>` +
        blockMap(s.blocks),
    )
    .join("")
  const legend =
    `<p class="legend">One character per aligned /28 at the end of the run: ` +
    `<span class="b-free">.</span> fully free, <span class="b-prefix">p</span> allocated prefix, ` +
    `<span class="b-part">f</span> partly free, <span class="b-full">#</span> full, ` +
    `<span class="b-resv">r</span> holds AWS-reserved addresses. Row labels are block indexes.</p>`
  return `<div class="scroll">${table(head, rows)}</div>${legend}${maps}`
}

const NODES_OPEN_MAX = 40

export const nodes = (r: HtmlReportInput): string => {
  // With Linux nodes: each node's OS and the ENIs ipamd holds on a Linux node at the end.
  const linux = r.linux !== undefined
  const rows = r.nodes.map((n): Cell[] => [
    text(n.name),
    text(n.group),
    ...(linux ? [text(n.os === "linux" ? "Linux" : "Windows")] : []),
    text(n.instanceType),
    text(n.mode),
    num(n.capacity),
    ...(linux ? [n.enis === undefined ? text("") : num(n.enis)] : []),
    num(n.final.used),
    num(n.final.warm),
    num(n.final.cooling),
    num(n.final.pending),
  ])
  const head = linux
    ? ["Node", "Group", "OS", "Instance type", "Mode", "Capacity", "ENIs", "Used", "Warm", "Cooling", "Pending"]
    : ["Node", "Group", "Instance type", "Mode", "Capacity", "Used", "Warm", "Cooling", "Pending"]
  const t = table(head, rows)
  // Large clusters: keep the page short until asked.
  const open = r.nodes.length <= NODES_OPEN_MAX ? " open" : ""
  const title = `<summary>${fmtInt(r.nodes.length)} nodes, final state</summary>`
  return `<details${open}>${title}<div class="scroll">${t}</div></details>`
}

/** EC2 calls, attempts, throttled and failed per action. */
const ec2Table = (ec2: HtmlReportInput["ec2"]): string => {
  const actions = [
    ...new Set([
      ...Object.keys(ec2.calls),
      ...Object.keys(ec2.attempts),
      ...Object.keys(ec2.throttled),
      ...Object.keys(ec2.failed),
    ]),
  ]
  return table(
    ["EC2 action", "Calls", "Attempts", "Throttled", "Failed"],
    actions.map((a) => [
      text(a),
      num(ec2.calls[a] ?? 0),
      num(ec2.attempts[a] ?? 0),
      num(ec2.throttled[a] ?? 0),
      num(ec2.failed[a] ?? 0),
    ]),
  )
}

export const counters = (r: HtmlReportInput): string => {
  const ec2 = ec2Table(r.ec2)
  const p = r.pods
  const pods = table(
    ["Pods", "Count"],
    [
      [text("host network"), num(p.hostNetwork)],
      [text("without resource request"), num(p.withoutResourceRequest)],
      [text("unscheduled"), num(p.unscheduled)],
      [text("evicted"), num(p.evicted)],
      [text("unknown deletes"), num(p.unknownDeletes)],
      [text("ignored (not Windows)"), num(p.ignoredNonWindows)],
    ],
  )
  const retryRows = Object.entries(p.retries).map(([k, v]): Cell[] => [text(k), num(v)])
  const retries = table(["Pod retries", "Count"], retryRows.length ? retryRows : [[text("none"), num(0)]])
  const workers = table(
    ["Worker queue", "Jobs", "Mean wait", "Max wait"],
    Object.entries(r.workers).map(([k, w]): Cell[] => [
      text(k),
      num(w.jobs),
      text(fmtMs(w.meanWaitMs)),
      text(fmtMs(w.maxWaitMs)),
    ]),
  )
  const c = r.controller
  const controller = table(
    ["Controller", "Count"],
    [
      [text("resync jobs"), num(c.resyncJobs)],
      [text("InsufficientCidrBlocks events"), num(c.insufficientCidrBlocksEvents)],
      [text("node launch failures"), num(c.nodeLaunchFailures)],
      [text("node init failures"), num(c.nodeInitFailures)],
    ],
  )
  return `<div class="tables">${[ec2, workers, pods, retries, controller].map((t) => `<div>${t}</div>`).join("")}</div>`
}
