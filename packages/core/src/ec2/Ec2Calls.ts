// How long an EC2 call takes and whether it fails, before its effect is applied: the controller's client
// limiter (12 QPS, burst 18), the account's token bucket per action (RequestLimitExceeded), the SDK's
// standard retryer (3 attempts, exponential jitter backoff), latency per action, and injected faults.

import type { Rng } from "../kernel/Rng.ts"
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

export class Ec2Calls {
  readonly calls = new Float64Array(EC2_ACTIONS.length)
  readonly attempts = new Float64Array(EC2_ACTIONS.length)
  readonly throttled = new Float64Array(EC2_ACTIONS.length)
  readonly failed = new Float64Array(EC2_ACTIONS.length)
  /** Code of the last call (Ok, or the error it ended with). */
  code: Ec2Code = Ec2Code.Ok

  private readonly latency: Array<(rng: Rng) => number>
  private readonly limiter: TokenBucket
  private readonly buckets: TokenBucket[]
  private readonly faults: Array<{ action: number; code: Ec2Code; rate: number; from: number; until: number }>

  constructor(
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

  /**
   * Issues a call at `now`; returns when its answer arrives and sets `code`. When `code` is Ok the caller
   * applies the call's effect at the returned time; the model may still turn an Ok into an EC2 error then
   * (no free addresses), which the caller reports through `fail`.
   */
  call(action: Ec2Action, now: number): number {
    this.calls[action]!++
    let t = now + this.limiter.reserve(now)
    for (let attempt = 1; ; attempt++) {
      this.attempts[action]!++
      let code: Ec2Code = Ec2Code.Ok
      if (!this.buckets[action]!.tryTake(t)) {
        code = Ec2Code.RequestLimitExceeded
        this.throttled[action]!++
      } else {
        code = this.injected(action, t)
        if (code === Ec2Code.RequestLimitExceeded) this.throttled[action]!++
      }
      t += code === Ec2Code.RequestTimeout ? this.spec.httpTimeoutMs : this.latency[action]!(this.rng)
      if (code === Ec2Code.Ok || !retryable(code) || attempt >= this.spec.maxAttempts) {
        this.code = code
        if (code !== Ec2Code.Ok) this.failed[action]!++
        return t
      }
      // aws-sdk-go-v2 standard retryer: ExponentialJitterBackoff, rand × 2^attempt s, at most 20 s.
      t += Math.round(this.rng.float() * Math.min(20_000, 1000 * 2 ** attempt))
    }
  }

  /** Counts a call that reached EC2 but failed there (for example no free addresses left). */
  fail(action: Ec2Action): void {
    this.failed[action]!++
  }

  private injected(action: number, t: number): Ec2Code {
    for (const f of this.faults) {
      if (f.action === action && t >= f.from && t < f.until && (f.rate >= 1 || this.rng.float() < f.rate)) return f.code
    }
    return Ec2Code.Ok
  }
}
