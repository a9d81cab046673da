import type { Rng } from "../kernel/Rng.ts"

/**
 * Where the controller walks a Go map and takes what it meets first (a warm IP from "any group", ties
 * of findMinGroup, delete candidates of findFreeGroup), the order is Go's randomised map order. Every
 * such choice goes through this one strategy: seeded random in simulations, ascending address in the
 * conformance protocol.
 */
export interface MapOrder {
  /** One of the first `n` candidates, as the first met in map order. */
  choose(candidates: number[], n: number): number
  /** Reorders the first `n` candidates in place into map-iteration order. */
  arrange(candidates: number[], n: number): void
}

export const ascendingOrder: MapOrder = {
  choose(candidates, n) {
    let best = candidates[0]!
    for (let i = 1; i < n; i++) if (candidates[i]! < best) best = candidates[i]!
    return best
  },
  arrange(candidates, n) {
    // Insertion sort: candidate lists are short (≤ 50 groups on any Windows node).
    for (let i = 1; i < n; i++) {
      const v = candidates[i]!
      let j = i - 1
      while (j >= 0 && candidates[j]! > v) {
        candidates[j + 1] = candidates[j]!
        j--
      }
      candidates[j + 1] = v
    }
  },
}

/** Go's map order modelled as a uniform random permutation (docs/fidelity.md says why that is an approximation). */
export const randomOrder = (rng: Rng): MapOrder => ({
  choose(candidates, n) {
    return candidates[rng.int(n)]!
  },
  arrange(candidates, n) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      const t = candidates[i]!
      candidates[i] = candidates[j]!
      candidates[j] = t
    }
  },
})
