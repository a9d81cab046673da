// Token buckets over integer-millisecond time. Two uses: EC2's per-account, per-action request throttling
// (a call without a token fails with RequestLimitExceeded) and the controller's client-side limiter,
// golang.org/x/time/rate's Wait, which never refuses but makes the caller wait, possibly into debt.
// The level is kept in thousandths of a token so that integer rates refill by exact integers per ms:
// no drift, the same result whatever the call pattern.

/** A bucket's parameters as scenario files and presets give them. */
export interface BucketSpec {
  readonly capacity: number
  readonly refillPerSecond: number
}

/** Thousandths of a token per token. */
const UNIT = 1000

export class TokenBucket {
  readonly capacity: number
  readonly refillPerSecond: number
  /** Tokens × 1000; negative while reservations are in debt. (Numbers from the start: see Rng's fields.) */
  private level = 0
  private last = 0

  constructor(options: { capacity: number; refillPerSecond: number; now?: number }) {
    const { capacity, refillPerSecond } = options
    if (!Number.isFinite(capacity) || capacity <= 0)
      throw new Error(`token bucket: capacity must be a positive number, got ${capacity}`)
    if (!Number.isFinite(refillPerSecond) || refillPerSecond <= 0)
      throw new Error(`token bucket: refillPerSecond must be a positive number, got ${refillPerSecond}`)
    this.capacity = capacity
    this.refillPerSecond = refillPerSecond
    this.level = capacity * UNIT
    this.last = options.now ?? 0
  }

  /** EC2 throttling: takes a token if one is available; false means RequestLimitExceeded. */
  tryTake(now: number): boolean {
    this.refill(now)
    if (this.level < UNIT) return false
    this.level -= UNIT
    return true
  }

  /**
   * x/time/rate Wait: always takes a token, into debt if need be, and returns the ms the caller waits
   * before its call proceeds (0 when a token was there), rounded up to whole ms.
   */
  reserve(now: number): number {
    this.refill(now)
    this.level -= UNIT
    return this.level >= 0 ? 0 : Math.ceil(-this.level / this.refillPerSecond)
  }

  /** Ms from now until tryTake would succeed (0 if it would now); does not change the bucket. */
  msUntilAvailable(now: number): number {
    const level = this.levelAt(now)
    return level >= UNIT ? 0 : Math.ceil((UNIT - level) / this.refillPerSecond)
  }

  /** Tokens available at `now`, fractional, negative while in debt; does not change the bucket. */
  available(now: number): number {
    return this.levelAt(now) / UNIT
  }

  private levelAt(now: number): number {
    // Time is assumed not to go backwards; an earlier `now` refills nothing, as in x/time/rate.
    const elapsed = now > this.last ? now - this.last : 0
    return Math.min(this.capacity * UNIT, this.level + elapsed * this.refillPerSecond)
  }

  private refill(now: number): void {
    if (now <= this.last) return
    this.level = this.levelAt(now)
    this.last = now
  }
}

/**
 * EC2 request throttling per account and Region, one bucket per action (research/peers-and-users.md §3.1,
 * from "Request throttling for the Amazon EC2 API"). Accounts can have raised limits; scenarios override.
 */
export const Ec2Throttling = {
  AssignPrivateIpAddresses: { capacity: 100, refillPerSecond: 5 },
  UnassignPrivateIpAddresses: { capacity: 100, refillPerSecond: 5 },
  // Unfiltered, unpaginated DescribeNetworkInterfaces has a 50 / 10 bucket, but the controller filters by
  // ENI id, so its calls fall under the ordinary non-mutating bucket.
  DescribeNetworkInterfaces: { capacity: 100, refillPerSecond: 20 },
  // Filtered by instance id (non-mutating bucket), as the controller calls it.
  DescribeInstances: { capacity: 100, refillPerSecond: 20 },
  DescribeSubnets: { capacity: 100, refillPerSecond: 20 },
  CreateNetworkInterface: { capacity: 100, refillPerSecond: 5 },
  DeleteNetworkInterface: { capacity: 100, refillPerSecond: 5 },
  ModifyNetworkInterfaceAttribute: { capacity: 100, refillPerSecond: 5 },
  // Not in EC2's list of actions with their own bucket size: the size of the mutating category (each action
  // still has a bucket of its own: "limits are applied to individual API actions").
  AttachNetworkInterface: { capacity: 50, refillPerSecond: 5 },
  DetachNetworkInterface: { capacity: 50, refillPerSecond: 5 },
} as const satisfies Record<string, BucketSpec>

export type Ec2ThrottledAction = keyof typeof Ec2Throttling

/**
 * The VPC Resource Controller's client-side EC2 limiter, shared by all its EC2 calls:
 * `--user-client-qps 12`, `--user-client-burst 18` (vpc-resource-controller.md §4.1).
 */
export const ControllerClientLimiter = { qps: 12, burst: 18 } as const

/** A bucket for the controller's limiter (burst = capacity, qps = refill). */
export const controllerClientBucket = (
  limit: { readonly qps: number; readonly burst: number } = ControllerClientLimiter,
  now = 0,
): TokenBucket => new TokenBucket({ capacity: limit.burst, refillPerSecond: limit.qps, now })
