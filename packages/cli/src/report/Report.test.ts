// The JSON report and the timeline CSV carry the linux section and the Linux groups as the kernel reports
// them (the CSV adds the subnets' holders over time); a Windows-only run has no linux key, no holder column.

import { describe, expect, it } from "vitest"
import type { Scenario } from "../scenario/ScenarioSchema.ts"
import { LINUX, WINDOWS_ONLY, WITH_LINUX } from "./Report.fixtures.ts"
import { buildReport, type Report, reportJson } from "./Report.ts"
import { timelineCsv } from "./TimelineCsv.ts"

/** The kernel's result inside a report (what buildReport is given). */
const resultOf = (r: Report) => {
  const { schemaVersion: _v, scenario: _s, description: _d, expectations: _e, configuration: _c, ...result } = r
  return result
}
const scenario: Scenario = {
  name: "fixture",
  description: "a fixture",
  subnets: [{ id: "subnet-a", cidr: "10.0.0.0/24" }],
  nodeGroups: [{ name: "windows-m5-large", instanceType: "m5.large", count: 2, subnet: "subnet-a" }],
  workload: {},
}

describe("the JSON report", () => {
  it("has no linux key without Linux nodes", () => {
    const json = JSON.parse(reportJson(buildReport(scenario, resultOf(WINDOWS_ONLY)))) as Record<string, unknown>
    expect(Object.keys(json)).toEqual([
      "schemaVersion",
      "scenario",
      "description",
      "seed",
      "simulatedMs",
      "events",
      "pods",
      "addresses",
      "subnets",
      "ec2",
      "workers",
      "controller",
      "nodes",
      "groups",
      "timeline",
      "expectations",
      "configuration",
    ])
  })

  it("writes the linux section as the kernel gives it, and the Linux nodes' os and enis", () => {
    const json = JSON.parse(reportJson(buildReport(scenario, resultOf(WITH_LINUX)))) as Report
    expect(json.linux).toEqual(LINUX)
    expect(Object.keys(json).slice(-3)).toEqual(["linux", "expectations", "configuration"])
    expect(json.nodes[0]).toMatchObject({ group: "linux-m5-large", os: "linux", enis: 2 })
    expect(json.nodes.at(-1)).not.toHaveProperty("os")
  })
})

describe("timelineCsv", () => {
  it("has a Linux group's columns next to the Windows group's, then who holds each subnet's addresses", () => {
    const [head, ...rows] = timelineCsv(WITH_LINUX).trimEnd().split("\n")
    expect(head).toBe(
      "t_ms,subnet:subnet-a:free,subnet:subnet-a:free_aligned_28," +
        "group:linux-m5-large:used,group:linux-m5-large:warm,group:linux-m5-large:cooling,group:linux-m5-large:pending," +
        "group:windows-m5-large:used,group:windows-m5-large:warm,group:windows-m5-large:cooling,group:windows-m5-large:pending," +
        "pods_waiting,pods_pending," +
        "subnet:subnet-a:held:windowsPods,subnet:subnet-a:held:windowsWarm,subnet:subnet-a:held:windowsCooling," +
        "subnet:subnet-a:held:linuxPods,subnet:subnet-a:held:linuxWarm,subnet:subnet-a:held:linuxCooling," +
        "subnet:subnet-a:held:eniPrimaries,subnet:subnet-a:held:inFlight,subnet:subnet-a:held:others," +
        "subnet:subnet-a:held:awsReserved,subnet:subnet-a:held:free",
    )
    expect(rows[1]).toBe("600000,129,2,50,20,0,1,20,0,0,3,5,3,20,0,0,50,20,0,7,3,22,5,129")
  })

  it("has no holder columns without Linux nodes", () => {
    expect(timelineCsv(WINDOWS_ONLY).split("\n")[0]).toBe(
      "t_ms,subnet:subnet-a:free,subnet:subnet-a:free_aligned_28," +
        "group:windows-m5-large:used,group:windows-m5-large:warm,group:windows-m5-large:cooling,group:windows-m5-large:pending," +
        "pods_waiting,pods_pending",
    )
  })
})
