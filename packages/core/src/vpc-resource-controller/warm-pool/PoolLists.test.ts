// Oracle tables for the warm pool: research/vpc-resource-controller.md §6.1 (pkg/pool/pool_test.go),
// for the warm map's helpers: which groups a delete takes, which group an assign takes from, how many warm
// addresses the map holds. Fixtures: WarmPool.fixtures.ts.

import { describe, expect, it } from "vitest"
import { ascendingOrder, randomOrder } from "../../go/MapOrder.ts"
import { Rng } from "../../kernel/Rng.ts"
import {
  activate,
  cfg,
  create,
  deleted,
  drain,
  grp,
  NONE,
  pdPool,
  pending,
  prefixOf,
  res,
  sipPool,
  sorted,
  WARM_PFX,
  warmOf,
} from "./WarmPool.fixtures.ts"
import { WarmPool } from "./WarmPool.ts"

// ---------------------------------------------------------------------------------------------------------------
// §6.1 helpers, through observable behaviour: findFreeGroup shows in which groups a delete takes, findMinGroup in
// which prefix an assign takes from, numResourcesFromMap in warmCountIps.

describe("§6.1 TestFindFreeGroup (via delete candidates)", () => {
  it("findFreeGroup(warmSIP, 1) = [res-3]", () => {
    const pool = sipPool({ cap: 7, used: [res(1), res(2)], warm: [res(3)] })
    expect(drain(pool)).toEqual(deleted([res(3)]))
  })

  // findFreeGroup(nil, 1) = []: a negative deviation with no candidate gives NoReconcile (§3.3 step 6). Reachable in
  // prefix mode: WPT 1 with 2 prefixes still pending → dev = 1 − 0 − 2 = −1 prefix.
  it("no candidate group → NoReconcile, nothing pending to delete", () => {
    const pool = new WarmPool({ capacity: 224, isPrefixPool: true, config: cfg(0, 0), order: ascendingOrder })
    expect(activate(pool, cfg(0, 0, 2))).toEqual(create(2))
    expect(activate(pool, cfg(0, 0, 1))).toEqual(NONE)
    expect(pending(pool)).toEqual({ pendingCreate: 32, pendingDelete: 0 })
  })

  // findFreeGroup(warmPfx, 3) = [grp-3] asks for size 3, which the pool never does (sizes are 1 and 16); with size 16
  // the only candidate in warmPfx is grp-7.
  it("findFreeGroup(warmPfx, 16) = [grp-7]: every prefix released at once when draining", () => {
    const { pool } = pdPool(224, WARM_PFX())
    expect(drain(pool)).toEqual(deleted([grp(7)]))
  })
})

describe("§6.1 TestFindMinGroup / TestAssignResourceFrom*Group (via assign)", () => {
  it("AssignResourceFromMinGroup_PD_Pool: warmPfx, 4 assigns → grp-1, grp-2, grp-2, grp-3 (empty grp-4 ignored)", () => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 0]))
    const first = pool.assign(1001)
    // grp-1's only warm address: the one left by the builder
    expect(prefixOf(first)).toBe(grp(1))
    expect([1002, 1003, 1004].map((pod) => prefixOf(pool.assign(pod)))).toEqual([grp(2), grp(2), grp(3)])
    expect(pool.warmCountIps).toBe(18)
  })

  it.each([1, 2, 3])("AssignResourceFromMinGroup_PD_Pool with random map order (seed %i): same sequence", (seed) => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 0]), randomOrder(Rng.stream(seed, "min-group")))
    expect([1001, 1002, 1003, 1004].map((pod) => prefixOf(pool.assign(pod)))).toEqual([grp(1), grp(2), grp(2), grp(3)])
  })

  // findMinGroup(warmSame): grp-5 and grp-6 both hold 2 → either; count 2.
  it("FindMinGroup ties, ascending order: grp-5", () => {
    const { pool } = pdPool(224, [
      { base: grp(5), warm: 2 },
      { base: grp(6), warm: 2 },
    ])
    expect(prefixOf(pool.assign(1001))).toBe(grp(5))
    expect(warmOf(pool)).toEqual([
      [grp(5), 1],
      [grp(6), 2],
    ])
  })

  it("FindMinGroup ties, random order: either group, both seen over seeds", () => {
    const seen = new Set<number>()
    for (let seed = 1; seed <= 16; seed++) {
      const { pool } = pdPool(
        224,
        [
          { base: grp(5), warm: 2 },
          { base: grp(6), warm: 2 },
        ],
        randomOrder(Rng.stream(seed, "tie")),
      )
      const g = prefixOf(pool.assign(1001))
      expect([grp(5), grp(6)]).toContain(g)
      expect(pool.warmGroups().find(([k]) => k === g)![1]).toBe(1)
      seen.add(g)
    }
    expect(seen.size).toBe(2)
  })

  it("AssignResourceFromAnyGroup_SecondaryIP_Pool: warmSIP → res-3", () => {
    const pool = sipPool({ cap: 7, used: [res(1), res(2)], warm: [res(3)] })
    expect(pool.assign(3)).toBe(res(3))
  })

  it("AssignResourceFromAnyGroup_PD_Pool: warmPfx → some address, warm 22 → 21", () => {
    const { pool } = pdPool(224, WARM_PFX([1, 1, 0]))
    const ip = pool.assign(1001)
    expect(ip).toBeGreaterThanOrEqual(0)
    expect(pool.warmCountIps).toBe(21)
  })

  it.each([1, 2, 3])("SIP picks any warm IP in random map order (seed %i)", (seed) => {
    const warm = [1, 2, 3, 4, 5, 6, 7, 8].map(res)
    const pool = sipPool({ cap: 29, warm, order: randomOrder(Rng.stream(seed, "any")) })
    const got = [1, 2, 3, 4, 5, 6, 7, 8].map((pod) => pool.assign(pod))
    expect(sorted(got)).toEqual(warm)
  })
})

describe("§6.1 TestNumResourcesFromMap (via warmCountIps)", () => {
  it.each<{ name: string; build: () => WarmPool; count: number; keys: number }>([
    { name: "warmPfx → 22", build: () => pdPool(224, WARM_PFX()).pool, count: 22, keys: 5 },
    { name: "{grp-5: [1 item]} → 1", build: () => pdPool(224, [{ base: grp(5), warm: 1 }]).pool, count: 1, keys: 1 },
    { name: "{} → 0", build: () => pdPool(224, []).pool, count: 0, keys: 0 },
    { name: "{grp-5: []} → 0", build: () => pdPool(224, [{ base: grp(5), warm: 0 }]).pool, count: 0, keys: 1 },
  ])("$name", ({ build, count, keys }) => {
    const pool = build()
    expect(pool.warmCountIps).toBe(count)
    expect(pool.warmGroupKeys).toBe(keys)
    expect(pool.trackedAddresses().warm).toHaveLength(count)
  })
})
