// The future-event list: a binary min-heap over parallel typed arrays. No object per event; an event is a
// kind plus two integer arguments. Events at the same instant run in the order (kind, a, b), then in the
// order they were scheduled: an order that depends only on what the events are, not on when they were
// scheduled, so an event that was skipped (an idle node's 30 s loop) can be placed among the others
// exactly. Stale events (a pod retry after the pod was deleted, ...) are not removed: their handlers
// compare a generation number carried in an argument.

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

  /** Makes (time, kind, a, b) the current event without the list: for events kept outside it (the trace). */
  markCurrent(time: number, kind: number, a: number, b: number): void {
    this.at = time
    this.eventKind = kind
    this.a = a
    this.b = b
  }

  /** Whether an event (kind, a, b) at the popped event's instant runs before the popped event. */
  beforeCurrent(kind: number, a: number, b: number): boolean {
    return kind < this.eventKind || (kind === this.eventKind && (a < this.a || (a === this.a && b < this.b)))
  }

  push(time: number, kind: number, a: number, b: number): void {
    if (this.n === this.time.length) this.grow()
    let i = this.n++
    this.time[i] = time
    this.seq[i] = this.nextSeq++
    this.kind[i] = kind
    this.argA[i] = a
    this.argB[i] = b
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(i, p)) break
      this.swap(i, p)
      i = p
    }
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
      this.swap(0, last)
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= last) break
        const r = l + 1
        const c = r < last && this.less(r, l) ? r : l
        if (!this.less(c, i)) break
        this.swap(c, i)
        i = c
      }
    }
    return true
  }

  private less(i: number, j: number): boolean {
    const ti = this.time[i]!
    const tj = this.time[j]!
    if (ti !== tj) return ti < tj
    const ki = this.kind[i]!
    const kj = this.kind[j]!
    if (ki !== kj) return ki < kj
    const ai = this.argA[i]!
    const aj = this.argA[j]!
    if (ai !== aj) return ai < aj
    const bi = this.argB[i]!
    const bj = this.argB[j]!
    if (bi !== bj) return bi < bj
    return this.seq[i]! < this.seq[j]!
  }

  private swap(i: number, j: number): void {
    const t = this.time[i]!
    this.time[i] = this.time[j]!
    this.time[j] = t
    const s = this.seq[i]!
    this.seq[i] = this.seq[j]!
    this.seq[j] = s
    const k = this.kind[i]!
    this.kind[i] = this.kind[j]!
    this.kind[j] = k
    const a = this.argA[i]!
    this.argA[i] = this.argA[j]!
    this.argA[j] = a
    const b = this.argB[i]!
    this.argB[i] = this.argB[j]!
    this.argB[j] = b
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
