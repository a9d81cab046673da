// The run's charts: placeholders in the page (titles rendered here, so they are escaped once), the data
// they draw as a JSON island (only the series drawn, by index; names stay in the escaped HTML), and the page
// script that builds one uPlot per placeholder in the browser. A run with Linux nodes also has the Linux pods'
// wait histogram and, per subnet, who holds its addresses over time with that chart's data as a table (their
// charts, their data and the script's parts that read them); a run without has none of them.

import type { LinuxResult } from "@ipamsim/core/metrics/SimResult"
import { bucketLabels, fmtClock, fmtEdge, fmtInt, fmtMs } from "./Format.ts"
import { escapeHtml, jsonForScript } from "./HtmlPage.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"
import { type Cell, groupOs, HOLDER_LABELS, num, table, text } from "./Sections.ts"

/** Chart placeholders, filled by the page script; titles are rendered here so they are escaped once. */
export const charts = (r: HtmlReportInput): string => {
  const histograms = histogramCharts(r)
  if (r.timeline.t.length === 0)
    return (
      `<p class="muted">No timeline was sampled (timelineEveryMs: 0); only the wait ${r.linux === undefined ? "histogram is" : "histograms are"} drawn.</p>` +
      histograms.join("")
    )
  const subnetCharts = r.subnets.map((s, i) => {
    const n = s.exhaustedIntervals.length
    const note =
      n === 0 ? "never exhausted" : `shaded: exhausted (${n} interval${n === 1 ? "" : "s"}, ${fmtMs(s.exhaustedMs)})`
    const free = chartBox(`Subnet ${s.id}`, `free addresses and free aligned /28 blocks; ${note}`, "subnet", i)
    // With Linux nodes, who holds the subnet's addresses follows it, its data in a table beneath.
    return r.linux === undefined ? free : free + holdersChart(r, r.linux, i)
  })
  // With Linux nodes, each group's OS (from its nodes) follows its name.
  const os = (g: string): string => {
    const o = r.linux === undefined ? "" : groupOs(r, g)
    return o === "" ? "" : ` (${o})`
  }
  const groupCharts = timelineGroups(r).map((g, i) =>
    chartBox(`Node group ${g}${os(g)}`, "addresses used / warm / cooling / pending, stacked", "group", i),
  )
  const podsNote = "waiting: bound, no address yet; pending: not scheduled"
  const pods = chartBox(
    "Pods waiting and pending",
    r.linux === undefined ? podsNote : `${podsNote}; Windows and Linux pods`,
    "pods",
    0,
  )
  return `<div class="charts">${[...subnetCharts, ...groupCharts, ...histograms, pods].join("")}</div>`
}

/** The wait histograms: Windows pods' (index 0) and, with Linux nodes, Linux pods' (index 1). */
const histogramCharts = (r: HtmlReportInput): string[] =>
  r.linux === undefined
    ? [chartBox("Wait for an address", "time from binding to address, pods that got one", "histogram", 0)]
    : [
        chartBox(
          "Windows pods' wait for an address",
          "time from binding to address, Windows pods that got one",
          "histogram",
          0,
        ),
        chartBox(
          "Linux pods' wait for an address",
          "time from binding to the CNI ADD that gave one, Linux pods that got one",
          "histogram",
          1,
        ),
      ]

const chartBox = (title: string, note: string, kind: string, index: number, after = ""): string =>
  `<figure class="chart-box"><figcaption><strong>${escapeHtml(title)}</strong> ` +
  `<span class="muted">${escapeHtml(note)}</span></figcaption>` +
  `<div class="chart" data-kind="${kind}" data-index="${index}"></div>${after}</figure>`

/** Fill colours of the holders, in HOLDER_LABELS' order: Tableau 10, the two managers' three each in one family. */
export const HOLDER_COLORS: readonly string[] = [
  "#1f77b4", // Windows pods: blue
  "#aec7e8", // Windows warm: light blue
  "#9467bd", // Windows cooling: purple
  "#ff7f0e", // Linux pods: orange
  "#ffbb78", // Linux warm: light orange
  "#8c564b", // Linux cooling: brown
  "#17becf", // ENI primaries: cyan
  "#e377c2", // in flight: pink
  "#bcbd22", // others: olive
  "#7f7f7f", // AWS-reserved: grey
  "#e8ecf1", // free: near white
]

/** Above this many rows a holders table keeps every n-th changed sample (and the last): the page stays usable. */
export const HOLDER_TABLE_MAX_ROWS = 2_000

/** A subnet's holders at each sample (gaps where the report has none). */
const holderSeries = (r: HtmlReportInput, l: LinuxResult, id: string): Array<ReadonlyArray<number | null>> => {
  const bySubnet = Object.hasOwn(l.timeline.subnets, id) ? l.timeline.subnets[id]! : {}
  const gaps = r.timeline.t.map(() => null)
  return HOLDER_LABELS.map(([k]) => (Object.hasOwn(bySubnet, k) ? bySubnet[k]! : gaps))
}

/** Subnet i's holders over time, stacked, with the chart's data as a table beneath. */
const holdersChart = (r: HtmlReportInput, l: LinuxResult, i: number): string => {
  const s = r.subnets[i]!
  const note = `stacked; the layers sum to the subnet's ${fmtInt(s.size)} addresses; the legend shows each holder's own count`
  return chartBox(`Who holds subnet ${s.id}`, note, "holders", i, holdersTable(r, l, i))
}

/**
 * The holders chart's data: the first sample, each one where a count changed and the last (between them the
 * counts stand still), at most HOLDER_TABLE_MAX_ROWS rows; a total column that is the subnet's size.
 */
const holdersTable = (r: HtmlReportInput, l: LinuxResult, i: number): string => {
  const t = r.timeline.t
  const series = holderSeries(r, l, r.subnets[i]!.id)
  const changed: number[] = []
  for (let j = 0; j < t.length; j++)
    if (j === 0 || j === t.length - 1 || series.some((v) => v[j] !== v[j - 1])) changed.push(j)
  const every = Math.ceil(changed.length / HOLDER_TABLE_MAX_ROWS)
  const rows = every <= 1 ? changed : changed.filter((_, n) => n % every === 0 || n === changed.length - 1)
  const body = rows.map((j): Cell[] => {
    const vs = series.map((v) => v[j] ?? null)
    return [
      text(fmtClock(t[j]!)),
      ...vs.map((v) => (v === null ? text("") : num(v))),
      num(vs.reduce<number>((a, v) => a + (v ?? 0), 0)),
    ]
  })
  const which =
    every <= 1
      ? "the first, the last and each where a count changed"
      : `the first, the last and one in ${fmtInt(every)} of those where a count changed (the JSON report has every sample)`
  const summary = `Data: ${fmtInt(rows.length)} of ${fmtInt(t.length)} samples, ${which}`
  const head = ["Time", ...HOLDER_LABELS.map(([, label]) => label), "Total"]
  return (
    `<details class="chart-data"><summary>${escapeHtml(summary)}</summary>` +
    `<div class="scroll">${table(head, body)}</div></details>`
  )
}

const timelineGroups = (r: HtmlReportInput): string[] => Object.keys(r.timeline.groups)

const timeUnit = (r: HtmlReportInput): { div: number; label: string } => {
  const last = r.timeline.t.at(-1) ?? r.simulatedMs
  return last > 3 * 3_600_000 ? { div: 3_600_000, label: "h" } : { div: 60_000, label: "min" }
}

const histogramData = (h: { readonly edgesMs: number[]; readonly counts: number[] }) => ({
  edges: h.edgesMs.map(fmtEdge),
  labels: bucketLabels(h.edgesMs),
  counts: h.counts,
})

export const pageData = (r: HtmlReportInput) => {
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
    histogram: histogramData(r.pods.waitHistogram),
    ...(r.linux === undefined
      ? {}
      : {
          linuxHistogram: histogramData(r.linux.pods.waitHistogram),
          // Per subnet (by index): its size and its holders' series in HOLDER_LABELS' order.
          holders: r.subnets.map((s) => ({ size: s.size, layers: holderSeries(r, r.linux!, s.id) })),
        }),
  }
}

/** The page script for this report: the one that reads the Linux pods' histogram when the report has one. */
export const pageScript = (r: HtmlReportInput): string => (r.linux === undefined ? PAGE_SCRIPT : PAGE_SCRIPT_LINUX)

// Plain browser JavaScript (two template placeholders: the histogram's head, which picks Windows pods'
// or Linux pods' histogram by the chart's index when the page has both, and the holders chart, only on a
// page with Linux nodes): builds one uPlot per `.chart` from the JSON island.
const script = (histogramHead: string, holders: string): string => `"use strict";
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

  const histogram = ${histogramHead}
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
${holders}  const widthOf = (el) => Math.max(300, Math.floor(el.getBoundingClientRect().width));
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

// Who holds a subnet: cumulative series drawn top-down (free on top) with opaque fills, so each layer keeps
// its own colour; the legend lists them top-down too and shows each layer's own count.
const HOLDERS_SCRIPT = `
  const HOLDERS = ${jsonForScript(HOLDER_LABELS.map(([, label], i) => [label, HOLDER_COLORS[i]]))};
  const holders = (d) => {
    const cum = [];
    let acc = xs.map(() => 0);
    for (const layer of d.layers) {
      acc = acc.map((a, i) => a + (layer[i] ?? 0));
      cum.push(acc);
    }
    const top = HOLDERS.map((h, k) => k).reverse();
    return {
      ...base,
      scales: { x: { time: false }, y: { range: () => [0, d.size > 0 ? d.size : 1] } },
      series: [xSeries, ...top.map((k) => ({
        label: HOLDERS[k][0], stroke: k === HOLDERS.length - 1 ? "#9aa5b1" : HOLDERS[k][1], fill: HOLDERS[k][1],
        width: 1, points: { show: false }, value: (u, v, si, i) => (i == null ? "-" : fmt(d.layers[k][i])),
      }))],
      axes: [xAxis, countAxis("addresses")],
      data: [xs, ...top.map((k) => cum[k])],
    };
  };
  build.holders = (i) => holders(data.holders[i]);
`

const PAGE_SCRIPT = script(
  `() => {
    const h = data.histogram;`,
  "",
)
const PAGE_SCRIPT_LINUX = script(
  `(i) => {
    const h = i === 1 ? data.linuxHistogram : data.histogram;`,
  HOLDERS_SCRIPT,
)
