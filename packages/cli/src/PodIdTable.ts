// Pod ids for a trace read from bytes (SimSpec's PodEvent.podId rules): a pod's name, as UTF-8 bytes, maps to
// a small integer while the pod is live; a delete frees it for reuse. Reading a name this way needs no
// string and no Map: an open-addressing hash table over typed arrays, names kept in one byte arena.
// Memory follows the number of live pods, not the trace's length.

const EMPTY = -1
const DELETED = -2

export class PodIdTable {
  private mask = 1023
  /** Hash slots: a pod id, EMPTY or DELETED. */
  private slots: Int32Array = new Int32Array(1024).fill(EMPTY)
  /** Slots not EMPTY (live + DELETED): kept under half the table so probes stay short. */
  private occupied = 0
  private live = 0
  // Per id: its name's hash, place in the arena and length (-1: free id).
  private hashes: Int32Array = new Int32Array(1024)
  private keyAt: Int32Array = new Int32Array(1024)
  private keyLen: Int32Array = new Int32Array(1024).fill(-1)
  private nextId = 0
  private readonly freeIds: number[] = []
  private arena = Buffer.allocUnsafe(1 << 16)
  private arenaLen = 0

  /** The id of the live pod named buf[s, e), or a new one. */
  create(buf: Uint8Array, s: number, e: number): number {
    const h = hashOf(buf, s, e)
    const at = this.find(buf, s, e, h)
    if (at >= 0) return this.slots[at]!
    const id = this.newId()
    const n = e - s
    if (this.arenaLen + n > this.arena.length) this.compactArena(n)
    this.arena.set(buf.subarray(s, e), this.arenaLen)
    this.keyAt[id] = this.arenaLen
    this.keyLen[id] = n
    this.hashes[id] = h
    this.arenaLen += n
    const slot = -1 - at
    if (this.slots[slot] === EMPTY) this.occupied++
    this.slots[slot] = id
    this.live++
    if (this.occupied * 2 > this.slots.length) this.rehash()
    return id
  }

  /** Frees the live pod named buf[s, e) and returns its id, or -1 when no such pod is live. */
  remove(buf: Uint8Array, s: number, e: number): number {
    const at = this.find(buf, s, e, hashOf(buf, s, e))
    if (at < 0) return -1
    const id = this.slots[at]!
    this.slots[at] = DELETED
    this.keyLen[id] = -1
    this.freeIds.push(id)
    this.live--
    return id
  }

  /** The slot holding the name, or -1 - (the slot where it would go). */
  private find(buf: Uint8Array, s: number, e: number, h: number): number {
    const n = e - s
    let i = h & this.mask
    let firstDeleted = -1
    for (;;) {
      const id = this.slots[i]!
      if (id === EMPTY) return -1 - (firstDeleted >= 0 ? firstDeleted : i)
      if (id === DELETED) {
        if (firstDeleted < 0) firstDeleted = i
      } else if (this.hashes[id] === h && this.keyLen[id] === n) {
        const at = this.keyAt[id]!
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
    if (id === this.hashes.length) {
      const grow = (a: Int32Array, fill: number): Int32Array => {
        const b = new Int32Array(a.length * 2).fill(fill)
        b.set(a)
        return b
      }
      this.hashes = grow(this.hashes, 0)
      this.keyAt = grow(this.keyAt, 0)
      this.keyLen = grow(this.keyLen, -1)
    }
    return id
  }

  /** Rebuilds the slots without DELETED marks, doubling them when live pods fill a quarter. */
  private rehash(): void {
    const size = this.live * 4 > this.slots.length ? this.slots.length * 2 : this.slots.length
    const slots: Int32Array = new Int32Array(size).fill(EMPTY)
    const mask = size - 1
    for (const id of this.slots) {
      if (id < 0) continue
      let i = this.hashes[id]! & mask
      while (slots[i] !== EMPTY) i = (i + 1) & mask
      slots[i] = id
    }
    this.slots = slots
    this.mask = mask
    this.occupied = this.live
  }

  /** Drops freed names from the arena, growing it when live names need more than half. */
  private compactArena(need: number): void {
    let liveBytes = need
    for (let id = 0; id < this.nextId; id++) if (this.keyLen[id]! > 0) liveBytes += this.keyLen[id]!
    const size = liveBytes * 2 > this.arena.length ? Math.max(this.arena.length * 2, liveBytes * 2) : this.arena.length
    const next = Buffer.allocUnsafe(size)
    let at = 0
    for (let id = 0; id < this.nextId; id++) {
      const n = this.keyLen[id]!
      if (n < 0) continue
      this.arena.copy(next, at, this.keyAt[id]!, this.keyAt[id]! + n)
      this.keyAt[id] = at
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
