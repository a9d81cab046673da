// The HTML page of `ipamsim tune --html`: the recommendation, its ConfigMap and aws-node env, a chart of every setting's
// objective against its p99 wait (frontier highlighted, recommended point marked), the table, and the rollout
// check. Self-contained and offline like the run report (docs/report-html.md): uPlot is inlined, the data
// travels as escaped JSON, names are HTML-escaped, and a CSP admits only the two scripts written here.

import { escapeHtml, jsonForScript, pageHead } from "../report/html/HtmlPage.ts"
import { formatDuration } from "../scenario/Duration.ts"
import { describeConstraints } from "./TunePlan.ts"
import type { TuneReport } from "./TuneReport.ts"
import { LINUX_COLUMNS, OBJECTIVE_TEXT, spreadText } from "./TuneText.ts"

const fixed = (v: number, d: number): string => v.toFixed(d)
const sec = (ms: number): string => `${fixed(ms / 1000, 2)} s`

// Plain browser JavaScript: an empty uPlot gives axes and zoom; the points are drawn in its draw hook.
const PAGE_SCRIPT = `"use strict";
(() => {
  const d = JSON.parse(document.getElementById("ipamsim-data").textContent);
  const el = document.getElementById("frontier");
  const info = document.getElementById("frontier-info");
  const xs = d.points.map((p) => p.x);
  const ys = d.points.map((p) => p.y);
  const pad = (lo, hi) => { const s = hi - lo || Math.abs(hi) || 1; return [lo - s * 0.08, hi + s * 0.08]; };
  const [x0, x1] = pad(Math.min(0, ...xs), Math.max(d.limit ?? 0, ...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const C = { feasible: "#2563eb", infeasible: "#9aa5b1", frontier: "#ea7a0c", rec: "#15803d" };
  const draw = (u) => {
    const ctx = u.ctx;
    const px = (p) => [u.valToPos(p.x, "x", true), u.valToPos(p.y, "y", true)];
    const r = 5 * devicePixelRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    if (d.limit !== null) {
      // The p99 constraint: feasible settings lie left of it on every seed, not only on average.
      const x = u.valToPos(d.limit, "x", true);
      ctx.strokeStyle = "#c62828";
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const front = d.frontier.map((id) => d.points.find((p) => p.id === id));
    ctx.strokeStyle = C.frontier;
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.beginPath();
    front.forEach((p, i) => { const [x, y] = px(p); if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y); });
    ctx.stroke();
    for (const p of d.points) {
      const [x, y] = px(p);
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = p.frontier ? C.frontier : p.feasible ? C.feasible : "#fff";
      ctx.strokeStyle = p.feasible || p.frontier ? ctx.fillStyle : C.infeasible;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = "#1f2933";
      ctx.font = 11 * devicePixelRatio + "px sans-serif";
      ctx.fillText("#" + p.id, x + r + 2, y - r);
      if (p.recommended) {
        ctx.beginPath();
        ctx.arc(x, y, r * 2.2, 0, 2 * Math.PI);
        ctx.strokeStyle = C.rec;
        ctx.lineWidth = 3 * devicePixelRatio;
        ctx.stroke();
      }
    }
    ctx.restore();
  };
  const show = (u) => {
    const { left, top } = u.cursor;
    if (left == null || left < 0) { info.textContent = ""; return; }
    let best = null, bestD = 15 * 15;
    for (const p of d.points) {
      const dx = u.valToPos(p.x, "x") - left, dy = u.valToPos(p.y, "y") - top;
      if (dx * dx + dy * dy < bestD) { best = p; bestD = dx * dx + dy * dy; }
    }
    info.textContent = best === null ? "" : "#" + best.id + " " + best.label + ": p99 wait " + best.x.toFixed(2) +
      " s, " + d.objective + " " + best.y.toFixed(2) + " " + d.unit + (best.feasible ? "" : " (infeasible)");
  };
  const width = () => Math.max(320, Math.floor(el.getBoundingClientRect().width));
  const u = new uPlot({
    width: width(), height: 360,
    scales: { x: { time: false, range: [x0, x1] }, y: { range: [y0, y1] } },
    legend: { show: false },
    cursor: { drag: { x: true, y: true }, points: { show: false } },
    series: [{}, { stroke: "transparent", points: { show: false } }],
    axes: [
      { label: "p99 wait for an address (s), mean over seeds", labelSize: 20 },
      { label: d.objective + " (" + d.unit + "), mean over seeds", labelSize: 20, size: 70 },
    ],
    hooks: { draw: [draw], setCursor: [show] },
  }, [[x0, x1], [null, null]], el);
  window.addEventListener("resize", () => u.setSize({ width: width(), height: 360 }));
})();
`

const PAGE_CSS = `
body { margin: 0; background: #f5f7fa; color: #1f2933; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
h1 .tool { color: #616e7c; font-weight: 400; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.meta, .muted { color: #616e7c; }
.description { white-space: pre-wrap; overflow-wrap: anywhere; }
.banner { padding: 8px 12px; border-radius: 6px; font-weight: 600; }
.banner.ok { background: #e6f4ea; color: #18794e; }
.banner.bad { background: #fdecea; color: #c62828; }
pre { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 8px 10px; overflow-x: auto; font: 13px/1.35 ui-monospace, Menlo, Consolas, monospace; }
table.data { border-collapse: collapse; background: #fff; border: 1px solid #dde3ea; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 4px 10px; border-bottom: 1px solid #dde3ea; text-align: left; }
table.data th { background: #eef2f6; font-size: 13px; }
table.data td:nth-child(2) { white-space: nowrap; }
table.data td.num { text-align: right; white-space: nowrap; }
tr.rec td { background: #e6f4ea; font-weight: 600; }
tr.infeasible td { color: #616e7c; }
.chart-box { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 10px 12px; }
#frontier { width: 100%; min-height: 360px; }
#frontier-info { min-height: 1.4em; font-size: 13px; }
.key span { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin: 0 4px 0 12px; }
.scroll { overflow-x: auto; }
`

const td = (v: string, num = false): string => `<td${num ? ' class="num"' : ""}>${escapeHtml(v)}</td>`
const table = (head: readonly string[], rows: ReadonlyArray<{ cells: string; cls?: string }>): string =>
  `<div class="scroll"><table class="data"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr${r.cls ? ` class="${r.cls}"` : ""}>${r.cells}</tr>`)
    .join("")}</tbody></table></div>`

export const renderTuneHtml = (r: TuneReport): string => {
  const o = OBJECTIVE_TEXT[r.objective]
  const digits = o.scale === 1 ? 1 : 2
  const obj = (v: number): string => fixed(v * o.scale, digits)
  const name = escapeHtml(r.scenario)
  const seeds = r.sweep.seeds.length
  const linux = r.sweep.baseAwsNodeEnv !== null
  const constraints = describeConstraints(r.constraints, linux)
  const data = {
    objective: o.name,
    unit: o.unit,
    frontier: r.frontier,
    limit: r.constraints.maxP99WaitMs === undefined ? null : r.constraints.maxP99WaitMs / 1000,
    points: r.points.map((p) => ({
      id: p.id,
      label: p.label,
      x: p.stats.p99WaitMs.mean / 1000,
      y: p.stats.objective.mean * o.scale,
      feasible: p.feasible,
      frontier: p.onFrontier,
      recommended: p.recommended,
    })),
  }
  const rec = r.recommendation
  const recPoint = rec === null ? undefined : r.points.find((p) => p.id === rec.pointId)
  const verdict =
    rec === null || recPoint === undefined
      ? `<p class="banner bad">No setting meets the constraints on every seed.${
          r.closest === null ? "" : ` Closest: #${r.closest.pointId} ${escapeHtml(r.closest.label)}.`
        }</p>`
      : `<p class="banner ok">Recommended: #${recPoint.id} ${escapeHtml(recPoint.label)}: ${escapeHtml(o.name)} ${escapeHtml(
          spreadText(recPoint.stats.objective, obj),
        )} ${escapeHtml(o.unit)}, p99 wait ${escapeHtml(spreadText(recPoint.stats.p99WaitMs, sec))}</p>
${rec.snippet === null ? "" : `<pre>${escapeHtml(rec.snippet)}</pre>`}${
  rec.kubectlSetEnv === null
    ? ""
    : `<p>aws-node env to apply (Linux nodes; the DaemonSet restarts its pods):</p>
<pre>${escapeHtml(rec.kubectlSetEnv)}</pre>`
}`
  const rows = r.points.map((p) => ({
    cls: p.recommended ? "rec" : p.feasible ? "" : "infeasible",
    cells: [
      td(String(p.id), true),
      td(p.label),
      td(spreadText(p.stats.p99WaitMs, sec), true),
      td(spreadText(p.stats.objective, obj), true),
      td(
        spreadText(p.stats.peakAllocated, (v) => fixed(v, 1)),
        true,
      ),
      td(
        spreadText(p.stats.neverGotIp, (v) => fixed(v, 1)),
        true,
      ),
      td(`${seeds - new Set(p.failures.map((f) => f.seed)).size}/${seeds}`, true),
      td(p.onFrontier ? "yes" : ""),
      td(p.aliases.join("; ")),
    ].join(""),
  }))
  const c = r.rolloutCheck
  const rollout =
    c === null
      ? ""
      : `<h2>Rollout check</h2>
<p>A run on the current setting switches to the recommended one at ${escapeHtml(formatDuration(c.atMs))}; the window is ${escapeHtml(
          formatDuration(c.windowMs),
        )}.</p>
${table(
  [
    "Seed",
    "Allocated before",
    "Allocated after",
    "After, without the switch",
    "By the switch",
    "Min in window",
    "Max in window",
    "Pods waited (without)",
    "Max wait (s)",
    "Never got IP (without)",
    "EC2 calls (without)",
    "Assign",
    "Unassign",
    "Throttled",
  ],
  c.seeds.map((t) => ({
    cells: [
      t.seed,
      t.allocatedBefore,
      t.allocatedAfter,
      t.withoutSwitch.allocatedAfter,
      t.bySwitch > 0 ? `+${t.bySwitch}` : t.bySwitch,
      t.allocatedMinInWindow,
      t.allocatedMaxInWindow,
      `${t.podsWaited} (${t.withoutSwitch.podsWaited})`,
      t.maxWaitMs / 1000,
      `${t.neverGotIp} (${t.withoutSwitch.neverGotIp})`,
      `${t.ec2Calls} (${t.withoutSwitch.ec2Calls})`,
      t.assignCalls,
      t.unassignCalls,
      t.throttled,
    ]
      .map((v) => td(String(v), true))
      .join(""),
  })),
)}`
  const { head, libScript } = pageHead(`${name} · ipamsim tune`, PAGE_CSS, PAGE_SCRIPT)
  return `${head}<body>
<main>
<h1><span class="tool">ipamsim tune ·</span> ${name}</h1>
${r.description ? `<p class="description">${escapeHtml(r.description)}</p>` : ""}
<p class="meta">${escapeHtml(
    `${r.points.length} settings × ${seeds} seeds = ${r.sweep.runs} runs · objective: ${o.name} (${o.what}${linux ? " on Windows and Linux nodes" : ""}) · constraints: ${
      constraints.length === 0 ? "none" : `${constraints.join(", ")}, on every seed`
    } · report schema v${r.schemaVersion}`,
  )}</p>
${verdict}
<h2>${escapeHtml(o.name)} against p99 wait</h2>
<figure class="chart-box">
<div id="frontier"></div>
<p id="frontier-info"></p>
<figcaption class="key"><span style="background:#2563eb"></span>feasible<span style="background:#fff;border:1px solid #9aa5b1"></span>infeasible<span style="background:#ea7a0c"></span>Pareto frontier<span style="background:#fff;border:3px solid #15803d"></span>recommended${
    r.constraints.maxP99WaitMs === undefined
      ? ""
      : '<span style="background:#c62828;border-radius:0;height:2px"></span>p99 limit'
  }</figcaption>
</figure>
<h2>Every setting</h2>
${table(["#", "Setting", "p99 wait", `${o.name} (${o.unit})`, "Peak allocated", "Never got IP", "Feasible seeds", "Frontier", "Same as"], rows)}
<p class="muted">mean (min–max over seeds ${escapeHtml(r.sweep.seeds.join(", "))})${linux ? ` · ${escapeHtml(LINUX_COLUMNS)}` : ""}</p>
${r.notes.length === 0 ? "" : `<ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`}
${rollout}
</main>
<script type="application/json" id="ipamsim-data">${jsonForScript(data)}</script>
<script>${libScript}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`
}
