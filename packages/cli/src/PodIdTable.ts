// Pod ids for a trace read from bytes (SimSpec's PodEvent.podId rules): a pod's name, as UTF-8 bytes, maps to
// a small integer while the pod is live; a delete frees it for reuse. Reading a name this way needs no
// string and no Map: an open-addressing hash table over typed arrays, names kept in one byte arena.
// Memory follows the number of live pods, not the trace's length.

const EMPTY = -1
const DELETED = -2

export class PodIdTable {
  private mask = 1023
  /** Hash slots, two ints each so that a probe reads one cache line: a pod id (or EMPTY, DELETED), its hash. */
  private slots: Int32Array = new Int32Array(2048).fill(EMPTY)
  /** Slots not EMPTY (live + DELETED): kept under half the table so probes stay short. */
  private occupied = 0
  private live = 0
  /** Per id, side by side: its name's place in the arena and length (-1: a free id). */
  private keys: Int32Array = new Int32Array(2048).fill(-1)
  private nextId = 0
  private readonly freeIds: number[] = []
  private arena = Buffer.allocUnsafe(1 << 16)
  private arenaLen = 0

  /** The id of the live pod named buf[s, e), or a new one. */
  create(buf: Uint8Array, s: number, e: number): number {
    const h = hashOf(buf, s, e)
    const at = this.find(buf, s, e, h)
    if (at >= 0) return this.slots[2 * at]!
    const id = this.newId()
    const n = e - s
    if (this.arenaLen + n > this.arena.length) this.compactArena(n)
    this.arena.set(buf.subarray(s, e), this.arenaLen)
    this.keys[2 * id] = this.arenaLen
    this.keys[2 * id + 1] = n
    this.arenaLen += n
    const slot = -1 - at
    if (this.slots[2 * slot] === EMPTY) this.occupied++
    this.slots[2 * slot] = id
    this.slots[2 * slot + 1] = h
    this.live++
    if (this.occupied * 4 > this.slots.length) this.rehash()
    return id
  }

  /** Frees the live pod named buf[s, e) and returns its id, or -1 when no such pod is live. */
  remove(buf: Uint8Array, s: number, e: number): number {
    const at = this.find(buf, s, e, hashOf(buf, s, e))
    if (at < 0) return -1
    const id = this.slots[2 * at]!
    this.slots[2 * at] = DELETED
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
    let firstDeleted = -1
    for (;;) {
      const id = slots[2 * i]!
      if (id === EMPTY) return -1 - (firstDeleted >= 0 ? firstDeleted : i)
      if (id === DELETED) {
        if (firstDeleted < 0) firstDeleted = i
      } else if (slots[2 * i + 1] === h && this.keys[2 * id + 1] === n) {
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

  /** Rebuilds the slots without DELETED marks, doubling them when live pods fill a quarter. */
  private rehash(): void {
    const count = this.slots.length / 2
    const size = this.live * 4 > count ? count * 2 : count
    const slots: Int32Array = new Int32Array(2 * size).fill(EMPTY)
    const mask = size - 1
    for (let j = 0; j < count; j++) {
      const id = this.slots[2 * j]!
      if (id < 0) continue
      const h = this.slots[2 * j + 1]!
      let i = h & mask
      while (slots[2 * i] !== EMPTY) i = (i + 1) & mask
      slots[2 * i] = id
      slots[2 * i + 1] = h
    }
    this.slots = slots
    this.mask = mask
    this.occupied = this.live
  }

  /** Drops freed names from the arena, growing it when live names need more than half. */
  private compactArena(need: number): void {
    let liveBytes = need
    for (let id = 0; id < this.nextId; id++) if (this.keys[2 * id + 1]! > 0) liveBytes += this.keys[2 * id + 1]!
    const size = liveBytes * 2 > this.arena.length ? Math.max(this.arena.length * 2, liveBytes * 2) : this.arena.length
    const next = Buffer.allocUnsafe(size)
    let at = 0
    for (let id = 0; id < this.nextId; id++) {
      const n = this.keys[2 * id + 1]!
      if (n < 0) continue
      this.arena.copy(next, at, this.keys[2 * id]!, this.keys[2 * id]! + n)
      this.keys[2 * id] = at
      at += n
    }
    this.arena = next
    this.arenaLen = at
  }
}

/** FNV-1a over the bytes. */
const hashOf = (buf: Uint8Array, s: number, e: number): number => {
  let h = 0x811c9dc5 | 0
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
  return h
}
