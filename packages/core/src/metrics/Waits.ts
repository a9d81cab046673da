// Pods' waits for an address, with exact percentiles and a histogram.

/**
 * Pods' waits, kept as counts per distinct value (whole ms) so that memory follows how many different
 * waits there are, not how many pods: percentiles stay exact on traces of any length.
 */
export class Waits {
  /** Waits of 0 ms, by far the most common, counted apart. */
  private zeros = 0
  private readonly counts = new Map<number, number>()
  count = 0
  sum = 0

  push(ms: number): void {
    this.count++
    this.sum += ms
    if (ms === 0) this.zeros++
    else this.counts.set(ms, (this.counts.get(ms) ?? 0) + 1)
  }

  /** Distinct waits in increasing order with their counts. */
  private sorted(): Array<[number, number]> {
    const values = [...this.counts.entries()].sort((a, b) => a[0] - b[0])
    return this.zeros > 0 ? [[0, this.zeros], ...values] : values
  }

  /** Percentiles (nearest rank) for the given fractions; zeros when empty. */
  percentiles(fractions: readonly number[]): number[] {
    if (this.count === 0) return fractions.map(() => 0)
    const values = this.sorted()
    return fractions.map((f) => {
      const rank = Math.min(this.count - 1, Math.max(0, Math.ceil(f * this.count) - 1))
      let seen = 0
      for (const [v, n] of values) {
        seen += n
        if (seen > rank) return v
      }
      return values[values.length - 1]![0]
    })
  }

  /** Counts of waits in [edges[i], edges[i+1]); the last bin is open-ended. */
  histogram(edges: readonly number[]): number[] {
    const bins = edges.map(() => 0)
    for (const [v, n] of this.sorted()) {
      let b = 0
      while (b + 1 < edges.length && v >= edges[b + 1]!) b++
      bins[b]! += n
    }
    return bins
  }
}
