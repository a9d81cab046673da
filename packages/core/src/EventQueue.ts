// The future-event list: a binary min-heap over parallel typed arrays, ordered by (time, insertion order)
// so events at the same instant run in the order they were scheduled. No object per event; an event is a
// kind plus two integer arguments. Stale events (a pod retry after the pod was deleted, ...) are not
// removed: their handlers compare a generation number carried in an argument.

export class EventQueue {
  private time: Float64Array
  private seq: Float64Array
  private kind: Uint8Array
  private argA: Int32Array
  private argB: Int32Array
  private n = 0
  private nextSeq = 0

  /** The popped event, valid until the next pop. */
  at = 0
  eventKind = 0
  a = 0
  b = 0

  constructor(initialCapacity = 1024) {
    this.time = new Float64Array(initialCapacity)
    this.seq = new Float64Array(initialCapacity)
    this.kind = new Uint8Array(initialCapacity)
    this.argA = new Int32Array(initialCapacity)
    this.argB = new Int32Array(initialCapacity)
  }

  get size(): number {
    return this.n
  }

  /** Time of the next event, or +Infinity. */
  peekTime(): number {
    return this.n > 0 ? this.time[0]! : Number.POSITIVE_INFINITY
  }

  push(time: number, kind: number, a: number, b: number): void {
    if (this.n === this.time.length) this.grow()
    let i = this.n++
    const s = this.nextSeq++
    // Sift up.
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = this.time[p]!
      if (pt < time || (pt === time && this.seq[p]! < s)) break
      this.move(p, i)
      i = p
    }
    this.time[i] = time
    this.seq[i] = s
    this.kind[i] = kind
    this.argA[i] = a
    this.argB[i] = b
  }

  /** Removes the earliest event into `at`, `eventKind`, `a`, `b`; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false
    this.at = this.time[0]!
    this.eventKind = this.kind[0]!
    this.a = this.argA[0]!
    this.b = this.argB[0]!
    const last = --this.n
    if (last > 0) {
      const t = this.time[last]!
      const s = this.seq[last]!
      const k = this.kind[last]!
      const a = this.argA[last]!
      const b = this.argB[last]!
      let i = 0
      // Sift down.
      for (;;) {
        const l = 2 * i + 1
        if (l >= last) break
        const r = l + 1
        let c = l
        if (
          r < last &&
          (this.time[r]! < this.time[l]! || (this.time[r] === this.time[l] && this.seq[r]! < this.seq[l]!))
        )
          c = r
        const ct = this.time[c]!
        if (t < ct || (t === ct && s < this.seq[c]!)) break
        this.move(c, i)
        i = c
      }
      this.time[i] = t
      this.seq[i] = s
      this.kind[i] = k
      this.argA[i] = a
      this.argB[i] = b
    }
    return true
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!
    this.seq[to] = this.seq[from]!
    this.kind[to] = this.kind[from]!
    this.argA[to] = this.argA[from]!
    this.argB[to] = this.argB[from]!
  }

  private grow(): void {
    const cap = this.time.length * 2
    const t = new Float64Array(cap)
    t.set(this.time)
    this.time = t
    const s = new Float64Array(cap)
    s.set(this.seq)
    this.seq = s
    const k = new Uint8Array(cap)
    k.set(this.kind)
    this.kind = k
    const a = new Int32Array(cap)
    a.set(this.argA)
    this.argA = a
    const b = new Int32Array(cap)
    b.set(this.argB)
    this.argB = b
  }
}
