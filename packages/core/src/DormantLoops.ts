// The 30 s loops of idle pools, skipped: a min-heap of (next loop time, provider key, generation) per
// mode, in typed arrays. An idle pool's loop would change nothing, so it is not scheduled; when the pool is
// touched, or when the mode's workers become contended (a loop would then wait in the queue and shift its
// phase), the loop is put back on the event list at exactly the time it would have had.

export class DormantLoops {
  private time = new Float64Array(1024)
  private key = new Int32Array(1024)
  private gen = new Int32Array(1024)
  private n = 0

  get size(): number {
    return this.n
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
    if (this.n === this.time.length) this.grow()
    const i = this.n++
    this.time[i] = time
    this.key[i] = key
    this.gen[i] = gen
    this.siftUp(i)
  }

  /**
   * Drops stale entries (loops that were woken since) and rebuilds the heap. Entries are not removed when a
   * loop wakes, so without this the heap would grow with every dormancy.
   */
  compact(isLive: (time: number, key: number, gen: number) => boolean): void {
    // Keep the live entries in place, then restore the heap order by sifting each up again.
    let w = 0
    for (let i = 0; i < this.n; i++) {
      if (!isLive(this.time[i]!, this.key[i]!, this.gen[i]!)) continue
      this.time[w] = this.time[i]!
      this.key[w] = this.key[i]!
      this.gen[w] = this.gen[i]!
      w++
    }
    this.n = w
    for (let i = 1; i < w; i++) this.siftUp(i)
  }

  pop(): void {
    const last = --this.n
    this.swap(0, last)
    let i = 0
    const n = last
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

  private siftUp(from: number): void {
    let i = from
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(i, p)) break
      this.swap(i, p)
      i = p
    }
  }

  private grow(): void {
    const time = new Float64Array(this.time.length * 2)
    time.set(this.time)
    this.time = time
    const key = new Int32Array(this.key.length * 2)
    key.set(this.key)
    this.key = key
    const gen = new Int32Array(this.gen.length * 2)
    gen.set(this.gen)
    this.gen = gen
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
