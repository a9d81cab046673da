// Nodes indexed by free address slots (advertised capacity − requests), so the scheduler finds the node
// with the most free slots in O(1) instead of scanning every node for every pod.

import type { Rng } from "../kernel/Rng.ts"

export class FreeSlotIndex {
  /** buckets[f] = nodes with f free slots (f ≥ 1), as swap-remove arrays. */
  private readonly buckets: number[][] = []
  /** Per node, side by side (one line, not two): its bucket (-1: none) and its place in it. */
  private readonly slots: Int32Array
  private top = 0

  constructor(nodes: number) {
    this.slots = new Int32Array(2 * nodes)
    for (let n = 0; n < nodes; n++) this.slots[2 * n] = -1
  }

  /** Sets a node's free slots; `free` ≤ 0 (or an ineligible node) removes it. */
  set(node: number, free: number): void {
    const key = free > 0 ? free : -1
    const old = this.slots[2 * node]!
    if (old === key) return
    if (old > 0) {
      const b = this.buckets[old]!
      const p = this.slots[2 * node + 1]!
      const last = b.pop()!
      if (last !== node) {
        b[p] = last
        this.slots[2 * last + 1] = p
      }
    }
    this.slots[2 * node] = key
    if (key > 0) {
      while (this.buckets.length <= key) this.buckets.push([])
      const b = this.buckets[key]!
      this.slots[2 * node + 1] = b.length
      b.push(node)
      if (key > this.top) this.top = key
    }
  }

  /** A node with the most free slots (uniform among ties), or -1. */
  pickMost(rng: Rng): number {
    while (this.top > 0 && this.buckets[this.top]!.length === 0) this.top--
    if (this.top === 0) return -1
    const b = this.buckets[this.top]!
    return b.length === 1 ? b[0]! : b[rng.int(b.length)]!
  }

  get hasRoom(): boolean {
    while (this.top > 0 && this.buckets[this.top]!.length === 0) this.top--
    return this.top > 0
  }
}
