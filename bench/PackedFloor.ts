// A floor for the kernel's cost per trace event: only the work every pod event must do, over state packed
// in typed arrays (a 2 KB block per node at a computed offset, 16 bytes per pod), with no object to
// follow from a pod to its pool. Not a simulator (its result is a checksum): it tells how much of the
// kernel's time per event a packed redesign could remove, measured in the same run as the kernel.
//
// Per create: the node with most free slots (the kernel's FreeSlotIndex), the warm group with fewest addresses
// (findMinGroup's scan), the list's shift, the used pair, the pod's record. Per delete: the pod's record,
// the used pair's scan and swap-remove, the cool-down ring. Per touched pool: matured cool-downs back to
// warm, the prefix deviation (an instant new prefix when short), a push on a heap of loop deadlines and an
// integral's update. Left out: EC2 jobs and their events, Go's map order, configs, the scheduler's queue,
// retries, subnets, timelines: the floor is lower than any faithful kernel's.

import { Rng } from "@ipamsim/core/kernel/Rng"
import { FreeSlotIndex } from "@ipamsim/core/kubernetes/FreeSlotIndex"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"

const STRIDE = 512 // Int32 per node
const USED = 16 // (pod, address) pairs from here, 64 of them
const GROUPS = 144 // (prefix, warm count) pairs, 16 of them
const WARM = 176 // a 16-address list per group
const COOL = 432 // (address, freed at) ring of 40 pairs
const COOL_PAIRS = 40
const CAPACITY = 224 // c5.xlarge in prefix mode
const MAX_PODS = 110
const COOL_DOWN_MS = 30_000

/** Converts `events` once; the returned function replays them over `nodes` nodes and returns a checksum. */
export const packedFloor = (events: readonly PodEvent[], nodes: number): (() => number) => {
  const n = events.length
  const times = new Int32Array(n)
  const ids = new Int32Array(n)
  const creates = new Uint8Array(n)
  let maxId = 0
  for (let i = 0; i < n; i++) {
    const e = events[i]!
    if (e.podId === undefined) throw new Error("packedFloor: events need pod ids")
    times[i] = e.t
    ids[i] = e.podId
    creates[i] = e.type === "create" ? 1 : 0
    if (e.podId > maxId) maxId = e.podId
  }
  return () => replay(times, ids, creates, nodes, maxId + 1)
}

const replay = (times: Int32Array, ids: Int32Array, creates: Uint8Array, nodes: number, pods: number): number => {
  const mem = new Int32Array(nodes * STRIDE)
  const pod = new Int32Array(4 * pods) // state, node, address, bound at
  const slots = new FreeSlotIndex(nodes)
  const rng = Rng.stream(1, "packed-floor")
  const heapAt = new Int32Array(1 << 16)
  const heapKey = new Int32Array(1 << 16)
  let heapSize = 0
  const integrals = new Float64Array(8)
  let nextPrefix = 1 << 20
  // Every node starts with one warm prefix.
  for (let i = 0; i < nodes; i++) {
    const b = i * STRIDE
    mem[b + 4] = 1
    mem[b + GROUPS] = nextPrefix
    mem[b + GROUPS + 1] = 16
    for (let k = 0; k < 16; k++) mem[b + WARM + k] = nextPrefix + k
    nextPrefix += 16
    mem[b + 1] = 16
    slots.set(i, MAX_PODS)
  }
  // Header: [0] used, [1] warm, [2] cool head, [3] cool end, [4] groups.
  const touch = (b: number, node: number, now: number): void => {
    let head = mem[b + 2]!
    const end = mem[b + 3]!
    while (head < end) {
      const at = b + COOL + 2 * (head % COOL_PAIRS)
      if (now - mem[at + 1]! < COOL_DOWN_MS) break
      const ip = mem[at]!
      const prefix = ip & ~15
      const groups = mem[b + 4]!
      let g = 0
      while (g < groups && mem[b + GROUPS + 2 * g] !== prefix) g++
      if (g === groups) {
        mem[b + GROUPS + 2 * g] = prefix
        mem[b + GROUPS + 2 * g + 1] = 0
        mem[b + 4] = groups + 1
      }
      const len = mem[b + GROUPS + 2 * g + 1]!
      mem[b + WARM + 16 * g + len] = ip
      mem[b + GROUPS + 2 * g + 1] = len + 1
      mem[b + 1]!++
      head++
    }
    mem[b + 2] = head
    const used = mem[b]!
    const warm = mem[b + 1]!
    const cooling = end - head
    const current = Math.ceil((used + warm + cooling) / 16)
    if (Math.ceil((used + 1) / 16) > current && used + warm + cooling + 16 <= CAPACITY && mem[b + 4]! < 16) {
      const g = mem[b + 4]!
      mem[b + GROUPS + 2 * g] = nextPrefix
      mem[b + GROUPS + 2 * g + 1] = 16
      for (let k = 0; k < 16; k++) mem[b + WARM + 16 * g + k] = nextPrefix + k
      nextPrefix += 16
      mem[b + 4] = g + 1
      mem[b + 1] = warm + 16
    }
    // The floor keeps the push's cost, not the loops: a full heap of deadlines simply starts over.
    if (heapSize === heapAt.length) heapSize = 0
    let i = heapSize++
    heapAt[i] = now + COOL_DOWN_MS
    heapKey[i] = node
    while (i > 0) {
      const p = (i - 1) >> 1
      if (heapAt[p]! <= heapAt[i]!) break
      const t = heapAt[p]!
      heapAt[p] = heapAt[i]!
      heapAt[i] = t
      const k = heapKey[p]!
      heapKey[p] = heapKey[i]!
      heapKey[i] = k
      i = p
    }
    integrals[node & 7]! += used * now
  }
  let checksum = 0
  for (let i = 0; i < times.length; i++) {
    const now = times[i]!
    const id = ids[i]!
    const p = 4 * id
    if (creates[i] === 1) {
      const node = slots.pickMost(rng)
      if (node < 0) continue
      const b = node * STRIDE
      const groups = mem[b + 4]!
      let best = -1
      let min = 17
      for (let g = 0; g < groups; g++) {
        const len = mem[b + GROUPS + 2 * g + 1]!
        if (len > 0 && len < min) {
          min = len
          best = g
        }
      }
      pod[p] = 1
      pod[p + 1] = node
      pod[p + 3] = now
      if (best >= 0) {
        const w = b + WARM + 16 * best
        const ip = mem[w]!
        for (let k = 1; k < min; k++) mem[w + k - 1] = mem[w + k]!
        mem[b + GROUPS + 2 * best + 1] = min - 1
        mem[b + 1]!--
        const used = mem[b]!
        mem[b + USED + 2 * used] = id
        mem[b + USED + 2 * used + 1] = ip
        mem[b] = used + 1
        pod[p + 2] = ip
        checksum += ip & 1
      }
      slots.set(node, MAX_PODS - mem[b]!)
      touch(b, node, now)
    } else {
      if (pod[p] !== 1) continue
      pod[p] = 0
      const node = pod[p + 1]!
      const b = node * STRIDE
      const used = mem[b]!
      let at = 0
      while (at < used && mem[b + USED + 2 * at] !== id) at++
      if (at < used) {
        const ip = mem[b + USED + 2 * at + 1]!
        mem[b + USED + 2 * at] = mem[b + USED + 2 * (used - 1)]!
        mem[b + USED + 2 * at + 1] = mem[b + USED + 2 * (used - 1) + 1]!
        mem[b] = used - 1
        const end = mem[b + 3]!
        if (end - mem[b + 2]! < COOL_PAIRS) {
          const c = b + COOL + 2 * (end % COOL_PAIRS)
          mem[c] = ip
          mem[c + 1] = now
          mem[b + 3] = end + 1
        }
      }
      slots.set(node, MAX_PODS - mem[b]!)
      touch(b, node, now)
    }
  }
  return checksum + (integrals[0]! > 0 ? 1 : 0)
}
