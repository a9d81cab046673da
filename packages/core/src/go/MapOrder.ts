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
  /**
   * The index (below `n`) of the candidate met next in map order among the first `n`: a walk that stops at
   * the first candidate it can use draws one index per candidate it looks at, swapping each one it rejects
   * out of the first `n`.
   */
  next(candidates: number[], n: number): number
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
  next(candidates, n) {
    let at = 0
    for (let i = 1; i < n; i++) if (candidates[i]! < candidates[at]!) at = i
    return at
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
  next(_candidates, n) {
    return rng.int(n)
  },
})

/**
 * Go's map order as uniform random choices drawn from a seed set for each operation (ipamd's per-node
 * orders): an operation's draws do not depend on how many operations drew before it. Each draw hashes
 * (seed, draw number), so setting a seed costs nothing.
 */
export class SeededOrder implements MapOrder {
  private seed = 0
  private k = 0

  /** The seed of the next operation's draws. */
  setSeed(seed: number): void {
    this.seed = seed >>> 0
    this.k = 0
  }

  choose(candidates: number[], n: number): number {
    return candidates[this.draw(n)]!
  }

  arrange(candidates: number[], n: number): void {
    for (let i = n - 1; i > 0; i--) {
      const j = this.draw(i + 1)
      const t = candidates[i]!
      candidates[i] = candidates[j]!
      candidates[j] = t
    }
  }

  next(_candidates: number[], n: number): number {
    return this.draw(n)
  }

  /** Uniform in [0, n): the draw's 32-bit hash (murmur3's finaliser over seed and draw number) scaled. */
  private draw(n: number): number {
    let z = (this.seed + Math.imul(++this.k, 0x9e3779b9)) >>> 0
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    z = (z ^ (z >>> 16)) >>> 0
    return Math.floor((z / 4294967296) * n)
  }
}
