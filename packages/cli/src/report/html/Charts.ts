// The run's charts: placeholders in the page (titles rendered here, so they are escaped once), the data
// they draw as a JSON island (only the series drawn, by index; names stay in the escaped HTML), and the page
// script that builds one uPlot per placeholder in the browser. A run with Linux nodes also has the Linux pods'
// wait histogram (its chart, its data and the script's branch that reads it); a run without has none of them.

import { bucketLabels, fmtEdge, fmtMs } from "./Format.ts"
import { escapeHtml } from "./HtmlPage.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"
import { groupOs } from "./Sections.ts"

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
    return chartBox(`Subnet ${s.id}`, `free addresses and free aligned /28 blocks; ${note}`, "subnet", i)
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

const chartBox = (title: string, note: string, kind: string, index: number): string =>
  `<figure class="chart-box"><figcaption><strong>${escapeHtml(title)}</strong> ` +
  `<span class="muted">${escapeHtml(note)}</span></figcaption>` +
  `<div class="chart" data-kind="${kind}" data-index="${index}"></div></figure>`

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
    ...(r.linux === undefined ? {} : { linuxHistogram: histogramData(r.linux.pods.waitHistogram) }),
  }
}

/** The page script for this report: the one that reads the Linux pods' histogram when the report has one. */
export const pageScript = (r: HtmlReportInput): string => (r.linux === undefined ? PAGE_SCRIPT : PAGE_SCRIPT_LINUX)

// Plain browser JavaScript (one template placeholder: the histogram's head, which picks Windows pods'
// or Linux pods' histogram by the chart's index when the page has both): builds one uPlot per `.chart`
// from the JSON island.
const script = (histogramHead: string): string => `"use strict";
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

const PAGE_SCRIPT = script(`() => {
    const h = data.histogram;`)
const PAGE_SCRIPT_LINUX = script(`(i) => {
    const h = i === 1 ? data.linuxHistogram : data.histogram;`)
