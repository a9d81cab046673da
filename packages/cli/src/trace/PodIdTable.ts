// Pod ids for a trace read from bytes (SimSpec's PodEvent.podId rules): a pod's name, as UTF-8 bytes, maps to
// a small integer while the pod is live; a delete frees it for reuse. Reading a name this way needs no
// string and no Map: an open-addressing hash table over typed arrays, names kept in one byte arena.
// Memory follows the number of live pods, not the trace's length. Deletes shift the entries after them
// back (linear probing without tombstones), so the table never needs rebuilding except to grow.

/** An empty slot (an enum: a bundle writes the value into the code, see core's Cluster.ts). */
enum Slot {
  EMPTY = -1,
}

export class PodIdTable {
  private mask = 1023
  /** Hash slots, two ints each so that a probe reads one cache line: a pod id (or Slot.EMPTY), its hash. */
  private slots: Int32Array = new Int32Array(2048).fill(Slot.EMPTY)
  /** Live pods, one slot each: kept under a quarter of the slots so probes stay short. */
  private live = 0
  /** Per id, side by side: its name's place in the arena and length (-1: a free id). */
  private keys: Int32Array = new Int32Array(2048).fill(-1)
  private nextId = 0
  private readonly freeIds: number[] = []
  private arena = Buffer.allocUnsafe(1 << 16)
  private arenaLen = 0

  /** Whether the last create found the pod live already (a second create of a live pod). */
  existed = false

  /** The id of the live pod named buf[s, e), or a new one. */
  create(buf: Uint8Array, s: number, e: number): number {
    const h = hashOf(buf, s, e)
    const at = this.find(buf, s, e, h)
    this.existed = at >= 0
    if (at >= 0) return this.slots[2 * at]!
    const id = this.newId()
    const n = e - s
    if (this.arenaLen + n > this.arena.length) this.compactArena(n)
    // Names are short: a loop beats a subarray view and a native copy per pod.
    const arena = this.arena
    const to = this.arenaLen
    for (let k = 0; k < n; k++) arena[to + k] = buf[s + k]!
    this.keys[2 * id] = to
    this.keys[2 * id + 1] = n
    this.arenaLen += n
    const slot = -1 - at
    this.slots[2 * slot] = id
    this.slots[2 * slot + 1] = h
    this.live++
    if (this.live * 8 > this.slots.length) this.grow()
    return id
  }

  /** Frees the live pod named buf[s, e) and returns its id, or -1 when no such pod is live. */
  remove(buf: Uint8Array, s: number, e: number): number {
    const at = this.find(buf, s, e, hashOf(buf, s, e))
    if (at < 0) return -1
    const id = this.slots[2 * at]!
    this.vacate(at)
    this.keys[2 * id + 1] = -1
    this.freeIds.push(id)
    this.live--
    return id
  }

  /** The slot holding the name, or -1 - (the slot where it would go). */
  private find(buf: Uint8Array, s: number, e: number, h: number): number {
    const n = e - s
    const slots = this.slots
    let i = h & this.mask
    for (;;) {
      const id = slots[2 * i]!
      if (id === Slot.EMPTY) return -1 - i
      if (slots[2 * i + 1] === h && this.keys[2 * id + 1] === n) {
        const at = this.keys[2 * id]!
        let k = 0
        while (k < n && this.arena[at + k] === buf[s + k]) k++
        if (k === n) return i
      }
      i = (i + 1) & this.mask
    }
  }

  private newId(): number {
    const free = this.freeIds.pop()
    if (free !== undefined) return free
    const id = this.nextId++
    if (2 * id === this.keys.length) {
      const keys = new Int32Array(this.keys.length * 2).fill(-1)
      keys.set(this.keys)
      this.keys = keys
    }
    return id
  }

  /**
   * Empties slot `at` and moves back the entries of its probe run that may live there (backward-shift
   * deletion), so that every live entry stays reachable from its home slot without a tombstone.
   */
  private vacate(at: number): void {
    const slots = this.slots
    const mask = this.mask
    let hole = at
    let j = at
    for (;;) {
      j = (j + 1) & mask
      if (slots[2 * j] === Slot.EMPTY) break
      const home = slots[2 * j + 1]! & mask
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j
      if (stays) continue
      slots[2 * hole] = slots[2 * j]!
      slots[2 * hole + 1] = slots[2 * j + 1]!
      hole = j
    }
    slots[2 * hole] = Slot.EMPTY
  }

  /** Doubles the slots, so that live pods fill at most an eighth of them after. */
  private grow(): void {
    const before = this.slots.length / 2
    const size = 2 * before
    const slots: Int32Array = new Int32Array(2 * size).fill(Slot.EMPTY)
    const mask = size - 1
    for (let j = 0; j < before; j++) {
      const id = this.slots[2 * j]!
      if (id < 0) continue
      const h = this.slots[2 * j + 1]!
      let i = h & mask
      while (slots[2 * i] !== Slot.EMPTY) i = (i + 1) & mask
      slots[2 * i] = id
      slots[2 * i + 1] = h
    }
    this.slots = slots
    this.mask = mask
  }

  /** Drops freed names from the arena, growing it when live names need more than a quarter. */
  private compactArena(need: number): void {
    let liveBytes = need
    for (let id = 0; id < this.nextId; id++) if (this.keys[2 * id + 1]! > 0) liveBytes += this.keys[2 * id + 1]!
    // At least four times the live names, so that a compaction comes only after three times as many new ones.
    const size = liveBytes * 4 > this.arena.length ? Math.max(this.arena.length * 2, liveBytes * 4) : this.arena.length
    const next = Buffer.allocUnsafe(size)
    const arena = this.arena
    let at = 0
    for (let id = 0; id < this.nextId; id++) {
      const n = this.keys[2 * id + 1]!
      if (n < 0) continue
      const from = this.keys[2 * id]!
      for (let k = 0; k < n; k++) next[at + k] = arena[from + k]!
      this.keys[2 * id] = at
      at += n
    }
    this.arena = next
    this.arenaLen = at
  }
}

/** FNV-1a over the bytes (exported for tests that need names with chosen home slots). */
export const hashOf = (buf: Uint8Array, s: number, e: number): number => {
  let h = 0x811c9dc5 | 0
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
  return h
}
