// `ipamsim compare --html`: the runs side by side on one self-contained page (docs/report-html.md, "The
// comparison page"): which inputs differ, each summary figure per run with its change from the first, and
// overlaid charts (pods waiting and pending, addresses used / warm / cooling over all node groups, each
// subnet's free addresses, the share of pods served within each wait bucket). Runs are named A, B, C… on the
// charts; the file names appear only in the escaped HTML, never in the page script's data.

import { bucketLabels, fmtEdge, fmtMs, fmtNum } from "../report/html/Format.ts"
import { escapeHtml, jsonForScript, loadLibrary, pageHead } from "../report/html/HtmlPage.ts"
import { PAGE_CSS } from "../report/html/HtmlReport.ts"
import type { Report } from "../report/Report.ts"
import { type Comparison, type Metric, timelineTotals } from "./Compare.ts"

const label = (i: number): string => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(i) : "")

const fmtValue = (v: number | null, unit: Metric["unit"]): string =>
  v === null ? "–" : unit === "ms" ? fmtMs(v) : unit === "ratio" ? `${(v * 100).toFixed(1)} %` : fmtNum(v)

const fmtDelta = (v: number | null, unit: Metric["unit"]): string => {
  if (v === null) return ""
  if (v === 0) return "="
  const s = v > 0 ? "+" : "−"
  return unit === "ratio" ? `${s}${(Math.abs(v) * 100).toFixed(1)} pt` : `${s}${fmtValue(Math.abs(v), unit)}`
}

const th = (s: string): string => `<th>${escapeHtml(s)}</th>`
const td = (s: string, cls = "num"): string => `<td class="${cls}">${escapeHtml(s)}</td>`

/** Union of the runs' sample times; each run's series on it (null where the run has no sample). */
const overlay = (reports: readonly Report[]) => {
  const totals = reports.map((r) => timelineTotals(r.timeline))
  const t = [...new Set(totals.flatMap((x) => x.t))].sort((a, b) => a - b)
  const on = (ts: readonly number[], ys: readonly number[]): Array<number | null> => {
    const at = new Map<number, number>()
    ts.forEach((x, i) => {
      at.set(x, ys[i]!)
    })
    return t.map((x) => at.get(x) ?? null)
  }
  const pick = (k: "used" | "warm" | "cooling" | "podsWaiting" | "podsPending") => totals.map((x) => on(x.t, x[k]))
  const subnetIds = [...new Set(reports.flatMap((r) => r.subnets.map((s) => s.id)))]
  return {
    t,
    subnetIds,
    series: {
      podsWaiting: pick("podsWaiting"),
      podsPending: pick("podsPending"),
      used: pick("used"),
      warm: pick("warm"),
      cooling: pick("cooling"),
      subnets: subnetIds.map((id) =>
        totals.map((x) => (x.subnets[id] === undefined ? t.map(() => null) : on(x.t, x.subnets[id]!))),
      ),
    },
  }
}

/** Share of pods (%) whose wait is below each bucket's upper edge, per run. */
const cumulative = (counts: readonly number[] | null): number[] | null => {
  if (counts === null) return null
  const n = counts.reduce((a, b) => a + b, 0)
  let acc = 0
  return counts.map((c) => {
    acc += c
    return n === 0 ? 0 : Math.round((acc / n) * 1e4) / 100
  })
}

const chartBox = (title: string, note: string, kind: string, index: number): string =>
  `<figure class="chart-box"><figcaption><strong>${escapeHtml(title)}</strong> ` +
  `<span class="muted">${escapeHtml(note)}</span></figcaption>` +
  `<div class="chart" data-kind="${kind}" data-index="${index}"></div></figure>`

export const renderComparisonHtml = (c: Comparison, reports: readonly Report[]): string => {
  const lib = loadLibrary()
  const runs =
    `<table class="data"><thead><tr>${["Run", "Report", "Scenario", "Seed", "Simulated", "Configuration"].map(th).join("")}</tr></thead><tbody>` +
    c.runs
      .map(
        (r, i) =>
          `<tr>${td(label(i), "text")}${td(r.file, "text")}${td(r.scenario, "text")}${td(String(r.seed))}${td(fmtMs(r.simulatedMs))}${td(r.hasConfiguration ? "yes" : "none (older report)", "text")}</tr>`,
      )
      .join("") +
    `</tbody></table>`
  const differ =
    c.inputsDiffer.length === 0
      ? `<p class="muted">The runs' inputs are the same${c.runs.every((r) => r.hasConfiguration) ? "" : " as far as the reports tell (some have no configuration section)"}.</p>`
      : `<div class="scroll"><table class="data"><thead><tr>${th("Input")}${c.runs.map((_, i) => th(label(i))).join("")}</tr></thead><tbody>` +
        c.inputsDiffer
          .map((d) => `<tr>${td(d.path, "text")}${d.values.map((v) => td(v ?? "(none)", "text")).join("")}</tr>`)
          .join("") +
        `</tbody></table></div>`
  const summary =
    `<div class="scroll"><table class="data"><thead><tr>${th("Figure")}${c.runs
      .map((_, i) => (i === 0 ? th(label(i)) : `${th(label(i))}${th(`${label(i)} − A`)}`))
      .join("")}</tr></thead><tbody>` +
    c.summary
      .map(
        (m) =>
          `<tr>${td(m.name, "text")}${m.values
            .map((v, i) =>
              i === 0 ? td(fmtValue(v, m.unit)) : td(fmtValue(v, m.unit)) + td(fmtDelta(m.deltas[i] ?? null, m.unit)),
            )
            .join("")}</tr>`,
      )
      .join("") +
    `</tbody></table></div>`
  const o = overlay(reports)
  const linux = c.waitHistograms.linux !== undefined
  const timed =
    o.t.length === 0
      ? []
      : [
          chartBox("Pods waiting for an address", "bound, no address yet", "line", 0),
          chartBox("Pods pending", "not scheduled", "line", 1),
          chartBox("Addresses used", "all node groups", "line", 2),
          chartBox("Addresses warm", "all node groups", "line", 3),
          chartBox("Addresses cooling", "all node groups", "line", 4),
          ...o.subnetIds.map((id, i) => chartBox(`Subnet ${id}`, "free addresses", "subnet", i)),
        ]
  const waits = [
    chartBox(
      linux ? "Windows pods' wait for an address" : "Wait for an address",
      "share of pods served within each bucket's upper edge (%)",
      "cdf",
      0,
    ),
    ...(linux ? [chartBox("Linux pods' wait for an address", "share of pods served (%)", "cdf", 1)] : []),
  ]
  const edges = c.waitHistograms.edgesMs
  const histTable = (title: string, rows: ReadonlyArray<readonly number[] | null>): string =>
    `<h3>${escapeHtml(title)}</h3><div class="scroll"><table class="data"><thead><tr>${th("Wait")}${c.runs.map((_, i) => th(label(i))).join("")}</tr></thead><tbody>` +
    bucketLabels(edges)
      .map((b, k) => `<tr>${td(b, "text")}${rows.map((r) => td(r === null ? "–" : fmtNum(r[k] ?? 0))).join("")}</tr>`)
      .join("") +
    `</tbody></table></div>`
  const data = {
    runs: c.runs.length,
    timeUnit: (o.t.at(-1) ?? 0) > 3 * 3_600_000 ? { div: 3_600_000, label: "h" } : { div: 60_000, label: "min" },
    t: o.t,
    lines: [o.series.podsWaiting, o.series.podsPending, o.series.used, o.series.warm, o.series.cooling],
    subnets: o.series.subnets,
    edges: edges.map(fmtEdge),
    cdf: [
      c.waitHistograms.windows.map(cumulative),
      ...(linux ? [c.waitHistograms.linux!.map((h) => cumulative(h))] : []),
    ],
  }
  const { head, libScript } = pageHead("ipamsim comparison", PAGE_CSS, PAGE_SCRIPT)
  return `${head}<body>
<main>
<header>
<h1><span class="tool">ipamsim ·</span> comparison of ${c.runs.length} runs</h1>
<p class="meta">report schema v${c.reportSchemaVersion}</p>
</header>
<h2>Runs</h2>
<div class="scroll">${runs}</div>
<h2>Inputs that differ</h2>
${differ}
<h2>Summary</h2>
${summary}
<h2>Over time</h2>
<div class="charts">${[...timed, ...waits].join("")}</div>
<h2>Wait distributions</h2>
<div class="tables"><div>${histTable(linux ? "Windows pods (pods per bucket)" : "Pods per bucket", c.waitHistograms.windows)}</div>${
    linux ? `<div>${histTable("Linux pods (pods per bucket)", c.waitHistograms.linux!)}</div>` : ""
  }</div>
<footer>Charts drawn with uPlot ${escapeHtml(lib.version)} (MIT, inlined below).
Drag on a chart to zoom, double-click to reset.</footer>
</main>
<script type="application/json" id="ipamsim-data">${jsonForScript(data)}</script>
<script>${libScript}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`
}

// Plain browser JavaScript: one uPlot per `.chart`, one series per run, labelled A, B, C…
const PAGE_SCRIPT = `"use strict";
(() => {
  const data = JSON.parse(document.getElementById("ipamsim-data").textContent);
  const unit = data.timeUnit;
  const xs = data.t.map((t) => t / unit.div);
  const HEIGHT = 260;
  const COLORS = ["#1d4ed8", "#c2410c", "#15803d", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a16207"];
  const name = (i) => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(i) : "");
  const fmt = (v) => (v == null ? "-" : String(Math.round(v * 1000) / 1000));
  const zeroBased = (u, min, max) => [0, max > 0 ? max * 1.08 : 1];
  const base = { scales: { x: { time: false }, y: { range: zeroBased } }, cursor: { drag: { x: true, y: false } }, legend: { live: true } };
  const runSeries = (n) => Array.from({ length: n }, (_, i) => ({
    label: name(i), stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, value: (u, v) => fmt(v),
  }));
  const timed = (ys, yLabel) => ({
    ...base,
    series: [{ label: "time", value: (u, v) => (v == null ? "-" : v.toFixed(2) + " " + unit.label) }, ...runSeries(ys.length)],
    axes: [{ label: "simulated time (" + unit.label + ")", labelSize: 20 }, { label: yLabel, labelSize: 20 }],
    data: [xs, ...ys],
  });
  const cdf = (i) => {
    const rows = data.cdf[i];
    const idx = data.edges.map((e, k) => k);
    return {
      ...base,
      scales: { x: { time: false }, y: { range: [0, 100] } },
      series: [{ label: "below", value: (u, v) => (v == null ? "-" : data.edges[v + 1] || "all") }, ...runSeries(rows.length)],
      axes: [
        { label: "wait below", labelSize: 20, splits: () => idx, values: (u, s) => s.map((x) => data.edges[x + 1] || "all") },
        { label: "% of pods", labelSize: 20 },
      ],
      data: [idx, ...rows.map((r) => r || idx.map(() => null))],
    };
  };
  const build = {
    line: (i) => timed(data.lines[i], i < 2 ? "pods" : "addresses"),
    subnet: (i) => timed(data.subnets[i], "free addresses"),
    cdf,
  };
  const charts = [];
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
