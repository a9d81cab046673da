// `ipamsim compare`: real runs of a bundled scenario and of a variant side by side: which inputs differ, the
// summary figures and their deltas, refusals (schema versions, files that are no report), the command's
// outputs, and the HTML page drawn in headless Chromium (skipped without /usr/bin/chromium).

import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { chromium } from "playwright-core"
import { afterAll, describe, expect, it } from "vitest"
import { type Report, reportJson } from "../report/Report.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { simulateScenario } from "../scenario/SimulateScenario.ts"
import { type Comparison, compareReports, comparisonText, readReport } from "./Compare.ts"
import { renderComparisonHtml } from "./CompareHtml.ts"

const root = fileURLToPath(new URL("../../../../", import.meta.url))
const bin = join(root, "packages/cli/bin/ipamsim.mjs")
const dir = mkdtempSync(join(tmpdir(), "ipamsim-compare-"))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const HOSTILE = `<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>`

// The bundled rollout (warm target 3 → 1 at 30 min) and a variant: target 2 instead, another seed.
const original = join(root, "simulations/warm-target-rollout.yaml")
const a = simulateScenario(original)
const variantFile = join(dir, "variant.json")
{
  const s = structuredClone(loadScenario(original).scenario) as unknown as Record<string, unknown> & {
    configMap: { changes: Array<{ set?: Record<string, string> }> }
  }
  s.configMap.changes[0]!.set = { ...s.configMap.changes[0]!.set, "windows-warm-ip-target": "2" }
  s.seed = 9
  s.name = `variant-${HOSTILE}`
  writeFileSync(variantFile, JSON.stringify(s))
}
const b = simulateScenario(variantFile)
const fileA = join(dir, "a.json")
const fileB = join(dir, "b.json")
writeFileSync(fileA, reportJson(a))
writeFileSync(fileB, reportJson(b))

describe("compareReports", () => {
  const c = compareReports([readReport(fileA), readReport(fileB)])

  it("says which inputs differ: the seed and the changed ConfigMap value, and the targets it gives", () => {
    const paths = c.inputsDiffer.map((d) => d.path)
    expect(paths).toContain("seed")
    expect(paths).toContain("scenario")
    const warm = c.inputsDiffer.find((d) => d.path === "configuration.configMap.changes[0].data.windows-warm-ip-target")
    expect(warm?.values).toEqual(['"1"', '"2"'])
    const target = c.inputsDiffer.find((d) => /^configuration\.targets\..*\[1\]\.warmIpTarget$/.test(d.path))
    expect(target?.values).toEqual(["1", "2"])
    // Everything else is the same: no subnet, node group or EC2 path differs.
    expect(paths.filter((p) => /subnets|nodeGroups|ec2/.test(p))).toEqual([])
  })

  it("gives each summary figure per run with its change from the first run", () => {
    const p99 = c.summary.find((m) => m.name === "wait p99")!
    expect(p99.values).toEqual([a.pods.waitMs.p99, b.pods.waitMs.p99])
    expect(p99.deltas).toEqual([null, b.pods.waitMs.p99 - a.pods.waitMs.p99])
    const warm = c.summary.find((m) => m.name === "address-time warm")!
    expect(warm.values).toEqual([a.addresses.ipSeconds.warm, b.addresses.ipSeconds.warm])
    expect(c.waitHistograms.windows).toEqual([a.pods.waitHistogram.counts, b.pods.waitHistogram.counts])
    expect(c.runs.map((r) => r.seed)).toEqual([a.seed, 9])
  })

  it("refuses reports of different schema versions, naming each file's version", () => {
    const newer = { file: "new.json", report: { ...a, schemaVersion: 2 } as Report }
    expect(() => compareReports([readReport(fileA), newer])).toThrow(
      /different schema versions.*a\.json has v1.*new\.json has v2/,
    )
  })

  it("compares a report without a configuration section by its identity only, and says so", () => {
    const { configuration: _c, ...old } = a
    const cmp = compareReports([{ file: "old.json", report: old as Report }, readReport(fileB)])
    expect(cmp.runs[0]!.hasConfiguration).toBe(false)
    expect(cmp.inputsDiffer.every((d) => !d.path.startsWith("configuration"))).toBe(true)
    expect(comparisonText(cmp)).toMatch(/No configuration section in old\.json/)
  })

  it("refuses files that are not a run's report", () => {
    const tune = join(dir, "tune.json")
    writeFileSync(tune, `{\n  "schemaVersion": 1,\n  "kind": "ipamsim-tune"\n}\n`)
    expect(() => readReport(tune)).toThrow(/ipamsim-tune file, not the report of a run/)
    const junk = join(dir, "junk.json")
    writeFileSync(junk, "[1, 2]")
    expect(() => readReport(junk)).toThrow(/not an ipamsim report/)
    expect(() => readReport(join(dir, "missing.json"))).toThrow(/cannot read \(ENOENT\)/)
  })
})

describe("ipamsim compare", () => {
  const ipamsim = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 })

  it("prints the comparison; --json - gives the JSON on stdout and the text on stderr; --html writes the page", () => {
    const html = join(dir, "compare.html")
    const r = ipamsim("compare", fileA, fileB, "--json", "-", "--html", html)
    expect(r.status).toBe(0)
    const json = JSON.parse(r.stdout) as Comparison
    expect(json.kind).toBe("ipamsim-compare")
    expect(json.runs.map((x) => x.file)).toEqual([fileA, fileB])
    expect(r.stderr).toContain('configuration.configMap.changes[0].data.windows-warm-ip-target: A "1", B "2"')
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>\n<!-- ipamsim report -->\n/)
    // The page can be written again (ipamsim's own), and the text goes to stdout without --json -.
    const again = ipamsim("compare", fileA, fileB, "--html", html)
    expect(again.status).toBe(0)
    expect(again.stdout).toMatch(/^ipamsim compare: 2 reports/)
    // The JSON file is replaced only with --force.
    const json2 = join(dir, "compare.json")
    expect(ipamsim("compare", fileA, fileB, "--json", json2).status).toBe(0)
    const refused = ipamsim("compare", fileA, fileB, "--json", json2)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain("refusing to overwrite it (use --force)")
    expect(ipamsim("compare", fileA, fileB, "--json", json2, "--force").status).toBe(0)
  })

  it("refuses to write over a report it reads, even with --force", () => {
    const r = ipamsim("compare", fileA, fileB, "--json", fileA, "--force")
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(fileA)
    expect(JSON.parse(readFileSync(fileA, "utf8")).scenario).toBe(a.scenario)
  })

  it("exits 1 with a message for one report or reports of different schema versions", () => {
    const one = ipamsim("compare", fileA)
    expect(one.status).toBe(1)
    expect(one.stderr).toContain("compare needs two or more reports")
    const v2 = join(dir, "v2.json")
    writeFileSync(v2, readFileSync(fileB, "utf8").replace('"schemaVersion": 1', '"schemaVersion": 2'))
    const r = ipamsim("compare", fileA, v2)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/different schema versions/)
  })
})

const CHROMIUM = "/usr/bin/chromium"
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium)
  console.warn(`SKIPPED: chromium not installed at ${CHROMIUM}; run scripts/install-chromium.sh for the browser test`)

const CHART_PIXELS = `[...document.querySelectorAll(".chart")].map((el) => {
  const canvas = el.querySelector("canvas")
  if (!canvas) return { kind: el.dataset.kind, colored: 0 }
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height)
  let colored = 0
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i], g = data[i + 1], b = data[i + 2]
    if (data[i + 3] > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) colored++
  }
  return { kind: el.dataset.kind, colored }
})`

describe.skipIf(!hasChromium)("the comparison page in headless Chromium", () => {
  it("draws every chart offline with no error, and the hostile scenario name stays text", async () => {
    const c = compareReports([readReport(fileA), readReport(fileB)])
    const file = join(dir, "page.html")
    writeFileSync(file, renderComparisonHtml(c, [a, b]))
    const context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      viewport: { width: 1280, height: 900 },
      timeout: 15_000,
    })
    try {
      const problems: string[] = []
      const requests: string[] = []
      const page = context.pages()[0] ?? (await context.newPage())
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`)
      })
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`))
      page.on("request", (r) => requests.push(r.url()))
      const url = pathToFileURL(file).href
      await page.goto(url, { waitUntil: "load", timeout: 10_000 })
      await page.waitForFunction(
        `document.querySelectorAll(".chart canvas").length === document.querySelectorAll(".chart").length`,
        undefined,
        { timeout: 5_000 },
      )
      const charts = await page.evaluate<Array<{ kind: string; colored: number }>>(CHART_PIXELS)
      // Pods waiting and pending, used, warm, cooling, one per subnet, the wait distribution.
      expect(charts).toHaveLength(5 + a.subnets.length + 1)
      for (const ch of charts) expect(ch.colored, `${ch.kind} drawn pixels`).toBeGreaterThan(200)
      expect(await page.evaluate<unknown>("window.__pwned")).toBeUndefined()
      expect(await page.locator("body").textContent()).toContain(HOSTILE)
      expect(requests).toEqual([url])
      expect(problems).toEqual([])
      await page.screenshot({ path: join(tmpdir(), "ipamsim-compare.png"), fullPage: true })
    } finally {
      await context.close()
    }
  })
})
