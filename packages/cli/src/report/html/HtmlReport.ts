// Renders the JSON report of `ipamsim run` as one self-contained HTML page (docs/report-html.md). Tables are
// rendered here; charts are drawn in the browser by uPlot, inlined together with the data, so the file opens
// offline and makes no request. The output depends only on the input: no generation time, no locale.

import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { SimResult } from "@ipamsim/core/metrics/SimResult"

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
}

// ---------------------------------------------------------------------------------------------------------
// The inlined chart library.

interface Library {
  readonly version: string
  readonly js: string
  readonly css: string
  readonly license: string
}

let library: Library | undefined

/** Reads uPlot from node_modules once; refuses text that could end its element early. */
export const loadLibrary = (): Library => {
  if (library) return library
  const require = createRequire(import.meta.url)
  // The HTML parser turns CR LF into LF; normalise first so the CSP hashes match what the browser sees.
  const read = (file: string): string => readFileSync(require.resolve(`uplot/${file}`), "utf8").replace(/\r\n?/g, "\n")
  const lib: Library = {
    version: (JSON.parse(read("package.json")) as { version: string }).version,
    js: read("dist/uPlot.iife.min.js"),
    css: read("dist/uPlot.min.css"),
    license: read("LICENSE"),
  }
  // A later uPlot release containing these would silently break the page; fail loudly instead.
  if (/<\/script|<!--/i.test(lib.js) || /<\/style/i.test(lib.css) || /\*\/|<\/script/i.test(lib.license))
    throw new Error("uplot's files contain text that cannot be inlined into a <script> or <style> element")
  library = lib
  return lib
}

// ---------------------------------------------------------------------------------------------------------
// Escaping and formatting (locale-independent so the output is identical everywhere).

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

/** JSON safe inside a <script> element: no `<` (so no `</script>` or `<!--`), `>`, `&` or line separators. */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

const group3 = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")

const fmtInt = (n: number): string => (n < 0 ? "-" : "") + group3(String(Math.round(Math.abs(n))))

const fmtNum = (n: number): string => {
  if (!Number.isFinite(n)) return String(n)
  if (Number.isInteger(n)) return fmtInt(n)
  const [int, frac] = Math.abs(n)
    .toFixed(Math.abs(n) >= 100 ? 1 : 3)
    .split(".")
  const f = frac?.replace(/0+$/, "") ?? ""
  return (n < 0 ? "-" : "") + group3(int!) + (f ? `.${f}` : "")
}

const fmtMs = (ms: number): string => {
  if (ms < 1_000) return `${fmtNum(ms)} ms`
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`
  return `${(ms / 3_600_000).toFixed(2)} h`
}

const fmtPct = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`

const fmtValue = (v: number | boolean | null): string =>
  v === null ? "n/a" : typeof v === "boolean" ? String(v) : fmtNum(v)

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)

/** Short edge label for the wait histogram: 100 ms, 2 s, 5 min. */
const fmtEdge = (ms: number): string =>
  ms === 0 ? "0" : ms < 1_000 ? `${ms}ms` : ms < 60_000 ? `${ms / 1_000}s` : `${fmtNum(ms / 60_000)}m`

/** Hover labels for the wait histogram's buckets: [edge i, edge i+1), the last one open. */
const bucketLabels = (edges: readonly number[]): string[] =>
  edges.map((e, i) => (i + 1 < edges.length ? `${fmtEdge(e)}–${fmtEdge(edges[i + 1]!)}` : `≥ ${fmtEdge(e)}`))

// ---------------------------------------------------------------------------------------------------------
// HTML building blocks. Every string from the report goes through `escapeHtml` (here or in `cell`).

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

// ---------------------------------------------------------------------------------------------------------
// Sections.

const summary = (r: HtmlReportInput): string => {
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

const expectations = (r: HtmlReportInput): string => {
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

/** Chart placeholders, filled by the page script; titles are rendered here so they are escaped once. */
const charts = (r: HtmlReportInput): string => {
  if (r.timeline.t.length === 0)
    return (
      `<p class="muted">No timeline was sampled (timelineEveryMs: 0); only the wait histogram is drawn.</p>` +
      histogramChart()
    )
  const subnetCharts = r.subnets.map((s, i) => {
    const n = s.exhaustedIntervals.length
    const note =
      n === 0 ? "never exhausted" : `shaded: exhausted (${n} interval${n === 1 ? "" : "s"}, ${fmtMs(s.exhaustedMs)})`
    return chartBox(`Subnet ${s.id}`, `free addresses and free aligned /28 blocks; ${note}`, "subnet", i)
  })
  const groupCharts = timelineGroups(r).map((g, i) =>
    chartBox(`Node group ${g}`, "addresses used / warm / cooling / pending, stacked", "group", i),
  )
  const pods = chartBox("Pods waiting and pending", "waiting: bound, no address yet; pending: not scheduled", "pods", 0)
  return `<div class="charts">${[...subnetCharts, ...groupCharts, histogramChart(), pods].join("")}</div>`
}

const histogramChart = (): string =>
  chartBox("Wait for an address", "time from binding to address, pods that got one", "histogram", 0)

const chartBox = (title: string, note: string, kind: string, index: number): string =>
  `<figure class="chart-box"><figcaption><strong>${escapeHtml(title)}</strong> ` +
  `<span class="muted">${escapeHtml(note)}</span></figcaption>` +
  `<div class="chart" data-kind="${kind}" data-index="${index}"></div></figure>`

const timelineGroups = (r: HtmlReportInput): string[] => Object.keys(r.timeline.groups)

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

const subnets = (r: HtmlReportInput): string => {
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

const nodes = (r: HtmlReportInput): string => {
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

const counters = (r: HtmlReportInput): string => {
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

// ---------------------------------------------------------------------------------------------------------
// What the page script gets: only the series it draws, by index (names stay in the escaped HTML).

const timeUnit = (r: HtmlReportInput): { div: number; label: string } => {
  const last = r.timeline.t.at(-1) ?? r.simulatedMs
  return last > 3 * 3_600_000 ? { div: 3_600_000, label: "h" } : { div: 60_000, label: "min" }
}

const pageData = (r: HtmlReportInput) => {
  const tl = r.timeline
  // A subnet missing from the timeline still gets series of the right length (gaps), so uPlot accepts them.
  const gaps = tl.t.map(() => null)
  const empty = { free: gaps, freeAligned: gaps }
  return {
    timeUnit: timeUnit(r),
    t: tl.t,
    subnets: r.subnets.map((s) => ({
      ...(Object.hasOwn(tl.subnets, s.id) ? tl.subnets[s.id]! : empty),
      exhausted: s.exhaustedIntervals,
    })),
    groups: timelineGroups(r).map((g) => tl.groups[g]!),
    podsWaiting: tl.podsWaiting,
    podsPending: tl.podsPending,
    histogram: {
      edges: r.pods.waitHistogram.edgesMs.map(fmtEdge),
      labels: bucketLabels(r.pods.waitHistogram.edgesMs),
      counts: r.pods.waitHistogram.counts,
    },
  }
}

// Plain browser JavaScript (no template placeholders): builds one uPlot per `.chart` from the JSON island.
const PAGE_SCRIPT = `"use strict";
(() => {
  const data = JSON.parse(document.getElementById("ipamsim-data").textContent);
  const unit = data.timeUnit;
  const xs = data.t.map((t) => t / unit.div);
  const HEIGHT = 260;
  const C = {
    free: "#2563eb", aligned: "#ea7a0c", exhausted: "rgba(220, 38, 38, 0.16)",
    used: ["#1d4ed8", "rgba(37, 99, 235, 0.85)"], warm: ["#15803d", "rgba(34, 197, 94, 0.75)"],
    cooling: ["#7c3aed", "rgba(167, 139, 250, 0.75)"], pending: ["#b45309", "rgba(251, 191, 36, 0.8)"],
    waiting: "#dc2626", podsPending: "#7c3aed", bars: ["#0e7490", "rgba(6, 182, 212, 0.7)"],
  };
  const fmt = (v) => (v == null ? "-" : String(Math.round(v * 1000) / 1000));
  const zeroBased = (u, min, max) => [0, max > 0 ? max * 1.08 : 1];
  // Counts only: ticks at whole numbers.
  const INT_INCRS = [];
  for (let p = 1; p <= 1e9; p *= 10) INT_INCRS.push(p, 2 * p, 5 * p);
  const countAxis = (label, more) => ({ label, labelSize: 20, incrs: INT_INCRS, ...more });
  const xSeries = { label: "time", value: (u, v) => (v == null ? "-" : v.toFixed(2) + " " + unit.label) };
  const xAxis = { label: "simulated time (" + unit.label + ")", labelSize: 20 };
  const base = { scales: { x: { time: false } }, cursor: { drag: { x: true, y: false } }, legend: { live: true } };
  const charts = [];

  // Exhaustion intervals are painted behind the series, clipped to the plot area.
  const shade = (intervals) => (u) => {
    const ctx = u.ctx;
    const b = u.bbox;
    ctx.save();
    ctx.fillStyle = C.exhausted;
    for (const [a, z] of intervals) {
      const x0 = Math.max(b.left, u.valToPos(a / unit.div, "x", true));
      const x1 = Math.min(b.left + b.width, u.valToPos(z / unit.div, "x", true));
      if (x1 >= x0) ctx.fillRect(x0, b.top, Math.max(1, x1 - x0), b.height);
    }
    ctx.restore();
  };

  const subnet = (d) => ({
    ...base,
    scales: { x: { time: false }, y: { range: zeroBased }, blocks: { range: zeroBased } },
    series: [
      xSeries,
      { label: "free addresses", stroke: C.free, width: 2, value: (u, v) => fmt(v) },
      { label: "free /28 blocks", stroke: C.aligned, width: 2, scale: "blocks", value: (u, v) => fmt(v) },
    ],
    axes: [xAxis, countAxis("addresses"), countAxis("/28 blocks", { scale: "blocks", side: 1, grid: { show: false } })],
    hooks: { drawClear: [shade(d.exhausted)] },
    data: [xs, d.free, d.freeAligned],
  });

  // Stacked: cumulative series drawn top-down with opaque fills; the legend shows each layer's own value.
  const group = (d) => {
    const layers = ["pending", "cooling", "warm", "used"];
    const order = ["used", "warm", "cooling", "pending"];
    const cum = {};
    let acc = xs.map(() => 0);
    for (const k of order) {
      acc = acc.map((a, i) => a + (d[k][i] ?? 0));
      cum[k] = acc;
    }
    return {
      ...base,
      scales: { x: { time: false }, y: { range: zeroBased } },
      series: [xSeries, ...layers.map((k) => ({
        label: k, stroke: C[k][0], fill: C[k][1], width: 1,
        value: (u, v, si, i) => (i == null ? "-" : fmt(d[k][i])),
      }))],
      axes: [xAxis, countAxis("addresses")],
      data: [xs, ...layers.map((k) => cum[k])],
    };
  };

  const pods = () => ({
    ...base,
    scales: { x: { time: false }, y: { range: zeroBased } },
    series: [
      xSeries,
      { label: "waiting for an address", stroke: C.waiting, width: 2, value: (u, v) => fmt(v) },
      { label: "pending (unscheduled)", stroke: C.podsPending, width: 2, value: (u, v) => fmt(v) },
    ],
    axes: [xAxis, countAxis("pods")],
    data: [xs, data.podsWaiting, data.podsPending],
  });

  const histogram = () => {
    const h = data.histogram;
    const idx = h.counts.map((c, i) => i);
    return {
      scales: { x: { time: false, range: [-0.5, idx.length - 0.5] }, y: { range: zeroBased } },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: "bucket", value: (u, v) => (v == null ? "-" : h.labels[v]) },
        {
          label: "pods", stroke: C.bars[0], fill: C.bars[1], width: 1,
          paths: uPlot.paths.bars({ size: [0.8, 80] }), points: { show: false },
        },
      ],
      axes: [
        // Ticks sit on bucket boundaries (bucket i spans i - 0.5 .. i + 0.5) and name the edge.
        {
          label: "wait for an address", labelSize: 20, grid: { show: false },
          splits: () => idx.map((i) => i - 0.5),
          values: (u, s) => s.map((x) => h.edges[x + 0.5] ?? ""),
        },
        countAxis("pods"),
      ],
      data: [idx, h.counts],
    };
  };

  const build = { subnet: (i) => subnet(data.subnets[i]), group: (i) => group(data.groups[i]), pods, histogram };
  const widthOf = (el) => Math.max(300, Math.floor(el.getBoundingClientRect().width));
  for (const el of document.querySelectorAll(".chart")) {
    const opts = build[el.dataset.kind](Number(el.dataset.index));
    const { data: series, ...rest } = opts;
    charts.push([new uPlot({ ...rest, width: widthOf(el), height: HEIGHT }, series, el), el]);
  }
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const [u, el] of charts) u.setSize({ width: widthOf(el), height: HEIGHT });
    });
  });
})();
`

const PAGE_CSS = `
:root {
  --fg: #1f2933; --muted: #616e7c; --line: #dde3ea; --bg: #f5f7fa; --card: #fff;
  --ok: #18794e; --bad: #c62828; --warn: #b45309;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 var(--sans); }
main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 48px; }
header { border-bottom: 1px solid var(--line); margin-bottom: 16px; padding-bottom: 10px; }
h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
h1 .tool { color: var(--muted); font-weight: 400; }
h2 { font-size: 17px; margin: 28px 0 10px; }
h3 { font-size: 14px; margin: 14px 0 6px; overflow-wrap: anywhere; }
.description { margin: 4px 0 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: 13px; margin: 0; }
.muted { color: var(--muted); font-weight: 400; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card h3 { margin: 0 0 6px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card dl { display: grid; grid-template-columns: 1fr auto; margin: 0; row-gap: 2px; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.bad { color: var(--bad); }
.warn { color: var(--warn); }
.banner { padding: 8px 12px; border-radius: 6px; font-weight: 600; margin: 0 0 8px; }
.banner.ok { background: #e6f4ea; color: var(--ok); }
.banner.bad { background: #fdecea; color: var(--bad); }
.badge {
  display: inline-block; min-width: 42px; text-align: center; padding: 1px 6px; border-radius: 4px;
  font-size: 12px; font-weight: 700; color: #fff;
}
.badge.ok { background: var(--ok); }
.badge.bad { background: var(--bad); }
/* Scoped to the report's tables: uPlot's legend is a table too. */
table.data {
  border-collapse: collapse; background: var(--card); border: 1px solid var(--line); font-variant-numeric: tabular-nums;
}
table.data th, table.data td {
  padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top;
}
table.data th { background: #eef2f6; font-weight: 600; font-size: 13px; }
table.data td.text { min-width: 6em; max-width: 32em; overflow-wrap: break-word; }
table.data td.num { text-align: right; white-space: nowrap; }
table.expectations { min-width: 50%; }
.scroll { overflow-x: auto; }
.tables { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 14px; }
.chart-box {
  margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px 4px;
  min-width: 0;
}
.chart-box figcaption { margin-bottom: 6px; overflow-wrap: anywhere; }
.chart { width: 100%; min-height: 260px; }
.u-legend { font-size: 12px; }
pre.blocks {
  background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 0 0 8px;
  overflow-x: auto; font: 13px/1.35 var(--mono);
}
.b-off { color: #9aa5b1; }
.b-free { color: #9aa5b1; }
.b-prefix { color: #1d4ed8; font-weight: 700; }
.b-part { color: #b45309; font-weight: 700; }
.b-full { color: var(--bad); font-weight: 700; }
.b-resv { color: #7c3aed; }
.legend { color: var(--muted); font-size: 13px; }
.legend span { font-family: var(--mono); font-weight: 700; }
details summary { cursor: pointer; margin-bottom: 6px; color: var(--muted); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`

// ---------------------------------------------------------------------------------------------------------

/** A CSP source admitting exactly this inline script. */
export const cspHash = (script: string): string =>
  `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`

/**
 * The start of an ipamsim HTML page up to </head>: uPlot's CSS inlined, and a Content-Security-Policy that
 * lets only uPlot and the page's own script run (an injected script or handler is refused even if escaping
 * failed). Returns the head and the uPlot script to put before the page script.
 */
export const pageHead = (
  titleHtml: string,
  pageCss: string,
  pageScript: string,
): { head: string; libScript: string } => {
  const lib = loadLibrary()
  const libScript = `/*! uPlot ${lib.version}, inlined from node_modules/uplot.\n${lib.license}*/\n${lib.js}`
  const csp = `default-src 'none'; script-src ${cspHash(libScript)} ${cspHash(pageScript)}; style-src 'unsafe-inline'`
  const head = `<!doctype html>
<!-- ipamsim report -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${titleHtml}</title>
<style>${lib.css}</style>
<style>${pageCss}</style>
</head>
`
  return { head, libScript }
}

export const renderHtmlReport = (report: HtmlReportInput): string => {
  const lib = loadLibrary()
  const name = escapeHtml(report.scenario)
  const meta = [
    `seed ${fmtInt(report.seed)}`,
    `simulated ${fmtMs(report.simulatedMs)}`,
    `${fmtInt(report.events)} events`,
    `report schema v${fmtInt(report.schemaVersion)}`,
  ].join(" · ")
  const { head, libScript } = pageHead(`${name} · ipamsim report`, PAGE_CSS, PAGE_SCRIPT)
  return `${head}<body>
<main>
<header>
<h1><span class="tool">ipamsim ·</span> <span class="scenario">${name}</span></h1>
${report.description ? `<p class="description">${escapeHtml(report.description)}</p>` : ""}
<p class="meta">${escapeHtml(meta)}</p>
</header>
<h2>Summary</h2>
${summary(report)}
<h2>Expectations</h2>
${expectations(report)}
<h2>Over time</h2>
${charts(report)}
<h2>Subnets</h2>
${subnets(report)}
<h2>Nodes</h2>
${nodes(report)}
<h2>Counters</h2>
${counters(report)}
<footer>Charts drawn with uPlot ${escapeHtml(lib.version)} (MIT, inlined below).
Drag on a chart to zoom, double-click to reset.</footer>
</main>
<script type="application/json" id="ipamsim-data">${jsonForScript(pageData(report))}</script>
<script>${libScript}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`
}
