// Bad scenario files: each kind of mistake gets a one-line error naming the file, the line and the field.

import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadScenario, ScenarioError } from "../src/scenario/ScenarioLoader.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-scenarios-"))
writeFileSync(join(dir, "ok.csv"), "time_ms,event,pod\n1000,create,a\n")

const base = `name: t
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
  traces:
    - file: ok.csv
`

let n = 0
const problems = (text: string): string[] => {
  const file = join(dir, `case-${n++}.yaml`)
  writeFileSync(file, text)
  try {
    loadScenario(file)
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map((p) => p.replace(`${file}:`, "FILE:"))
    throw e
  }
  return []
}

describe("scenario validation", () => {
  it("accepts the base scenario", () => {
    expect(problems(base)).toEqual([])
  })

  it.each([
    ["YAML syntax", "name: [unclosed\n", /^FILE:1: not valid YAML\/JSON: /],
    ["missing name", base.replace("name: t\n", ""), /^FILE:1: name: Missing key/],
    ["typo in a key", base.replace("duration:", "durration:"), /^FILE:2: durration: Expected no excess property/],
    [
      "negative count",
      base.replace("count: 2", "count: -1"),
      /^FILE:9: nodeGroups\[0\]\.count: Expected a value greater than or equal to 0/,
    ],
    [
      "max pods past kubelet's int32",
      base.replace("count: 2", "count: 2\n    maxPods: 2147483648"),
      /^FILE:10: nodeGroups\[0\]\.maxPods: Expected a value less than or equal to 2147483647/,
    ],
    [
      "custom instance limits past what a pool can count",
      `${base}instanceLimits:
  m9.huge:
    Interface: 2
    IPv4PerInterface: 134217729
    IsTrunkingCompatible: false
    BranchInterface: 0
    DefaultNetworkCardIndex: 0
    NetworkCards: [{ MaximumNetworkInterfaces: 2, NetworkCardIndex: 0 }]
    Hypervisor: nitro
    IsBareMetal: false
`,
      /^FILE:17: instanceLimits\.m9\.huge\.IPv4PerInterface: Expected a value less than or equal to 134217728/,
    ],
    [
      "fractional count",
      base.replace("count: 2", "count: 1.5"),
      /^FILE:9: nodeGroups\[0\]\.count: Expected an integer/,
    ],
    [
      "unknown instance type",
      base.replace("m5.large", "m5.gigantic"),
      /^FILE:8: nodeGroups\[0\]\.instanceType: unknown instance type "m5.gigantic"/,
    ],
    [
      "unknown subnet",
      base.replace("subnet: s", "subnet: nope"),
      /^FILE:10: nodeGroups\[0\]\.subnet: no subnet with id "nope" \(known: "s"\)/,
    ],
    [
      "bad CIDR",
      base.replace("10.0.0.0/24", "10.0.0/24"),
      /^FILE:5: subnets\[0\]\.cidr: expected a CIDR like 10\.0\.0\.0\/24/,
    ],
    [
      "IPv6 subnet",
      base.replace("10.0.0.0/24", "2600:1f14::/64"),
      /^FILE:5: subnets\[0\]\.cidr: IPv6 subnet .*IPv4 only/,
    ],
    [
      "host bits set",
      base.replace("10.0.0.0/24", "10.0.0.7/24"),
      /^FILE:5: subnets\[0\]\.cidr: .*host bits set; did you mean 10\.0\.0\.0\/24\?/,
    ],
    ["subnet too small", base.replace("10.0.0.0/24", "10.0.0.0/29"), /^FILE:4: subnets\[0\]: .*\/29/],
    [
      "duplicate subnet id",
      base.replace("subnets:\n", "subnets:\n  - id: s\n    cidr: 10.1.0.0/24\n"),
      /^FILE:\d+: subnets\[1\]\.id: duplicate subnet id "s"/,
    ],
    [
      "duplicate node group",
      base.replace("workload:", "  - name: g\n    instanceType: c5.large\n    count: 1\n    subnet: s\nworkload:"),
      /^FILE:\d+: nodeGroups\[1\]\.name: duplicate node group name "g"/,
    ],
    ["bad duration", base.replace("duration: 10m", "duration: 10 minutes"), /^FILE:2: duration: .*10 minutes/],
    [
      "bad trace offset",
      base.replace("    - file: ok.csv\n", "    - file: ok.csv\n      offset: 10 minutes\n"),
      /^FILE:14: workload\.traces\[0\]\.offset: .*10 minutes/,
    ],
    [
      "fractional ms",
      base.replace("duration: 10m", "duration: 600000.5"),
      /^FILE:2: duration: expected whole milliseconds, got 600000\.5/,
    ],
    [
      "ConfigMap value not a string",
      `${base}configMap:\n  data:\n    windows-warm-ip-target: 3\n`,
      /^FILE:16: configMap\.data\.windows-warm-ip-target: Expected string/,
    ],
    [
      "unknown profile",
      `${base}controller:\n  profile: v9\n`,
      /^FILE:15: controller\.profile: Expected "current" \| "sdk-v1-icb" \| "pre-v1.6.0"/,
    ],
    [
      "latency p99 below median",
      `${base}controller:\n  ec2:\n    latency:\n      AssignPrivateIpAddresses: { lognormal: { median: 2s, p99: 1s } }\n`,
      /^FILE:17: controller\.ec2\.latency\.AssignPrivateIpAddresses: .*p99/,
    ],
    [
      "fault without rate or window",
      `${base}controller:\n  ec2:\n    faults:\n      - { action: AssignPrivateIpAddresses, error: RequestTimeout }\n`,
      /^FILE:17: controller\.ec2\.faults\[0\]: a fault needs a rate, a time window/,
    ],
    [
      "generator that never stops",
      base
        .replace("duration: 10m\n", "")
        .replace(
          "  traces:\n    - file: ok.csv\n",
          "  generators:\n    - kind: poisson\n      ratePerSecond: 1\n      lifetime: forever\n",
        ),
      /generators\[0\]: this generator never stops/,
    ],
    [
      "missing trace file",
      base.replace("ok.csv", "missing.csv"),
      /^FILE:13: workload\.traces\[0\]\.file: trace file not found: /,
    ],
    [
      "ConfigMap changes out of order",
      `${base}configMap:\n  changes:\n    - { at: 5m, set: { windows-warm-ip-target: "1" } }\n    - { at: 1m, set: { windows-warm-ip-target: "2" } }\n`,
      /^FILE:17: configMap\.changes\[1\]\.at: changes must be in time order/,
    ],
    [
      "change with data and set",
      `${base}configMap:\n  changes:\n    - { at: 5m, data: {}, set: { a: "1" } }\n`,
      /^FILE:16: configMap\.changes\[0\]: give either data \(replace\) or set\/remove \(patch\), not both/,
    ],
    [
      "others' addresses exceed the subnet",
      base.replace("    cidr: 10.0.0.0/24\n", "    cidr: 10.0.0.0/24\n    usedByOthers: { count: 5000 }\n"),
      /^FILE:4: subnets\[0\]: .*5000/,
    ],
    [
      "misaligned prefix reservation",
      base.replace("    cidr: 10.0.0.0/24\n", "    cidr: 10.0.0.0/24\n    prefixReservations: [10.0.0.8/28]\n"),
      /^FILE:6: subnets\[0\]\.prefixReservations\[0\]: .*host bits set/,
    ],
    [
      "empty workload",
      base.replace("  traces:\n    - file: ok.csv\n", "  traces: []\n"),
      /^FILE:12: workload: a workload needs at least one trace file or generator/,
    ],
    [
      "wrong type of rate",
      `${base.replace("  traces:\n    - file: ok.csv\n", "  generators:\n    - kind: poisson\n      ratePerSecond: fast\n      lifetime: forever\n")}`,
      /ratePerSecond/,
    ],
  ])("%s", (_name, text, expected) => {
    const p = problems(text)
    expect(p.length).toBeGreaterThan(0)
    expect(p.some((line) => expected.test(line))).toBe(true)
    for (const line of p) expect(line).not.toContain("\n")
  })

  it("reports every problem of a kind at once: all schema problems, or all semantic ones", () => {
    const schema = base
      .replace("count: 2", "count: -1")
      .replace("name: t", "name: ''")
      .replace("duration:", "durration:")
    expect(problems(schema).length).toBe(3)
    const semantic = base
      .replace("m5.large", "zz.large")
      .replace("duration: 10m", "duration: soon")
      .replace("ok.csv", "no.csv")
    expect(problems(semantic).length).toBe(3)
  })

  it("names a missing scenario file", () => {
    expect(() => loadScenario(join(dir, "nope.yaml"))).toThrow(/nope\.yaml: cannot read the scenario file \(ENOENT\)/)
  })
})
