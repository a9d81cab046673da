// The ENI manager's entries as the controller keeps them at b8d42511 (pkg/provider/ip/eni/eni.go): a
// provider's InitResource makes a new manager whose InitResources lists the node's ENI once (~70–117);
// every ReSync calls InitResources on the same manager, which appends a fresh entry and keeps the old one
// with its count (~109). CreateIPV4Resource asks the entries in list order, each for min(its count, what
// is still wanted), and returns at the first ask that fails (~129–145); an entry's count drops by what
// showed (~152). DeleteIPV4Resource unassigns per entry, the entry each resource maps to, and gives the
// count back to that entry (~266–282).

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import { Ec2Action } from "../ec2/Ec2.ts"
import { createPod, deletePod, fixedEc2, simSpec } from "../spec/SpecBuilder.ts"
import { Mode } from "./ResourceProvider.ts"

const S = 1000

const counts = (c: Cluster) => ({
  assign: c.calls.calls[Ec2Action.AssignPrivateIpAddresses],
  assignFailed: c.calls.failed[Ec2Action.AssignPrivateIpAddresses],
  unassign: c.calls.calls[Ec2Action.UnassignPrivateIpAddresses],
  describeInstances: c.calls.calls[Ec2Action.DescribeInstances],
})

describe("a stale ENI entry after ReSync", () => {
  it("PD → SIP while a prefix holds a slot: every create asks the stale entry for 9 and fails, so the SIP pool gets nothing until the prefix goes", () => {
    // m5.large: IPv4PerInterface 10. The node joins at 0; its Init answers at 0.1, 0.2, 0.3 s (with seed 1
    // the SIP provider first: its pool and loop) and 0.4 s (the prefix provider, whose pool creates one
    // prefix, shown at 0.5 s). The SIP manager's InitResources ran at 0.3 s on an ENI with only its primary:
    // its entry says 10 − 1 = 9 free (eni.go ~84–99). Pod p1 runs on the prefix from 10 s to 200 s.
    const pd = (on: boolean) => ({
      "enable-windows-ipam": "true",
      "enable-windows-prefix-delegation": String(on),
      "windows-warm-ip-target": "1",
      "windows-minimum-ip-target": "9",
    })
    const c = new Cluster(
      simSpec({
        nodeGroups: [{ name: "win", instanceType: "m5.large" }],
        trace: [createPod(10 * S, "p1"), deletePod(200 * S, "p1")],
        configMap: pd(true),
        configMapChanges: [{ atMs: 60 * S, data: pd(false) }],
        ec2: fixedEc2(100),
        visibility: { fixed: 0 },
        checkInvariants: true,
        durationMs: 5 * 60 * S,
      }),
    )
    c.runUntil(59 * S)
    expect(c.holdings("win-0")).toEqual({ ips: 0, prefixes: 1 })
    // At 60 s the SIP pool turns active and wants 9 addresses (SetToActive, provider.go ~247–249). The ENI
    // has 10 − 1 − 1 = 8 free, but the stale entry is asked for 9 (eni.go ~129–142): EC2 refuses
    // (PrivateIpAddressLimitExceeded), nothing is created (~143–145), the pool asks for a ReSync, whose
    // InitResources appends a second entry (8) after the stale one (~109). Every SIP ProcessDeleteQueue
    // run (60.3, 90.3, … s, provider.go ~268–285) reconciles, creates 9 again, asks the stale entry first,
    // fails and resyncs: 7 failed asks by 235 s, and 7 ReSyncs besides the Init's 3 DescribeInstances.
    c.runUntil(235 * S)
    expect(c.holdings("win-0")).toEqual({ ips: 0, prefixes: 1 })
    expect(counts(c)).toMatchObject({ assignFailed: 7, describeInstances: 3 + 7 })
    // p1 ended at 200 s; its address cools until the prefix pool's loop at 240.4 s, which releases the
    // prefix (the loop at 240.3 s failed once more). The SIP loop at 270.3 s asks the stale entry for 9,
    // which now fit: the pool gets all 9 at once.
    c.runUntil(270 * S)
    expect(c.holdings("win-0")).toEqual({ ips: 0, prefixes: 0 })
    expect(counts(c).assignFailed).toBe(8)
    c.runUntil(271 * S)
    expect(c.holdings("win-0")).toEqual({ ips: 9, prefixes: 0 })
    // The stale entry gave them all; the 8 ReSyncs each appended an entry.
    const remaining = c.windows.nodes[0]!.provider(Mode.SecondaryIp).eni.remaining
    expect(remaining).toHaveLength(1 + 8)
    expect(remaining[0]).toBe(0)
  })

  it("resources credit the entry they map to: a delete spanning two entries is two Unassign calls, a create two Assign calls", () => {
    // m4.large (not Nitro: the SIP provider only), 10 slots. The node's Init answers at 0.1, 0.2 and 0.3 s:
    // the pool and its loop (0.3, 30.3, … s) start, entry 0 says 9 free; the pool creates 3 (A), and
    // entry 0 drops to 6 (eni.go ~152).
    const cm = (warm: number, min: number) => ({
      "enable-windows-ipam": "true",
      "windows-warm-ip-target": String(warm),
      "windows-minimum-ip-target": String(min),
    })
    const c = new Cluster(
      simSpec({
        nodeGroups: [{ name: "win", instanceType: "m4.large" }],
        trace: [],
        configMap: cm(3, 3),
        configMapChanges: [
          { atMs: 20 * S, data: cm(6, 3) },
          { atMs: 60 * S, data: cm(1, 0) },
          { atMs: 90 * S, data: cm(8, 0) },
        ],
        ec2: {
          ...fixedEc2(100),
          faults: [
            {
              action: "AssignPrivateIpAddresses",
              error: "InsufficientFreeAddressesInSubnet",
              fromMs: 20 * S,
              untilMs: 21 * S,
            },
          ],
        },
        visibility: { fixed: 0 },
        checkInvariants: true,
        durationMs: 3 * 60 * S,
      }),
    )
    const entries = () => c.windows.nodes[0]!.provider(Mode.SecondaryIp).eni.remaining
    c.runUntil(19 * S)
    expect(entries()).toEqual([6])
    // 20 s: warm target 6, a create of 3 fails (the fault); the ReSync appends entry 1 with the ENI's 6
    // free slots, and A now maps to entry 1 (eni.go ~94–109). The loop at 30.3 s creates 3 (B) from entry
    // 0, the first with room: 6 → 3.
    c.runUntil(59 * S)
    expect(entries()).toEqual([3, 6])
    expect(counts(c)).toMatchObject({ assign: 3, unassign: 0, describeInstances: 3 })
    // 60 s: warm target 1, minimum 0: 5 of the 6 warm addresses go, some of A (entry 1) and some of B
    // (entry 0): groupResourcesPerENI makes two groups, one UnassignPrivateIpAddresses each (~266–282),
    // and each entry gets its own back (~277): 5 + 9 = 14, where the ENI has 8 free.
    c.runUntil(61 * S)
    expect(counts(c).unassign).toBe(2)
    expect(c.holdings("win-0").ips).toBe(1)
    expect(entries()[0]! + entries()[1]!).toBe(3 + 6 + 5)
    expect(entries()[0]).toBeGreaterThanOrEqual(5)
    // 90 s: warm target 8: a create of 7 asks entry 0 for all it says it has (5 or 6), then entry 1 for
    // the rest: two AssignPrivateIpAddresses calls (~129–159), each with its DescribeNetworkInterfaces.
    c.runUntil(95 * S)
    expect(counts(c)).toMatchObject({ assign: 5, unassign: 2 })
    expect(c.calls.calls[Ec2Action.DescribeNetworkInterfaces]).toBe(4)
    expect(c.holdings("win-0").ips).toBe(8)
    expect(entries()[0]).toBe(0)
  })
})
