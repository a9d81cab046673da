// The HTML report: escaping, determinism and the inlined library checked on the string; then a headless
// Chromium (playwright-core, Debian's /usr/bin/chromium) opens the file and checks that every chart draws,
// nothing is fetched and no injected markup runs. CI installs chromium with scripts/install-chromium.sh.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Cluster } from "@ipamsim/core/Cluster"
import { DEFAULT_VISIBILITY, defaultEc2CallsSpec } from "@ipamsim/core/spec/Defaults"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { jsonForScript } from "./HtmlPage.ts"
import { renderHtmlReport } from "./HtmlReport.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"

const BASIC_PAYLOAD = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"

/** Every way out of a text node or a <script>, each setting `window.__pwned` if it ever runs. */
const payload = (n: number): string =>
  `<img src=x onerror="window.__pwned=${n};alert(${n})"></script><script>window.__pwned=${n + 1};alert(${n + 1})</script><!--`

const SUBNET_SMALL = `subnet-${payload(10)}`
const GROUP_SMALL = `small-${payload(20)}`

/**
 * A real kernel run, small enough to be quick: secondary-IP pools, one /27 that runs out (exhaustion
 * intervals, pods that never get an address) and one roomy /23; user-visible names carry payloads.
 */
const simulate = (): HtmlReportInput => {
  const events: PodEvent[] = []
  const pod = (i: number, t: number, type: PodEvent["type"]): PodEvent => ({
    t,
    type,
    pod: `default/p${i}`,
    windowsSelector: true,
    hostNetwork: false,
  })
  for (let i = 0; i < 160; i++) events.push(pod(i, 30_000 + i * 400, "create"))
  for (let i = 0; i < 160; i++) events.push(pod(i, 270_000 + i * 400 + (i % 7) * 20_000, "delete"))
  events.sort((a, b) => a.t - b.t)
  let next = 0
  const result = new Cluster({
    seed: 7,
    drainMs: 120_000,
    controller: {
      prefixDelegationFlag: true,
      profile: "current",
      ec2: defaultEc2CallsSpec(),
      visibility: DEFAULT_VISIBILITY,
    },
    configMap: { data: { "enable-windows-ipam": "true" }, changes: [] },
    subnets: [
      { id: SUBNET_SMALL, cidr: "10.0.0.0/27" },
      { id: "subnet-b", cidr: "10.0.4.0/23" },
    ],
    nodeGroups: [
      {
        name: GROUP_SMALL,
        instanceType: "m5.large",
        count: 3,
        subnet: SUBNET_SMALL,
        joinAtMs: 0,
        joinEveryMs: 2_000,
        maxPods: 110,
      },
      {
        name: "win-xl",
        instanceType: "m5.xlarge",
        count: 2,
        subnet: "subnet-b",
        joinAtMs: 5_000,
        joinEveryMs: 2_000,
        maxPods: 110,
      },
    ],
    trace: { next: () => events[next++] },
    timelineEveryMs: 5_000,
  }).run()
  return {
    ...result,
    schemaVersion: 1,
    scenario: payload(0),
    description: `Two subnets, one too small. ${payload(30)}`,
    expectations: [
      {
        name: `maxP99WaitMs ${payload(40)}`,
        ok: result.pods.waitMs.p99 <= 60_000,
        actual: result.pods.waitMs.p99,
        limit: 60_000,
      },
      { name: "allPodsGetIp", ok: result.pods.neverGotIp === 0, actual: result.pods.neverGotIp === 0, limit: true },
      {
        name: "maxWasteRatio",
        ok: result.addresses.wasteRatio <= 0.9,
        actual: result.addresses.wasteRatio,
        limit: 0.9,
      },
    ],
  }
}

const report = simulate()

/** The HTML with the inlined scripts and the JSON island cut out: what remains is markup and escaped text. */
const markupOnly = (html: string): string =>
  html
    .replace(/<script type="application\/json" id="ipamsim-data">[^<]*<\/script>/, "")
    .replace(/<script>[\s\S]*?<\/script>/g, (s) => (s.includes("uPlot") ? "" : s))

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
})

// ---------------------------------------------------------------------------------------------------------

const CHROMIUM = "/usr/bin/chromium"
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium)
  console.warn(`SKIPPED: chromium not installed at ${CHROMIUM}; run scripts/install-chromium.sh for the browser test`)

const SCREENSHOT = join(tmpdir(), "ipamsim-report.png")

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

describe.skipIf(!hasChromium)("the HTML report in headless Chromium", () => {
  let dir = ""
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ipamsim-html-"))
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("draws every chart offline, runs no injected markup and shows the names as text", async () => {
    const file = join(dir, "report.html")
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

      // One chart per subnet, per node group, plus the wait histogram and the pods chart.
      const expected = report.subnets.length + Object.keys(report.timeline.groups).length + 2
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
      expect(await page.locator("h1 .scenario").textContent()).toBe(payload(0))
      expect(await page.title()).toBe(`${payload(0)} · ipamsim report`)
      expect(await page.locator("body").textContent()).toContain(SUBNET_SMALL)
      expect(requests).toEqual([url])
      expect(problems).toEqual([])

      await page.screenshot({ path: SCREENSHOT, fullPage: true })
    } finally {
      await context.close()
    }
  })
})
