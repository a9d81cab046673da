// The kernel's pods by id (PodEvent.podId or PodNames): one record of 8 numbers per pod in one Float64Array,
// so that a pod event reads one or two cache lines instead of one per field. At thousands of nodes a
// delete finds its pod long after the create, out of cache: with a plain array per field it paid a miss
// for each of state, node, address, generation and request.

const FIELDS = 8
const STATE = 0
const NODE = 1
const IP = 2
const BOUND_AT = 3
const GEN = 4
const FAILURES = 5
const REQUESTS = 6
const WANT_NODE = 7

export class PodRecords {
  private r = new Float64Array(FIELDS * 1024)
  /** Ids below this have a record (a new one: state 0, node and address -1). */
  size = 0

  /** Makes sure `slot` has a record. */
  ensure(slot: number): void {
    if (slot < this.size) return
    if (FIELDS * (slot + 1) > this.r.length) {
      const r = new Float64Array(Math.max(2 * this.r.length, FIELDS * (slot + 1)))
      r.set(this.r)
      this.r = r
    }
    for (let s = this.size; s <= slot; s++) {
      this.r[FIELDS * s + NODE] = -1
      this.r[FIELDS * s + IP] = -1
      this.r[FIELDS * s + WANT_NODE] = -1
    }
    this.size = slot + 1
  }

  state(slot: number): number {
    return this.r[FIELDS * slot + STATE]!
  }
  setState(slot: number, v: number): void {
    this.r[FIELDS * slot + STATE] = v
  }
  node(slot: number): number {
    return this.r[FIELDS * slot + NODE]!
  }
  setNode(slot: number, v: number): void {
    this.r[FIELDS * slot + NODE] = v
  }
  ip(slot: number): number {
    return this.r[FIELDS * slot + IP]!
  }
  setIp(slot: number, v: number): void {
    this.r[FIELDS * slot + IP] = v
  }
  boundAt(slot: number): number {
    return this.r[FIELDS * slot + BOUND_AT]!
  }
  setBoundAt(slot: number, v: number): void {
    this.r[FIELDS * slot + BOUND_AT] = v
  }
  /** Bumped when the pod's id is taken and when it is freed, so that queued events of an old pod are ignored. */
  gen(slot: number): number {
    return this.r[FIELDS * slot + GEN]!
  }
  bumpGen(slot: number): void {
    this.r[FIELDS * slot + GEN]!++
  }
  /** Consecutive ErrPoolAtMaxCapacity answers (the workqueue's per-item backoff). */
  failures(slot: number): number {
    return this.r[FIELDS * slot + FAILURES]!
  }
  setFailures(slot: number, v: number): void {
    this.r[FIELDS * slot + FAILURES] = v
  }
  /** Whether the webhook gave the pod the vpc.amazonaws.com/PrivateIPv4Address request. */
  requests(slot: number): boolean {
    return this.r[FIELDS * slot + REQUESTS] === 1
  }
  setRequests(slot: number, v: boolean): void {
    this.r[FIELDS * slot + REQUESTS] = v ? 1 : 0
  }
  /** The node the trace binds the pod to: -1 none (the scheduler places it), -2 a node that does not exist. */
  wantNode(slot: number): number {
    return this.r[FIELDS * slot + WANT_NODE]!
  }
  setWantNode(slot: number, v: number): void {
    this.r[FIELDS * slot + WANT_NODE] = v
  }
}
