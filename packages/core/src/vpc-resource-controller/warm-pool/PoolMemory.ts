// Where warm pools keep their state: one Float64Array shared by every pool of a simulation, a region per
// pool. A pod event then reaches its pool's counters, used pairs, warm lists and cool-down queue at
// offsets computed from the pool's id, loads the CPU can overlap, where objects and arrays made a chain of
// dependent loads (node, provider, pool, array, elements) that cost most of an event over 5,000 nodes
// (docs/performance.md, "What carries the speed"). Doubles hold addresses above 2³¹ and times past 25 days as
// they are. A region that fills up moves to a new one at the end and the old one is abandoned (rare: more
// pods, prefixes or cooling addresses than it was sized for); a pool made again under the same id (a node
// managed again after IPAM was turned off and on) takes its id's last region back, so memory follows the
// pools, not how often they were made.

import { grown } from "../../kernel/TypedArrays.ts"

/** Regions start on a 64-byte line. */
const LINE = 8

export class PoolMemory {
  /** All regions. Replaced by a bigger copy when full: read it after any call that may allocate. */
  f: Float64Array
  /** The same memory as int32s, for regions' headers (counts and settings: two int32 per double of `f`). */
  h: Int32Array
  /** Per pool id, the start of its region in `f` (-1: none). */
  bases: Int32Array
  /** Per pool id, its last region (kept when the pool is dropped) and that region's size in doubles. */
  private last: Int32Array
  private sizes: Int32Array
  private top = 0

  constructor(pools = 1, doubles = 1024) {
    this.f = new Float64Array(Math.max(doubles, LINE))
    this.h = new Int32Array(this.f.buffer)
    this.bases = new Int32Array(Math.max(pools, 1)).fill(-1)
    this.last = new Int32Array(this.bases.length).fill(-1)
    this.sizes = new Int32Array(this.bases.length)
  }

  /** A region of at least `size` doubles for a new pool `id`: the id's last one when big enough, else a fresh one. */
  reuse(id: number, size: number): number {
    if (id < this.bases.length && this.last[id]! >= 0 && this.sizes[id]! >= size) {
      this.bases[id] = this.last[id]!
      return this.last[id]!
    }
    return this.fresh(id, size)
  }

  /** A new region of `size` doubles for pool `id`; the old one (if any) stays readable until the next call. */
  fresh(id: number, size: number): number {
    if (id >= this.bases.length) this.growIds(id + 1)
    const base = Math.ceil(this.top / LINE) * LINE
    if (base + size > this.f.length) {
      this.f = grown(this.f, Math.max(2 * this.f.length, base + size))
      this.h = new Int32Array(this.f.buffer)
    }
    this.top = base + size
    this.bases[id] = base
    this.last[id] = base
    this.sizes[id] = size
    return base
  }

  /** Whether pool `id` has a region (a live pool). */
  has(id: number): boolean {
    return id < this.bases.length && this.bases[id]! >= 0
  }

  /** Forgets pool `id` (its region is abandoned). */
  drop(id: number): void {
    if (id < this.bases.length) this.bases[id] = -1
  }

  /**
   * Pool `from`'s region becomes pool `to`'s, and `from` has none and no last region to take back (a pool
   * made again under `from` gets a fresh one): a pool the controller dropped while jobs still hold it.
   */
  move(from: number, to: number): void {
    if (to >= this.bases.length) this.growIds(to + 1)
    this.bases[to] = this.bases[from]!
    this.last[to] = this.last[from]!
    this.sizes[to] = this.sizes[from]!
    this.bases[from] = -1
    this.last[from] = -1
    this.sizes[from] = 0
  }

  /** Doubles allocated so far (abandoned regions included), for tests and memory reports. */
  get used(): number {
    return this.top
  }

  private growIds(n: number): void {
    const size = Math.max(n, 2 * this.bases.length)
    this.bases = grown(this.bases, size, -1)
    this.last = grown(this.last, size, -1)
    this.sizes = grown(this.sizes, size)
  }
}
