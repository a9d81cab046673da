// The bundled CLI (scripts/build-cli.mjs, what `ipamsim` runs after `npm ci`) must behave exactly as the
// TypeScript sources: the same reports, the same worker threads (tune, large traces), the same errors.

import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PARALLEL_MIN_BYTES } from "../src/trace/TraceReader.ts"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const out = join(root, "packages/cli", `.dist-test-${process.pid}`)
const bin = fileURLToPath(new URL("../bin/ipamsim.mjs", import.meta.url))
const bigTrace = join(out, "big.csv")
const bigScenario = join(out, "big.yaml")

const bundled = (...args: string[]) =>
  spawnSync(process.execPath, [join(out, "ipamsim.mjs"), ...args], { cwd: root, encoding: "utf8" })
const fromSource = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, IPAMSIM_FROM_SOURCE: "1" },
  })

beforeAll(() => {
  const b = spawnSync(process.execPath, ["scripts/build-cli.mjs", "--out", out], { cwd: root, encoding: "utf8" })
  expect(b.status, b.stderr).toBe(0)
  // A trace above the size that is read on a second thread (8 MiB).
  const rows = ["time_ms,event,pod,os"]
  for (let i = 0; i < 300_000; i++)
    rows.push(`${1000 + i * 30},${i % 2 === 0 ? "create" : "delete"},pod-${i >> 1},windows`)
  writeFileSync(bigTrace, `${rows.join("\n")}\n`)
  expect(statSync(bigTrace).size).toBeGreaterThan(PARALLEL_MIN_BYTES)
  writeFileSync(
    bigScenario,
    [
      "name: big",
      "duration: 3h",
      "subnets: [{ id: s, cidr: 10.0.0.0/20 }]",
      "nodeGroups: [{ name: w, instanceType: m5.large, count: 4, subnet: s }]",
      "workload: { traces: [{ file: big.csv }] }",
    ].join("\n"),
  )
}, 60_000)
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe("the bundled CLI", () => {
  it("reports a scenario byte for byte as the sources do", () => {
    const a = bundled("run", "simulations/burst-empties-warm-pool.yaml", "--json", "-", "--quiet")
    const b = fromSource("run", "simulations/burst-empties-warm-pool.yaml", "--json", "-", "--quiet")
    expect(a.status, a.stderr).toBe(0)
    expect(a.stdout).toBe(b.stdout)
    expect(JSON.parse(a.stdout).pods.created).toBeGreaterThan(0)
  }, 60_000)

  it("reads a large trace on its reader thread with the same result", () => {
    const a = bundled("run", bigScenario, "--json", "-", "--quiet")
    const b = fromSource("run", bigScenario, "--json", "-", "--quiet")
    expect(a.status, a.stderr).toBe(0)
    expect(a.stdout).toBe(b.stdout)
    expect(JSON.parse(a.stdout).pods.created).toBe(150_000)
  }, 60_000)

  it("runs tune's worker threads", () => {
    const args = ["tune", "simulations/burst-empties-warm-pool.yaml", "--warm-ip-target", "1,3", "--workers", "2"]
    const a = bundled(...args, "--json", "-")
    const b = fromSource(...args, "--json", "-")
    expect(a.status, a.stderr).toBe(0)
    expect(a.stdout).toBe(b.stdout)
  }, 120_000)

  it("loads the AWS SDK for import only (loading it costs half a second at every start)", () => {
    // Reports on exit whether any module of the SDK (CommonJS) was loaded.
    const probe =
      'data:text/javascript,import{createRequire}from"node:module";const r=createRequire("/");' +
      'process.on("exit",()=>process.stderr.write("aws:"+Object.keys(r.cache).some((k)=>k.includes("@aws-sdk"))+"\\n"))'
    const withProbe = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", probe, join(out, "ipamsim.mjs"), ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
      })
    const run = withProbe("run", "simulations/burst-empties-warm-pool.yaml", "--json", join(out, "r.json"), "--quiet")
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toBe("aws:false\n")
    // Nothing listens on port 9: import loads the SDK's chunk, calls EC2 and reports the failure in one line.
    const imp = withProbe("import", "--subnet", "subnet-1", "--region", "us-east-1", "--endpoint", "http://127.0.0.1:9")
    expect(imp.status).toBe(1)
    expect(imp.stderr).toMatch(/^ipamsim: cannot reach http:\/\/127\.0\.0\.1:9 .*DescribeInstances\naws:true\n$/)
  }, 60_000)

  it("fails the same way on bad input", () => {
    const a = bundled("run", "no-such-file.yaml")
    expect(a.status).not.toBe(0)
    expect(a.stderr).toBe(fromSource("run", "no-such-file.yaml").stderr)
    expect(a.stderr.trim().split("\n")).toHaveLength(1)
  }, 60_000)

  // The kernel's integer constants are enums so that esbuild writes their values into the code, across the
  // modules of @ipamsim/core too; a reference to an enum object left in the bundle is a property load at
  // every use on the hot path (docs/performance.md, "Constants as enums").
  it("writes the kernel's enum constants in as literals", () => {
    const ENUMS = [
      "Hdr",
      "Conf",
      "Region",
      "Pool",
      "PoolError",
      "JobType",
      "P",
      "PF",
      "Flag",
      "PodState",
      "N",
      "NodeStatus",
      "K",
      "Mode",
      "JobKind",
      "ControllerEvent",
      "Controller",
      "KubernetesEvent",
      "TimelineEvent",
      "InputKind",
      "Q",
      "At",
    ]
    const use = new RegExp(`(?<![\\w.$])(${ENUMS.join("|")})\\.[A-Z_]+\\b`, "g")
    const code = readdirSync(out)
      .filter((f) => f.endsWith(".mjs"))
      .map((f) => readFileSync(join(out, f), "utf8"))
      .join("\n")
    // The kernel is in the bundle (its classes by name), and no enum member is read from its object.
    expect(code).toMatch(/\bWindowsController = class\b/)
    expect(code).toMatch(/\bDeleteQueueLoops = class\b/)
    const stripped = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
    expect([...new Set([...stripped.matchAll(use)].map((m) => m[0]))]).toEqual([])
    // The check finds such a reference when there is one.
    expect("x = Hdr.USED + 1".match(use)).not.toBeNull()
  })
})
