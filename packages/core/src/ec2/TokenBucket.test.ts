import { describe, expect, it } from "vitest"
import { ControllerClientLimiter, controllerClientBucket, Ec2Throttling, TokenBucket } from "./TokenBucket.ts"

describe("TokenBucket.reserve (controller client limiter)", () => {
  it("lets the burst through, then waits 1/qps per call", () => {
    const b = new TokenBucket({ capacity: 18, refillPerSecond: 12 })
    for (let i = 0; i < 18; i++) expect(b.reserve(0)).toBe(0)
    // 1000 / 12 = 83.33 ms, rounded up.
    expect(b.reserve(0)).toBe(84)
    expect(b.reserve(0)).toBe(167)
    expect(b.available(0)).toBeCloseTo(-2, 10)
  })

  it("spreads 100 simultaneous calls at the steady rate after the burst", () => {
    const b = controllerClientBucket()
    const waits: number[] = []
    for (let i = 0; i < 100; i++) waits.push(b.reserve(0))
    expect(waits.slice(0, 18).every((w) => w === 0)).toBe(true)
    for (let k = 19; k <= 100; k++) expect(waits[k - 1]).toBe(Math.ceil(((k - 18) * 1000) / 12))
    expect(waits[99]).toBe(6834)
    // The debt is paid back at 12 tokens/s: full again 82/12 + 18/12 s later.
    expect(b.available(6834)).toBeCloseTo(0.008, 3)
    expect(b.available(6834 + 1500)).toBe(18)
  })

  it("paces a caller that proceeds after each wait to the refill rate", () => {
    const b = new TokenBucket({ capacity: 18, refillPerSecond: 12 })
    let now = 0
    for (let i = 0; i < 18 + 120; i++) now += b.reserve(now)
    // 120 calls beyond the burst take 10 s at 12/s (each wait rounded up to a whole ms, so never early).
    expect(now).toBeGreaterThanOrEqual(10_000)
    expect(now).toBeLessThan(10_000 + 120)
  })

  it("refills from elapsed time and caps at capacity", () => {
    const b = new TokenBucket({ capacity: 18, refillPerSecond: 12, now: 1000 })
    for (let i = 0; i < 18; i++) b.reserve(1000)
    expect(b.available(1000)).toBe(0)
    expect(b.available(1250)).toBe(3)
    expect(b.reserve(1250)).toBe(0)
    expect(b.available(1250)).toBe(2)
    expect(b.available(100_000)).toBe(18)
  })
})

describe("TokenBucket.tryTake (EC2 throttling)", () => {
  it("refuses without a token and without consuming, then refills", () => {
    const b = new TokenBucket(Ec2Throttling.AssignPrivateIpAddresses)
    for (let i = 0; i < 100; i++) expect(b.tryTake(0)).toBe(true)
    expect(b.tryTake(0)).toBe(false)
    expect(b.tryTake(199)).toBe(false)
    expect(b.msUntilAvailable(199)).toBe(1)
    // 5 tokens/s: one every 200 ms.
    expect(b.tryTake(200)).toBe(true)
    expect(b.tryTake(200)).toBe(false)
    expect(b.msUntilAvailable(200)).toBe(200)
    expect(b.tryTake(1200)).toBe(true)
    expect(b.available(1200)).toBe(4)
  })

  it("sustains exactly the refill rate under constant pressure", () => {
    const b = new TokenBucket({ capacity: 50, refillPerSecond: 10 })
    let ok = 0
    for (let t = 0; t <= 60_000; t++) if (b.tryTake(t)) ok++
    expect(ok).toBe(50 + 600)
  })

  it("assumes time does not go backwards: an earlier now refills nothing", () => {
    const b = new TokenBucket({ capacity: 2, refillPerSecond: 1, now: 5000 })
    expect(b.tryTake(5000)).toBe(true)
    expect(b.tryTake(5000)).toBe(true)
    expect(b.tryTake(4000)).toBe(false)
    expect(b.available(4000)).toBe(0)
    expect(b.tryTake(6000)).toBe(true)
  })

  it("validates its parameters", () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(/capacity must be a positive number/)
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: Number.NaN })).toThrow(/refillPerSecond/)
  })
})

describe("presets", () => {
  it("match the EC2 throttling table and the controller flags", () => {
    expect(Ec2Throttling.AssignPrivateIpAddresses).toEqual({ capacity: 100, refillPerSecond: 5 })
    expect(Ec2Throttling.UnassignPrivateIpAddresses).toEqual({ capacity: 100, refillPerSecond: 5 })
    expect(Ec2Throttling.DescribeNetworkInterfaces).toEqual({ capacity: 100, refillPerSecond: 20 })
    expect(Ec2Throttling.DescribeInstances).toEqual({ capacity: 100, refillPerSecond: 20 })
    expect(Ec2Throttling.DescribeSubnets).toEqual({ capacity: 100, refillPerSecond: 20 })
    expect(Ec2Throttling.CreateNetworkInterface).toEqual({ capacity: 100, refillPerSecond: 5 })
    expect(Ec2Throttling.DeleteNetworkInterface).toEqual({ capacity: 100, refillPerSecond: 5 })
    expect(ControllerClientLimiter).toEqual({ qps: 12, burst: 18 })
    const c = controllerClientBucket()
    expect(c.capacity).toBe(18)
    expect(c.refillPerSecond).toBe(12)
  })
})
