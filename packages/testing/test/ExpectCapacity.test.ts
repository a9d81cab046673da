// expectCapacity: passes quietly, or fails with one line per broken expectation and a summary of the run.

import { createPod } from "@ipamsim/core/spec/SpecBuilder"
import { describe, expect, it } from "vitest"
import { CapacityAssertionError, expectCapacity } from "../src/ExpectCapacity.ts"
import { simulate } from "../src/Simulate.ts"

const pods = (n: number, atMs = 30_000) => Array.from({ length: n }, (_, i) => createPod(atMs, `p${i}`))
const thrown = (f: () => unknown): CapacityAssertionError => {
  try {
    f()
  } catch (e) {
    if (e instanceof CapacityAssertionError) return e
    throw e
  }
  throw new Error("expected a CapacityAssertionError")
}

describe("expectCapacity", () => {
  it("returns the result when every expectation holds", () => {
    const r = simulate({ nodeGroups: [{ instanceType: "m5.large" }], trace: pods(2) })
    expect(expectCapacity(r, { allPodsGetIp: true, noExhaustion: true, maxWaitMs: 0, maxP99WaitMs: 0 })).toBe(r)
  })

  it("lists every broken expectation with its numbers", () => {
    // A /28 holds 16 − 5 AWS-reserved − 1 primary = 10 addresses for pods; 12 pods ask on a c5.xlarge (14 slots).
    const r = simulate({
      subnets: [{ id: "tiny", cidr: "10.0.0.0/28" }],
      nodeGroups: [{ instanceType: "c5.xlarge" }],
      trace: pods(12),
      durationMs: 180_000,
    })
    const e = thrown(() =>
      expectCapacity(r, { allPodsGetIp: true, noExhaustion: true, maxWaitMs: 100, maxP99WaitMs: 10 }),
    )
    expect(e.failures.map((f) => f.split(":")[0])).toEqual([
      "maxWaitMs",
      "maxP99WaitMs",
      "noExhaustion",
      "allPodsGetIp",
    ])
    expect(e.failures[2]).toMatch(
      /^noExhaustion: subnet tiny \(10\.0\.0\.0\/28\) ran out of addresses at [\d,]+ ms; EC2 answered InsufficientFreeAddressesInSubnet \d+×$/,
    )
    expect(e.failures[3]).toBe(
      "allPodsGetIp: 2 of 12 pods never got an address (0 never scheduled, 2 still waiting at the end, 0 deleted or evicted while waiting)",
    )
    expect(e.message).toContain("capacity expectations failed:\n  ✗ maxWaitMs: the longest wait was")
    expect(e.message).toContain("12 pods asked for an address, 10 got one")
    expect(e.message).toContain("subnet tiny 10.0.0.0/28: 16 addresses")
    expect(e.result).toBe(r)
  })

  it("counts pods the scheduler could not place (the node's advertised capacity is full)", () => {
    const r = simulate({ nodeGroups: [{ instanceType: "t3.medium" }], trace: pods(7), durationMs: 120_000 })
    const e = thrown(() => expectCapacity(r, { allPodsGetIp: true }))
    expect(e.failures).toEqual([
      "allPodsGetIp: 2 of 7 pods never got an address (2 never scheduled, 0 still waiting at the end, 0 deleted or evicted while waiting)",
    ])
  })

  it("reports InsufficientCidrBlocks when prefixes cannot be carved although addresses are free", () => {
    // 18 m5.large nodes in prefix mode on a /23: their primary IPs fragment the /28 blocks (research §7.7).
    const r = simulate({
      seed: 0,
      subnets: [{ id: "a", cidr: "10.0.0.0/23" }],
      nodeGroups: [{ instanceType: "m5.large", count: 18 }],
      configMap: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
      trace: [],
    })
    const e = thrown(() => expectCapacity(r, { noExhaustion: true }))
    expect(e.failures[0]).toMatch(
      /InsufficientCidrBlocks \d+× \(no free aligned \/28 left, though [\d,]+ or more addresses stayed free\)/,
    )
  })
})
