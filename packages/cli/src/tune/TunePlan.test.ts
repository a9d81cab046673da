// Planning a sweep without running it: flag parsing (one-line errors) and the scenario's tune section.

import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { buildPlan, parseIntSet, parseSeeds, type TuneFlags } from "./TunePlan.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-tune-spec-"))

const errorOf = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  return "(no error)"
}

/** A one-node scenario file with the given `tune:` section (YAML lines, indented by two). */
const withTune = (name: string, tune: string): string => {
  const path = join(dir, `${name}.yaml`)
  writeFileSync(
    path,
    `name: t
subnets: [{ id: s, cidr: 10.0.0.0/24 }]
nodeGroups: [{ name: g, instanceType: m5.large, count: 1, subnet: s }]
workload: { generators: [{ kind: rollout, at: 1m, replicas: 2, mode: scale-up }] }
tune:
${tune}`,
  )
  return path
}

describe("target lists and ranges", () => {
  it("reads inclusive ranges, lists and mixes, sorted and without repeats", () => {
    expect(parseIntSet("--warm-ip-target", "0..6")).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(parseIntSet("--warm-ip-target", "1,2,3,5")).toEqual([1, 2, 3, 5])
    expect(parseIntSet("--warm-ip-target", "5, 0..2,1")).toEqual([0, 1, 2, 5])
    expect(parseIntSet("--warm-ip-target", "4..4")).toEqual([4])
  })

  it.each([
    ["5..2", "--warm-ip-target 5..2: the range starts above its end (write 2..5)"],
    ["", "--warm-ip-target : expected an inclusive range like 0..6 or a list like 1,2,3,5"],
    ["1,,2", "--warm-ip-target 1,,2: expected an inclusive range like 0..6 or a list like 1,2,3,5"],
    [
      "-1",
      '--warm-ip-target -1: "-1" is not a non-negative integer or a range; expected a range like 0..6 or a list like 1,2,3,5',
    ],
    [
      "1.5",
      '--warm-ip-target 1.5: "1.5" is not a non-negative integer or a range; expected a range like 0..6 or a list like 1,2,3,5',
    ],
    ["0..20000", "--warm-ip-target 0..20000: 20000 is above the largest allowed value 10000"],
  ])("rejects %j in one line", (text, message) => {
    const m = errorOf(() => parseIntSet("--warm-ip-target", text))
    expect(m).toBe(message)
    expect(m).not.toContain("\n")
  })

  it("reads seeds as a count, a list or a range", () => {
    expect(parseSeeds("5")).toEqual([1, 2, 3, 4, 5])
    expect(parseSeeds("3,8,13")).toEqual([3, 8, 13])
    expect(parseSeeds("7..9")).toEqual([7, 8, 9])
    expect(errorOf(() => parseSeeds("0"))).toBe("--seeds 0: give a count of at least 1, or a list of seeds like 3,8,13")
  })
})

describe("the plan: flags over the scenario's tune section", () => {
  const file = {
    warmIpTarget: { from: 1, to: 3 },
    minimumIpTarget: [2, 0],
    mode: "secondary-ip",
    seeds: 2,
    constraints: { maxP99WaitMs: 1500, noExhaustion: true },
    objective: "peak-allocated",
  } as const

  it("takes the file's values when no flag is given", () => {
    const p = buildPlan({}, file)
    expect(p.warmIpTarget).toEqual([1, 2, 3])
    expect(p.minimumIpTarget).toEqual([0, 2])
    expect(p.warmPrefixTarget).toBeUndefined()
    expect(p.seeds).toEqual([1, 2])
    expect(p.constraints).toEqual({ maxP99WaitMs: 1500, noExhaustion: true })
    expect(p.objective).toBe("peak-allocated")
    expect(p.rolloutWindowMs).toBe(120_000)
  })

  it("lets each flag override its field only", () => {
    const flags: TuneFlags = {
      warmIpTarget: "4",
      maxP99Wait: "2s",
      allPodsGetIp: true,
      objective: "waste",
      seeds: "3,8",
    }
    const p = buildPlan(flags, file)
    expect(p.warmIpTarget).toEqual([4])
    expect(p.minimumIpTarget).toEqual([0, 2])
    expect(p.seeds).toEqual([3, 8])
    expect(p.constraints).toEqual({ maxP99WaitMs: 2000, noExhaustion: true, allPodsGetIp: true })
    expect(p.objective).toBe("waste")
  })

  it("reads the Linux sweeps from flags and from the file's linux keys, flags first", () => {
    const p = buildPlan(
      { linuxWarmIpTarget: "0..2", linuxWarmPrefixTarget: "1,3" },
      { linuxWarmIpTarget: [5], linuxMinimumIpTarget: { from: 8, to: 10 }, linuxWarmEniTarget: [1, 0, 1] },
    )
    expect(p.linuxWarmIpTarget).toEqual([0, 1, 2])
    expect(p.linuxMinimumIpTarget).toEqual([8, 9, 10])
    expect(p.linuxWarmEniTarget).toEqual([0, 1])
    expect(p.linuxWarmPrefixTarget).toEqual([1, 3])
    expect(p.warmIpTarget).toBeUndefined()
    expect(errorOf(() => buildPlan({ linuxMinimumIpTarget: "10..2" }, undefined))).toBe(
      "--linux-minimum-ip-target 10..2: the range starts above its end (write 2..10)",
    )
  })

  it.each([
    [{ mode: "sip" }, "--mode sip: expected one of secondary-ip, prefix, both"],
    [{ objective: "cost" }, "--objective cost: expected one of waste, peak-allocated, warm-ip-seconds"],
    [
      { maxP99Wait: "2 sec" },
      '--max-p99-wait: expected a duration like "500ms", "30s", "5m", "2h", "1d", "1h30m" or whole ms, got "2 sec"',
    ],
    [{ rolloutWindow: "0s" }, "--rollout-window 0s: must be longer than 0"],
  ] as Array<[TuneFlags, string]>)("rejects %j in one line", (flags, message) => {
    expect(errorOf(() => buildPlan(flags, undefined))).toBe(message)
  })

  it("rejects a backwards range or an empty list in the file's tune section, naming file, line and field", () => {
    const path = withTune("bad-tune", "  warmIpTarget: { from: 4, to: 1 }\n  seeds: []\n")
    const message = errorOf(() => loadScenario(path))
    expect(message).toContain(`${path}:6: tune.warmIpTarget: from 4 is above to 1`)
    expect(message).toContain(`${path}:7: tune.seeds: the list is empty`)
  })

  it("decodes a scenario with a tune section", () => {
    const path = withTune(
      "with-tune",
      `  warmIpTarget: [1, 2]
  warmPrefixTarget: { from: 0, to: 2 }
  seeds: [4, 5]
  constraints: { maxP99WaitMs: 2000, allPodsGetIp: true }
  objective: warm-ip-seconds
`,
    )
    const s = loadScenario(path).scenario
    expect(buildPlan({}, s.tune).warmPrefixTarget).toEqual([0, 1, 2])
    const linux = withTune("with-linux-tune", "  linuxWarmIpTarget: { from: 3, to: 1 }\n  linuxWarmEniTarget: []\n")
    const problems = errorOf(() => loadScenario(linux))
    expect(problems).toContain(`${linux}:6: tune.linuxWarmIpTarget: from 3 is above to 1`)
    expect(problems).toContain(`${linux}:7: tune.linuxWarmEniTarget: the list is empty`)
    writeFileSync(path, "name: t\nsubnets: []\nnodeGroups: []\nworkload: {}\ntune: { objective: cheap }\n")
    expect(errorOf(() => loadScenario(path))).toContain("tune.objective")
  })
})
