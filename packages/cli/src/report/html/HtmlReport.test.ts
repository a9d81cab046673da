// The HTML report: escaping, determinism and the inlined library checked on the string; then a headless
// Chromium (playwright-core, Debian's /usr/bin/chromium) opens the file and checks that every chart draws,
// nothing is fetched and no injected markup runs. CI installs chromium with scripts/install-chromium.sh.
// A Windows-only report renders as the file snapshot says; a report with Linux nodes adds their section and,
// per subnet, who holds its addresses over time (a stacked chart and its data table).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { HOLDERS } from "@ipamsim/core/SubnetHolders"
import { chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { simulateScenario } from "../../scenario/SimulateScenario.ts"
import { WINDOWS_ONLY, WITH_LINUX } from "../Report.fixtures.ts"
import { HOLDER_COLORS, HOLDER_TABLE_MAX_ROWS } from "./Charts.ts"
import { fmtClock } from "./Format.ts"
import { jsonForScript } from "./HtmlPage.ts"
import {
  BASIC_PAYLOAD,
  count,
  GROUP_SMALL,
  holderRows,
  island,
  markupOnly,
  payload,
  SHARED_SUBNET,
  simulate,
  simulateMixed,
  withoutLibrary,
} from "./HtmlReport.fixtures.ts"
import { renderHtmlReport } from "./HtmlReport.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"
import { HOLDER_LABELS } from "./Sections.ts"

const report = simulate()
const mixed = simulateMixed()
const shared = simulateScenario(SHARED_SUBNET)

describe("renderHtmlReport", () => {
  it("sanity: the synthetic run exhausts a subnet and has waits to plot", () => {
    expect(report.subnets[0]!.exhaustedIntervals.length).toBeGreaterThan(0)
    expect(report.pods.waitHistogram.counts.some((c, i) => i > 0 && c > 0)).toBe(true)
    expect(report.timeline.t.length).toBeGreaterThan(10)
  })

  it("escapes a malicious scenario name into inert text", () => {
    const html = renderHtmlReport({ ...report, scenario: BASIC_PAYLOAD })
    expect(html).not.toContain("<img")
    expect(html).not.toContain(BASIC_PAYLOAD)
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
    expect(html).toContain(`<title>&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;`)
    // Exactly the three scripts the renderer writes: the JSON island, uPlot and the page script.
    expect(html.match(/<script\b/gi)).toHaveLength(3)
    expect(html.match(/<\/script/gi)).toHaveLength(3)
  })

  it("escapes every user-controlled name (description, subnet, group, node, expectation)", () => {
    const html = renderHtmlReport(report)
    const markup = markupOnly(html)
    expect(markup).not.toMatch(/<img|onerror="|<script>window|<!--<|alert\(\d+\)<\/script/)
    for (const raw of [payload(0), payload(10), payload(20), payload(30), payload(40)]) expect(html).not.toContain(raw)
    expect(html).toContain("subnet-&lt;img src=x onerror=&quot;window.__pwned=10;")
    expect(html).toContain("small-&lt;img src=x onerror=&quot;window.__pwned=20;")
    expect(html).toContain("&lt;!---0</td>") // node names are derived from the group's
    expect(html).toContain("maxP99WaitMs &lt;img")
  })

  it("puts the data in a JSON island without any '<', and the page can parse it back", () => {
    const html = renderHtmlReport(report)
    const island = /<script type="application\/json" id="ipamsim-data">([^<]*)<\/script>/.exec(html)
    expect(island).not.toBeNull()
    const data = JSON.parse(island![1]!) as { t: number[]; histogram: { counts: number[] } }
    expect(data.t).toEqual(report.timeline.t)
    expect(data.histogram.counts).toEqual(report.pods.waitHistogram.counts)
    expect(jsonForScript({ s: "</script><!--&\u2028" })).toBe('{"s":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}')
    expect(JSON.parse(jsonForScript({ s: "</script>" }))).toEqual({ s: "</script>" })
  })

  it("is deterministic: same input, same bytes; no generation time", () => {
    const a = renderHtmlReport(report)
    const b = renderHtmlReport(structuredClone(report))
    expect(a).toBe(b)
    expect(a).not.toMatch(/\b20\d\d-\d\d-\d\dT/)
  })

  it("inlines uPlot's JS and CSS and references nothing external", () => {
    const html = renderHtmlReport(report)
    const require = createRequire(import.meta.url)
    const js = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8")
    const css = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8")
    expect(html).toContain(js)
    expect(html).toContain(css)
    expect(html).toContain("Copyright (c) 2022 Leon Sorokin")
    // Nothing a browser would load: no src/href attribute on any tag, no url() or @import in the styles,
    // no address outside uPlot's banner comment (escaped payload text may say "src=x": it is text).
    const markup = markupOnly(html)
    const tags = markup.match(/<[a-z][^>]*>/gi) ?? []
    expect(tags.filter((t) => /\s(src|href|srcset|action|poster|data)\s*=/i.test(t))).toEqual([])
    const styles = [...markup.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join("")
    expect(styles).not.toMatch(/url\(|@import/i)
    expect(markup).not.toMatch(/https?:\/\//i)
    expect(html).toContain("<!-- ipamsim report -->")
  })

  it("renders expectations with pass and fail, and handles an empty timeline", () => {
    const html = renderHtmlReport({
      ...report,
      expectations: [
        { name: "a", ok: true, actual: 1, limit: 2 },
        { name: "b", ok: false, actual: null, limit: false },
      ],
      timeline: { t: [], subnets: {}, groups: {}, podsWaiting: [], podsPending: [] },
    })
    expect(html).toContain("1 of 2 expectations failed.")
    expect(html).toContain(`<span class="badge ok">PASS</span>`)
    expect(html).toContain(`<span class="badge bad">FAIL</span>`)
    expect(html).toContain("No timeline was sampled")
    expect(html.match(/class="chart"/g)).toHaveLength(1)
  })

  it("renders a Windows-only report as it always has (no Linux section, cell or data)", async () => {
    const html = renderHtmlReport(WINDOWS_ONLY)
    await expect(withoutLibrary(html)).toMatchFileSnapshot("__snapshots__/windows-only.html.snap")
    expect(html).not.toMatch(/linux/i)
  })

  it("renders a report with Linux nodes: the Linux section, each node's OS and ENIs, the Linux histogram", () => {
    const html = renderHtmlReport(WITH_LINUX)
    const markup = markupOnly(html)
    expect(markup).toContain("<h2>Linux nodes</h2>")
    expect(markup).toContain("<h3>Windows pods</h3>")
    expect(markup).toContain("<h3>Addresses, all nodes (IP-seconds)</h3>")
    expect(markup).toContain("<dt>calls by ipamd</dt><dd>23</dd>")
    expect(markup).toContain(
      "<h3>Linux pods</h3><dl><dt>created</dt><dd>90</dd><dt>needing an address</dt><dd>84</dd>" +
        '<dt>with IP</dt><dd>80</dd><dt>never got IP</dt><dd class="bad">4</dd>' +
        '<dt>still waiting at end</dt><dd class="bad">3</dd><dt>unscheduled</dt><dd class="bad">1</dd>' +
        "<dt>host network</dt><dd>6</dd><dt>evicted</dt><dd>2</dd>" +
        '<dt>CNI ADD retries</dt><dd class="warn">17</dd></dl>',
    )
    expect(markup).toContain(
      "<h3>Linux pods&#39; wait for an address</h3><dl><dt>p50</dt><dd>0 ms</dd><dt>p90</dt><dd>12.5 s</dd>" +
        "<dt>p99</dt><dd>25.0 s</dd><dt>max</dt><dd>26.0 s</dd><dt>mean</dt><dd>3.1 s</dd></dl>",
    )
    expect(markup).toContain(
      "<h3>Linux addresses (IP-seconds)</h3><dl><dt>used</dt><dd>144,000</dd><dt>warm</dt><dd>32,400.5</dd>" +
        "<dt>cooling</dt><dd>1,800</dd><dt>pending</dt><dd>36</dd></dl>",
    )
    expect(markup).toContain(
      "<h3>ipamd</h3><dl><dt>Linux nodes</dt><dd>3</dd><dt>ENIs created</dt><dd>4</dd><dt>ENIs deleted</dt><dd>1</dd>" +
        "<dt>ENIs at end</dt><dd>6</dd><dt>EC2 calls</dt><dd>23</dd><dt>attempts</dt><dd>25</dd>" +
        '<dt>throttled</dt><dd class="warn">2</dd><dt>failed</dt><dd class="bad">1</dd></dl>',
    )
    // Who holds the subnet, ipamd's calls per action, and address-time per group with the group's OS.
    expect(markup).toContain(
      "<h3>Who holds each subnet's addresses at the end</h3>" +
        `<div class="scroll"><table class="data"><thead><tr><th>Subnet</th><th>Windows pods</th>`,
    )
    expect(markup).toContain(
      `<tr><td class="text">subnet-a</td><td class="num">17</td><td class="num">1</td><td class="num">0</td>` +
        `<td class="num">63</td><td class="num">15</td><td class="num">3</td><td class="num">8</td>` +
        `<td class="num">2</td><td class="num">22</td><td class="num">5</td><td class="num">120</td></tr>`,
    )
    expect(markup).toContain(
      `<tr><td class="text">CreateNetworkInterface</td><td class="num">5</td><td class="num">7</td><td class="num">2</td><td class="num">1</td></tr>`,
    )
    expect(markup).toContain(
      `<tr><td class="text">linux-m5-large</td><td class="text">Linux</td><td class="num">144,000</td>`,
    )
    expect(markup).toContain(
      `<tr><td class="text">windows-m5-large</td><td class="text">Windows</td><td class="num">50,400.5</td>`,
    )
    // The nodes table: OS and ENIs columns.
    expect(markup).toContain(
      "<th>Node</th><th>Group</th><th>OS</th><th>Instance type</th><th>Mode</th><th>Capacity</th><th>ENIs</th>",
    )
    expect(markup).toContain(
      `<td class="text">linux-m5-large-0</td><td class="text">linux-m5-large</td><td class="text">Linux</td>`,
    )
    expect(markup).toContain(
      `<td class="text">windows-m5-large-1</td><td class="text">windows-m5-large</td><td class="text">Windows</td><td class="text">m5.large</td><td class="text">secondary-ip</td><td class="num">9</td><td class="text"></td>`,
    )
    // Charts: each group's OS in its title, both histograms, the Linux one's data in the island.
    expect(markup).toContain("<strong>Node group linux-m5-large (Linux)</strong>")
    expect(markup).toContain("<strong>Node group windows-m5-large (Windows)</strong>")
    expect(markup).toContain(`<strong>Windows pods&#39; wait for an address</strong>`)
    expect(markup).toContain(`<strong>Linux pods&#39; wait for an address</strong>`)
    expect(markup.match(/data-kind="histogram"/g)).toHaveLength(2)
    expect(markup).toContain(`data-kind="histogram" data-index="1"`)
    const data = island(html) as { histogram: { counts: number[] }; linuxHistogram: { counts: number[] } }
    expect(data.histogram.counts).toEqual(WITH_LINUX.pods.waitHistogram.counts)
    expect(data.linuxHistogram.counts).toEqual(WITH_LINUX.linux!.pods.waitHistogram.counts)
    expect(html).toContain("const h = i === 1 ? data.linuxHistogram : data.histogram;")
  })

  it("with Linux nodes, draws who holds each subnet over time, stacked, with its data as a table", () => {
    // The page's holders are the kernel's, in its order.
    expect(HOLDER_LABELS.map(([k]) => k)).toEqual(HOLDERS)
    expect(new Set(HOLDER_COLORS).size).toBe(HOLDERS.length)
    const html = renderHtmlReport(WITH_LINUX)
    const markup = markupOnly(html)
    // Right after the subnet's free-address chart.
    expect(markup).toContain(
      `<div class="chart" data-kind="subnet" data-index="0"></div></figure>` +
        `<figure class="chart-box"><figcaption><strong>Who holds subnet subnet-a</strong> ` +
        `<span class="muted">stacked; the layers sum to the subnet&#39;s 256 addresses; the legend shows each holder&#39;s own count</span></figcaption>` +
        `<div class="chart" data-kind="holders" data-index="0"></div><details class="chart-data">` +
        `<summary>Data: 4 of 4 samples, the first, the last and each where a count changed</summary>`,
    )
    expect(markup).toContain(
      "<thead><tr><th>Time</th><th>Windows pods</th><th>Windows warm</th><th>Windows cooling</th><th>Linux pods</th>" +
        "<th>Linux warm</th><th>Linux cooling</th><th>ENI primaries</th><th>In flight</th><th>Others</th>" +
        "<th>AWS-reserved</th><th>Free</th><th>Total</th></tr></thead>",
    )
    const rows = holderRows(html, 0)
    expect(rows.map((r) => r[0])).toEqual(["0:00:00", "0:10:00", "0:20:00", "0:30:00"])
    expect(rows.at(-1)).toEqual(["0:30:00", "17", "1", "0", "63", "15", "3", "8", "2", "22", "5", "120", "256"])
    for (const r of rows) expect(r.slice(1, -1).reduce((a, c) => a + count(c), 0)).toBe(256)
    // The data: the subnet's size and its holders by index, in the page's order; the script that stacks them.
    const data = island(html) as { holders: Array<{ size: number; layers: number[][] }> }
    const series = WITH_LINUX.linux!.timeline.subnets["subnet-a"]!
    expect(data.holders).toEqual([{ size: 256, layers: HOLDERS.map((k) => series[k]) }])
    expect(html).toContain("build.holders = (i) => holders(data.holders[i]);")
    expect(html).toContain(".chart-data .scroll { max-height: 320px; overflow: auto; }")
    // A Windows-only page has none of it.
    const windows = renderHtmlReport(WINDOWS_ONLY)
    expect(windows).not.toMatch(/holders|chart-data/)
  })

  it("keeps a holders table short: unchanged samples left out, a long run thinned to the limit", () => {
    const n = 3 * HOLDER_TABLE_MAX_ROWS + 7
    const t = Array.from({ length: n }, (_, i) => i * 2_500)
    // The first half changes at every sample, the second stands still.
    const linuxPods = t.map((_, i) => Math.min(i, n >> 1) % 100)
    const layers = Object.fromEntries(HOLDERS.map((k) => [k, t.map(() => 0)]))
    const series = { ...layers, linuxPods, free: linuxPods.map((p) => 251 - p), awsReserved: t.map(() => 5) }
    const long: HtmlReportInput = {
      ...WITH_LINUX,
      timeline: { ...WITH_LINUX.timeline, t, subnets: {}, groups: {}, podsWaiting: [], podsPending: [] },
      linux: { ...WITH_LINUX.linux!, timeline: { subnets: { "subnet-a": series } } },
    }
    const html = renderHtmlReport(long)
    const rows = holderRows(html, 0)
    expect(rows.length).toBeLessThanOrEqual(HOLDER_TABLE_MAX_ROWS + 1)
    expect(rows.length).toBeGreaterThan(HOLDER_TABLE_MAX_ROWS / 2)
    expect(rows[0]![0]).toBe("0:00:00")
    expect(rows.at(-1)![0]).toBe(fmtClock(t.at(-1)!))
    expect(fmtClock(t[1]!)).toBe("0:00:02.500")
    for (const r of rows) expect(count(r.at(-1)!)).toBe(256)
    expect(html).toContain(
      "the first, the last and one in 2 of those where a count changed (the JSON report has every sample)",
    )
  })

  it("with Linux nodes and no timeline, draws both histograms", () => {
    const html = renderHtmlReport({
      ...WITH_LINUX,
      timeline: { t: [], subnets: {}, groups: {}, podsWaiting: [], podsPending: [] },
    })
    expect(html).toContain("only the wait histograms are drawn")
    expect(html.match(/class="chart"/g)).toHaveLength(2)
  })

  it("sanity: the real mixed run has Linux pods that waited, a Linux group and ipamd's ENIs", () => {
    const l = mixed.linux!
    expect(l.nodes).toBe(2)
    expect(l.pods.withIp).toBeGreaterThan(0)
    expect(l.pods.waitHistogram.counts.some((c, i) => i > 0 && c > 0)).toBe(true)
    expect(l.ipamd.enisCreated).toBeGreaterThan(0)
    expect(mixed.pods.withIp).toBeGreaterThan(0)
    const html = renderHtmlReport(mixed)
    expect(html).toContain("(Linux)</strong>")
    expect(markupOnly(html)).not.toContain(payload(50))
  })
})

// ---------------------------------------------------------------------------------------------------------

const CHROMIUM = "/usr/bin/chromium"
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium)
  console.warn(`SKIPPED: chromium not installed at ${CHROMIUM}; run scripts/install-chromium.sh for the browser test`)

const SCREENSHOT = join(tmpdir(), "ipamsim-report.png")
const SCREENSHOT_MIXED = join(tmpdir(), "ipamsim-report-linux.png")
const SCREENSHOT_HOLDERS = join(tmpdir(), "ipamsim-report-holders.png")

// Browser-side code is passed as text: this project type-checks without the DOM library.
const ALL_CHARTS_HAVE_CANVAS = `document.querySelectorAll(".chart canvas").length === document.querySelectorAll(".chart").length`

interface ChartPixels {
  readonly kind: string
  readonly width: number
  readonly height: number
  readonly colored: number
}

/** Per chart: its canvas size and how many saturated pixels it holds (axes and grid are grey, series are not). */
const CHART_PIXELS = `[...document.querySelectorAll(".chart")].map((el) => {
  const canvas = el.querySelector("canvas")
  if (!canvas) return { kind: el.dataset.kind, width: 0, height: 0, colored: 0 }
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height)
  let colored = 0
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i], g = data[i + 1], b = data[i + 2]
    if (data[i + 3] > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) colored++
  }
  return { kind: el.dataset.kind, width: canvas.width, height: canvas.height, colored }
})`

/** Per holder (HOLDER_COLORS' order): the pixels of holders chart i's canvas painted exactly its fill colour. */
const colourPixels = (i: number): string => `(() => {
  const colours = ${JSON.stringify(HOLDER_COLORS)}.map((c) => [1, 3, 5].map((at) => parseInt(c.slice(at, at + 2), 16)))
  const canvas = document.querySelector('.chart[data-kind="holders"][data-index="${i}"] canvas')
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height)
  const counts = colours.map(() => 0)
  for (let p = 0; p < data.length; p += 4) {
    const k = colours.findIndex(([r, g, b]) => data[p] === r && data[p + 1] === g && data[p + 2] === b)
    if (k >= 0 && data[p + 3] === 255) counts[k]++
  }
  return counts
})()`

describe.skipIf(!hasChromium)("the HTML report in headless Chromium", () => {
  let dir = ""
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ipamsim-html-"))
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("draws every chart offline, runs no injected markup and shows the names as text", async () => {
    await drawnInChromium(report, "report", SCREENSHOT)
  })

  it("draws a report with Linux nodes: every chart, the Linux histogram too", async () => {
    await drawnInChromium(mixed, "mixed", SCREENSHOT_MIXED)
  })

  it("draws who holds the shared subnet of mixed-shared-subnet.yaml, each holder in its colour, its table summing to the size", async () => {
    const s = shared.subnets[0]!
    const series = shared.linux!.timeline.subnets[s.id]!
    await drawnInChromium(shared, "shared", SCREENSHOT_HOLDERS, async (page) => {
      // Pixels of each holder's own fill colour: every holder that held 3 % of the subnet on average shows.
      const pixels = await page.evaluate<number[]>(colourPixels(0))
      const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length
      expect(HOLDERS.filter((k) => mean(series[k]!) >= 0.03 * s.size).length).toBeGreaterThanOrEqual(4)
      HOLDERS.forEach((k, i) => {
        if (mean(series[k]!) >= 0.03 * s.size)
          expect(pixels[i], `${k} (${HOLDER_COLORS[i]}) pixels`).toBeGreaterThan(100)
      })
      // The table beneath, opened: its last row is the last sample, and sums to the subnet's size.
      const box = page.locator("figure.chart-box", { has: page.locator('.chart[data-kind="holders"]') })
      await box.locator("details.chart-data summary").click()
      const last = box.locator("details.chart-data tbody tr").last()
      await last.scrollIntoViewIfNeeded()
      expect(await last.isVisible()).toBe(true)
      const cells = await last.locator("td").allTextContents()
      expect(cells[0]).toBe(fmtClock(shared.timeline.t.at(-1)!))
      const counts = cells.slice(1).map(count)
      expect(counts.slice(0, -1)).toEqual(HOLDERS.map((k) => series[k]!.at(-1)))
      expect(counts.slice(0, -1).reduce((a, b) => a + b, 0)).toBe(s.size)
      expect(counts.at(-1)).toBe(s.size)
      expect(await box.locator("details.chart-data th").allTextContents()).toEqual([
        "Time",
        ...HOLDER_LABELS.map(([, label]) => label),
        "Total",
      ])
      // The legend names every holder.
      expect(await box.locator(".u-legend .u-label").allTextContents()).toEqual([
        "time",
        ...HOLDER_LABELS.map(([, label]) => label).reverse(),
      ])
    })
  })

  /**
   * Opens the report's page in Chromium: every chart drawn, nothing fetched, no payload run, no error; then
   * `more` checks the page further.
   */
  const drawnInChromium = async (
    report: HtmlReportInput,
    name: string,
    screenshot: string,
    more?: (page: Page) => Promise<void>,
  ): Promise<void> => {
    const file = join(dir, `${name}.html`)
    writeFileSync(file, renderHtmlReport(report))
    const context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
      timeout: 15_000,
    })
    try {
      const problems: string[] = []
      const requests: string[] = []
      let dialogs = 0
      const page = context.pages()[0] ?? (await context.newPage())
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`)
      })
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`))
      page.on("request", (r) => requests.push(r.url()))
      page.on("dialog", (d) => {
        dialogs++
        void d.dismiss()
      })
      const url = pathToFileURL(file).href
      await page.goto(url, { waitUntil: "load", timeout: 10_000 })
      await page.waitForFunction(ALL_CHARTS_HAVE_CANVAS, undefined, { timeout: 5_000 })

      // One chart per subnet (two with Linux nodes: free addresses, and who holds them), per node group, plus
      // the wait histograms (Linux pods' too) and the pods chart.
      const linux = report.linux === undefined ? 0 : 1
      const expected = (1 + linux) * report.subnets.length + Object.keys(report.timeline.groups).length + 1 + linux + 1
      const charts = await page.evaluate<ChartPixels[]>(CHART_PIXELS)
      expect(charts).toHaveLength(expected)
      for (const c of charts) {
        expect(c.width, `${c.kind} width`).toBeGreaterThan(100)
        expect(c.height, `${c.kind} height`).toBeGreaterThan(100)
        expect(c.colored, `${c.kind} drawn pixels`).toBeGreaterThan(200)
      }

      expect(await page.evaluate<unknown>("window.__pwned")).toBeUndefined()
      expect(dialogs).toBe(0)
      expect(await page.locator("img").count()).toBe(0)
      expect(await page.locator("h1 .scenario").textContent()).toBe(report.scenario)
      expect(await page.title()).toBe(`${report.scenario} · ipamsim report`)
      expect(await page.locator("body").textContent()).toContain(report.subnets[0]!.id)
      expect(await page.locator("body").textContent()).toContain(Object.keys(report.groups)[0])
      // The hostile group name where the report has it; a bundled scenario's first group otherwise.
      const group = Object.hasOwn(report.groups, GROUP_SMALL) ? GROUP_SMALL : Object.keys(report.groups)[0]!
      if (report.configuration !== undefined)
        expect(await page.locator("section.configuration").textContent()).toContain(group)
      expect(requests).toEqual([url])
      expect(problems).toEqual([])
      if (more) {
        await more(page)
        // Its own pixel reads may draw Chromium's advice on getImageData; nothing else.
        expect(requests).toEqual([url])
        expect(problems.filter((p) => !p.includes("willReadFrequently"))).toEqual([])
      }

      await page.screenshot({ path: screenshot, fullPage: true })
    } finally {
      await context.close()
    }
  }
})
