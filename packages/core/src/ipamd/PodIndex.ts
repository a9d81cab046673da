// Which record holds a pod: a hash table in typed arrays (open addressing, linear probing, deletion by
// backward shift), so that finding, adding and forgetting a pod allocates nothing once the table has grown
// to the node's pods. ipamd finds a pod by walking every address (FindAddressForSandbox, data_store.go:269);
// the answer is the same, found in O(1).

export class PodIndex {
  /** Pairs (pod, value) side by side, one cache line for both; pod -1 marks an empty slot. */
  private t = new Int32Array(128).fill(-1)
  private mask = 63
  /** Fibonacci hashing: the top bits of pod × 2^32/φ. */
  private shift = 26
  private count = 0

  get size(): number {
    return this.count
  }

  /** The value stored for `pod` (a non-negative integer), or -1. */
  get(pod: number): number {
    const t = this.t
    let i = this.slot(pod)
    for (;;) {
      const k = t[2 * i]!
      if (k === pod) return t[2 * i + 1]!
      if (k < 0) return -1
      i = (i + 1) & this.mask
    }
  }

  /** Stores `value` (0 to 2³¹ − 1) for `pod`, replacing what it held. */
  set(pod: number, value: number): void {
    if ((this.count + 1) * 4 > this.t.length) this.grow()
    const t = this.t
    let i = this.slot(pod)
    for (;;) {
      const k = t[2 * i]!
      if (k === pod) {
        t[2 * i + 1] = value
        return
      }
      if (k < 0) {
        t[2 * i] = pod
        t[2 * i + 1] = value
        this.count++
        return
      }
      i = (i + 1) & this.mask
    }
  }

  /** Forgets `pod` and returns its value, or -1 when it was not there. */
  take(pod: number): number {
    const t = this.t
    const mask = this.mask
    let i = this.slot(pod)
    for (;;) {
      const k = t[2 * i]!
      if (k < 0) return -1
      if (k === pod) break
      i = (i + 1) & mask
    }
    const value = t[2 * i + 1]!
    // Backward shift: move later entries of the run into the hole when their home slot allows it.
    let hole = i
    let j = i
    for (;;) {
      j = (j + 1) & mask
      const k = t[2 * j]!
      if (k < 0) break
      const home = this.slot(k)
      // The entry at j may move to the hole when its home is not cyclically in (hole, j].
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        t[2 * hole] = k
        t[2 * hole + 1] = t[2 * j + 1]!
        hole = j
      }
    }
    t[2 * hole] = -1
    this.count--
    return value
  }

  /** Forgets `pod`; false when it was not there. */
  delete(pod: number): boolean {
    return this.take(pod) >= 0
  }

  clear(): void {
    this.t.fill(-1)
    this.count = 0
  }

  private slot(pod: number): number {
    return Math.imul(pod, 0x9e3779b1) >>> this.shift
  }

  private grow(): void {
    const old = this.t
    this.t = new Int32Array(old.length * 2).fill(-1)
    this.mask = this.t.length / 2 - 1
    this.shift--
    this.count = 0
    for (let i = 0; i < old.length; i += 2) if (old[i]! >= 0) this.set(old[i]!, old[i + 1]!)
  }
}
