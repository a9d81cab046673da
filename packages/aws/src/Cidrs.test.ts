import { formatCidr, parseIpv4 } from "@ipamsim/core/ec2/Ipv4"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { addressesToCidrs } from "./Cidrs.ts"

const ip = (text: string): number => parseIpv4(text)
const range = (from: string, to: string): number[] =>
  Array.from({ length: ip(to) - ip(from) + 1 }, (_, i) => ip(from) + i)

describe("addressesToCidrs", () => {
  it("keeps lone addresses as /32 and merges aligned runs", () => {
    expect(addressesToCidrs([])).toEqual([])
    expect(addressesToCidrs([ip("10.0.0.7")]).map(formatCidr)).toEqual(["10.0.0.7/32"])
    expect(addressesToCidrs(range("10.0.0.16", "10.0.0.31")).map(formatCidr)).toEqual(["10.0.0.16/28"])
    expect(addressesToCidrs(range("10.0.0.1", "10.0.0.16")).map(formatCidr)).toEqual([
      "10.0.0.1/32",
      "10.0.0.2/31",
      "10.0.0.4/30",
      "10.0.0.8/29",
      "10.0.0.16/32",
    ])
  })

  it("ignores order and duplicates", () => {
    const a = [ip("10.0.0.9"), ip("10.0.0.8"), ip("10.0.0.8"), ip("10.0.0.200")]
    expect(addressesToCidrs(a).map(formatCidr)).toEqual(["10.0.0.8/31", "10.0.0.200/32"])
  })

  it("covers exactly the given addresses with aligned blocks", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 511 }), { maxLength: 200 }), (offsets) => {
        const base = ip("10.1.0.0")
        const addresses = offsets.map((o) => base + o)
        const blocks = addressesToCidrs(addresses)
        const covered: number[] = []
        for (const b of blocks) {
          expect(b.base % b.size).toBe(0)
          for (let i = 0; i < b.size; i++) covered.push(b.base + i)
        }
        expect(covered).toEqual([...addresses].sort((x, y) => x - y))
      }),
    )
  })
})
