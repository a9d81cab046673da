import { PodNames } from "@ipamsim/core/PodNames"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { PodIdTable } from "./PodIdTable.ts"

// The byte table must give exactly the ids the kernel would give by name (PodEvent.podId rules).
describe("PodIdTable", () => {
  const name = fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((i) => `pod-${i}`),
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.constantFrom("ns/ä-pod", "名前", "a", "b/c"),
  )
  it("agrees with PodNames on any sequence of creates and deletes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), name), { maxLength: 300 }), (ops) => {
        const table = new PodIdTable()
        const names = new PodNames()
        for (const [create, n] of ops) {
          const b = Buffer.from(n, "utf8")
          if (create) expect(table.create(b, 0, b.length)).toBe(names.create(n))
          else expect(table.remove(b, 0, b.length)).toBe(names.remove(n))
        }
      }),
      { numRuns: 500 },
    )
  })

  it("stays exact through growth, rehashing and arena compaction", () => {
    const table = new PodIdTable()
    const names = new PodNames()
    let seed = 11
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    // A name inside a larger buffer, at an offset, as the reader passes them.
    const buf = Buffer.alloc(64)
    for (let i = 0; i < 300_000; i++) {
      const n = `default/pod-${rnd(20_000)}-${"x".repeat(rnd(20))}`
      const len = buf.write(n, 5, "utf8")
      if (rnd(3) > 0) expect(table.create(buf, 5, 5 + len)).toBe(names.create(n))
      else expect(table.remove(buf, 5, 5 + len)).toBe(names.remove(n))
    }
  })
})
