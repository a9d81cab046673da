// The pods: a record per pod slot in typed arrays, their states, and the counts the report gives. Pod slots
// are the trace's pod ids (or PodNames' ids by name), so a pod event reaches its pod by index.

import { grown } from "../kernel/TypedArrays.ts"
import { Waits } from "../metrics/Waits.ts"
import { N } from "./Nodes.ts"

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).

/** Pods.rec's records: 32 bytes per pod, four int32 fields, then two doubles (Pods.f at 4 × slot). */
export enum P {
  STRIDE = 8,
  STATE = 0,
  /** The node it is bound to; while pending, the node it asks for (-1: any, -2: one that does not exist). */
  NODE = 1,
  GEN = 2,
  /** Bit 0: it requests the address resource; bits 1–28: its IP address manager's failures in a row × 2; bits 29–30: Flag.CNI, Flag.LINUX. */
  FLAGS = 3,
}
/** P.FLAGS' parts. */
export enum Flag {
  /** Requests vpc.amazonaws.com/PrivateIPv4Address (a Windows pod the webhook mutated). */
  REQUESTS = 1,
  FAILURE = 2,
  /** Gets its address from its node's CNI when it starts (a Linux pod that is not hostNetwork). */
  CNI = 1 << 29,
  /** Runs on Linux nodes. */
  LINUX = 1 << 30,
  /** The bits that stay when its failures are reset. */
  KEEP = REQUESTS | CNI | LINUX,
}
/** Its address (doubles: addresses pass 2³¹), read only while it is running; and when it was bound. */
export enum PF {
  IP = 2,
  BOUND_AT = 3,
}

/** Pod states (P.STATE). */
export enum PodState {
  FREE = 0,
  /** Created, waiting for the scheduler. */
  PENDING = 1,
  /** Bound, requests the address resource (or needs one from its node's CNI), no address yet. */
  WAITING = 2,
  /** Bound with an address. */
  RUNNING = 3,
  /** Bound, needs no address (hostNetwork) or never asked for one (no Windows nodeSelector / IPAM off). */
  NO_ADDRESS = 4,
  /** Its node left; kept until the trace deletes it. */
  EVICTED = 5,
}

export class Pods {
  /**
   * Pods by slot, a 32-byte record each: P.STRIDE int32 (state, node, generation, flags) whose last half is,
   * as `f`, two doubles (address, bind time). A pod event reads its pod on one cache line (a record of its
   * own per field, or a second array for the doubles, cost a miss each over 5,000 nodes). `slots` slots
   * are in use.
   */
  rec = new Int32Array(P.STRIDE * 1024)
  f = new Float64Array(this.rec.buffer)
  slots = 0

  // What the report counts.
  created = 0
  requesting = 0
  withIp = 0
  neverGotIp = 0
  hostNetwork = 0
  withoutResource = 0
  evicted = 0
  unknownDeletes = 0
  ignoredNonWindows = 0
  /** Bound pods waiting for an address now (either OS). */
  waitingCount = 0
  /** Windows pods' waits from binding to address. */
  readonly waits = new Waits()
  /** Linux pods (only in clusters with Linux nodes): the same counts, and their waits. */
  readonly linux = {
    created: 0,
    needingAddress: 0,
    withIp: 0,
    neverGotIp: 0,
    hostNetwork: 0,
    evicted: 0,
    cniRetries: 0,
  }
  readonly linuxWaits = new Waits()

  constructor(private readonly nodeState: Int32Array) {}

  /** Makes `slot` a fresh pod (a new generation: events of the slot's previous pod go stale). */
  alloc(slot: number): void {
    while (this.slots <= slot) {
      const s = this.slots++
      if (s * P.STRIDE === this.rec.length) {
        this.rec = grown(this.rec, this.rec.length * 2)
        this.f = new Float64Array(this.rec.buffer)
      }
      this.rec[s * P.STRIDE + P.NODE] = -1
    }
    this.rec[slot * P.STRIDE + P.GEN]!++
    this.rec[slot * P.STRIDE + P.NODE] = -1
    this.rec[slot * P.STRIDE + P.FLAGS] = 0
  }

  free(slot: number): void {
    this.rec[slot * P.STRIDE + P.STATE] = PodState.FREE
    this.rec[slot * P.STRIDE + P.GEN]!++
  }

  /** The answer of its node's IP address manager: the waiting pod at `slot` has address `ip` from `now` on. */
  gotAddress(slot: number, ip: number, now: number): void {
    this.f[4 * slot + PF.IP] = ip
    this.rec[slot * P.STRIDE + P.STATE] = PodState.RUNNING
    const flags = this.rec[slot * P.STRIDE + P.FLAGS]! & Flag.KEEP
    this.rec[slot * P.STRIDE + P.FLAGS] = flags
    this.waitingCount--
    if ((flags & Flag.LINUX) !== 0) {
      this.linux.withIp++
      this.linuxWaits.push(now - this.f[4 * slot + PF.BOUND_AT]!)
      return
    }
    this.withIp++
    this.waits.push(now - this.f[4 * slot + PF.BOUND_AT]!)
  }

  /** Its node left: its bound pods are evicted (kept until the trace deletes them). */
  evictFrom(node: number): void {
    for (let slot = 0; slot < this.slots; slot++) {
      if (this.rec[slot * P.STRIDE + P.NODE] !== node) continue
      const s = this.rec[slot * P.STRIDE + P.STATE]!
      const linux = (this.rec[slot * P.STRIDE + P.FLAGS]! & Flag.LINUX) !== 0
      if (s === PodState.WAITING) {
        if (linux) this.linux.neverGotIp++
        else this.neverGotIp++
        this.waitingCount--
      }
      if (s === PodState.WAITING || s === PodState.RUNNING || s === PodState.NO_ADDRESS) {
        this.rec[slot * P.STRIDE + P.STATE] = PodState.EVICTED
        this.rec[slot * P.STRIDE + P.NODE] = -1
        if (linux) this.linux.evicted++
        else this.evicted++
      }
    }
    const o = node * N.STRIDE
    this.nodeState[o + N.PODS_BOUND] = 0
    this.nodeState[o + N.REQUESTED] = 0
  }

  /** Pods of one OS still waiting for an address, and pods needing one that were never scheduled. */
  unserved(linux = false): { stillWaiting: number; unscheduled: number } {
    let stillWaiting = 0
    let unscheduled = 0
    const need = linux ? Flag.CNI : Flag.REQUESTS
    for (let slot = 0; slot < this.slots; slot++) {
      const state = this.rec[slot * P.STRIDE + P.STATE]
      const flags = this.rec[slot * P.STRIDE + P.FLAGS]!
      if (((flags & Flag.LINUX) !== 0) !== linux) continue
      if (state === PodState.WAITING) stillWaiting++
      if (state === PodState.PENDING && (flags & need) !== 0) unscheduled++
    }
    return { stillWaiting, unscheduled }
  }
}
