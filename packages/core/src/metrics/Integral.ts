// Exact time integrals: every quantity is piecewise constant between events, so its integral is a sum of
// value × duration, updated when the value changes (no sampling).

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
