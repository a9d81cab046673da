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

  it("crosses the Windows settings with the Linux env variables, Windows outermost", () => {
    const p = sweepPoints({
      base,
      awsNodeBase: { WARM_ENI_TARGET: "1", WARM_IP_TARGET: "5" },
      plan: buildPlan({ warmIpTarget: "0..2", linuxWarmEniTarget: "0,1", linuxWarmIpTarget: "0,2" }, undefined),
      baseMode: "secondary-ip",
      prefixDelegationFlag: true,
      mergeAliases: true,
    })
    // Windows warm 0 merges into warm 1 (2 Windows settings) × 2 × 2 Linux settings; Linux spellings all run.
    expect(p).toHaveLength(8)
    expect(p.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(p.slice(0, 4).map(pointLabel)).toEqual([
      "secondary-ip warm 1 min 0 · WARM_ENI_TARGET=0 WARM_IP_TARGET=0",
      "secondary-ip warm 1 min 0 · WARM_ENI_TARGET=0 WARM_IP_TARGET=2",
      "secondary-ip warm 1 min 0 · WARM_ENI_TARGET=1 WARM_IP_TARGET=0",
      "secondary-ip warm 1 min 0 · WARM_ENI_TARGET=1 WARM_IP_TARGET=2",
    ])
    expect(p[0]!.aliases).toEqual(["secondary-ip warm 0 · WARM_ENI_TARGET=0 WARM_IP_TARGET=0"])
    expect(p[1]!.awsNodeSet).toEqual({ WARM_ENI_TARGET: "0", WARM_IP_TARGET: "2" })
    // The swept variables as strings over the base env; the targets as ipamd reads the whole env.
    expect(p[1]!.awsNodeEnv).toEqual({ WARM_ENI_TARGET: "0", WARM_IP_TARGET: "2" })
    expect(p[1]!.linuxTargets).toEqual({ warmEniTarget: 0, warmIpTarget: 2, minimumIpTarget: 0, warmPrefixTarget: 0 })
  })

  it("keeps the ConfigMap as it is when only Linux is swept", () => {
    const b = { ...base, "enable-windows-prefix-delegation": "false" }
    const p = sweepPoints({
      base: b,
      awsNodeBase: {},
      plan: buildPlan({ linuxMinimumIpTarget: "0..2" }, undefined),
      baseMode: "secondary-ip",
      prefixDelegationFlag: true,
      mergeAliases: true,
    })
    expect(p.map(pointLabel)).toEqual(["MINIMUM_IP_TARGET=0", "MINIMUM_IP_TARGET=1", "MINIMUM_IP_TARGET=2"])
    expect(p.every((x) => Object.keys(x.set).length === 0 && x.remove.length === 0 && !x.windows)).toBe(true)
    expect(p[0]!.data).toEqual(b)
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
