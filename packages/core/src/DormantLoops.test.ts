import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { DormantLoops } from "./DormantLoops.ts"

type Entry = [time: number, key: number]
const byTimeThenKey = (a: Entry, b: Entry): number => a[0] - b[0] || a[1] - b[1]

describe("DormantLoops", () => {
  it("pops entries in (time, key) order, tells each provider's current loop from stale ones, and which are skipped", () => {
    // The reference: every entry pushed and not yet popped or compacted away, and each key's current time.
    const op = fc.oneof(
      // Few instants and keys, so that ties, repeated pushes of a key and stale entries are common; keys
      // past the initial 1,024 make the index grow.
      fc.record({
        op: fc.constant("push" as const),
        time: fc.integer({ min: 0, max: 12 }).map((t) => t * 30_000),
        key: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1024, max: 3000 })),
      }),
      fc.record({ op: fc.constant("forget" as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.constant({ op: "pop" as const }),
      fc.constant({ op: "compact" as const }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new DormantLoops()
        let entries: Entry[] = []
        const current = new Map<number, number>()
        for (const o of ops) {
          if (o.op === "push") {
            heap.push(o.time, o.key)
            entries.push([o.time, o.key])
            current.set(o.key, o.time)
          } else if (o.op === "forget") {
            heap.forget(o.key)
            current.delete(o.key)
          } else if (o.op === "compact") {
            heap.compact()
            entries = entries.filter(([t, k]) => current.get(k) === t)
          } else if (entries.length > 0) {
            entries.sort(byTimeThenKey)
            const [t, k] = entries.shift()!
            expect([heap.minTime(), heap.minKey(), heap.minIsCurrent()]).toEqual([t, k, current.get(k) === t])
            heap.pop()
          }
          expect(heap.size).toBe(entries.length)
          for (const key of [0, 7, 30, 1024, 2999]) expect(heap.has(key)).toBe(current.has(key))
        }
      }),
      { numRuns: 300 },
    )
  })

  it("compacts down to the current loops, and drains them in order", () => {
    const heap = new DormantLoops()
    // 3,000 keys, each pushed three times (only the last is current), times falling with the key.
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 3000; i++) {
        const key = (i * 7919) % 3000
        heap.push(1_000_000 - key * 10 + round, key)
      }
    for (let key = 0; key < 3000; key += 2) heap.forget(key)
    heap.compact()
    expect(heap.size).toBe(1500)
    const keys: number[] = []
    while (heap.size > 0) {
      expect(heap.minIsCurrent()).toBe(true)
      keys.push(heap.minKey())
      heap.pop()
    }
    expect(keys).toEqual(Array.from({ length: 1500 }, (_, i) => 2999 - 2 * i))
  })
})
