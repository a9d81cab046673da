// Which record holds a pod: a hash table in typed arrays (open addressing, linear probing, deletion by
// backward shift), so that finding, adding and forgetting a pod allocates nothing once the table has grown
// to the node's pods. ipamd finds a pod by walking every address (FindAddressForSandbox, data_store.go:269);
// the answer is the same, found in O(1).

export class PodIndex {
  private keys = new Int32Array(64).fill(-1)
  private vals = new Float64Array(64)
  private mask = 63
  /** Fibonacci hashing: the top bits of pod × 2^32/φ. */
  private shift = 26
  private count = 0

  get size(): number {
    return this.count
  }

  /** The value stored for `pod` (a non-negative integer), or -1. */
  get(pod: number): number {
    let i = this.slot(pod)
    for (;;) {
      const k = this.keys[i]!
      if (k === pod) return this.vals[i]!
      if (k < 0) return -1
      i = (i + 1) & this.mask
    }
  }

  /** Stores `value` (≥ 0) for `pod`, replacing what it held. */
  set(pod: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow()
    let i = this.slot(pod)
    for (;;) {
      const k = this.keys[i]!
      if (k === pod) {
        this.vals[i] = value
        return
      }
      if (k < 0) {
        this.keys[i] = pod
        this.vals[i] = value
        this.count++
        return
      }
      i = (i + 1) & this.mask
    }
  }

  /** Forgets `pod`; false when it was not there. */
  delete(pod: number): boolean {
    const mask = this.mask
    let i = this.slot(pod)
    for (;;) {
      const k = this.keys[i]!
      if (k < 0) return false
      if (k === pod) break
      i = (i + 1) & mask
    }
    // Backward shift: move later entries of the run into the hole when their home slot allows it.
    let hole = i
    let j = i
    for (;;) {
      j = (j + 1) & mask
      const k = this.keys[j]!
      if (k < 0) break
      const home = this.slot(k)
      // The entry at j may move to the hole when its home is not cyclically in (hole, j].
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        this.keys[hole] = k
        this.vals[hole] = this.vals[j]!
        hole = j
      }
    }
    this.keys[hole] = -1
    this.count--
    return true
  }

  clear(): void {
    this.keys.fill(-1)
    this.count = 0
  }

  private slot(pod: number): number {
    return Math.imul(pod, 0x9e3779b1) >>> this.shift
  }

  private grow(): void {
    const keys = this.keys
    const vals = this.vals
    this.keys = new Int32Array(keys.length * 2).fill(-1)
    this.vals = new Float64Array(vals.length * 2)
    this.mask = this.keys.length - 1
    this.shift--
    this.count = 0
    for (let i = 0; i < keys.length; i++) if (keys[i]! >= 0) this.set(keys[i]!, vals[i]!)
  }
}
