// How long an EC2 call takes and whether it fails, before its effect is applied: the SDK's standard retryer
// (3 attempts, exponential jitter back-off) over the controller's HTTP client, whose round-tripper waits on
// the client limiter (12 QPS, burst 18) before every attempt (pkg/utils/httpClient.go ~37–66 under
// pkg/aws/ec2/api/wrapper.go ~509–545); the account's token bucket per action (RequestLimitExceeded),
// latency per action, and injected faults. Each attempt happens at its own time, as an event: tokens go
// out in the order attempts are made, and only what happened by the end of a run is counted.

import type { Rng } from "../kernel/Rng.ts"
import type { EventHandler, Simulation } from "../kernel/Simulation.ts"
import { grown } from "../kernel/TypedArrays.ts"
import { EC2_ACTIONS, type Ec2Action, type Ec2ActionName, Ec2Code } from "./Ec2.ts"
import { compileLatency, type LatencySpec } from "./Latency.ts"
import { controllerClientBucket, TokenBucket } from "./TokenBucket.ts"

export interface FaultSpec {
  readonly action: Ec2ActionName
  readonly error:
    | "InsufficientFreeAddressesInSubnet"
    | "InsufficientCidrBlocks"
    | "RequestLimitExceeded"
    | "RequestTimeout"
  /** Probability per attempt (default 1 inside a window, required outside one). */
  readonly rate?: number
  readonly fromMs?: number
  readonly untilMs?: number
}

export interface Ec2CallsSpec {
  readonly latency: Readonly<Record<Ec2ActionName, LatencySpec>>
  readonly clientLimiter: { readonly qps: number; readonly burst: number }
  readonly accountBuckets: Readonly<
    Record<Ec2ActionName, { readonly capacity: number; readonly refillPerSecond: number }>
  >
  readonly maxAttempts: number
  readonly faults: readonly FaultSpec[]
  /** The SDK client's HTTP timeout: a timed-out attempt answers after this long. */
  readonly httpTimeoutMs: number
}

const FAULT_CODES: Record<FaultSpec["error"], Ec2Code> = {
  InsufficientFreeAddressesInSubnet: Ec2Code.InsufficientFreeAddressesInSubnet,
  InsufficientCidrBlocks: Ec2Code.InsufficientCidrBlocks,
  RequestLimitExceeded: Ec2Code.RequestLimitExceeded,
  RequestTimeout: Ec2Code.RequestTimeout,
}

/** Errors the SDK's standard retryer retries (throttling and transient); others return at once. */
const retryable = (code: Ec2Code): boolean =>
  code === Ec2Code.RequestLimitExceeded || code === Ec2Code.RequestTimeout || code === Ec2Code.InternalError

/** The event kind of a call's later attempts and sends: after every other room's events at a tie. */
export enum Ec2Event {
  CALL = 12,
}

/** Phases of a CALL event (its b). */
enum Phase {
  /** The limiter let the attempt through: it reaches EC2. */
  SEND = 0,
  /** A retryable answer arrived: the retryer backs off, then tries again. */
  ANSWERED = 1,
  /** The back-off is over: the next attempt waits on the limiter. */
  RETRY = 2,
}

/** An in-flight call's record, Slot.STRIDE int32 per call slot. */
enum Slot {
  STRIDE = 4,
  ACTION = 0,
  ATTEMPT = 1,
  REPLY_KIND = 2,
  REPLY_A = 3,
}

export class Ec2Calls implements EventHandler {
  readonly eventKinds = [Ec2Event.CALL]
  /** Calls made, attempts sent, attempts throttled and calls that ended in an error, per action. */
  readonly calls = new Float64Array(EC2_ACTIONS.length)
  readonly attempts = new Float64Array(EC2_ACTIONS.length)
  readonly throttled = new Float64Array(EC2_ACTIONS.length)
  private readonly failedBy = new Float64Array(EC2_ACTIONS.length)
  /** Failed calls whose answer is still to come: (answer time, action) pairs, counted once it has come. */
  private readonly failing: number[] = []

  private readonly latency: Array<(rng: Rng) => number>
  private readonly limiter: TokenBucket
  private readonly buckets: TokenBucket[]
  private readonly faults: Array<{ action: number; code: Ec2Code; rate: number; from: number; until: number }>
  /** Calls waiting on the limiter or between attempts. */
  private slots = new Int32Array(Slot.STRIDE * 16)
  private readonly freeSlots: number[] = []
  private slotCount = 0

  constructor(
    private readonly sim: Simulation,
    private readonly spec: Ec2CallsSpec,
    private readonly rng: Rng,
  ) {
    this.latency = EC2_ACTIONS.map((a) => compileLatency(spec.latency[a]))
    this.limiter = controllerClientBucket(spec.clientLimiter)
    this.buckets = EC2_ACTIONS.map(
      (a) =>
        new TokenBucket({
          capacity: spec.accountBuckets[a].capacity,
          refillPerSecond: spec.accountBuckets[a].refillPerSecond,
          now: 0,
        }),
    )
    this.faults = spec.faults.map((f) => ({
      action: EC2_ACTIONS.indexOf(f.action),
      code: FAULT_CODES[f.error],
      rate: f.rate ?? 1,
      from: f.fromMs ?? 0,
      until: f.untilMs ?? Number.POSITIVE_INFINITY,
    }))
  }

  /** Calls that ended in an error whose answer has come by now, per action. */
  get failed(): Float64Array {
    const now = this.sim.now
    const f = this.failing
    let w = 0
    for (let i = 0; i < f.length; i += 2) {
      if (f[i]! <= now) this.failedBy[f[i + 1]!]!++
      else {
        f[w++] = f[i]!
        f[w++] = f[i + 1]!
      }
    }
    f.length = w
    return this.failedBy
  }

  /**
   * Makes a call at now. Its answer comes as the event (replyKind, replyA, code) at the answer's time, code
   * Ok or the error it ended with. When the code is Ok the caller applies the call's effect then; the model
   * may still turn an Ok into an EC2 error (no free addresses), which the caller reports through `fail`.
   */
  call(action: Ec2Action, replyKind: number, replyA: number): void {
    this.calls[action]!++
    let slot = this.freeSlots.pop()
    if (slot === undefined) {
      slot = this.slotCount++
      if (slot * Slot.STRIDE === this.slots.length) this.slots = grown(this.slots, this.slots.length * 2)
    }
    const o = slot * Slot.STRIDE
    this.slots[o + Slot.ACTION] = action
    this.slots[o + Slot.ATTEMPT] = 1
    this.slots[o + Slot.REPLY_KIND] = replyKind
    this.slots[o + Slot.REPLY_A] = replyA
    this.attempt(slot)
  }

  onEvent(_kind: number, slot: number, phase: number): void {
    if (phase === Phase.SEND) this.send(slot)
    else if (phase === Phase.RETRY) this.attempt(slot)
    else {
      // aws-sdk-go-v2 standard retryer: ExponentialJitterBackoff, rand × 2^attempt s, at most 20 s.
      const attempt = this.slots[slot * Slot.STRIDE + Slot.ATTEMPT]!
      const backoff = Math.round(this.rng.float() * Math.min(20_000, 1000 * 2 ** attempt))
      this.slots[slot * Slot.STRIDE + Slot.ATTEMPT] = attempt + 1
      this.sim.events.push(this.sim.now + backoff, Ec2Event.CALL, slot, Phase.RETRY)
    }
  }

  /** An attempt begins: the round-tripper waits on the client limiter, in the order attempts begin. */
  private attempt(slot: number): void {
    const now = this.sim.now
    const wait = this.limiter.reserve(now)
    if (wait === 0) this.send(slot)
    else this.sim.events.push(now + wait, Ec2Event.CALL, slot, Phase.SEND)
  }

  /** The attempt reaches EC2: the account's bucket, faults, latency; then the answer or the next attempt. */
  private send(slot: number): void {
    const t = this.sim.now
    const o = slot * Slot.STRIDE
    const action = this.slots[o + Slot.ACTION]!
    this.attempts[action]!++
    let code: Ec2Code = Ec2Code.Ok
    if (!this.buckets[action]!.tryTake(t)) {
      code = Ec2Code.RequestLimitExceeded
      this.throttled[action]!++
    } else {
      code = this.injected(action, t)
      if (code === Ec2Code.RequestLimitExceeded) this.throttled[action]!++
    }
    const answer = t + (code === Ec2Code.RequestTimeout ? this.spec.httpTimeoutMs : this.latency[action]!(this.rng))
    if (code === Ec2Code.Ok || !retryable(code) || this.slots[o + Slot.ATTEMPT]! >= this.spec.maxAttempts) {
      if (code !== Ec2Code.Ok) this.failing.push(answer, action)
      this.sim.events.push(answer, this.slots[o + Slot.REPLY_KIND]!, this.slots[o + Slot.REPLY_A]!, code)
      this.freeSlots.push(slot)
      return
    }
    this.sim.events.push(answer, Ec2Event.CALL, slot, Phase.ANSWERED)
  }

  /** Counts a call that reached EC2 but failed there (for example no free addresses left). */
  fail(action: Ec2Action): void {
    this.failedBy[action]!++
  }

  private injected(action: number, t: number): Ec2Code {
    for (const f of this.faults) {
      if (f.action === action && t >= f.from && t < f.until && (f.rate >= 1 || this.rng.float() < f.rate)) return f.code
    }
    return Ec2Code.Ok
  }
}
