// Which record holds a pod: a hash table in typed arrays (open addressing, linear probing, deletion by
// backward shift), so that finding, adding and forgetting a pod allocates nothing once the table has grown
// to the node's pods. ipamd finds a pod by walking every address (FindAddressForSandbox, data_store.go:269);
// the answer is the same, found in O(1).

/** Where each pod's record is: a datastore's own PodIndex, or one table shared by every node's datastore. */
export interface PodPlaces {
  get(pod: number): number
  set(pod: number, value: number): void
  take(pod: number): number
  delete(pod: number): boolean
}

/**
 * PodPlaces by pod key itself, for keys that are small integers unique across every datastore sharing it
 * (the simulation's pod slots): one read per look-up instead of a probe of each node's own table.
 */
export class SlotPlaces implements PodPlaces {
  private t = new Int32Array(1024).fill(-1)

  get(pod: number): number {
    return pod < this.t.length ? this.t[pod]! : -1
  }

  set(pod: number, value: number): void {
    if (pod >= this.t.length) {
      let n = this.t.length
      while (n <= pod) n *= 2
      const t = new Int32Array(n).fill(-1)
      t.set(this.t)
      this.t = t
    }
    this.t[pod] = value
  }

  take(pod: number): number {
    if (pod >= this.t.length) return -1
    const v = this.t[pod]!
    this.t[pod] = -1
    return v
  }

  delete(pod: number): boolean {
    return this.take(pod) >= 0
  }
}

export class PodIndex implements PodPlaces {
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
