// The immer variants a sweep builds from its points.

import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { applyVariant } from "./Variant.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-tune-variant-"))

describe("variants", () => {
  const path = join(dir, "variant.yaml")
  writeFileSync(
    path,
    `name: v
duration: 10m
configMap:
  data: { enable-windows-ipam: "true", warm-ip-target: "5" }
  changes:
    - { at: 2m, set: { windows-minimum-ip-target: "1" } }
    - { at: 8m, set: { windows-minimum-ip-target: "2" } }
subnets: [{ id: s, cidr: 10.0.0.0/24 }]
nodeGroups: [{ name: g, instanceType: m5.large, count: 1, subnet: s }]
workload: { generators: [{ kind: rollout, at: 1m, replicas: 2, mode: scale-up }] }
`,
  )

  it("writes the point over the base ConfigMap and leaves the base scenario untouched", () => {
    const loaded = loadScenario(path)
    const before = JSON.stringify(loaded.scenario)
    const v = applyVariant(loaded.scenario, {
      set: { "windows-warm-ip-target": "2" },
      remove: ["warm-ip-target"],
      ignoreChanges: false,
    })
    expect(JSON.stringify(loaded.scenario)).toBe(before)
    expect(v.configMap?.data).toEqual({ "enable-windows-ipam": "true", "windows-warm-ip-target": "2" })
    expect(v.configMap?.changes).toHaveLength(2)
    expect(v.nodeGroups).toBe(loaded.scenario.nodeGroups)
    const spec = buildSimSpec({ ...loaded, scenario: v }, { seed: 3 })
    expect(spec.configMap.changes.map((c) => c.data)).toEqual([
      { "enable-windows-ipam": "true", "windows-warm-ip-target": "2", "windows-minimum-ip-target": "1" },
      { "enable-windows-ipam": "true", "windows-warm-ip-target": "2", "windows-minimum-ip-target": "2" },
    ])
  })

  it("drops the scenario's changes on request, and inserts the rollout change in time order", () => {
    const loaded = loadScenario(path)
    expect(
      applyVariant(loaded.scenario, { set: {}, remove: [], ignoreChanges: true }).configMap?.changes,
    ).toBeUndefined()
    const v = applyVariant(loaded.scenario, {
      set: {},
      remove: [],
      ignoreChanges: false,
      change: { atMs: 120_000, set: { "windows-warm-ip-target": "1" }, remove: ["warm-ip-target"] },
    })
    expect(v.configMap?.changes?.map((c) => c.at)).toEqual(["2m", 120_000, "8m"])
    const spec = buildSimSpec({ ...loaded, scenario: v })
    expect(spec.configMap.changes[1]!.data).toEqual({
      "enable-windows-ipam": "true",
      "windows-minimum-ip-target": "1",
      "windows-warm-ip-target": "1",
    })
  })
})

describe("Linux variants", () => {
  const path = join(dir, "linux-variant.yaml")
  writeFileSync(
    path,
    `name: lv
duration: 10m
awsNode:
  env: [{ name: WARM_ENI_TARGET, value: "1" }, { name: WARM_IP_TARGET, value: "4" }]
  changes:
    - { at: 2m, set: { MINIMUM_IP_TARGET: "6" } }
    - { at: 8m, set: { WARM_IP_TARGET: "3" } }
subnets: [{ id: s, cidr: 10.0.0.0/24 }]
nodeGroups: [{ name: l, os: linux, instanceType: m5.large, count: 1, subnet: s }]
workload: { generators: [{ kind: rollout, at: 1m, replicas: 2, mode: scale-up, os: linux }] }
`,
  )

  it("writes the point's variables over the base env; the scenario's changes keep applying on top", () => {
    const loaded = loadScenario(path)
    const before = JSON.stringify(loaded.scenario)
    const v = applyVariant(loaded.scenario, {
      set: {},
      remove: [],
      ignoreChanges: false,
      awsNodeSet: { WARM_IP_TARGET: "1", MINIMUM_IP_TARGET: "0" },
    })
    expect(JSON.stringify(loaded.scenario)).toBe(before)
    // The ConfigMap is left as it was (no data: the loader's default).
    expect(v.configMap?.data).toBeUndefined()
    const spec = buildSimSpec({ ...loaded, scenario: v }, { seed: 1 })
    expect(spec.awsNode?.env).toEqual({ WARM_ENI_TARGET: "1", WARM_IP_TARGET: "1", MINIMUM_IP_TARGET: "0" })
    expect(spec.awsNode?.changes?.map((c) => c.env)).toEqual([
      { WARM_ENI_TARGET: "1", WARM_IP_TARGET: "1", MINIMUM_IP_TARGET: "6" },
      { WARM_ENI_TARGET: "1", WARM_IP_TARGET: "3", MINIMUM_IP_TARGET: "6" },
    ])
  })

  it("drops the scenario's env changes on request, and inserts the rollout's env change in time order", () => {
    const loaded = loadScenario(path)
    const dropped = applyVariant(loaded.scenario, {
      set: {},
      remove: [],
      ignoreChanges: false,
      awsNodeSet: { WARM_IP_TARGET: "2" },
      ignoreAwsNodeChanges: true,
    })
    expect(dropped.awsNode?.changes).toBeUndefined()
    const v = applyVariant(loaded.scenario, {
      set: {},
      remove: [],
      ignoreChanges: false,
      change: { atMs: 300_000, set: {}, remove: [], awsNodeSet: { WARM_IP_TARGET: "1" } },
    })
    // An env switch alone adds no ConfigMap change.
    expect(v.configMap?.changes).toBeUndefined()
    const spec = buildSimSpec({ ...loaded, scenario: v })
    expect(spec.awsNode?.changes?.map((c) => [c.atMs, c.env.WARM_IP_TARGET, c.env.MINIMUM_IP_TARGET])).toEqual([
      [120_000, "4", "6"],
      [300_000, "1", "6"],
      [480_000, "3", "6"],
    ])
  })
})
