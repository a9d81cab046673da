import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { PodIndex } from "./PodIndex.ts"

describe("PodIndex", () => {
  it("answers like a Map through random sets and deletes, growing past its first size", () => {
    const op = fc.record({
      set: fc.boolean(),
      // Few keys collide often; keys far apart make it grow.
      pod: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2_000_000 })),
      value: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const index = new PodIndex()
        const model = new Map<number, number>()
        for (const o of ops) {
          if (o.set) {
            index.set(o.pod, o.value)
            model.set(o.pod, o.value)
          } else expect(index.delete(o.pod)).toBe(model.delete(o.pod))
          expect(index.size).toBe(model.size)
        }
        for (const [k, v] of model) expect(index.get(k)).toBe(v)
        for (const o of ops) if (!model.has(o.pod)) expect(index.get(o.pod)).toBe(-1)
      }),
      { numRuns: 300 },
    )
  })

  it("moves entries back across the end of the table when one before them goes", () => {
    // In the first 64-slot table, pods 55, 144 and 199 hash to slot 63 (so sit at 63, 0, 1) and 0, 34 to
    // slot 0 (so sit at 2, 3): deleting one of the first makes the rest move back, across the wrap.
    // Alone, 0 and 34 sit at 0 and 1: deleting 0 moves 34 back to its home.
    for (const pods of [
      [55, 144, 199, 0, 34],
      [0, 34],
    ])
      for (const gone of pods) {
        const index = new PodIndex()
        pods.forEach((p, i) => {
          index.set(p, i)
        })
        expect(index.delete(gone)).toBe(true)
        pods.forEach((p, i) => {
          expect(index.get(p)).toBe(p === gone ? -1 : i)
        })
      }
  })

  it("keeps every pod findable after deleting from long runs of colliding keys", () => {
    const index = new PodIndex()
    const pods = Array.from({ length: 500 }, (_, i) => i * 64)
    pods.forEach((p, i) => {
      index.set(p, i)
    })
    for (let i = 0; i < pods.length; i += 3) index.delete(pods[i]!)
    pods.forEach((p, i) => {
      expect(index.get(p)).toBe(i % 3 === 0 ? -1 : i)
    })
  })
})
