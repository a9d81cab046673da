import { PodNames } from "@ipamsim/core/kubernetes/PodNames"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { hashOf, PodIdTable } from "./PodIdTable.ts"

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

  it("agrees with PodNames when the table is a quarter full, where deletes shift long probe runs back", () => {
    // Up to 250 live names in the first 1,024 slots (it grows past 256): runs of neighbours, wrapping at
    // the end, are common, and a delete in one must keep every later name of the run reachable.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 249 })), { maxLength: 2000 }),
        (ops) => {
          const table = new PodIdTable()
          const names = new PodNames()
          for (const [op, i] of ops) {
            const n = `pod-${i}`
            const b = Buffer.from(n, "utf8")
            if (op > 0) expect(table.create(b, 0, b.length)).toBe(names.create(n))
            else expect(table.remove(b, 0, b.length)).toBe(names.remove(n))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it("keeps a probe run that wraps past the last slot reachable when a delete shifts it back", () => {
    // Names whose home is one of the last two slots or the first of the initial 1,024.
    const home = (n: string) => {
      const b = Buffer.from(n, "utf8")
      return hashOf(b, 0, b.length) & 1023
    }
    const withHome = (slot: number, count: number): string[] => {
      const out: string[] = []
      for (let k = 0; out.length < count; k++) if (home(`p-${k}`) === slot) out.push(`p-${k}`)
      return out
    }
    const [a, b] = withHome(1022, 2) as [string, string]
    const [c, d] = withHome(0, 2) as [string, string]
    const [e] = withHome(1023, 1) as [string]
    // a, b at 1022 and 1023; c, d at 0 and 1 (home 0); e, home 1023, after them at 2.
    const table = new PodIdTable()
    const names = new PodNames()
    const op = (create: boolean, n: string) => {
      const buf = Buffer.from(n, "utf8")
      if (create) expect(table.create(buf, 0, buf.length)).toBe(names.create(n))
      else expect(table.remove(buf, 0, buf.length)).toBe(names.remove(n))
    }
    for (const n of [a, b, c, d, e]) op(true, n)
    // Deleting a shifts b to 1022; c and d stay (home 0); e (home 1023) moves back to 1023.
    op(false, a)
    // Every other name is still found: creating it again gives its id, deleting it frees that id.
    for (const n of [b, c, d, e]) op(true, n)
    for (const n of [c, e, b, d]) op(false, n)
    for (const n of [a, b, c, d, e]) op(true, n)
  })

  it("stays exact through growth, deletes and arena compaction", () => {
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
