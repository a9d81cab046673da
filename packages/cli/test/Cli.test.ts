// The ipamsim command as a user meets it: bundled scenarios, reports, exit codes, refusals, errors.

import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { reportJson } from "../src/report/Report.ts"
import { simulateScenario } from "../src/scenario/SimulateScenario.ts"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const bin = fileURLToPath(new URL("../bin/ipamsim.mjs", import.meta.url))
const sims = join(root, "simulations")
const scenarios = readdirSync(sims).filter((f) => f.endsWith(".yaml"))
const ipamsim = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" })
const dir = mkdtempSync(join(tmpdir(), "ipamsim-cli-"))

describe("bundled scenarios", () => {
  it("there are at least six", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(6)
  })

  it.each(scenarios)("%s runs; its expectations hold unless the file says they fail on purpose", (file) => {
    const path = join(sims, file)
    const report = simulateScenario(path)
    expect(report.pods.created).toBeGreaterThan(0)
    expect(report.simulatedMs).toBeGreaterThan(0)
    const failsOnPurpose = readFileSync(path, "utf8").includes("Fails on purpose")
    expect(report.expectations.some((e) => !e.ok)).toBe(failsOnPurpose)
  })

  it("the same scenario and seed give byte-identical JSON", () => {
    const file = join(sims, "warm-target-rollout.yaml")
    expect(reportJson(simulateScenario(file))).toBe(reportJson(simulateScenario(file)))
    expect(reportJson(simulateScenario(file, { seed: 2 }))).not.toBe(reportJson(simulateScenario(file)))
  })
})

describe("ipamsim run", () => {
  it("writes JSON, timeline CSV and HTML, prints a summary and exits 0", () => {
    const json = join(dir, "r.json")
    const csv = join(dir, "t.csv")
    const html = join(dir, "r.html")
    const r = ipamsim(
      "run",
      "simulations/steady-churn-m5-large.yaml",
      "--json",
      json,
      "--timeline",
      csv,
      "--html",
      html,
    )
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("ipamsim: steady-churn-m5-large (seed 1)")
    expect(r.stdout).toMatch(/wait for an address: p50/)
    const report = JSON.parse(readFileSync(json, "utf8"))
    for (const key of [
      "schemaVersion",
      "scenario",
      "seed",
      "simulatedMs",
      "pods",
      "addresses",
      "subnets",
      "ec2",
      "nodes",
      "expectations",
    ])
      expect(report).toHaveProperty(key)
    expect(readFileSync(csv, "utf8").split("\n")[0]).toMatch(/^t_ms,subnet:subnet-a:free,/)
    expect(readFileSync(html, "utf8")).toContain("<!-- ipamsim report -->")
    // Outputs ipamsim wrote may be replaced on the next run.
    expect(ipamsim("run", "simulations/steady-churn-m5-large.yaml", "--quiet", "--json", json).status).toBe(0)
  })

  it("exits 2 and names the expectation when a scenario's expectations fail", () => {
    const r = ipamsim("run", "simulations/subnet-exhaustion-scale-out.yaml", "--quiet")
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toMatch(/^ipamsim: expectations not met: noSubnetExhaustion \(actual false, limit true\)$/)
  })

  it("never overwrites a file it did not write", () => {
    const mine = join(dir, "notes.json")
    writeFileSync(mine, '{"my": "notes"}\n')
    const r = ipamsim("run", "simulations/steady-churn-m5-large.yaml", "--quiet", "--json", mine)
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      `ipamsim: ${mine}: exists and was not written by ipamsim; refusing to overwrite it (use --force)`,
    )
    expect(readFileSync(mine, "utf8")).toBe('{"my": "notes"}\n')
  })

  it("answers a malformed trace row with the file and line, no stack", () => {
    writeFileSync(join(dir, "bad.csv"), "time_ms,event,pod\n1000,create,a\n2000,start,b\n")
    writeFileSync(
      join(dir, "bad-trace.yaml"),
      "name: bad\nsubnets: [{ id: s, cidr: 10.0.0.0/24 }]\nnodeGroups: [{ name: g, instanceType: m5.large, count: 1, subnet: s }]\nworkload:\n  traces: [{ file: bad.csv }]\n",
    )
    const r = ipamsim("run", join(dir, "bad-trace.yaml"), "--quiet")
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/bad\.csv:3: expected event "create" or "delete", got "start"/)
    expect(r.stderr).not.toMatch(/ at .*\.ts:\d+/)
  })

  it("answers a bad scenario with one line per problem and exit 1", () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      "name: x\nsubnets: []\nnodeGroups: [{ name: g, instanceType: q9.huge, count: 1, subnet: s }]\nworkload: {}\n",
    )
    const r = ipamsim("validate", join(dir, "bad.yaml"))
    expect(r.status).toBe(1)
    const lines = r.stderr.trim().split("\n")
    expect(lines.length).toBe(3)
    for (const l of lines) expect(l).toMatch(/^ipamsim: .*bad\.yaml:\d+: /)
  })

  it("rejects unknown flags", () => {
    const r = ipamsim("run", "simulations/steady-churn-m5-large.yaml", "--bogus")
    expect(r.status).not.toBe(0)
    expect(r.stderr + r.stdout).toMatch(/--bogus/)
  })
})

describe("ipamsim validate and schema", () => {
  it.each(scenarios)("validates %s", (file) => {
    const r = ipamsim("validate", `simulations/${file}`)
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/: valid \(/)
  })

  it("prints a JSON Schema that requires the scenario's keys and rejects unknown ones", () => {
    const r = ipamsim("schema")
    expect(r.status).toBe(0)
    const schema = JSON.parse(r.stdout)
    expect(schema.required).toEqual(expect.arrayContaining(["name", "subnets", "nodeGroups", "workload"]))
    expect(schema.additionalProperties).toBe(false)
  })

  it("keeps the checked-in docs/scenario.schema.json current", () => {
    const path = join(root, "docs", "scenario.schema.json")
    expect(existsSync(path)).toBe(true)
    expect(readFileSync(path, "utf8")).toBe(ipamsim("schema").stdout)
  })
})
