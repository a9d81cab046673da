import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { DormantLoops } from "./DormantLoops.ts"

type Entry = [time: number, key: number]
const byTimeThenKey = (a: Entry, b: Entry): number => a[0] - b[0] || a[1] - b[1]

describe("DormantLoops", () => {
  it("while ordered, pops the current loops in (time, key) order and tells them from stale entries; knows which loops are skipped", () => {
    // The reference: each key's current time, and while ordered the entries the heap may hold (it may
    // drop stale ones at any time, so only current ones must come out, in order, each once).
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
      fc.constant({ op: "order" as const }),
      fc.constant({ op: "unorder" as const }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new DormantLoops()
        let entries: Entry[] = []
        const current = new Map<number, number>()
        const isCurrent = ([t, k]: Entry): boolean => current.get(k) === t
        for (const o of ops) {
          if (o.op === "push") {
            heap.push(o.time, o.key)
            // A push may drop a heap no longer needed.
            if (heap.isOrdered) entries.push([o.time, o.key])
            else entries = []
            current.set(o.key, o.time)
          } else if (o.op === "forget") {
            heap.forget(o.key)
            current.delete(o.key)
          } else if (o.op === "compact") {
            heap.compact()
            entries = entries.filter(isCurrent)
          } else if (o.op === "order") {
            if (!heap.isOrdered) entries = [...current].map(([k, t]): Entry => [t, k])
            heap.order()
          } else if (o.op === "unorder") {
            heap.unorder()
            if (!heap.isOrdered) entries = []
          } else if (heap.size > 0) {
            expect(heap.isOrdered).toBe(true)
            const t = heap.minTime()
            const k = heap.minKey()
            expect(heap.minIsCurrent()).toBe(current.get(k) === t)
            const live = entries.filter(isCurrent).sort(byTimeThenKey)
            if (heap.minIsCurrent()) expect([t, k]).toEqual(live[0])
            else if (live.length > 0) expect(byTimeThenKey([t, k], live[0]!)).toBeLessThanOrEqual(0)
            const at = entries.findIndex(([et, ek]) => et === t && ek === k)
            expect(at).toBeGreaterThanOrEqual(0)
            entries.splice(at, 1)
            heap.pop()
          }
          if (!heap.isOrdered) expect(heap.size).toBe(0)
          expect(heap.size).toBeGreaterThanOrEqual(entries.filter(isCurrent).length)
          for (const key of [0, 7, 30, 1024, 2999]) expect(heap.has(key)).toBe(current.has(key))
        }
      }),
      { numRuns: 300 },
    )
  })

  it("keeps no heap until ordered, then builds it from the current loops and drains them in order", () => {
    const heap = new DormantLoops()
    // 3,000 keys, each pushed three times (only the last is current), times falling with the key.
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 3000; i++) {
        const key = (i * 7919) % 3000
        heap.push(1_000_000 - key * 10 + round, key)
      }
    for (let key = 0; key < 3000; key += 2) heap.forget(key)
    expect(heap.size).toBe(0)
    heap.order()
    expect(heap.size).toBe(1500)
    const keys: number[] = []
    while (heap.size > 0) {
      expect(heap.minIsCurrent()).toBe(true)
      keys.push(heap.minKey())
      heap.pop()
    }
    expect(keys).toEqual(Array.from({ length: 1500 }, (_, i) => 2999 - 2 * i))
  })

  it("drops the heap once the order is no longer needed and the pushes since it was built outnumber the providers", () => {
    const heap = new DormantLoops()
    for (let key = 0; key < 100; key++) heap.push(key * 30_000, key)
    heap.order()
    heap.push(5, 3)
    heap.unorder()
    // One push since the build: dropping the heap now would make the next order() rebuild it for nothing.
    expect(heap.isOrdered).toBe(true)
    // The index covers 1,024 keys: as many pushes since the build pay for it, and the heap goes at the last.
    for (let i = 1; i < 1023; i++) heap.push(i, i % 100)
    expect(heap.isOrdered).toBe(true)
    heap.push(7, 7)
    expect(heap.isOrdered).toBe(false)
    expect(heap.size).toBe(0)
    expect(heap.has(99)).toBe(true)
    // While the order is needed, it is kept however many pushes come.
    heap.order()
    for (let i = 0; i < 3000; i++) heap.push(i, i % 100)
    expect(heap.isOrdered).toBe(true)
  })
})
