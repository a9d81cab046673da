import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventQueue } from "./EventQueue.ts"

type Ev = [time: number, kind: number, a: number, b: number, seq: number]
const order = (x: Ev, y: Ev): number => x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3] || x[4] - y[4]

describe("EventQueue", () => {
  it("pops in (time, kind, a, b, insertion) order under any mix of pushes and pops", () => {
    const op = fc.oneof(
      fc.tuple(
        // Often the same few instants and kinds, so that ties on (time, kind) are common.
        fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1 })).map((t) => t * 1000),
        fc.oneof(fc.integer({ min: 1, max: 15 }), fc.constant(7)),
        fc.integer({ min: -2, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
      ),
      fc.constant("pop" as const),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new EventQueue(2)
        const ref: Ev[] = []
        let seq = 0
        let now = 0
        for (const o of ops) {
          if (o === "pop") {
            ref.sort(order)
            const want = ref.shift()
            expect(q.pop()).toBe(want !== undefined)
            if (want === undefined) continue
            expect([q.at, q.eventKind, q.a, q.b]).toEqual(want.slice(0, 4))
            now = q.at
          } else {
            // Events are never scheduled in the past.
            const e: Ev = [now + o[0], o[1], o[2], o[3], seq++]
            q.push(e[0], e[1], e[2], e[3])
            ref.push(e)
          }
          expect(q.size).toBe(ref.length)
          expect(q.peekTime()).toBe(ref.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...ref.map((e) => e[0])))
        }
      }),
      { numRuns: 300 },
    )
  })

  it("pops events of one instant and kind in (a, b) order, whatever order they were pushed in", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })), { maxLength: 60 }),
        (evs) => {
          const q = new EventQueue(2)
          for (const [a, b] of evs) q.push(1000, 7, a, b)
          const out: Array<[number, number]> = []
          while (q.pop()) out.push([q.a, q.b])
          expect(out).toEqual([...evs].sort((x, y) => x[0] - y[0] || x[1] - y[1]))
        },
      ),
      { numRuns: 300 },
    )
  })

  it("keeps week-long times exact", () => {
    const q = new EventQueue()
    const week = 7 * 24 * 3600_000
    q.push(week + 1, 15, 3, 4)
    q.push(week + 1, 2, 9, 9)
    q.pop()
    expect([q.at, q.eventKind, q.a, q.b]).toEqual([week + 1, 2, 9, 9])
    q.pop()
    expect([q.at, q.eventKind, q.a, q.b]).toEqual([week + 1, 15, 3, 4])
  })
})
