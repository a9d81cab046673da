import { Integral } from "./Integral.ts"

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
