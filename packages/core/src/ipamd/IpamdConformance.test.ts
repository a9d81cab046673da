// The ipamd conformance session's handling of input (the recorded cases themselves run through the CLI:
// packages/cli/test/Conformance.test.ts).

import { describe, expect, it } from "vitest"
import { IpamdConformance, ProtocolError } from "./IpamdConformance.ts"

const session = (...ops: object[]) => {
  const s = new IpamdConformance()
  return ops.map((o) => s.apply(o))
}
const INIT = { op: "init", mode: "SIP", maxENI: 3, maxIPsPerENI: 2, maxPods: 10 }

describe("IpamdConformance", () => {
  it("answers init with the effective settings: missing or negative targets as unset, cooldown in ms as given", () => {
    const [a, b] = session(INIT, {
      op: "init",
      mode: "PD",
      maxENI: 3,
      maxPrefixesPerENI: 2,
      maxPods: 10,
      warmENITarget: -1,
      warmIPTarget: -2,
      minimumIPTarget: 4,
      warmPrefixTarget: -3,
      cooldown: -5,
    })
    expect(a!.result).toEqual({
      maxIPsPerENI: 2,
      maxPrefixesPerENI: 0,
      warmENITarget: 1,
      warmIPTarget: 0,
      minimumIPTarget: 0,
      warmPrefixTarget: 0,
      cooldownMs: 30_000,
    })
    expect(b!.result).toEqual({
      maxIPsPerENI: 32,
      maxPrefixesPerENI: 2,
      warmENITarget: 1,
      warmIPTarget: 0,
      minimumIPTarget: 4,
      warmPrefixTarget: 0,
      cooldownMs: -5000,
    })
  })

  it("walks ENIs by id in byte order, whatever their digits", () => {
    const answers = session(
      INIT,
      { op: "addENI", eni: "eni-999" },
      { op: "addENI", eni: "eni-1000" },
      { op: "addCidr", eni: "eni-999", cidr: "10.9.0.1/32" },
      { op: "addCidr", eni: "eni-1000", cidr: "10.10.0.1/32" },
      { op: "assign", pod: "a" },
    )
    expect(answers[5]!.result).toEqual({ ip: "10.10.0.1", eni: "eni-1000" })
    expect(answers[5]!.state.enis).toEqual([
      ["eni-1000", 1, 1],
      ["eni-999", 1, 0],
    ])
  })

  it("answers BadCidr and UnknownOp as errors, stores a CIDR by its network, defaults prefix by length", () => {
    const answers = session(
      INIT,
      { op: "addENI", eni: "eni-0000", primary: true },
      { op: "addCidr", eni: "eni-0000", cidr: "10.0.0.300/32" },
      { op: "addCidr", eni: "eni-0000", cidr: "10.0.0.0/33" },
      { op: "addCidr", eni: "eni-0000", cidr: "10.0.0.5/28" },
      { op: "freeable", eni: "eni-0000" },
      { op: "frobnicate" },
      { op: "freeable", eni: "eni-7777" },
    )
    expect(answers.map((a) => a.error)).toEqual([null, null, "BadCidr", "BadCidr", null, null, "UnknownOp", null])
    expect(answers[4]!.state).toMatchObject({ total: 0, prefixes: 1 })
    expect(answers[5]!.result).toEqual(["10.0.0.0/28"])
    expect(answers[7]!.result).toEqual([])
  })

  it("records the EC2 calls of a pool action and names created ENIs eni-1001, …", () => {
    const answers = session(
      INIT,
      { op: "ec2", createENI: "error" },
      { op: "increase" },
      { op: "ec2", createENI: "ok" },
      { op: "tick" },
      { op: "decide" },
    )
    expect(answers[2]!.ec2).toEqual([{ call: "createENI", n: 2, error: "error" }])
    expect(answers[2]!.error).toBeNull()
    expect(answers[4]!.ec2).toEqual([{ call: "createENI", n: 2, eni: "eni-1001", got: ["10.0.0.1", "10.0.0.2"] }])
    expect(answers[5]!.result).toMatchObject({ allocatableENIs: [], deletableENI: "", roomForENI: true })
  })

  it("throws a ProtocolError naming the field and what it expects", () => {
    const fails =
      (...ops: object[]) =>
      () =>
        session(...ops)
    expect(fails({ op: "tick" })).toThrow(new ProtocolError('op "tick" before "init"'))
    expect(fails({ ...INIT, mode: "sip" })).toThrow('field "mode": expected "SIP" or "PD"')
    expect(fails({ ...INIT, maxPods: 1.5 })).toThrow('field "maxPods": expected an integer')
    expect(fails({ op: "init", mode: "PD", maxENI: 3, maxPods: 10 })).toThrow(
      'field "maxPrefixesPerENI": expected an integer',
    )
    expect(fails(INIT, { op: "addENI", eni: "eni-1", trunk: "yes" })).toThrow('field "trunk": expected true or false')
    expect(fails(INIT, { op: "advance" })).toThrow('field "ms": expected an integer')
    expect(fails(INIT, { op: "ec2", assign: "maybe" })).toThrow(
      'field "assign": expected one of "ok", "insufficient", "error", "failMany"',
    )
    expect(fails(INIT, { op: "addCidr", eni: "eni-1", cidr: 10 })).toThrow('field "cidr": expected a string')
  })
})
