import { describe, expect, it } from "vitest"
import { Rng } from "../kernel/Rng.ts"
import { type Cidr, parseCidr, parseIpv4 } from "./Ipv4.ts"
import { Subnet, type SubnetOptions } from "./Subnet.ts"

const cidr = (text: string): Cidr => {
  const c = parseCidr(text)
  if (typeof c === "string") throw new Error(c)
  return c
}

const ip = (text: string): number => parseIpv4(text)

const subnet = (text: string, seed = 1, extra: Partial<SubnetOptions> = {}): Subnet =>
  new Subnet({ id: "s", cidr: cidr(text), rng: new Rng(seed), ...extra })

/** Recomputes every counter from per-address queries and checks the O(1) getters against it. */
const checkInvariants = (s: Subnet): void => {
  let free = 0
  let freeOutside = 0
  let ips = 0
  let prefixBases = 0
  let prefixAddresses = 0
  let aws = 0
  let others = 0
  let freeBlocks = 0
  let freeReservedBlocks = 0
  for (let b = 0; b < s.size / 16; b++) {
    let blockFree = 0
    for (let i = 0; i < 16; i++) {
      const a = s.base + b * 16 + i
      switch (s.kindOf(a)) {
        case "free":
          free++
          blockFree++
          if (!s.inPrefixReservation(a)) freeOutside++
          expect(s.isFree(a)).toBe(true)
          break
        case "ip":
          ips++
          expect(s.inPrefixReservation(a)).toBe(false)
          break
        case "prefix":
          prefixAddresses++
          if (i === 0) {
            prefixBases++
            expect(s.isAllocatedPrefix(a)).toBe(true)
          }
          break
        case "aws-reserved":
          aws++
          break
        case "others":
          others++
          break
        case "outside":
          throw new Error("address inside the CIDR reported outside")
      }
    }
    if (blockFree === 16) {
      freeBlocks++
      if (s.inPrefixReservation(s.base + b * 16)) freeReservedBlocks++
    }
  }
  expect(aws).toBe(5)
  expect(free).toBe(s.free)
  expect(freeOutside).toBe(s.freeOutsideReservations)
  expect(ips).toBe(s.allocatedIps)
  expect(prefixBases).toBe(s.allocatedPrefixes)
  expect(prefixAddresses).toBe(16 * s.allocatedPrefixes)
  expect(others).toBe(s.usedByOthers)
  expect(freeBlocks).toBe(s.freeAlignedBlocks)
  expect(freeReservedBlocks).toBe(s.freeReservedBlocks)
  expect(s.fragmentedFree).toBe(free - 16 * freeBlocks)
  expect(s.free + s.allocatedIps + 16 * s.allocatedPrefixes + s.awsReserved + s.usedByOthers).toBe(s.size)
}

describe("Subnet construction", () => {
  it("accepts /16 to /28 and rejects anything else with a clear message", () => {
    expect(subnet("10.0.0.0/16").size).toBe(65536)
    expect(subnet("10.0.0.0/28").size).toBe(16)
    expect(() => subnet("10.0.0.0/15")).toThrow(/prefix length must be between \/16 and \/28, got \/15/)
    expect(() => subnet("10.0.0.0/29")).toThrow(/subnet "s" \(10\.0\.0\.0\/29\).*got \/29/)
  })

  it("counts a fresh subnet", () => {
    const s = subnet("10.0.0.0/24")
    expect(s.size).toBe(256)
    expect(s.usable).toBe(251)
    expect(s.free).toBe(251)
    expect(s.freeOutsideReservations).toBe(251)
    // 16 blocks, the first holds 4 reserved addresses and the last the broadcast one.
    expect(s.freeAlignedBlocks).toBe(14)
    expect(s.fragmentedFree).toBe(251 - 14 * 16)
    expect(s.snapshot().blocks).toBe("r..............r")
    checkInvariants(s)
  })

  it("rejects bad prefix reservations", () => {
    expect(() => subnet("10.0.0.0/24", 1, { prefixReservations: [cidr("10.0.0.16/29")] })).toThrow(
      /prefix reservation 10\.0\.0\.16\/29 must be a \/28 or larger/,
    )
    expect(() => subnet("10.0.0.0/24", 1, { prefixReservations: [cidr("10.0.1.0/28")] })).toThrow(
      /not inside the subnet/,
    )
    expect(() => subnet("10.0.0.0/24", 1, { prefixReservations: [cidr("10.0.0.0/27"), cidr("10.0.0.16/28")] })).toThrow(
      /overlaps another prefix reservation/,
    )
  })

  it("rejects an impossible usedByOthers count", () => {
    expect(() => subnet("10.0.0.0/28", 1, { usedByOthers: { count: 12 } })).toThrow(
      /usedByOthers\.count 12 exceeds the 11 free addresses/,
    )
    expect(() => subnet("10.0.0.0/28", 1, { usedByOthers: { count: -1 } })).toThrow(/non-negative integer/)
  })
})

describe("Subnet secondary IPs", () => {
  it("never hands out AWS-reserved addresses and returns -1 when exhausted", () => {
    const s = subnet("10.0.0.0/28")
    const got = new Set<number>()
    for (let i = 0; i < 11; i++) {
      const a = s.allocateIp()
      expect(a).toBeGreaterThanOrEqual(ip("10.0.0.4"))
      expect(a).toBeLessThanOrEqual(ip("10.0.0.14"))
      got.add(a)
    }
    expect(got.size).toBe(11)
    expect(s.allocateIp()).toBe(-1)
    expect(s.allocatePrimaryIp()).toBe(-1)
    expect(s.free).toBe(0)
    expect(s.allocatedIps).toBe(11)
    checkInvariants(s)
  })

  it("releases and reuses addresses, and throws on releasing what is not allocated", () => {
    const s = subnet("10.0.0.0/28")
    const a = s.allocateIp()
    expect(s.isAllocatedIp(a)).toBe(true)
    expect(s.isFree(a)).toBe(false)
    s.releaseIp(a)
    expect(s.isFree(a)).toBe(true)
    expect(() => s.releaseIp(a)).toThrow(/releaseIp\(10\.0\.0\.\d+\): not an allocated IP \(free\)/)
    expect(() => s.releaseIp(ip("10.0.0.0"))).toThrow(/aws-reserved/)
    expect(() => s.releaseIp(ip("10.0.1.0"))).toThrow(/outside/)
    checkInvariants(s)
  })

  it("holdsIp tells whether an address is inside the CIDR", () => {
    const s = subnet("10.0.0.0/24")
    expect(s.holdsIp(ip("10.0.0.0"))).toBe(true)
    expect(s.holdsIp(ip("10.0.0.255"))).toBe(true)
    expect(s.holdsIp(ip("10.0.1.0"))).toBe(false)
    expect(s.holdsIp(ip("9.255.255.255"))).toBe(false)
  })

  it("is deterministic for a seed and differs across seeds", () => {
    const run = (seed: number): number[] => {
      const s = subnet("10.0.0.0/22", seed, { usedByOthers: { count: 100 } })
      const out: number[] = []
      for (let i = 0; i < 50; i++) out.push(s.allocateIp(), s.allocatePrefix())
      return out
    }
    expect(run(7)).toEqual(run(7))
    expect(run(7)).not.toEqual(run(8))
  })

  it("spreads picks over the subnet (random placement)", () => {
    const s = subnet("10.0.0.0/24", 3)
    const blocks = new Set<number>()
    for (let i = 0; i < 20; i++) blocks.add((s.allocateIp() - s.base) >>> 4)
    expect(blocks.size).toBeGreaterThan(8)
  })
})

describe("Subnet prefixes", () => {
  it("hands out aligned /28 blocks whose 16 addresses all become non-free", () => {
    const s = subnet("10.0.0.0/24", 5)
    const p = s.allocatePrefix()
    expect(p % 16).toBe(0)
    expect(s.holdsIp(p)).toBe(true)
    for (let i = 0; i < 16; i++) {
      expect(s.isFree(p + i)).toBe(false)
      expect(s.kindOf(p + i)).toBe("prefix")
    }
    expect(s.allocatedPrefixes).toBe(1)
    expect(s.free).toBe(251 - 16)
    expect(s.freeAlignedBlocks).toBe(13)
    expect(s.snapshot().blocks.split("p")).toHaveLength(2)
    expect(() => s.releaseIp(p + 3)).toThrow(/not an allocated IP \(prefix\)/)
    expect(() => s.releasePrefix(p + 1)).toThrow(/not an allocated prefix base/)
    s.releasePrefix(p)
    expect(() => s.releasePrefix(p)).toThrow(/not an allocated prefix base/)
    expect(s.free).toBe(251)
    expect(s.freeAlignedBlocks).toBe(14)
    checkInvariants(s)
  })

  it("never uses the first or last block and returns -1 when none is fully free", () => {
    const s = subnet("10.0.0.0/26")
    // 4 blocks: the first and last hold AWS-reserved addresses.
    const a = s.allocatePrefix()
    const b = s.allocatePrefix()
    expect([a, b].sort()).toEqual([ip("10.0.0.16"), ip("10.0.0.32")])
    expect(s.allocatePrefix()).toBe(-1)
    expect(subnet("10.0.0.0/28").allocatePrefix()).toBe(-1)
  })

  it("measures fragmentation: IPs can exhaust aligned blocks while addresses stay free", () => {
    const s = subnet("10.0.0.0/26", 11)
    // 64 - 5 = 59 free; blocks 1 and 2 are fully free; blocks 0 and 3 hold 12 + 15 = 27 fragmented addresses.
    expect(s.free).toBe(59)
    expect(s.freeAlignedBlocks).toBe(2)
    expect(s.fragmentedFree).toBe(27)
    expect(s.snapshot().blocks).toBe("r..r")
    let n = 0
    while (s.freeAlignedBlocks > 0) {
      expect(s.allocateIp()).toBeGreaterThan(0)
      n++
      checkInvariants(s)
    }
    expect(n).toBeGreaterThanOrEqual(2)
    expect(s.free).toBe(59 - n)
    expect(s.free).toBeGreaterThan(0)
    expect(s.fragmentedFree).toBe(s.free)
    expect(s.allocatePrefix()).toBe(-1)
    expect(s.snapshot().blocks).toMatch(/^r[f#][f#]r$/)
  })

  it("hand-built fragmentation: one IP per block leaves no /28", () => {
    const s = subnet("10.0.0.0/26", 1, {
      usedByOthers: { ranges: [cidr("10.0.0.20/32"), cidr("10.0.0.47/32")] },
    })
    expect(s.usedByOthers).toBe(2)
    expect(s.free).toBe(57)
    expect(s.freeAlignedBlocks).toBe(0)
    expect(s.fragmentedFree).toBe(57)
    expect(s.allocatePrefix()).toBe(-1)
    expect(s.snapshot().blocks).toBe("rffr")
  })

  it("prefers prefix reservations for prefixes and keeps IPs out of them", () => {
    const s = subnet("10.0.0.0/24", 2, { prefixReservations: [cidr("10.0.0.64/27"), cidr("10.0.0.192/28")] })
    expect(s.free).toBe(251)
    expect(s.freeOutsideReservations).toBe(251 - 48)
    expect(s.freeReservedBlocks).toBe(3)
    expect(s.inPrefixReservation(ip("10.0.0.70"))).toBe(true)
    expect(s.inPrefixReservation(ip("10.0.0.100"))).toBe(false)
    const reservedBases = [ip("10.0.0.64"), ip("10.0.0.80"), ip("10.0.0.192")]
    const got: number[] = []
    for (let i = 0; i < 3; i++) got.push(s.allocatePrefix())
    expect(got.sort()).toEqual(reservedBases.sort())
    expect(s.freeReservedBlocks).toBe(0)
    // The fourth comes from outside.
    const p = s.allocatePrefix()
    expect(s.inPrefixReservation(p)).toBe(false)
    expect(p).toBeGreaterThan(0)
    // IPs never land in a reservation, even when only reserved space is left.
    s.releasePrefix(ip("10.0.0.80"))
    while (s.allocateIp() >= 0) {}
    expect(s.freeOutsideReservations).toBe(0)
    expect(s.free).toBe(16)
    expect(s.isFree(ip("10.0.0.85"))).toBe(true)
    expect(s.allocatePrefix()).toBe(ip("10.0.0.80"))
    checkInvariants(s)
    expect(s.snapshot().prefixReservations).toEqual(["10.0.0.64/27", "10.0.0.192/28"])
  })
})

describe("Subnet used by others", () => {
  it("marks ranges and a random count outside reservations", () => {
    const s = subnet("10.0.0.0/24", 9, {
      prefixReservations: [cidr("10.0.0.128/26")],
      // Overlaps the AWS-reserved head: only the 12 still-free addresses count.
      usedByOthers: { ranges: [cidr("10.0.0.0/28"), cidr("10.0.0.32/28")], count: 50 },
    })
    expect(s.usedByOthers).toBe(12 + 16 + 50)
    expect(s.kindOf(ip("10.0.0.5"))).toBe("others")
    expect(s.kindOf(ip("10.0.0.40"))).toBe("others")
    for (let a = ip("10.0.0.128"); a < ip("10.0.0.192"); a++) expect(s.isFree(a)).toBe(true)
    expect(s.freeReservedBlocks).toBe(4)
    expect(() => s.releaseIp(ip("10.0.0.40"))).toThrow(/others/)
    checkInvariants(s)
  })

  it("handles a /16, where random use by others destroys /28s long before addresses run out", () => {
    const light = subnet("10.1.0.0/16", 4, { usedByOthers: { count: 3000 } })
    expect(light.free).toBe(65531 - 3000)
    // Each block survives with probability ≈ (1 − 3000/65531)^16 ≈ 0.47.
    expect(light.freeAlignedBlocks).toBeGreaterThan(1700)
    expect(light.freeAlignedBlocks).toBeLessThan(2200)
    expect(light.allocatePrefix()).toBeGreaterThan(0)
    checkInvariants(light)
    const heavy = subnet("10.1.0.0/16", 4, { usedByOthers: { count: 30000 } })
    expect(heavy.free).toBe(65531 - 30000)
    expect(heavy.freeAlignedBlocks).toBeLessThan(5)
    checkInvariants(heavy)
  })
})

describe("Subnet invariants under random operations", () => {
  it("keeps every counter equal to a brute-force recount", () => {
    for (const seed of [1, 2, 3]) {
      const s = subnet("10.0.0.0/25", seed, {
        prefixReservations: [cidr("10.0.0.32/28")],
        usedByOthers: { count: 10, ranges: [cidr("10.0.0.100/31")] },
      })
      const ops = new Rng(seed + 1000)
      const ips: number[] = []
      const prefixes: number[] = []
      for (let step = 0; step < 600; step++) {
        const op = ops.int(5)
        if (op <= 1) {
          const a = op === 0 ? s.allocateIp() : s.allocatePrimaryIp()
          if (a >= 0) ips.push(a)
          else expect(s.freeOutsideReservations).toBe(0)
        } else if (op === 2) {
          const p = s.allocatePrefix()
          if (p >= 0) prefixes.push(p)
          else expect(s.freeAlignedBlocks).toBe(0)
        } else if (op === 3 && ips.length > 0) {
          const i = ops.int(ips.length)
          s.releaseIp(ips[i]!)
          ips.splice(i, 1)
        } else if (op === 4 && prefixes.length > 0) {
          const i = ops.int(prefixes.length)
          s.releasePrefix(prefixes[i]!)
          prefixes.splice(i, 1)
        }
        expect(s.allocatedIps).toBe(ips.length)
        expect(s.allocatedPrefixes).toBe(prefixes.length)
        checkInvariants(s)
      }
    }
  })
})
