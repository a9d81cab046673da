// The terminal summary: a Windows-only run reads as it always has (no Linux line, no new word); a run with
// Linux nodes labels the Pods block as Windows pods and adds the Linux pods, ipamd, their address-time and
// who holds each subnet's addresses.

import { describe, expect, it } from "vitest"
import { LINUX, WINDOWS_ONLY, WITH_LINUX } from "./Report.fixtures.ts"
import { summaryText } from "./Summary.ts"

const WINDOWS_ONLY_TEXT = `ipamsim: fixture-windows (seed 7), 30.0 min simulated, 12,345 events

Pods
  created 60, asked for an address 58, got one 52, never got one 6
  3 still Pending: Insufficient vpc.amazonaws.com/PrivateIPv4Address
  hostNetwork 1, without the resource request 1, non-Windows ignored 0, deletes of unknown pods 0
  wait for an address: p50 0 ms, p90 2.4 s, p99 20.0 s, max 40.0 s
  controller requeues: ErrResourceAreBeingCooledDown 2, ErrWarmPoolEmpty 1,234

Addresses
  IP-hours used 14, warm 3.5, cooling 0.1, allocated 17.6
  waste ratio 20.6 % of allocated address-time unused; peak allocated 70

Subnets
  subnet-a 10.0.0.0/24: min free 0, final free 120, exhausted first at 10.0 min, 90.0 s in all; insufficient-address errors 5, InsufficientCidrBlocks 0; free /28 blocks min 0

EC2: 95 calls (assign 60, unassign 12), throttled 1, failed 5; ReSync jobs 120

Expectations
  ok   maxP99WaitMs: actual 20000, limit 60000
  FAIL allPodsGetIp: actual false, limit true
`

const WITH_LINUX_TEXT = `ipamsim: fixture-mixed (seed 7), 30.0 min simulated, 12,345 events

Windows pods
  created 60, asked for an address 58, got one 52, never got one 6
  3 still Pending: Insufficient vpc.amazonaws.com/PrivateIPv4Address
  hostNetwork 1, without the resource request 1, non-Windows ignored 0, deletes of unknown pods 0
  wait for an address: p50 0 ms, p90 2.4 s, p99 20.0 s, max 40.0 s
  controller requeues: ErrResourceAreBeingCooledDown 2, ErrWarmPoolEmpty 1,234

Linux pods
  created 90, needing an address 84, got one 80, never got one 4
  still waiting 3, unscheduled 1, hostNetwork 6, evicted 2, CNI ADD retries 17
  wait for an address: p50 0 ms, p90 12.5 s, p99 25.0 s, max 26.0 s
  ipamd on 3 nodes: ENIs created 4, deleted 1, at end 6; EC2 calls 23, throttled 2, failed 1

Addresses
  all nodes: IP-hours used 54, warm 12.5, cooling 0.6, allocated 70
  Linux nodes: IP-hours used 40, warm 9, cooling 0.5, pending 0
  waste ratio 22.9 % of allocated address-time unused; peak allocated 70

Subnets
  subnet-a 10.0.0.0/24: min free 0, final free 120, exhausted first at 10.0 min, 90.0 s in all; insufficient-address errors 5, InsufficientCidrBlocks 0; free /28 blocks min 0
    held at the end: Windows pods 17, warm 1, cooling 0; Linux pods 63, warm 15, cooling 3; ENI primaries 8, in flight 2, others 22, AWS-reserved 5, free 120

EC2: 118 calls (assign 64, unassign 13), 23 of them by ipamd, throttled 3, failed 6; ReSync jobs 120

Expectations
  ok   maxP99WaitMs: actual 20000, limit 60000
  FAIL allPodsGetIp: actual false, limit true
`

describe("summaryText", () => {
  it("renders a Windows-only run exactly as before: no Linux block, the Pods block unlabelled", () => {
    expect(summaryText(WINDOWS_ONLY)).toBe(WINDOWS_ONLY_TEXT)
  })

  it("renders a run with Linux nodes: Windows pods, Linux pods, ipamd, address-time, holders, ipamd's calls", () => {
    expect(summaryText(WITH_LINUX)).toBe(WITH_LINUX_TEXT)
  })

  it("takes every Linux figure from the linux section", () => {
    const text = summaryText({
      ...WITH_LINUX,
      linux: {
        ...LINUX,
        nodes: 1_234,
        pods: { ...LINUX.pods, created: 5_001, cniRetries: 42_000, waitMs: { ...LINUX.pods.waitMs, max: 7_200_000 } },
        addresses: { ipSeconds: { used: 36_000, warm: 7_200, cooling: 3_600, pending: 1_800 } },
        ipamd: { enisCreated: 11, enisDeleted: 12, enisAtEnd: 13 },
      },
    })
    expect(text).toContain("  created 5,001, needing an address 84,")
    expect(text).toContain("CNI ADD retries 42,000\n")
    expect(text).toContain("max 2.00 h\n  ipamd on 1,234 nodes: ENIs created 11, deleted 12, at end 13;")
    expect(text).toContain("  Linux nodes: IP-hours used 10, warm 2, cooling 1, pending 0.5\n")
  })
})
