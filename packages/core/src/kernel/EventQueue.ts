// The future-event list: a binary min-heap over one Float64Array, four numbers per event (time and kind
// in one sort key, then a, b and a sequence number), so that comparing or moving an event touches one
// cache line. No object per event. Events at the same instant run in the order (kind, a, b), then in the
// order they were scheduled: an order that depends only on what the events are, not on when they were
// scheduled, so an event that was skipped (an idle node's 30 s loop) can be placed among the others
// exactly. Stale events (a pod retry after the pod was deleted, ...) are not removed: their handlers
// compare a generation number carried in an argument.

import { grown } from "./TypedArrays.ts"

// An enum: a bundle writes the values into the code (docs/performance.md, "Constants as enums").
enum Q {
  /** Kinds are below this; the sort key is time * KINDS + kind (exact for times up to 2^49 ms). */
  KINDS = 16,
  STRIDE = 4,
}

/** Event kinds are whole numbers below this (the sort key packs the kind beside the time). */
export const EVENT_KINDS: number = Q.KINDS

export class EventQueue {
  private heap: Float64Array
  private n = 0
  private nextSeq = 0

  /** The popped event, valid until the next pop. */
  at = 0
  eventKind = 0
  a = 0
  b = 0

  constructor(initialCapacity = 1024) {
    this.heap = new Float64Array(initialCapacity * Q.STRIDE)
  }

  get size(): number {
    return this.n
  }

  /** Time of the next event, or +Infinity. */
  peekTime(): number {
    return this.n > 0 ? Math.floor(this.heap[0]! / Q.KINDS) : Number.POSITIVE_INFINITY
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
    if ((this.n + 1) * Q.STRIDE > this.heap.length) this.grow()
    this.rise(this.n++, time * Q.KINDS + kind, a, b, this.nextSeq++)
  }

  /** Removes the earliest event into `at`, `eventKind`, `a`, `b`; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false
    const h = this.heap
    const key0 = h[0]!
    this.at = Math.floor(key0 / Q.KINDS)
    this.eventKind = key0 - this.at * Q.KINDS
    this.a = h[1]!
    this.b = h[2]!
    const last = --this.n
    if (last === 0) return true
    // Bottom-up (Floyd): the hole at the root goes down to a leaf along the earlier child, one comparison
    // a level, then the last event rises from there. The last event is a leaf, so it would sink nearly
    // all the way anyway; this saves comparing it with every child on the way down.
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= last) break
      if (c + 1 < last) {
        const ck = h[c * Q.STRIDE]!
        const rk = h[(c + 1) * Q.STRIDE]!
        // Which child is earlier is a coin toss: chosen by arithmetic, not a branch the CPU must guess.
        if (rk !== ck) c += +(rk < ck)
        else if (
          tieBefore(h[(c + 1) * Q.STRIDE + 1]!, h[(c + 1) * Q.STRIDE + 2]!, h[(c + 1) * Q.STRIDE + 3]!, h, c * Q.STRIDE)
        )
          c++
      }
      this.move(c * Q.STRIDE, i * Q.STRIDE)
      i = c
    }
    const lo = last * Q.STRIDE
    this.rise(i, h[lo]!, h[lo + 1]!, h[lo + 2]!, h[lo + 3]!)
    return true
  }

  /** Moves the hole at `i` up past every later event, then writes the event (key, a, b, seq) there. */
  private rise(from: number, key: number, a: number, b: number, seq: number): void {
    const h = this.heap
    let i = from
    while (i > 0) {
      const p = (i - 1) >> 1
      const o = p * Q.STRIDE
      // Keys (time and kind) differ far more often than not: the rest is read only on a tie.
      const pk = h[o]!
      if (key > pk || (key === pk && !tieBefore(a, b, seq, h, o))) break
      this.move(o, i * Q.STRIDE)
      i = p
    }
    this.write(i * Q.STRIDE, key, a, b, seq)
  }

  /** Copies the event at offset `from` to offset `to` (element by element: copyWithin is a slow call). */
  private move(from: number, to: number): void {
    const h = this.heap
    h[to] = h[from]!
    h[to + 1] = h[from + 1]!
    h[to + 2] = h[from + 2]!
    h[to + 3] = h[from + 3]!
  }

  private write(at: number, key: number, a: number, b: number, seq: number): void {
    const h = this.heap
    h[at] = key
    h[at + 1] = a
    h[at + 2] = b
    h[at + 3] = seq
  }

  private grow(): void {
    this.heap = grown(this.heap, this.heap.length * 2)
  }
}

/** At equal keys: whether the event (a, b, seq) comes before the one at offset `o` of `h`. */
const tieBefore = (a: number, b: number, seq: number, h: Float64Array, o: number): boolean => {
  const a2 = h[o + 1]!
  if (a !== a2) return a < a2
  const b2 = h[o + 2]!
  return b !== b2 ? b < b2 : seq < h[o + 3]!
}
