// The timeline as OpenMetrics: the text on its own (names, labels escaped, times from --start), then for real:
// promtool backfills the file of a run with Linux and Windows nodes into a TSDB, Prometheus serves it on
// 127.0.0.1, and queries give the report's numbers. Skipped with a message when promtool or prometheus is
// missing; .ci/run installs Debian's prometheus package, so CI runs it.

import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { simulateScenario } from "../scenario/SimulateScenario.ts"
import { openMetricsText, parseRfc3339 } from "./OpenMetrics.ts"
import { WINDOWS_ONLY } from "./Report.fixtures.ts"
import type { Report } from "./Report.ts"

const fixture = { ...WINDOWS_ONLY, expectations: [] } as unknown as Report

describe("parseRfc3339", () => {
  it("takes RFC 3339 times with Z or an offset, fractions too", () => {
    expect(parseRfc3339("2026-12-01T09:00:00Z")).toBe(Date.UTC(2026, 11, 1, 9))
    expect(parseRfc3339("2026-12-01T10:00:00+01:00")).toBe(Date.UTC(2026, 11, 1, 9))
    expect(parseRfc3339("2026-12-01 09:00:00.250z")).toBe(Date.UTC(2026, 11, 1, 9, 0, 0, 250))
  })

  it("refuses dates without a zone, impossible dates and other text, with an example", () => {
    for (const bad of [
      "2026-12-01T09:00:00",
      "2026-02-30T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "yesterday",
      "1733000000",
    ])
      expect(parseRfc3339(bad)).toMatch(/expected an RFC 3339 time such as 2026-12-01T09:00:00Z/)
  })
})

describe("openMetricsText", () => {
  const start = Date.UTC(2026, 11, 1, 9)
  const text = openMetricsText(fixture, start)
  const lines = text.trimEnd().split("\n")

  it("starts with the run's info, ends with # EOF, and shifts every sample to --start", () => {
    expect(lines[0]).toBe("# TYPE ipamsim_run info")
    expect(lines.at(-1)).toBe("# EOF")
    const t1 = fixture.timeline.t[1]!
    const used1 = fixture.timeline.groups["windows-m5-large"]!.used[1]!
    expect(lines).toContain(
      `awscni_assigned_ip_addresses{nodegroup="windows-m5-large",os="windows"} ${used1} ${(start + t1) / 1000}`,
    )
  })

  it("gives every family a TYPE and HELP once, in one block", () => {
    const families = lines.filter((l) => l.startsWith("# TYPE ")).map((l) => l.split(" ")[2]!)
    expect(new Set(families).size).toBe(families.length)
    for (const f of [
      "awscni_total_ip_addresses",
      "awscni_assigned_ip_addresses",
      "ipamsim_warm_ip_addresses",
      "ipamsim_cooling_ip_addresses",
      "ipamsim_subnet_available_ip_addresses",
      "ipamsim_pods_waiting_for_address",
      "ipamsim_pods_pending",
      "ipamsim_ec2_api_calls",
      "ipamsim_ec2_api_throttled",
    ])
      expect(families).toContain(f)
  })

  it("escapes label values: quotes, backslashes and newlines in names", () => {
    const hostile = 'g"\\\nx'
    const r = {
      ...fixture,
      timeline: { ...fixture.timeline, groups: { [hostile]: fixture.timeline.groups["windows-m5-large"]! } },
    } as Report
    expect(openMetricsText(r, start)).toContain(`nodegroup="g\\"\\\\\\nx"`)
  })
})

describe("ipamsim run --openmetrics", () => {
  const root = fileURLToPath(new URL("../../../../", import.meta.url))
  const bin = join(root, "packages/cli/bin/ipamsim.mjs")
  const dir = mkdtempSync(join(tmpdir(), "ipamsim-openmetrics-cli-"))
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  const ipamsim = (...args: string[]) =>
    spawnSync(process.execPath, [bin, "run", "simulations/warm-target-rollout.yaml", "--quiet", ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    })

  it("writes the run's OpenMetrics from --start; an existing file is replaced only with --force", () => {
    const file = join(dir, "run.om")
    const r = ipamsim("--openmetrics", file, "--start", "2026-12-01T09:00:00Z")
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    const text = readFileSync(file, "utf8")
    expect(text).toMatch(/^# TYPE ipamsim_run info\n/)
    expect(text).toMatch(/\n# EOF\n$/)
    expect(text).toContain('ipamsim_run_info{scenario="warm-target-rollout",seed="5"} 1 1796115600\n')
    const again = ipamsim("--openmetrics", file, "--start", "2026-12-01T09:00:00Z")
    expect(again.status).toBe(1)
    expect(again.stderr).toContain("refusing to overwrite it (use --force)")
    expect(ipamsim("--openmetrics", file, "--start", "2026-12-01T09:00:00Z", "--force").status).toBe(0)
  })

  it("refuses --openmetrics without --start, --start without --openmetrics, and a time that is not RFC 3339", () => {
    const file = join(dir, "x.om")
    const none = ipamsim("--openmetrics", file)
    expect(none.status).toBe(1)
    expect(none.stderr).toContain("needs --start <RFC 3339 time>")
    const alone = ipamsim("--start", "2026-12-01T09:00:00Z")
    expect(alone.status).toBe(1)
    expect(alone.stderr).toContain("give --openmetrics <file> too")
    const bad = ipamsim("--openmetrics", file, "--start", "2026-12-01 9am")
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain("expected an RFC 3339 time")
  })
})

const has = (bin: string): boolean => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0
const tools = has("promtool") && has("prometheus")
if (!tools)
  console.warn(
    "SKIPPED: promtool or prometheus not installed; `apt-get install prometheus` (Debian) for the OpenMetrics backfill test",
  )

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

describe.skipIf(!tools)("a run's OpenMetrics backfilled with promtool and queried in Prometheus", () => {
  const sims = fileURLToPath(new URL("../../../../simulations/", import.meta.url))
  const report = simulateScenario(join(sims, "mixed-shared-subnet.yaml"))
  const start = Date.UTC(2026, 11, 1, 9)
  const dir = mkdtempSync(join(tmpdir(), "ipamsim-openmetrics-"))
  let server: ChildProcess | undefined
  let base = ""

  beforeAll(async () => {
    const file = join(dir, "run.om")
    writeFileSync(file, openMetricsText(report, start))
    const data = join(dir, "data")
    const backfill = spawnSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", file, data], {
      encoding: "utf8",
    })
    expect(backfill.status, backfill.stderr).toBe(0)
    const config = join(dir, "prometheus.yml")
    writeFileSync(config, "global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    server = spawn(
      "prometheus",
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        // The run lies in the past: keep its blocks whatever the date.
        "--storage.tsdb.retention.time=100y",
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: "ignore" },
    )
    for (let i = 0; i < 150; i++) {
      try {
        if ((await fetch(`${base}/-/ready`)).ok) return
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error("prometheus did not become ready in 15 s")
  }, 30_000)

  afterAll(() => {
    server?.kill("SIGTERM")
    rmSync(dir, { recursive: true, force: true })
  })

  /** One instant query at the run's time `atMs`: the series' labels and values. */
  const query = async (
    promql: string,
    atMs: number,
  ): Promise<Array<{ metric: Record<string, string>; value: number }>> => {
    const url = `${base}/api/v1/query?query=${encodeURIComponent(promql)}&time=${(start + atMs) / 1000}`
    const body = (await (await fetch(url)).json()) as {
      status: string
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }
    }
    expect(body.status).toBe("success")
    return body.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }))
  }

  it("gives each node group's assigned, warm and total addresses at a sample as in the report's timeline", async () => {
    const tl = report.timeline
    const i = Math.floor(tl.t.length / 2)
    for (const [g, s] of Object.entries(tl.groups)) {
      const sel = `{nodegroup="${g}"}`
      expect(await query(`awscni_assigned_ip_addresses${sel}`, tl.t[i]!)).toMatchObject([{ value: s.used[i] }])
      expect(await query(`ipamsim_warm_ip_addresses${sel}`, tl.t[i]!)).toMatchObject([{ value: s.warm[i] }])
      expect(await query(`awscni_total_ip_addresses${sel}`, tl.t[i]!)).toMatchObject([
        { value: s.used[i]! + s.warm[i]! + s.cooling[i]! },
      ])
    }
    const linux = await query(`sum by (os) (awscni_assigned_ip_addresses)`, tl.t[i]!)
    expect(linux.map((x) => x.metric.os).sort()).toEqual(["linux", "windows"])
  })

  it("gives each subnet's available addresses and the pods waiting over the run", async () => {
    const tl = report.timeline
    const s = report.subnets[0]!
    const i = tl.t.length - 1
    expect(await query(`ipamsim_subnet_available_ip_addresses{subnet_id="${s.id}"}`, tl.t[i]!)).toMatchObject([
      { value: tl.subnets[s.id]!.free[i], metric: { cidr: s.cidr } },
    ])
    // The largest number of pods waiting at any sample, over the whole run.
    const range = `${Math.ceil(tl.t[i]! / 1000) + 1}s`
    const peak = await query(`max_over_time(ipamsim_pods_waiting_for_address[${range}])`, tl.t[i]!)
    expect(peak).toMatchObject([{ value: Math.max(...tl.podsWaiting) }])
  })

  it("gives the EC2 calls and throttles by action at the end of the run", async () => {
    const calls = await query("ipamsim_ec2_api_calls_total", report.simulatedMs)
    const byAction = Object.fromEntries(calls.map((c) => [c.metric.action, c.value]))
    expect(byAction).toEqual(report.ec2.calls)
    const throttled = await query("sum(ipamsim_ec2_api_throttled_total)", report.simulatedMs)
    expect(throttled[0]!.value).toBe(Object.values(report.ec2.throttled).reduce((a, b) => a + b, 0))
    const info = await query("ipamsim_run_info", 0)
    expect(info[0]!.metric).toMatchObject({ scenario: report.scenario, seed: String(report.seed) })
  })
})
