// §1.4 capacity examples, §6.4 getCapacity, §6.7 IsNitroInstance and the vpc.Limits table tests.
import { describe, expect, it } from "vitest"
import {
  getCapacity,
  isNitroInstance,
  limitsOf,
  UnknownInstanceTypeError,
  type VpcLimits,
  vpcLimits,
  windowsCapacity,
} from "./InstanceLimits.ts"

// §1.4 "Examples (from vpc-limits.json)": SIP capacity IPv4PerInterface − 1; PD ×16 on Nitro/bare metal only.
describe("windowsCapacity (§1.4 examples)", () => {
  it.each([
    ["t3.micro", 1, 16],
    ["t3.small", 3, 48],
    ["t3.medium", 5, 80],
    ["t3.large", 11, 176],
    ["m5.large", 9, 144],
    ["c5.large", 9, 144],
    ["m6i.large", 9, 144],
    ["r5.large", 9, 144],
    ["m5.xlarge", 14, 224],
    ["c5.xlarge", 14, 224],
    ["t3.xlarge", 14, 224],
    ["m5.2xlarge", 14, 224],
    ["m5.4xlarge", 29, 464],
    ["c5.4xlarge", 29, 464],
    ["m4.large", 9, undefined],
    ["c4.large", 9, undefined],
    ["t2.medium", 5, undefined],
  ])("%s → SIP %j / PD %j", (type, sip, pd) => {
    expect(windowsCapacity(type)).toEqual({ secondaryIp: sip, prefix: pd })
  })

  it("uses an extra table for types the bundled one lacks", () => {
    const extra = new Map<string, VpcLimits>([["custom.large", { ...limitsOf("m5.large") }]])
    expect(windowsCapacity("custom.large", extra)).toEqual({ secondaryIp: 9, prefix: 144 })
  })
})

// §6.4: getCapacity t3.medium windows → 5, linux → 15.
describe("getCapacity (provider test)", () => {
  it.each([
    ["t3.medium", "windows", 5],
    ["t3.medium", "linux", 15],
    ["m5.large", "windows", 9],
    ["m5.large", "linux", 27],
  ] as const)("%s %s → %j", (type, os, expected) => {
    expect(getCapacity(limitsOf(type), os)).toBe(expected)
  })
})

// §6.7 IsNitroInstance; §6.4 PD IsInstanceSupported (c5.metal bare metal → true, c1.medium xen → false).
describe("isNitroInstance", () => {
  it.each([
    ["a1.2xlarge", true],
    ["t3.medium", true],
    ["c5.metal", true],
    ["c1.medium", false],
    ["m1.large", false],
    ["t2.medium", false],
  ])("%s → %j", (type, expected) => {
    expect(isNitroInstance(limitsOf(type))).toBe(expected)
  })
})

// §6.4 unknown "x.large", §6.7 IsNitroInstance("random") → ErrNotFound; here: UnknownInstanceTypeError naming the type.
describe("unknown instance types", () => {
  it.each(["x.large", "random", "zzz"])("%s throws UnknownInstanceTypeError", (type) => {
    let caught: unknown
    try {
      windowsCapacity(type)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(UnknownInstanceTypeError)
    expect((caught as UnknownInstanceTypeError).instanceType).toBe(type)
    expect((caught as Error).message).toContain(`"${type}"`)
    expect(() => limitsOf(type)).toThrow(UnknownInstanceTypeError)
  })
})

// §6.7 vpc.Limits tests (pkg/aws/vpc/limits_test.go), over the whole bundled table.
describe("vpc.Limits table", () => {
  const table = [...vpcLimits()]
  const excluded = new Set(["g5g.4xlarge", "i4i.16xlarge", "g5g.xlarge"])

  it("holds the 1164 types of the pinned commit", () => {
    expect(table).toHaveLength(1164)
  })

  it("TestInstanceTypesHavingNetworkMetadata: every type has ≥ 1 network card", () => {
    const bad = table.filter(([, l]) => l.NetworkCards.length < 1).map(([t]) => t)
    expect(bad).toEqual([])
  })

  it("TestInstanceInterfacesMatchNetworkCards: sum of cards' max ENIs = Interface (3 types excluded)", () => {
    const bad = table
      .filter(([t]) => !excluded.has(t))
      .filter(([, l]) => l.NetworkCards.reduce((s, c) => s + c.MaximumNetworkInterfaces, 0) !== l.Interface)
      .map(([t]) => t)
    expect(bad).toEqual([])
  })

  it("the excluded types exist in the table", () => {
    for (const t of excluded) expect(vpcLimits().has(t)).toBe(true)
  })

  it("TestBranchInterfaceMatchSupportFlag: trunking-compatible → BranchInterface > 0", () => {
    const bad = table.filter(([, l]) => l.IsTrunkingCompatible && !(l.BranchInterface > 0)).map(([t]) => t)
    expect(bad).toEqual([])
  })

  it("TestDefaultNetworkCardIndex: the default card exists and has interfaces", () => {
    const bad = table
      .filter(([, l]) => {
        let interfaces = 0
        for (const c of l.NetworkCards)
          if (c.NetworkCardIndex === l.DefaultNetworkCardIndex) interfaces = c.MaximumNetworkInterfaces
        return !(interfaces > 0)
      })
      .map(([t]) => t)
    expect(bad).toEqual([])
  })
})
