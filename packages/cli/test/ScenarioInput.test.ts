// The scenario as users have its parts: the amazon-vpc-cni ConfigMap as kubectl prints it (inline or in a
// file, initially and in timed changes), the scenario on stdin, and one-run overrides (--set, --duration).

import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { buildSimSpec } from "../src/scenario/BuildSimSpec.ts"
import { loadScenario, ScenarioError } from "../src/scenario/ScenarioLoader.ts"
import { parseOverrides } from "../src/scenario/ScenarioOverrides.ts"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const bin = fileURLToPath(new URL("../bin/ipamsim.mjs", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "ipamsim-input-"))
const ipamsim = (args: string[], input?: string, cwd = root) =>
  spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", ...(input === undefined ? {} : { input }) })

const head = `name: t
duration: 10m
subnets:
  - id: s
    cidr: 10.0.0.0/24
nodeGroups:
  - name: g
    instanceType: m5.large
    count: 2
    subnet: s
workload:
  generators:
    - kind: poisson
      ratePerSecond: 0.2
      lifetime: { fixed: 60s }
`

const kubectlYaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: amazon-vpc-cni
  namespace: kube-system
  resourceVersion: "4242"
  uid: 0b6f1c1e-0000-4000-8000-000000000000
data:
  enable-windows-ipam: "true"
  windows-warm-ip-target: "3"
`
const kubectlJson = JSON.stringify({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
  data: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
})
writeFileSync(join(dir, "cm.yaml"), kubectlYaml)
writeFileSync(join(dir, "cm.json"), kubectlJson)

let n = 0
const write = (text: string): string => {
  const file = join(dir, `case-${n++}.yaml`)
  writeFileSync(file, text)
  return file
}
const problems = (text: string, options = {}): string[] => {
  const file = write(text)
  try {
    loadScenario(file, options)
  } catch (e) {
    if (e instanceof ScenarioError)
      return e.problems.map((p) => p.replaceAll(`${file}:`, "FILE:").replaceAll(dir, "DIR"))
    throw e
  }
  return []
}

describe("the ConfigMap as kubectl prints it", () => {
  it("inline: metadata ignored, data read", () => {
    const inline = kubectlYaml.replace(/^/gm, "  ")
    const l = loadScenario(write(`${head}configMap:\n${inline}`))
    expect(l.scenario.configMap).toEqual({
      data: { "enable-windows-ipam": "true", "windows-warm-ip-target": "3" },
    })
  })

  it("from a YAML or JSON file, relative to the scenario file, with timed changes in both forms", () => {
    const l = loadScenario(
      write(`${head}configMap:
  file: cm.yaml
  changes:
    - at: 2m
      configMap: { file: cm.json }
    - at: 5m
      configMap:
        apiVersion: v1
        kind: ConfigMap
        data:
          enable-windows-ipam: "true"
`),
    )
    expect(l.scenario.configMap).toEqual({
      data: { "enable-windows-ipam": "true", "windows-warm-ip-target": "3" },
      changes: [
        { at: "2m", data: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" } },
        { at: "5m", data: { "enable-windows-ipam": "true" } },
      ],
    })
    const spec = buildSimSpec(l)
    expect(spec.configMap.changes.map((c) => c.atMs)).toEqual([120000, 300000])
  })

  it("gives the same report as the bare form", () => {
    const bare = write(`${head}configMap:\n  data:\n    enable-windows-ipam: "true"\n    windows-warm-ip-target: "3"\n`)
    const whole = write(`${head}configMap: { file: cm.yaml }\n`)
    const a = ipamsim(["run", bare, "--quiet", "--json", "-"])
    const b = ipamsim(["run", whole, "--quiet", "--json", "-"])
    expect(a.status).toBe(0)
    expect(b.stdout).toBe(a.stdout)
  })

  it.each([
    [
      "the wrong kind",
      `configMap:\n  kind: Secret\n  data: {}\n`,
      'FILE:17: configMap.kind: "Secret": expected ConfigMap',
    ],
    [
      "another ConfigMap",
      `configMap:\n  kind: ConfigMap\n  metadata:\n    name: coredns\n`,
      'FILE:19: configMap.metadata.name: "coredns": the controller reads the ConfigMap amazon-vpc-cni',
    ],
    [
      "a file that is not there",
      "configMap: { file: nope.yaml }\n",
      "FILE:16: configMap.file: cannot read DIR/nope.yaml",
    ],
    [
      "a number in a file's data",
      "configMap: { file: bad.yaml }\n",
      "DIR/bad.yaml:4: data.windows-warm-ip-target: expected a string",
    ],
    [
      "a change with both forms",
      "configMap:\n  changes:\n    - at: 1m\n      set: { a: b }\n      configMap: { data: {} }\n",
      "FILE:19: configMap.changes[0].set: the change has a configMap",
    ],
    [
      "an unknown key in a whole ConfigMap",
      "configMap:\n  kind: ConfigMap\n  binaryData: {}\n",
      "FILE:18: configMap.binaryData:",
    ],
  ])("%s: a located one-line error", (_, tail, expected) => {
    writeFileSync(
      join(dir, "bad.yaml"),
      "kind: ConfigMap\ndata:\n  enable-windows-ipam: 'true'\n  windows-warm-ip-target: 3\n",
    )
    const found = problems(head + tail)
    expect(found.some((p) => p.startsWith(expected) && !p.includes("\n"))).toBe(true)
  })
})

describe("overrides and stdin", () => {
  it("--set and --duration change the scenario for one load", () => {
    const { overrides, problems: bad } = parseOverrides(
      ["nodeGroups[0].count=10", "configMap.data.windows-warm-ip-target=2", "expectations.maxP99WaitMs=20000"],
      "2h",
    )
    expect(bad).toEqual([])
    const l = loadScenario(write(`${head}configMap: { file: cm.yaml }\n`), { overrides })
    expect(l.scenario.nodeGroups[0]!.count).toBe(10)
    expect(l.scenario.duration).toBe("2h")
    expect(l.scenario.configMap?.data?.["windows-warm-ip-target"]).toBe("2")
    expect(l.scenario.expectations?.maxP99WaitMs).toBe(20000)
  })

  it("a key with dots goes in brackets and quotes", () => {
    const { overrides, problems: bad } = parseOverrides(['subnets[0].tags["kubernetes.io/role/cni"]=0'], undefined)
    expect(bad).toEqual([])
    const l = loadScenario(write(head), { overrides })
    expect(l.scenario.subnets[0]!.tags).toEqual({ "kubernetes.io/role/cni": "0" })
  })

  it("each bad override is a one-line error naming it", () => {
    const { overrides, problems: unread } = parseOverrides(
      ["foo", "nodeGroups[5].count=1", "nodeGroups[0].count=-1", "name.x=1"],
      undefined,
    )
    const found = problems(head, { overrides, overrideProblems: unread })
    expect(found).toEqual([
      "--set foo: expected path=value, e.g. nodeGroups[0].count=10",
      "--set nodeGroups[5].count=1: nodeGroups[5]: no such entry (the list has 1)",
      '--set name.x=1: name: is "t", not a mapping or list',
      "--set nodeGroups[0].count=-1: nodeGroups[0].count: Expected a value greater than or equal to 0",
    ])
    const d = parseOverrides([], "banana")
    expect(problems(head, { overrides: d.overrides })).toEqual([
      '--duration banana: duration: expected a duration like "500ms", "30s", "5m", "2h", "1d", "1h30m" or whole ms, got "banana"',
    ])
  })

  it("run - and validate - read the scenario from stdin; --set and --duration apply", () => {
    const text = `${head}configMap:\n${kubectlYaml.replace(/^/gm, "  ")}`
    const v = ipamsim(["validate", "-"], text)
    expect(v.stderr).toBe("")
    expect(v.stdout).toMatch(/^-: valid \(1 node groups/)
    const r = ipamsim(
      ["run", "-", "--quiet", "--json", "-", "--set", "nodeGroups[0].count=3", "--duration", "20m"],
      text,
    )
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report.simulatedMs).toBe(1200000)
    const bad = ipamsim(["validate", "-", "--set", "nodeGroups[0].count=x"], text)
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain("ipamsim: --set nodeGroups[0].count=x: nodeGroups[0].count: ")
  })

  it("relative trace paths in a scenario on stdin resolve from the working directory", () => {
    writeFileSync(join(dir, "t.csv"), "time_ms,event,pod\n1000,create,a\n")
    const text = head.replace(/workload:[\s\S]*$/, "workload:\n  traces:\n    - file: t.csv\n")
    const r = ipamsim(["validate", "-"], text, dir)
    expect(r.stderr).toBe("")
    expect(r.stdout).toContain("1 workload events")
    expect(readFileSync(join(dir, "t.csv"), "utf8")).toContain("create")
  })
})
