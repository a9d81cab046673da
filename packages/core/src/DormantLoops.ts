// The 30 s loops of idle pools, skipped: a min-heap of (next loop time, provider key, generation) per
// mode. An idle pool's loop would change nothing, so it is not scheduled; when the pool is touched, or
// when the mode's workers become contended (a loop would then wait in the queue and shift its phase),
// the loop is put back on the event list at exactly the time it would have had.

export class DormantLoops {
  private time: number[] = []
  private key: number[] = []
  private gen: number[] = []

  get size(): number {
    return this.time.length
  }

  minTime(): number {
    return this.time[0]!
  }
  minKey(): number {
    return this.key[0]!
  }
  minGen(): number {
    return this.gen[0]!
  }

  push(time: number, key: number, gen: number): void {
    this.time.push(time)
    this.key.push(key)
    this.gen.push(gen)
    this.siftUp(this.time.length - 1)
  }

  private siftUp(from: number): void {
    let i = from
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(i, p)) break
      this.swap(i, p)
      i = p
    }
  }

  /**
   * Drops stale entries (loops that were woken since) and rebuilds the heap. Entries are not removed when a
   * loop wakes, so without this the heap would grow with every dormancy.
   */
  compact(isLive: (time: number, key: number, gen: number) => boolean): void {
    // Keep the live entries in place, then restore the heap order by sifting each up again.
    let w = 0
    for (let i = 0; i < this.time.length; i++) {
      if (!isLive(this.time[i]!, this.key[i]!, this.gen[i]!)) continue
      this.time[w] = this.time[i]!
      this.key[w] = this.key[i]!
      this.gen[w] = this.gen[i]!
      w++
    }
    this.time.length = w
    this.key.length = w
    this.gen.length = w
    for (let i = 1; i < w; i++) this.siftUp(i)
  }

  pop(): void {
    const last = this.time.length - 1
    this.swap(0, last)
    this.time.pop()
    this.key.pop()
    this.gen.pop()
    let i = 0
    const n = this.time.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && this.less(r, l) ? r : l
      if (!this.less(c, i)) break
      this.swap(c, i)
      i = c
    }
  }

  private less(i: number, j: number): boolean {
    return this.time[i]! < this.time[j]! || (this.time[i] === this.time[j] && this.key[i]! < this.key[j]!)
  }

  private swap(i: number, j: number): void {
    const t = this.time[i]!
    this.time[i] = this.time[j]!
    this.time[j] = t
    const k = this.key[i]!
    this.key[i] = this.key[j]!
    this.key[j] = k
    const g = this.gen[i]!
    this.gen[i] = this.gen[j]!
    this.gen[j] = g
  }
}
