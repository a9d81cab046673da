// Exact metrics: every quantity is piecewise constant between events, so time integrals are sums of
// value × duration, updated when the value changes (no sampling). Percentiles are exact, from counts of
// every distinct wait.

/** An Integral's fields in its typed array (an enum: a bundle writes the values into the code). */
enum At {
  SIZE = 4,
  VALUE = 0,
  LAST = 1,
  ACC = 2,
  MAX = 3,
}

/**
 * A piecewise-constant quantity and its running time integral (value·ms). Its four numbers are in a small
 * typed array, which a pod event updates in place: object fields holding doubles are boxes V8 reaches
 * through a pointer each.
 */
export class Integral {
  private readonly s = new Float64Array(At.SIZE)

  get value(): number {
    return this.s[At.VALUE]!
  }
  get max(): number {
    return this.s[At.MAX]!
  }

  set(value: number, now: number): void {
    const s = this.s
    s[At.ACC] = s[At.ACC]! + s[At.VALUE]! * (now - s[At.LAST]!)
    s[At.LAST] = now
    s[At.VALUE] = value
    if (value > s[At.MAX]!) s[At.MAX] = value
  }

  /**
   * Adds `delta` from time `at` on, where `at` may be before the last change (a change applied late, see
   * Cluster's skipped loops). Exact: values and times are integers. `max` only sees values as they are set.
   */
  addFrom(delta: number, at: number): void {
    const s = this.s
    if (at >= s[At.LAST]!) this.set(s[At.VALUE]! + delta, at)
    else {
      s[At.ACC] = s[At.ACC]! + delta * (s[At.LAST]! - at)
      s[At.VALUE] = s[At.VALUE]! + delta
      if (s[At.VALUE]! > s[At.MAX]!) s[At.MAX] = s[At.VALUE]!
    }
  }

  /** Integral up to `now`, in value·ms. */
  total(now: number): number {
    return this.s[At.ACC]! + this.s[At.VALUE]! * (now - this.s[At.LAST]!)
  }
}

/** used / warm / cooling / pending addresses of one node group. */
export class AddressIntegrals {
  readonly used = new Integral()
  readonly warm = new Integral()
  readonly cooling = new Integral()
  readonly pending = new Integral()

  /** Adds deltas (a pool's change, propagated to its group). */
  add(dUsed: number, dWarm: number, dCooling: number, dPending: number, now: number): void {
    if (dUsed !== 0) this.used.set(this.used.value + dUsed, now)
    if (dWarm !== 0) this.warm.set(this.warm.value + dWarm, now)
    if (dCooling !== 0) this.cooling.set(this.cooling.value + dCooling, now)
    if (dPending !== 0) this.pending.set(this.pending.value + dPending, now)
  }
}

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

/** Free addresses of one subnet over time, with exhaustion intervals. */
export class SubnetTracker {
  readonly free = new Integral()
  minFree = Number.POSITIVE_INFINITY
  minFreeAligned = Number.POSITIVE_INFINITY
  firstExhaustedAt = -1
  exhaustedMs = 0
  private exhaustedSince = -1
  /** Exhaustion intervals [from, to) for reports; `to` is -1 while open. */
  readonly intervals: number[] = []
  insufficientErrors = 0
  prefixErrors = 0

  update(free: number, freeAligned: number, now: number): void {
    if (free !== this.free.value || now === 0) this.free.set(free, now)
    if (free < this.minFree) this.minFree = free
    if (freeAligned < this.minFreeAligned) this.minFreeAligned = freeAligned
    if (free === 0 && this.exhaustedSince < 0) {
      this.exhaustedSince = now
      if (this.firstExhaustedAt < 0) this.firstExhaustedAt = now
      this.intervals.push(now, -1)
    } else if (free > 0 && this.exhaustedSince >= 0) {
      this.exhaustedMs += now - this.exhaustedSince
      this.exhaustedSince = -1
      this.intervals[this.intervals.length - 1] = now
    }
  }

  /** Time exhausted up to `now`, counting an interval still open. */
  exhaustedUntil(now: number): number {
    return this.exhaustedMs + (this.exhaustedSince >= 0 ? now - this.exhaustedSince : 0)
  }
}
