// A failing property's shrunk counterexample as a scenario file, replayed by `ipamsim run --html`: the same
// simulation (the report's pods equal simulate's), exit 2 for the broken expectation, and an HTML report.

import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import { capacityPredicate, checkCapacity } from "../src/CapacityProperty.ts"
import { burstChurn } from "../src/ChurnArbitraries.ts"
import { nodeGroups } from "../src/NodeGroupArbitrary.ts"
import { scenarios } from "../src/Scenario.ts"
import { scenarioFile, writeCounterexample } from "../src/ScenarioFile.ts"
import { simulate } from "../src/Simulate.ts"

const repo = resolve(import.meta.dirname, "../../..")
const dir = mkdtempSync(join(tmpdir(), "ipamsim-counterexample-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A t3.medium has 5 addresses for pods: up to 8 pods that stay cannot all get one.
const upTo8 = scenarios({
  nodeGroups: nodeGroups({ instanceTypes: ["t3.medium"], count: 1 }),
  churnPerNode: burstChurn({ bursts: 1, podsPerBurst: { min: 1, max: 8 } }),
})

const ipamsim = (...args: string[]) =>
  spawnSync(process.execPath, [join(repo, "packages/cli/bin/ipamsim.mjs"), ...args], { encoding: "utf8" })

describe("a counterexample as a scenario file", () => {
  it("is replayed by ipamsim run --html: the same simulation, and exit 2", () => {
    const details = checkCapacity(upTo8, { allPodsGetIp: true }, { seed: 1 })
    const file = writeCounterexample(details, join(dir, "six-pods.yaml"), { expectations: { allPodsGetIp: true } })
    expect(file).toBe(join(dir, "six-pods.yaml"))
    expect(readFileSync(join(dir, "six-pods.trace.csv"), "utf8").split("\n")[0]).toBe("time_ms,event,pod")
    const run = ipamsim("run", file!, "--json", join(dir, "six-pods.json"), "--html", join(dir, "six-pods.html"))
    expect(run.status, run.stderr).toBe(2)
    expect(run.stderr).toContain("allPodsGetIp")
    const report = JSON.parse(readFileSync(join(dir, "six-pods.json"), "utf8"))
    expect(report.pods).toEqual(simulate(details.counterexample![0]).pods)
    expect(readFileSync(join(dir, "six-pods.html"), "utf8")).toContain("<html")
  })

  it("is written by a failing property, and after shrinking holds the shrunk counterexample", () => {
    const file = join(dir, "property.yaml")
    const details = fc.check(
      fc.property(upTo8, capacityPredicate({ allPodsGetIp: true }, { counterexampleFile: file })),
      { seed: 1 },
    )
    expect(details.failed).toBe(true)
    expect(existsSync(file)).toBe(true)
    const { yaml } = scenarioFile(details.counterexample![0], "property.trace.csv", {
      name: "property",
      expectations: { allPodsGetIp: true },
      description: "The shrunk counterexample of the capacity property.",
    })
    expect(readFileSync(file, "utf8")).toBe(yaml)
  })

  it("validates", () => {
    const details = checkCapacity(upTo8, { allPodsGetIp: true }, { seed: 2 })
    const file = writeCounterexample(details, join(dir, "other.yaml"))!
    const validate = ipamsim("validate", file)
    expect(validate.status, validate.stderr).toBe(0)
  })
})
