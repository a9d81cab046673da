// Bad scenario files: each kind of mistake gets a one-line error naming the file, the line and the field.

import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { formatDiagnostic } from "../src/Diagnostic.ts"
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
const problemsOf = (content: string | Buffer): string[] => {
  const file = join(dir, `case-${n++}.yaml`)
  writeFileSync(file, content)
  try {
    loadScenario(file)
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map((p) => p.replace(`${file}:`, "FILE:"))
    throw e
  }
  return []
}
const problems = (text: string): string[] => problemsOf(text)

/** The warnings of a scenario that loads. */
const warnings = (text: string): string[] => {
  const file = join(dir, `case-${n++}.yaml`)
  writeFileSync(file, text)
  return loadScenario(file).warnings.map((w) => formatDiagnostic(w).replace(`${file}:`, "FILE:"))
}

describe("scenario validation", () => {
  it("accepts the base scenario", () => {
    expect(problems(base)).toEqual([])
  })

  it.each([
    ["YAML syntax", "name: [unclosed\n", /^FILE:1: not valid YAML\/JSON \(at the end of the file\): /],
    [
      "a tab in the indentation",
      base.replace("    instanceType:", "\tinstanceType:"),
      /^FILE:8: column 1: not valid YAML\/JSON: a tab in the indentation: indent with spaces$/,
    ],
    [
      "a duplicate key",
      base.replace("    count: 2\n", "    count: 2\n    count: 3\n"),
      /^FILE:10: column 5: not valid YAML\/JSON: duplicate key "count": each key appears once in a mapping$/,
    ],
    [
      "a duplicate key in JSON",
      '{"name": "t",\n "subnets": [],\n "name": "u"}',
      /^FILE:3: column 2: not valid YAML\/JSON: duplicate key "name"/,
    ],
    [
      "bad indentation",
      base.replace("    cidr: 10.0.0.0/24", "     cidr: 10.0.0.0/24"),
      /^FILE:4: column \d+: not valid YAML\/JSON: /,
    ],
    [
      "a syntax error deep in a large file",
      `${base}description: |\n${"  a line of text\n".repeat(3000)}expectations: { maxWaitMs: [1, 2 }\n`,
      /^FILE:3015: column 34: not valid YAML\/JSON: /,
    ],
    ["an empty file", "", /^FILE:1: the file is empty: expected a scenario/],
    [
      "two YAML documents",
      `${base}---\nname: u\n`,
      /^FILE:14: column 1: not valid YAML\/JSON: more than one YAML document \(---\): a scenario file holds one$/,
    ],
    ["nesting beyond reason", `name: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`, /^FILE:1: .*nested too deeply$/],
    [
      "an alias bomb",
      `a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
      /^FILE:1: not valid YAML\/JSON: too many aliases \(\*name\) expanded: at most 100$/,
    ],
    [
      "a trace path that is a directory",
      base.replace("ok.csv", "."),
      /^FILE:13: workload\.traces\[0\]\.file: .* is a directory, expected a trace file$/,
    ],
    ["duration 0", base.replace("duration: 10m", "duration: 0s"), /^FILE:2: duration: expected a duration above 0/],
    [
      "overlapping subnets",
      base.replace("subnets:\n", "subnets:\n  - id: t\n    cidr: 10.0.0.128/25\n"),
      /^FILE:7: subnets\[1\]\.cidr: 10\.0\.0\.0\/24 overlaps subnets\[0\] \(10\.0\.0\.128\/25\): subnets of a VPC do not overlap$/,
    ],
    [
      "a node group leaving before it joins",
      base.replace("count: 2", "count: 2\n    joinAt: 5m\n    leaveAt: 1m"),
      /^FILE:11: nodeGroups\[0\]\.leaveAt: expected a time after joinAt \(5m\), got 1m: the group would leave before it joins$/,
    ],
    [
      "10^9 nodes",
      base.replace("count: 2", "count: 1000000000"),
      /^FILE:9: nodeGroups\[0\]\.count: 1,000,000,000 nodes is over the limit of 100,000 nodes in a scenario$/,
    ],
    [
      "too many nodes over all groups",
      base
        .replace("workload:", "  - name: h\n    instanceType: m5.large\n    count: 60000\n    subnet: s\nworkload:")
        .replace("count: 2", "count: 50000"),
      /^FILE:13: nodeGroups\[1\]\.count: the node groups so far have 110,000 nodes, over the limit of 100,000/,
    ],
    [
      "max pods beyond the limit",
      base.replace("count: 2", "count: 2\n    maxPods: 1000000"),
      /^FILE:10: nodeGroups\[0\]\.maxPods: 1,000,000 is over the limit of 10,000 pods per node$/,
    ],
    [
      "a generator's rate beyond the limit",
      base.replace(
        "  traces:\n    - file: ok.csv\n",
        "  generators:\n    - { kind: poisson, ratePerSecond: 1e9, lifetime: forever }\n",
      ),
      /^FILE:13: workload\.generators\[0\]\.ratePerSecond: 1000000000 is over the limit of 10,000 pods per second$/,
    ],
    [
      "a diurnal peak beyond the limit",
      base.replace(
        "  traces:\n    - file: ok.csv\n",
        "  generators:\n    - { kind: diurnal, meanPerSecond: 8000, amplitude: 0.5, lifetime: forever }\n",
      ),
      /^FILE:13: workload\.generators\[0\]\.meanPerSecond: a peak of 12000 pods per second .* over the limit of 10,000/,
    ],
    [
      "a rollout's replicas beyond the limit",
      base.replace(
        "  traces:\n    - file: ok.csv\n",
        "  generators:\n    - { kind: rollout, at: 1m, replicas: 1000000000, mode: scale-up }\n",
      ),
      /^FILE:13: workload\.generators\[0\]\.replicas: 1,000,000,000 is over the limit of 1,000,000 pods at once$/,
    ],
    [
      "a cronjob faster than the limit",
      base.replace(
        "  traces:\n    - file: ok.csv\n",
        "  generators:\n    - { kind: cronjob, every: 1ms, parallelism: 100, run: { fixed: 1s } }\n",
      ),
      /^FILE:13: workload\.generators\[0\]\.every: 100 pods every 1ms is over the limit of 10,000 pods per second$/,
    ],
    [
      "a generator's zero period",
      base.replace(
        "  traces:\n    - file: ok.csv\n",
        "  generators:\n    - { kind: cronjob, every: 0s, parallelism: 1, run: { fixed: 1s } }\n",
      ),
      /^FILE:13: workload\.generators\[0\]\.every: expected more than 0 ms, got 0$/,
    ],
    ["timelineEvery 0", `${base}timelineEvery: 0\n`, /^FILE:14: timelineEvery: expected an interval above 0/],
    [
      "more timeline samples than the limit",
      `${base.replace("duration: 10m", "duration: 30d")}timelineEvery: 1ms\n`,
      /^FILE:14: timelineEvery: 1ms over a run of 30d is 2,592,000,000 samples, over the limit of 1,000,000 timeline samples$/,
    ],
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

  it("says encoding for UTF-16 and non-UTF-8 files, at the first bad byte", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base, "utf16le")])
    expect(problemsOf(utf16)).toEqual([
      "FILE:1: column 1: encoding: the file is UTF-16 (byte order mark FF FE); save it as UTF-8",
    ])
    expect(problemsOf(Buffer.from(base, "utf16le"))[0]).toMatch(/^FILE:1: column 2: encoding: NUL bytes: /)
    const latin1 = Buffer.from(base.replace("name: t", "name: t\ndescription: café"), "latin1")
    expect(problemsOf(latin1)).toEqual([
      "FILE:2: column 17: encoding: byte E9 is not UTF-8 (a Latin-1 or Windows code page file?); save the file as UTF-8",
    ])
    // A UTF-8 byte order mark is fine.
    expect(problemsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base)]))).toEqual([])
  })

  it("refuses a scenario file beyond the size limit before parsing it", () => {
    const big = Buffer.alloc(17 << 20, 0x20)
    Buffer.from(base).copy(big)
    expect(problemsOf(big)).toEqual([
      "FILE: the file is 17 MiB; scenario files are limited to 16 MiB (put pod events in a trace file)",
    ])
  })

  it("names a missing scenario file", () => {
    expect(() => loadScenario(join(dir, "nope.yaml"))).toThrow(
      /nope\.yaml: cannot read the scenario file \(no such file, ENOENT\)/,
    )
  })
})

describe("scenario warnings: it runs, but not as probably meant", () => {
  it("has none for the base scenario", () => {
    expect(warnings(base)).toEqual([])
  })

  it.each([
    [
      "a boolean with a space",
      `${base}configMap:\n  data:\n    enable-windows-ipam: "true "\n`,
      'FILE:16: configMap.data.enable-windows-ipam: "true " is not a boolean to the controller (Go\'s strconv.ParseBool: exactly true, True, TRUE, t, T, 1 or false, False, FALSE, f, F, 0): it reads false, so Windows IPAM is off',
    ],
    [
      "a number with a space",
      `${base}configMap:\n  data:\n    enable-windows-ipam: "true"\n    windows-warm-ip-target: " 3"\n`,
      'FILE:17: configMap.data.windows-warm-ip-target: " 3" is not a whole number to the controller (Go\'s strconv.Atoi: digits with an optional sign; no spaces, decimals or hex): it reads 0; with this ConfigMap the controller runs with warm-ip-target 3, minimum-ip-target 3',
    ],
    [
      "a hex number",
      `${base}configMap:\n  data:\n    enable-windows-ipam: "true"\n    windows-minimum-ip-target: "0x3"\n`,
      /^FILE:17: configMap\.data\.windows-minimum-ip-target: "0x3" is not a whole number to the controller .*: it reads 0; /,
    ],
    [
      "a decimal in a change",
      `${base}configMap:\n  changes:\n    - at: 1m\n      set: { windows-warm-ip-target: "3.0" }\n`,
      /^FILE:17: configMap\.changes\[0\]\.set\.windows-warm-ip-target: "3\.0" is not a whole number to the controller/,
    ],
    [
      "a legacy key hiding its windows- twin",
      `${base}configMap:\n  data:\n    enable-windows-ipam: "true"\n    warm-ip-target: "5"\n    windows-warm-ip-target: "2"\n`,
      /^FILE:18: configMap\.data\.windows-warm-ip-target: ignored: the controller reads warm-ip-target \("5"\) when both are set/,
    ],
    [
      "targets without enable-windows-ipam",
      `${base}configMap:\n  data:\n    windows-warm-ip-target: "2"\n`,
      /^FILE:16: configMap\.data: no enable-windows-ipam key: the controller leaves Windows IPAM off/,
    ],
    [
      "a misspelt key",
      `${base}configMap:\n  data:\n    enable-windows-ipam: "true"\n    windows-warm-ip-targt: "2"\n`,
      /^FILE:17: configMap\.data\.windows-warm-ip-targt: not a key the controller reads/,
    ],
    [
      "a ConfigMap change after the end of the run",
      `${base}configMap:\n  changes:\n    - { at: 20m, set: { windows-warm-ip-target: "1" } }\n`,
      "FILE:16: configMap.changes[0].at: 20m is after the end of the run (duration 10m): the change never applies",
    ],
    [
      "nodes that never join before their group leaves",
      base.replace("count: 2", "count: 4\n    joinEvery: 1m\n    leaveAt: 2m"),
      "FILE:11: nodeGroups[0].leaveAt: only 2 of the group's 4 nodes join before it leaves at 2m (one every 1m from 0s)",
    ],
    [
      "an aws-node env value ipamd cannot read",
      base.replace("count: 2\n", "count: 2\n    os: linux\n") + 'awsNode:\n  env:\n    WARM_IP_TARGET: "2 "\n',
      /^FILE:17: awsNode\.env\.WARM_IP_TARGET: "2 " is not a non-negative integer: ipamd uses/,
    ],
    [
      "an aws-node env value in kubectl's list form",
      base.replace("count: 2\n", "count: 2\n    os: linux\n") +
        'awsNode:\n  env:\n    - name: ENABLE_PREFIX_DELEGATION\n      value: "yes"\n',
      /^FILE:18: awsNode\.env\[0\]\.value: "yes" is not a Go boolean/,
    ],
    [
      "an aws-node env change ipamd cannot read",
      base.replace("count: 2\n", "count: 2\n    os: linux\n") +
        'awsNode:\n  changes:\n    - { at: 1m, set: { WARM_ENI_TARGET: "-1" } }\n',
      /^FILE:17: awsNode\.changes\[0\]\.set\.WARM_ENI_TARGET: "-1" is not a non-negative integer/,
    ],
    [
      "no nodes at all",
      base.replace("count: 2", "count: 0"),
      "FILE:7: nodeGroups: no nodes: every pod stays pending (give a node group a count above 0)",
    ],
    [
      "an aws-node env without Linux nodes",
      `${base}awsNode:\n  env:\n    WARM_IP_TARGET: "2"\n`,
      "FILE:16: awsNode.env: no node group has os: linux, so no ipamd reads the aws-node env; it has no effect",
    ],
  ])("%s", (_name, text, expected) => {
    const w = warnings(text)
    expect(w.length).toBe(1)
    expect(w[0]!.startsWith("warning: ")).toBe(true)
    const line = w[0]!.slice("warning: ".length)
    if (typeof expected === "string") expect(line).toBe(expected)
    else expect(line).toMatch(expected)
  })
})
