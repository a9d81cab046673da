// The run's HTML page as tables and cards: summary, expectations, subnets with their /28 block maps, nodes
// and counters. Every string from the report goes through `escapeHtml` (here or in `cell`).

import { fmtInt, fmtMs, fmtNum, fmtPct, fmtValue, sum } from "./Format.ts"
import { escapeHtml } from "./HtmlPage.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"

type Cell = string | number | { readonly html: string; readonly cls?: string }

const cell = (c: Cell, tag: "td" | "th"): string => {
  if (typeof c === "number") return `<${tag} class="num">${fmtNum(c)}</${tag}>`
  if (typeof c === "string") return `<${tag}>${escapeHtml(c)}</${tag}>`
  return `<${tag}${c.cls ? ` class="${c.cls}"` : ""}>${c.html}</${tag}>`
}

const table = (head: readonly string[], rows: ReadonlyArray<ReadonlyArray<Cell>>, cls = ""): string =>
  `<table class="data${cls ? ` ${cls}` : ""}"><thead><tr>${head.map((h) => cell(h, "th")).join("")}</tr></thead>` +
  `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, "td")).join("")}</tr>`).join("")}</tbody></table>`

/** A two-column key/value card for the summary. */
const card = (title: string, rows: ReadonlyArray<readonly [string, string, string?]>): string =>
  `<section class="card"><h3>${escapeHtml(title)}</h3><dl>` +
  rows
    .map(([k, v, cls]) => `<dt>${escapeHtml(k)}</dt><dd${cls ? ` class="${cls}"` : ""}>${escapeHtml(v)}</dd>`)
    .join("") +
  `</dl></section>`

const num = (n: number): Cell => ({ html: escapeHtml(fmtNum(n)), cls: "num" })
const text = (s: string): Cell => ({ html: escapeHtml(s), cls: "text" })

export const summary = (r: HtmlReportInput): string => {
  const p = r.pods
  const w = p.waitMs
  const ip = r.addresses.ipSeconds
  return `<div class="cards">${[
    card("Pods", [
      ["created", fmtInt(p.created)],
      ["requesting an address", fmtInt(p.requestingAddress)],
      ["with IP", fmtInt(p.withIp)],
      ["never got IP", fmtInt(p.neverGotIp), p.neverGotIp > 0 ? "bad" : ""],
      ["still waiting at end", fmtInt(p.stillWaiting), p.stillWaiting > 0 ? "bad" : ""],
    ]),
    card("Wait for an address", [
      ["p50", fmtMs(w.p50)],
      ["p90", fmtMs(w.p90)],
      ["p99", fmtMs(w.p99)],
      ["max", fmtMs(w.max)],
      ["mean", fmtMs(w.mean)],
    ]),
    card("Addresses (IP-seconds)", [
      ["used", fmtNum(ip.used)],
      ["warm", fmtNum(ip.warm)],
      ["cooling", fmtNum(ip.cooling)],
      ["waste ratio", fmtPct(r.addresses.wasteRatio)],
      ["peak allocated", fmtInt(r.addresses.peakAllocated)],
    ]),
    card("EC2", [
      ["calls", fmtInt(sum(r.ec2.calls))],
      ["attempts", fmtInt(sum(r.ec2.attempts))],
      ["throttled", fmtInt(sum(r.ec2.throttled)), sum(r.ec2.throttled) > 0 ? "warn" : ""],
      ["failed", fmtInt(sum(r.ec2.failed)), sum(r.ec2.failed) > 0 ? "bad" : ""],
    ]),
  ].join("")}</div>`
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
  const rows = r.nodes.map((n): Cell[] => [
    text(n.name),
    text(n.group),
    text(n.instanceType),
    text(n.mode),
    num(n.capacity),
    num(n.final.used),
    num(n.final.warm),
    num(n.final.cooling),
    num(n.final.pending),
  ])
  const t = table(["Node", "Group", "Instance type", "Mode", "Capacity", "Used", "Warm", "Cooling", "Pending"], rows)
  // Large clusters: keep the page short until asked.
  const open = r.nodes.length <= NODES_OPEN_MAX ? " open" : ""
  const title = `<summary>${fmtInt(r.nodes.length)} nodes, final state</summary>`
  return `<details${open}>${title}<div class="scroll">${t}</div></details>`
}

export const counters = (r: HtmlReportInput): string => {
  const actions = [
    ...new Set([
      ...Object.keys(r.ec2.calls),
      ...Object.keys(r.ec2.attempts),
      ...Object.keys(r.ec2.throttled),
      ...Object.keys(r.ec2.failed),
    ]),
  ]
  const ec2 = table(
    ["EC2 action", "Calls", "Attempts", "Throttled", "Failed"],
    actions.map((a) => [
      text(a),
      num(r.ec2.calls[a] ?? 0),
      num(r.ec2.attempts[a] ?? 0),
      num(r.ec2.throttled[a] ?? 0),
      num(r.ec2.failed[a] ?? 0),
    ]),
  )
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
