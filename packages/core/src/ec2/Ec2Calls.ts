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
import { compileLatency, DEFAULT_LATENCIES, type LatencySpec } from "./Latency.ts"
import { controllerClientBucket, Ec2Throttling, TokenBucket } from "./TokenBucket.ts"

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

/** ipamd's ENI actions: a spec that leaves them out gets their defaults. */
type EniActionName = Exclude<Ec2ActionName, (typeof EC2_ACTIONS)[0 | 1 | 2 | 3 | 4]>
type PerAction<T> = Readonly<Record<Exclude<Ec2ActionName, EniActionName>, T>> &
  Readonly<Partial<Record<EniActionName, T>>>

export interface Ec2CallsSpec {
  readonly latency: PerAction<LatencySpec>
  readonly clientLimiter: { readonly qps: number; readonly burst: number }
  readonly accountBuckets: PerAction<{ readonly capacity: number; readonly refillPerSecond: number }>
  readonly maxAttempts: number
  readonly faults: readonly FaultSpec[]
  /** The SDK client's HTTP timeout: a timed-out attempt answers after this long. */
  readonly httpTimeoutMs: number
}

/** Who makes a call: the VPC Resource Controller (Windows nodes) or a Linux node's ipamd. */
export enum Caller {
  CONTROLLER = 0,
  IPAMD = 1,
}

/**
 * ipamd's EC2 client (pkg/awsutils/awssession/session.go): the SDK's standard retryer with at most 10
 * attempts, a 10 s HTTP timeout (HTTP_TIMEOUT), and no client-side limiter.
 */
export const IPAMD_MAX_ATTEMPTS = 10
export const IPAMD_HTTP_TIMEOUT_MS = 10_000

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
  /** The action, plus Caller × CALLER_SHIFT. */
  ACTION = 0,
  ATTEMPT = 1,
  REPLY_KIND = 2,
  REPLY_A = 3,
}

const CALLER_SHIFT = 256

export class Ec2Calls implements EventHandler {
  readonly eventKinds = [Ec2Event.CALL]
  /** Calls made, attempts sent, attempts throttled and calls that ended in an error, per action. */
  readonly calls = new Float64Array(EC2_ACTIONS.length)
  readonly attempts = new Float64Array(EC2_ACTIONS.length)
  readonly throttled = new Float64Array(EC2_ACTIONS.length)
  private readonly failedBy = new Float64Array(EC2_ACTIONS.length)
  /** The same counts for ipamd's calls alone (included in the totals above). */
  readonly ipamdCalls = new Float64Array(EC2_ACTIONS.length)
  readonly ipamdAttempts = new Float64Array(EC2_ACTIONS.length)
  readonly ipamdThrottled = new Float64Array(EC2_ACTIONS.length)
  private readonly ipamdFailedBy = new Float64Array(EC2_ACTIONS.length)
  /** Failed calls whose answer is still to come: (answer time, action + caller) pairs, counted once it has come. */
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
    const latencyOf = (a: Ec2ActionName): LatencySpec => spec.latency[a] ?? DEFAULT_LATENCIES[a as EniActionName]
    const bucketOf = (a: Ec2ActionName) => spec.accountBuckets[a] ?? Ec2Throttling[a as EniActionName]
    this.latency = EC2_ACTIONS.map((a) => compileLatency(latencyOf(a)))
    this.limiter = controllerClientBucket(spec.clientLimiter)
    this.buckets = EC2_ACTIONS.map(
      (a) => new TokenBucket({ capacity: bucketOf(a).capacity, refillPerSecond: bucketOf(a).refillPerSecond, now: 0 }),
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
    this.countAnswered()
    return this.failedBy
  }

  /** ipamd's calls that ended in an error whose answer has come by now, per action. */
  get ipamdFailed(): Float64Array {
    this.countAnswered()
    return this.ipamdFailedBy
  }

  /** Counts the failed calls whose answer has come by now. */
  private countAnswered(): void {
    const now = this.sim.now
    const f = this.failing
    let w = 0
    for (let i = 0; i < f.length; i += 2) {
      if (f[i]! <= now) {
        const a = f[i + 1]!
        this.failedBy[a % CALLER_SHIFT]!++
        if (a >= CALLER_SHIFT) this.ipamdFailedBy[a % CALLER_SHIFT]!++
      } else {
        f[w++] = f[i]!
        f[w++] = f[i + 1]!
      }
    }
    f.length = w
  }

  /**
   * Makes a call at now. Its answer comes as the event (replyKind, replyA, code) at the answer's time, code
   * Ok or the error it ended with. When the code is Ok the caller applies the call's effect then; the model
   * may still turn an Ok into an EC2 error (no free addresses), which the caller reports through `fail`.
   */
  call(action: Ec2Action, replyKind: number, replyA: number, caller: Caller = Caller.CONTROLLER): void {
    this.calls[action]!++
    if (caller === Caller.IPAMD) this.ipamdCalls[action]!++
    let slot = this.freeSlots.pop()
    if (slot === undefined) {
      slot = this.slotCount++
      if (slot * Slot.STRIDE === this.slots.length) this.slots = grown(this.slots, this.slots.length * 2)
    }
    const o = slot * Slot.STRIDE
    this.slots[o + Slot.ACTION] = action + caller * CALLER_SHIFT
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
    // ipamd's client has no limiter of its own.
    if (this.slots[slot * Slot.STRIDE + Slot.ACTION]! >= CALLER_SHIFT) {
      this.send(slot)
      return
    }
    const wait = this.limiter.reserve(now)
    if (wait === 0) this.send(slot)
    else this.sim.events.push(now + wait, Ec2Event.CALL, slot, Phase.SEND)
  }

  /** The attempt reaches EC2: the account's bucket, faults, latency; then the answer or the next attempt. */
  private send(slot: number): void {
    const t = this.sim.now
    const o = slot * Slot.STRIDE
    const tagged = this.slots[o + Slot.ACTION]!
    const action = tagged % CALLER_SHIFT
    const ipamd = tagged >= CALLER_SHIFT
    this.attempts[action]!++
    if (ipamd) this.ipamdAttempts[action]!++
    let code: Ec2Code = Ec2Code.Ok
    if (!this.buckets[action]!.tryTake(t)) code = Ec2Code.RequestLimitExceeded
    else code = this.injected(action, t)
    if (code === Ec2Code.RequestLimitExceeded) {
      this.throttled[action]!++
      if (ipamd) this.ipamdThrottled[action]!++
    }
    const timeout = ipamd ? IPAMD_HTTP_TIMEOUT_MS : this.spec.httpTimeoutMs
    const answer = t + (code === Ec2Code.RequestTimeout ? timeout : this.latency[action]!(this.rng))
    const maxAttempts = ipamd ? IPAMD_MAX_ATTEMPTS : this.spec.maxAttempts
    if (code === Ec2Code.Ok || !retryable(code) || this.slots[o + Slot.ATTEMPT]! >= maxAttempts) {
      if (code !== Ec2Code.Ok) this.failing.push(answer, tagged)
      this.sim.events.push(answer, this.slots[o + Slot.REPLY_KIND]!, this.slots[o + Slot.REPLY_A]!, code)
      this.freeSlots.push(slot)
      return
    }
    this.sim.events.push(answer, Ec2Event.CALL, slot, Phase.ANSWERED)
  }

  /** Counts a call that reached EC2 but failed there (for example no free addresses left). */
  fail(action: Ec2Action, caller: Caller = Caller.CONTROLLER): void {
    this.failedBy[action]!++
    if (caller === Caller.IPAMD) this.ipamdFailedBy[action]!++
  }

  private injected(action: number, t: number): Ec2Code {
    for (const f of this.faults) {
      if (f.action === action && t >= f.from && t < f.until && (f.rate >= 1 || this.rng.float() < f.rate)) return f.code
    }
    return Ec2Code.Ok
  }
}
