// EC2 call timing as the controller's client makes it (b8d42511): the SDK's standard retryer
// (pkg/aws/ec2/api/wrapper.go ~509–545) over an HTTP client whose round-tripper waits on the limiter before
// every attempt (pkg/utils/httpClient.go ~37–66: rate.NewLimiter(qps, burst), RoundTrip → rl.Wait). So
// every attempt takes a token, and tokens go out in the order attempts are made; only what happened by the
// end of a run is counted.

import { describe, expect, it } from "vitest"
import { Rng } from "../kernel/Rng.ts"
import { Simulation } from "../kernel/Simulation.ts"
import { defaultEc2CallsSpec } from "../spec/Defaults.ts"
import { Ec2Action, Ec2Code } from "./Ec2.ts"
import { Ec2Calls, type Ec2CallsSpec, type FaultSpec } from "./Ec2Calls.ts"

const REPLY = 2

/** A simulation with the calls' room and a reply handler recording (time, caller, code). */
const setup = (spec: Partial<Ec2CallsSpec>) => {
  const sim = new Simulation()
  const base = defaultEc2CallsSpec()
  const fixed = { fixed: 100 }
  const calls = new Ec2Calls(
    sim,
    {
      ...base,
      latency: {
        AssignPrivateIpAddresses: fixed,
        UnassignPrivateIpAddresses: fixed,
        DescribeNetworkInterfaces: fixed,
        DescribeInstances: fixed,
        DescribeSubnets: fixed,
      },
      ...spec,
    },
    new Rng(7),
  )
  sim.register(calls.eventKinds, calls)
  const answers: Array<[number, number, number]> = []
  sim.register([REPLY], { onEvent: (_k, a, b) => answers.push([sim.now, a, b]) })
  /** Makes call `id` at time t (an event of its own, so calls happen in time order). */
  const at = (t: number, id: number, action: Ec2Action = Ec2Action.DescribeInstances): void => {
    sim.register([3 + id], { onEvent: () => calls.call(action, REPLY, id) })
    sim.events.push(t, 3 + id, 0, 0)
  }
  return { sim, calls, answers, at }
}

describe("EC2 calls: the client limiter per attempt, in order", () => {
  it("a burst beyond the limiter's 18 waits 1/12 s per call (x/time/rate's Wait), in the order made", () => {
    const { sim, calls, answers } = setup({ clientLimiter: { qps: 12, burst: 18 } })
    for (let i = 0; i < 20; i++) calls.call(Ec2Action.DescribeInstances, REPLY, i)
    while (sim.step()) {}
    // 18 at once; the 19th waits for a token (1000/12 ms, rounded up), the 20th for two.
    expect(answers.slice(0, 18).every(([t]) => t === 100)).toBe(true)
    expect(answers.slice(18)).toEqual([
      [184, 18, Ec2Code.Ok],
      [267, 19, Ec2Code.Ok],
    ])
  })

  it("a retry takes its token when it is made: a call made before it is not held up by it", () => {
    // Limiter 1 QPS, burst 1. Call 0 at t=0 takes the token, times out (HTTP timeout 1 s) and retries after
    // a random back-off. Call 1 at t=500 waits for half a token: it goes at 1,000 and is answered at 1,100.
    // Booking the retry's token at t=0 for its future time would have left call 1 a whole token behind.
    const timeout: FaultSpec = { action: "DescribeInstances", error: "RequestTimeout", rate: 1, untilMs: 1 }
    const { sim, calls, answers, at } = setup({
      clientLimiter: { qps: 1, burst: 1 },
      httpTimeoutMs: 1000,
      faults: [timeout],
    })
    at(0, 0)
    at(500, 1)
    while (sim.step()) {}
    expect(answers.find(([, id]) => id === 1)).toEqual([1100, 1, Ec2Code.Ok])
    const first = answers.find(([, id]) => id === 0)!
    // Its second attempt: after the timeout (1 s) and a back-off of at most 2 s, then the limiter (the
    // bucket refills 1 token/s from t=500), then 100 ms.
    expect(first[2]).toBe(Ec2Code.Ok)
    expect(first[0]).toBeGreaterThan(1100)
    expect(calls.attempts[Ec2Action.DescribeInstances]).toBe(3)
  })

  it("counts only what happened by the end: an attempt after it is not counted, a failure not yet answered neither", () => {
    const throttle: FaultSpec = { action: "DescribeInstances", error: "RequestLimitExceeded", rate: 1 }
    const { sim, calls, at } = setup({ faults: [throttle], maxAttempts: 3 })
    at(0, 0)
    // The first attempt is answered at 100; the next comes after a back-off of up to 2 s.
    sim.runUntil(100)
    expect(calls.calls[Ec2Action.DescribeInstances]).toBe(1)
    expect(calls.attempts[Ec2Action.DescribeInstances]).toBe(1)
    expect(calls.throttled[Ec2Action.DescribeInstances]).toBe(1)
    expect(calls.failed[Ec2Action.DescribeInstances]).toBe(0)
    while (sim.step()) {}
    expect(calls.attempts[Ec2Action.DescribeInstances]).toBe(3)
    expect(calls.failed[Ec2Action.DescribeInstances]).toBe(1)
  })
})
