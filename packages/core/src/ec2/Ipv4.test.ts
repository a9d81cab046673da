import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { prefixOf } from "./Ipv4.ts"

describe("prefixOf", () => {
  it("is the address less its remainder by 16, over the whole address space and for addresses read as doubles", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (ip) => {
        expect(prefixOf(ip)).toBe(ip - (ip % 16))
        // As the pools' Float64Array hands it back.
        expect(prefixOf(new Float64Array([ip])[0]!)).toBe(ip - (ip % 16))
      }),
      { numRuns: 2000 },
    )
    // Past 2³¹ (172.16/12, 192.168/16) and the ends of the space.
    for (const ip of [0, 15, 16, 2 ** 31 - 1, 2 ** 31, 3232235777, 2 ** 32 - 1])
      expect(prefixOf(ip)).toBe(ip - (ip % 16))
  })
})
