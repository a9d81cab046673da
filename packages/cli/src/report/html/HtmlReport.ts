// Renders the JSON report of `ipamsim run` as one self-contained HTML page (docs/report-html.md): the
// page's frame and style here, its tables in Sections, its charts in Charts. Charts are drawn in the browser
// by uPlot, inlined together with the data, so the file opens offline and makes no request. The output
// depends only on the input: no generation time, no locale.

import { charts, pageData, pageScript } from "./Charts.ts"
import { configurationSection } from "./ConfigurationSection.ts"
import { fmtInt, fmtMs } from "./Format.ts"
import { escapeHtml, jsonForScript, loadLibrary, pageHead } from "./HtmlPage.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"
import { counters, expectations, linuxSection, nodes, subnets, summary } from "./Sections.ts"

export const PAGE_CSS = `
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
h4 { font-size: 13px; margin: 10px 0 4px; overflow-wrap: anywhere; }
ul.warnings { margin: 4px 0; color: var(--warn); }
details summary { cursor: pointer; margin-bottom: 6px; color: var(--muted); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`

/** Added for a run with Linux nodes: the holders charts' data tables, scrolled within their box. */
const LINUX_CSS = `.chart-data { margin: 4px 0 8px; }
.chart-data .scroll { max-height: 320px; overflow: auto; }
.chart-data th { position: sticky; top: 0; }
`

export const renderHtmlReport = (report: HtmlReportInput): string => {
  const lib = loadLibrary()
  const name = escapeHtml(report.scenario)
  const meta = [
    `seed ${fmtInt(report.seed)}`,
    `simulated ${fmtMs(report.simulatedMs)}`,
    `${fmtInt(report.events)} events`,
    `report schema v${fmtInt(report.schemaVersion)}`,
  ].join(" · ")
  const script = pageScript(report)
  const css = report.linux === undefined ? PAGE_CSS : PAGE_CSS + LINUX_CSS
  const { head, libScript } = pageHead(`${name} · ipamsim report`, css, script)
  // Only a run with Linux nodes has the section.
  const linux = report.linux === undefined ? "" : `<h2>Linux nodes</h2>\n${linuxSection(report, report.linux)}\n`
  // Reports written before the section existed have no configuration.
  const configuration =
    report.configuration === undefined
      ? ""
      : `<h2>Configuration simulated</h2>\n${configurationSection(report.configuration)}\n`
  return `${head}<body>
<main>
<header>
<h1><span class="tool">ipamsim ·</span> <span class="scenario">${name}</span></h1>
${report.description ? `<p class="description">${escapeHtml(report.description)}</p>` : ""}
<p class="meta">${escapeHtml(meta)}</p>
</header>
<h2>Summary</h2>
${summary(report)}
${linux}<h2>Expectations</h2>
${expectations(report)}
${configuration}<h2>Over time</h2>
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
<script>${script}</script>
</body>
</html>
`
}
