// Node groups, subnets and ConfigMaps: ranges respected, names, and the strings a ConfigMap holds.

import { parseCidr } from "@ipamsim/core/ec2/Ipv4"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { configMap } from "../src/ConfigMapArbitrary.ts"
import { nodeCount, nodeGroups } from "../src/NodeGroupArbitrary.ts"
import { subnet } from "../src/SubnetArbitrary.ts"

describe("nodeGroups", () => {
  it("draws types from the list and counts from the range, and knows the most nodes it can make", () => {
    const arb = nodeGroups({
      instanceTypes: ["t3.medium", "c5.xlarge"],
      count: { min: 2, max: 4 },
      groups: { min: 1, max: 2 },
    })
    expect(arb.maxNodes).toBe(8)
    fc.assert(
      fc.property(arb, (gs) => {
        expect(gs.map((g) => g.name)).toEqual(gs.map((_, i) => `g${i}`))
        for (const g of gs) {
          expect(["t3.medium", "c5.xlarge"]).toContain(g.instanceType)
          expect(g.count).toBeGreaterThanOrEqual(2)
          expect(g.count).toBeLessThanOrEqual(4)
        }
        expect(nodeCount(gs)).toBeLessThanOrEqual(arb.maxNodes)
      }),
      { numRuns: 100 },
    )
  })

  it("refuses an instance type the controller does not know, when the arbitrary is made", () => {
    expect(() => nodeGroups({ instanceTypes: ["m5.notreal"] })).toThrow(/unknown instance type "m5.notreal"/)
  })
})

describe("subnet", () => {
  it("makes a valid CIDR of the requested size and keeps one address free of others", () => {
    fc.assert(
      fc.property(subnet({ prefixLength: { min: 24, max: 28 }, usedByOthers: { min: 0, max: 500 } }), (s) => {
        const cidr = parseCidr(s.cidr)
        expect(typeof cidr).not.toBe("string")
        const length = Number(s.cidr.split("/")[1])
        expect(length).toBeGreaterThanOrEqual(24)
        expect(s.usedByOthers!.count).toBeLessThanOrEqual(2 ** (32 - length) - 5 - 1)
      }),
      { numRuns: 100 },
    )
  })
})

describe("configMap", () => {
  it("always enables IPAM and writes targets as strings under the windows- keys", () => {
    const [cm] = fc.sample(
      configMap({ prefixDelegation: true, warmIpTarget: 3, minimumIpTarget: { min: 5, max: 5 } }),
      {
        numRuns: 1,
      },
    )
    expect(cm).toEqual({
      "enable-windows-ipam": "true",
      "enable-windows-prefix-delegation": "true",
      "windows-warm-ip-target": "3",
      "windows-minimum-ip-target": "5",
    })
  })

  it("writes legacy keys when asked, and leaves absent targets out", () => {
    const [cm] = fc.sample(configMap({ warmPrefixTarget: "2", legacyKeys: true }), { numRuns: 1 })
    expect(cm).toEqual({ "enable-windows-ipam": "true", "warm-prefix-target": "2" })
  })

  it('"any" reaches missing keys, numbers, negatives and text the controller cannot parse', () => {
    const seen = new Set(
      fc
        .sample(configMap({ warmIpTarget: "any" }), { numRuns: 500, seed: 5 })
        .map((cm) => cm["windows-warm-ip-target"] ?? "missing"),
    )
    for (const v of ["missing", "0", "3", "-1", "x", ""]) expect(seen).toContain(v)
  })

  it('"either" gives both modes', () => {
    const modes = new Set(
      fc
        .sample(configMap({ prefixDelegation: "either" }), { numRuns: 50, seed: 1 })
        .map((cm) => Object.keys(cm).length),
    )
    expect(modes).toEqual(new Set([1, 2]))
  })
})
