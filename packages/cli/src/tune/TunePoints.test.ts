// The points a sweep makes, with spellings the controller cannot tell apart merged.

import { describe, expect, it } from "vitest"
import { buildPlan, type TuneFlags } from "./TunePlan.ts"
import { pointLabel, sweepPoints } from "./TunePoints.ts"

describe("sweep points", () => {
  const base = { "enable-windows-ipam": "true" }
  const points = (flags: TuneFlags, mergeAliases = true, b: Record<string, string> = base) =>
    sweepPoints({
      base: b,
      plan: buildPlan(flags, undefined),
      baseMode: "secondary-ip",
      prefixDelegationFlag: true,
      mergeAliases,
    })

  it("crosses warm and minimum targets in order, writing the windows- keys as strings", () => {
    const p = points({ warmIpTarget: "1..2", minimumIpTarget: "0,4" })
    expect(p.map(pointLabel)).toEqual([
      "secondary-ip warm 1 min 0",
      "secondary-ip warm 1 min 4",
      "secondary-ip warm 2 min 0",
      "secondary-ip warm 2 min 4",
    ])
    expect(p[1]!.set).toEqual({ "windows-warm-ip-target": "1", "windows-minimum-ip-target": "4" })
    expect(p[1]!.data).toEqual({ ...base, "windows-warm-ip-target": "1", "windows-minimum-ip-target": "4" })
  })

  it("merges spellings the controller cannot tell apart, keeping the one that says what it does", () => {
    // Secondary-IP mode: warm 0 is read as 1.
    const sip = points({ warmIpTarget: "0..2" })
    expect(sip.map(pointLabel)).toEqual(["secondary-ip warm 1 min 0", "secondary-ip warm 2 min 0"])
    expect(sip[0]!.set).toEqual({ "windows-warm-ip-target": "1" })
    expect(sip[0]!.aliases).toEqual(["secondary-ip warm 0"])
    // Unless a later ConfigMap change could tell them apart.
    expect(points({ warmIpTarget: "0..2" }, false)).toHaveLength(3)
  })

  it("applies the prefix-delegation rules: the prefix target counts only without IP targets", () => {
    const pd = points({ mode: "prefix", warmIpTarget: "0,2", minimumIpTarget: "0", warmPrefixTarget: "0..2" })
    expect(pd.map(pointLabel)).toEqual([
      "prefix warm-prefix 1",
      "prefix warm-prefix 2",
      "prefix warm 1 min 3",
      "prefix warm 2 min 3",
    ])
    expect(pd.every((p) => p.set["enable-windows-prefix-delegation"] === "true")).toBe(true)
    // warm 2, min 0 means min 3 once a warm target is set; the prefix target is then ignored.
    expect(pd[3]!.aliases).toEqual(["prefix warm 2 min 0 warm-prefix 1", "prefix warm 2 min 0 warm-prefix 2"])
  })

  it("removes legacy keys that would hide the windows- keys, and turns prefix delegation off for secondary-ip", () => {
    const b = { ...base, "warm-ip-target": "5", "enable-windows-prefix-delegation": "true" }
    const p = points({ mode: "secondary-ip", warmIpTarget: "2" }, true, b)
    expect(p[0]!.remove).toEqual(["warm-ip-target"])
    expect(p[0]!.data).toEqual({
      "enable-windows-ipam": "true",
      "enable-windows-prefix-delegation": "false",
      "windows-warm-ip-target": "2",
    })
  })
})
