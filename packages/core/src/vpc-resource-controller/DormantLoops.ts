// The 30 s loops of idle pools, skipped: a min-heap of (next loop time, provider key) per mode, in typed
// arrays. An idle pool's loop would change nothing, so it is not scheduled; when the pool is touched, or
// when the mode's workers become contended (a loop would then wait in the queue and shift its phase), the
// loop is put back on the event list at exactly the time it would have had.
//
// An entry is not taken out when its pool wakes (that costs more than it saves); the heap keeps, per
// provider key, the time of its current skipped loop, so stale entries are told apart by reading one
// typed array, not the providers' state, which at thousands of nodes is out of cache.
//
// The order is only needed while the mode's workers are contended (the cluster then puts the earliest
// skipped loop back on the event list), which is rare: a week of trace L was contended once, while its
// pod events skipped a loop 9.6 million times. So the heap is kept only while ordered: `order` builds it
// from the current loops, and after `unorder` it goes once it has paid for its build; otherwise a skipped
// loop is one write.

import { grown } from "../kernel/TypedArrays.ts"

export class DormantLoops {
  private time = new Float64Array(1024)
  private key = new Int32Array(1024)
  private n = 0
  /** Per provider key: the time of its current skipped loop, or -1 when it has none. */
  private current = new Float64Array(1024).fill(-1)
  /** Whether the heap is kept; when not, it is empty. */
  private ordered = false
  /** Whether the cluster needs the order (between `order` and `unorder`). */
  private wanted = false
  /** Entries pushed since the heap was last built: it is dropped only once they paid for the build. */
  private pushed = 0

  /** Entries in the heap, stale ones included (0 while not ordered). */
  get size(): number {
    return this.n
  }

  minTime(): number {
    return this.time[0]!
  }
  minKey(): number {
    return this.key[0]!
  }
  /** Whether the provider's loop is skipped (it has a current entry): the one record of a pool's dormancy. */
  has(key: number): boolean {
    return key < this.current.length && this.current[key]! >= 0
  }

  /** Whether the earliest entry is its provider's current skipped loop (else it is stale: skip it). */
  minIsCurrent(): boolean {
    return this.current[this.key[0]!] === this.time[0]
  }

  /** The provider's loop is skipped until `time`: its current entry (an earlier one goes stale). */
  push(time: number, key: number): void {
    if (key >= this.current.length) this.growCurrent(key)
    this.current[key] = time
    if (!this.ordered) return
    if (++this.pushed >= this.current.length && !this.wanted) {
      this.drop()
      return
    }
    this.add(time, key)
    // Stale entries (loops woken since) are dropped once they outnumber the providers two to one.
    if (this.n > 2 * this.current.length + 4096) this.compact()
  }

  /** Keeps the heap from now on, built from the current skipped loops (the min* and pop calls need it). */
  order(): void {
    this.wanted = true
    if (this.ordered) return
    this.ordered = true
    this.pushed = 0
    this.n = 0
    const c = this.current
    for (let key = 0; key < c.length; key++) if (c[key]! >= 0) this.add(c[key]!, key)
  }

  /**
   * The order is no longer needed. The heap is dropped once as many entries were pushed since it was built
   * as there are providers (now, or at a later push): a build then costs at most what the pushes it spared
   * would have, however often the workers become contended and free again.
   */
  unorder(): void {
    this.wanted = false
    if (this.ordered && this.pushed >= this.current.length) this.drop()
  }

  private drop(): void {
    this.ordered = false
    this.n = 0
  }

  /** Whether the heap is kept. */
  get isOrdered(): boolean {
    return this.ordered
  }

  /** The provider's loop is no longer skipped (its pool woke, or was dropped): its entries go stale. */
  forget(key: number): void {
    if (key < this.current.length) this.current[key] = -1
  }

  /**
   * Drops stale entries and rebuilds the heap. Entries are not removed when a loop wakes, so without this
   * the heap would grow with every dormancy.
   */
  compact(): void {
    // Keep the current entries in place, then restore the heap order by sifting each up again.
    let w = 0
    for (let i = 0; i < this.n; i++) {
      if (this.current[this.key[i]!] !== this.time[i]) continue
      this.time[w] = this.time[i]!
      this.key[w] = this.key[i]!
      w++
    }
    this.n = w
    for (let i = 1; i < w; i++) this.siftUp(i)
  }

  private add(time: number, key: number): void {
    if (this.n === this.time.length) this.grow()
    const i = this.n++
    this.time[i] = time
    this.key[i] = key
    this.siftUp(i)
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
    this.time = grown(this.time, this.time.length * 2)
    this.key = grown(this.key, this.key.length * 2)
  }

  private growCurrent(key: number): void {
    let n = this.current.length * 2
    while (n <= key) n *= 2
    this.current = grown(this.current, n, -1)
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
  }
}
