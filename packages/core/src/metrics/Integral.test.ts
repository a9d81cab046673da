import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { AddressIntegrals, Integral } from "./Integral.ts"

describe("Integral.addFrom", () => {
  it("a change applied late gives the integral it would have had applied on time", () => {
    // Changes (delta, at) in time order, some of them applied after later ones (late).
    const change = fc.record({ delta: fc.integer({ min: -50, max: 50 }), gap: fc.nat(10_000), late: fc.boolean() })
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), fc.nat(10_000), (changes, tail) => {
        const onTime = new Integral()
        const withLate = new Integral()
        const held: Array<[number, number]> = []
        let t = 0
        for (const c of changes) {
          t += c.gap
          onTime.addFrom(c.delta, t)
          if (c.late) held.push([c.delta, t])
          else withLate.addFrom(c.delta, t)
        }
        for (const [delta, at] of held.reverse()) withLate.addFrom(delta, at)
        const end = t + tail
        expect(withLate.total(end)).toBe(onTime.total(end))
        expect(withLate.value).toBe(onTime.value)
      }),
    )
  })
})

describe("AddressIntegrals", () => {
  it("adds each delta to its own quantity, exactly as four Integrals set one by one", () => {
    // Steps in time order: deltas to all four at once (add), or one late change (addFrom, maybe before
    // the last change).
    const step = fc.oneof(
      fc.record({ gap: fc.nat(5_000), d: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 4, maxLength: 4 }) }),
      fc.record({
        gap: fc.nat(5_000),
        q: fc.integer({ min: 0, max: 3 }),
        delta: fc.integer({ min: -20, max: 20 }),
        back: fc.nat(8_000),
      }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.nat(10_000), (steps, tail) => {
        const packed = new AddressIntegrals()
        const plain = [new Integral(), new Integral(), new Integral(), new Integral()]
        let t = 0
        for (const s of steps) {
          t += s.gap
          if ("d" in s) {
            packed.add(s.d[0]!, s.d[1]!, s.d[2]!, s.d[3]!, t)
            s.d.forEach((d, q) => {
              if (d !== 0) plain[q]!.set(plain[q]!.value + d, t)
            })
          } else {
            const at = Math.max(0, t - s.back)
            ;[packed.used, packed.warm, packed.cooling, packed.pending][s.q]!.addFrom(s.delta, at)
            plain[s.q]!.addFrom(s.delta, at)
          }
        }
        const views = [packed.used, packed.warm, packed.cooling, packed.pending]
        views.forEach((v, q) => {
          expect([v.value, v.max, v.total(t + tail)]).toEqual([
            plain[q]!.value,
            plain[q]!.max,
            plain[q]!.total(t + tail),
          ])
        })
      }),
    )
  })
})
