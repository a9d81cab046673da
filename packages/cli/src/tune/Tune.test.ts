// `ipamsim tune` end to end on tiny scenarios (2 nodes, 10 minutes): the recommendation equals a brute-force
// answer computed here with the kernel directly, the JSON is byte-identical across repeats and worker counts,
// infeasible constraint sets give no recommendation (exit 2), and flag mistakes are one line (exit 1).

import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Cluster } from "@ipamsim/core/Cluster"
import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import { describe, expect, it } from "vitest"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { tune } from "./Tune.ts"
import { renderTuneHtml } from "./TuneHtml.ts"
import { type TuneReport, tuneReportJson } from "./TuneReport.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-tune-"))
const bin = fileURLToPath(new URL("../../bin/ipamsim.mjs", import.meta.url))

const scenario = (file: string, name: string, body: string): string => {
  const path = join(dir, `${file}.yaml`)
  writeFileSync(path, `name: ${JSON.stringify(name)}\nduration: 10m\n${body}`)
  return path
}

const NODES = `subnets: [{ id: s, cidr: 10.0.0.0/24 }]
nodeGroups: [{ name: g, instanceType: m5.xlarge, count: 2, subnet: s }]
`
// Steady churn on 2 × 14 addresses: warm 1 makes some pods wait about a second, warm 2 none.
const churn = scenario(
  "churn",
  "churn",
  `seed: 4
${NODES}workload:
  generators:
    - { kind: poisson, ratePerSecond: 0.08, start: 30s, end: 9m, lifetime: { lognormal: { median: 2m, p99: 6m } } }
`,
)
// 20 pods at once on 2 nodes: whatever the warm pool, some pods wait for a create job.
const burst = scenario(
  "burst",
  "burst <b>&</script>",
  `${NODES}workload:
  generators:
    - { kind: rollout, at: 1m, replicas: 20, mode: scale-up }
`,
)

/** One run with the kernel, no tune code involved: the ConfigMap written by hand. */
const runDirect = (file: string, data: Record<string, string>, seed: number): SimResult => {
  const loaded = loadScenario(file)
  const scenario = { ...loaded.scenario, configMap: { data } }
  return new Cluster(buildSimSpec({ ...loaded, scenario }, { seed })).run()
}

// Starting a worker costs about 2 s (TypeScript loader, effect, the kernel): the secondary-IP sweep is run once
// with 2 workers and shared by the brute-force and the worker-count tests.
const SIP_FLAGS = { warmIpTarget: "1..3", minimumIpTarget: "0..2", seeds: "3", maxP99Wait: "500ms" }
let sipSweep: Promise<string> | undefined
const sipJson = (): Promise<string> => {
  sipSweep ??= tune(churn, SIP_FLAGS, { workers: 2, rolloutCheck: true }).then(tuneReportJson)
  return sipSweep
}

describe("the recommendation equals brute force", () => {
  it("secondary-ip: warm × minimum, waste under a p99 limit", async () => {
    const seeds = [1, 2, 3]
    const limitMs = 500
    const report = JSON.parse(await sipJson()) as TuneReport
    // Every point, sequentially, by the same rule: feasible on every seed, least mean waste, then lower
    // mean p99, then lower targets.
    const candidates: Array<{ w: number; m: number; waste: number; p99: number; ok: boolean }> = []
    for (let w = 1; w <= 3; w++)
      for (let m = 0; m <= 2; m++) {
        const data = {
          "enable-windows-ipam": "true",
          "windows-warm-ip-target": String(w),
          "windows-minimum-ip-target": String(m),
        }
        const runs = seeds.map((seed) => runDirect(churn, data, seed))
        const mean = (f: (r: SimResult) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length
        const waste = mean((r) => r.addresses.ipSeconds.allocated - r.addresses.ipSeconds.used)
        candidates.push({
          w,
          m,
          waste,
          p99: mean((r) => r.pods.waitMs.p99),
          ok: runs.every((r) => r.pods.waitMs.p99 <= limitMs),
        })
        // The sweep's own numbers for this point are the kernel's.
        const point = report.points.find(
          (p) => p.configMap["windows-warm-ip-target"] === String(w) && p.effective.minimumIpTarget === m,
        )!
        expect(point.runs.map((r) => r.p99WaitMs)).toEqual(runs.map((r) => r.pods.waitMs.p99))
        expect(point.runs.map((r) => r.peakAllocated)).toEqual(runs.map((r) => r.addresses.peakAllocated))
        expect(point.runs.map((r) => r.wasteIpSeconds)).toEqual(
          runs.map((r) => Math.round((r.addresses.ipSeconds.allocated - r.addresses.ipSeconds.used) * 1000) / 1000),
        )
        expect(point.feasible).toBe(runs.every((r) => r.pods.waitMs.p99 <= limitMs))
      }
    const best = candidates
      .filter((c) => c.ok)
      .sort((a, b) => a.waste - b.waste || a.p99 - b.p99 || a.w - b.w || a.m - b.m)[0]!
    // The sweep must be interesting: the cheapest setting is not feasible.
    expect(candidates.some((c) => !c.ok)).toBe(true)
    expect(report.points).toHaveLength(9)
    const rec = report.points.find((p) => p.id === report.recommendation?.pointId)!
    expect(rec.effective).toEqual({ warmIpTarget: best.w, minimumIpTarget: best.m, warmPrefixTarget: 0 })
    expect(report.recommendation!.snippet).toContain(`windows-warm-ip-target: "${best.w}"`)
    expect(report.recommendation!.margins[0]!.margin).toBe(limitMs - Math.max(...rec.runs.map((r) => r.p99WaitMs)))
    // Frontier: exactly the points no other point beats on both means.
    for (const p of report.points) {
      const beaten = report.points.some(
        (q) =>
          q.stats.objective.mean <= p.stats.objective.mean &&
          q.stats.p99WaitMs.mean <= p.stats.p99WaitMs.mean &&
          (q.stats.objective.mean < p.stats.objective.mean || q.stats.p99WaitMs.mean < p.stats.p99WaitMs.mean),
      )
      expect(p.onFrontier).toBe(!beaten)
    }
  })

  it("prefix mode: warm-prefix-target, peak allocated, every pod gets an address", async () => {
    const report = await tune(
      churn,
      { mode: "prefix", warmPrefixTarget: "1..2", seeds: "1,5", allPodsGetIp: true, objective: "peak-allocated" },
      { workers: 1 },
    )
    const rows = [1, 2].map((p) => {
      const data = {
        "enable-windows-ipam": "true",
        "enable-windows-prefix-delegation": "true",
        "windows-warm-prefix-target": String(p),
      }
      const runs = [1, 5].map((seed) => runDirect(churn, data, seed))
      return {
        p,
        peak: runs.reduce((a, r) => a + r.addresses.peakAllocated, 0) / 2,
        ok: runs.every((r) => r.pods.neverGotIp === 0),
      }
    })
    const best = rows.filter((r) => r.ok).sort((a, b) => a.peak - b.peak || a.p - b.p)[0]!
    expect(report.recommendation?.configMap["windows-warm-prefix-target"]).toBe(String(best.p))
    expect(report.points.map((p) => p.stats.objective.mean)).toEqual(rows.map((r) => r.peak))
  })
})

describe("determinism", () => {
  it("the rollout check follows pods by name also on a csv trace (read with pod ids elsewhere)", async () => {
    // The same churn as csv (whose pods get ids when read alone) and as JSON Lines (names only).
    const rows: Array<[number, string, string]> = []
    for (let i = 0; i < 40; i++)
      rows.push([20_000 + i * 12_000, "create", `p${i}`], [90_000 + i * 12_000, "delete", `p${i}`])
    rows.sort((x, y) => x[0] - y[0])
    writeFileSync(join(dir, "same.csv"), `time_ms,event,pod\n${rows.map((r) => r.join(",")).join("\n")}\n`)
    writeFileSync(
      join(dir, "same.jsonl"),
      `${rows.map(([t, event, pod]) => JSON.stringify({ t, event, pod })).join("\n")}\n`,
    )
    const viaCsv = scenario("same-csv", "same", `${NODES}workload: { traces: [{ file: same.csv }] }\n`)
    const viaJsonl = scenario("same-jsonl", "same", `${NODES}workload: { traces: [{ file: same.jsonl }] }\n`)
    const flags = { warmIpTarget: "1,3", seeds: "1", maxP99Wait: "10s" }
    const a = await tune(viaCsv, flags, { workers: 1, rolloutCheck: true })
    const b = await tune(viaJsonl, flags, { workers: 1, rolloutCheck: true })
    expect(a.rolloutCheck).not.toBeNull()
    expect(a.rolloutCheck).toEqual(b.rolloutCheck)
    expect(a.rolloutCheck!.seeds[0]!.allocatedBefore).toBeGreaterThan(0)
  }, 60_000)

  it("gives byte-identical JSON for the same input, whether 1, 2 or 3 workers run it", async () => {
    const text = async (workers: number) =>
      tuneReportJson(await tune(churn, SIP_FLAGS, { workers, rolloutCheck: true }))
    // Three runs of the same input: identical bytes, and the worker count is not part of the input.
    const two = await sipJson()
    expect(two.startsWith('{\n  "schemaVersion": 1,')).toBe(true)
    expect(await text(1)).toBe(two)
    expect(await text(3)).toBe(two)
    const report = JSON.parse(two)
    // The rollout check goes from the defaults (warm 3, minimum 3) to less: the switch itself releases addresses.
    expect(report.rolloutCheck.atMs).toBe(300_000)
    expect(report.rolloutCheck.seeds).toHaveLength(3)
    for (const t of report.rolloutCheck.seeds) expect(t.bySwitch).toBeLessThan(0)
  })
})

describe("constraints", () => {
  it("reports no recommendation and the closest point when nothing is feasible", async () => {
    const report = await tune(burst, { warmIpTarget: "1..3", maxP99Wait: "0ms" }, { workers: 1, rolloutCheck: true })
    expect(report.recommendation).toBeNull()
    expect(report.rolloutCheck).toBeNull()
    expect(report.points.every((p) => !p.feasible && p.failures.length > 0)).toBe(true)
    // Closest: the smallest p99 excess (one seed, one failure each).
    const least = [...report.points].sort((a, b) => a.stats.p99WaitMs.mean - b.stats.p99WaitMs.mean)[0]!
    expect(report.closest?.pointId).toBe(least.id)
    // The HTML page says so, and escapes the scenario's name everywhere.
    const html = renderTuneHtml(report)
    expect(html).toContain("<!-- ipamsim report -->")
    expect(html).toContain("No setting meets the constraints on every seed.")
    expect(html).toContain("burst &lt;b&gt;&amp;&lt;/script&gt;")
    expect(html.match(/<\/script/g)).toHaveLength(3)
  })

  it("the command exits 2, says so and names the closest point", () => {
    const json = join(dir, "infeasible.json")
    const r = spawnSync(
      process.execPath,
      [bin, "tune", burst, "--warm-ip-target", "1,2", "--max-p99-wait", "0ms", "--workers", "1", "--json", json],
      { encoding: "utf8" },
    )
    expect(r.stderr).toBe("")
    expect(r.status).toBe(2)
    expect(r.stdout).toContain("No setting meets the constraints on every seed: no recommendation.")
    expect(r.stdout).toMatch(/Closest: #\d /)
    expect(JSON.parse(readFileSync(json, "utf8")).recommendation).toBeNull()
  })
})

describe("flag mistakes", () => {
  it("are one line on stderr, exit 1", () => {
    const r = spawnSync(process.execPath, [bin, "tune", churn, "--warm-ip-target", "5..2"], { encoding: "utf8" })
    expect(r.status).toBe(1)
    expect(r.stdout).toBe("")
    expect(r.stderr).toBe("ipamsim: --warm-ip-target 5..2: the range starts above its end (write 2..5)\n")
  })
})
