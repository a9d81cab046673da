// A node's Init job in time, as the controller runs it at b8d42511: LoadDetails' DescribeInstances and
// DescribeSubnets (pkg/aws/ec2/instance.go ~96–167), then per provider its InitResource's DescribeInstances
// with its pool right after (pkg/node/node.go ~152–197, pkg/provider/ip/eni/eni.go ~70–117), one call after
// another; the node is ready after the last. The first failed call ends the job, the providers already
// initialised are de-initialised (node.go ~180–190), and the node leaves the manager until its next Node
// update (pkg/node/manager/manager.go ~436–447), kubelet's status report every 5 minutes.

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import { Ec2Action } from "../ec2/Ec2.ts"
import type { FaultSpec } from "../ec2/Ec2Calls.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import { fixedEc2, simSpec } from "../spec/SpecBuilder.ts"

const S = 1000

/** One m5.large joining at 10 s, EC2 answering in 100 ms, with the given faults. */
const cluster = (faults: FaultSpec[] = []) =>
  new Cluster(
    simSpec({
      nodeGroups: [{ name: "win", instanceType: "m5.large", joinAtMs: 10 * S }],
      trace: [],
      configMap: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
      ec2: { ...fixedEc2(100), faults },
      visibility: { fixed: 0 },
      durationMs: 20 * 60 * S,
      checkInvariants: true,
    }),
  )

const calls = (c: Cluster) => ({
  describeInstances: c.calls.calls[Ec2Action.DescribeInstances],
  describeSubnets: c.calls.calls[Ec2Action.DescribeSubnets],
})

describe("node Init in time", () => {
  it("four calls one after another (PD on a Nitro type: two providers); ready after the fourth answer", () => {
    const c = cluster()
    c.runUntil(10 * S + 399)
    expect(c.nodes[0]!.status).toBe(NodeStatus.Registered)
    expect(calls(c)).toEqual({ describeInstances: 3, describeSubnets: 1 })
    expect(c.nodes[0]!.advertised).toBe(0)
    c.runUntil(10 * S + 400)
    expect(c.nodes[0]!.status).toBe(NodeStatus.Ready)
    // PD active: the prefix pool's capacity, 9 prefixes × 16.
    expect(c.nodes[0]!.advertised).toBe(144)
  })

  it("stops at the first failed call, leaves the manager, and starts again at the kubelet's next status report", () => {
    // DescribeSubnets fails during the first Init (a code the SDK does not retry).
    const c = cluster([{ action: "DescribeSubnets", error: "InsufficientFreeAddressesInSubnet", untilMs: 60 * S }])
    c.runUntil(5 * 60 * S)
    // DescribeInstances, DescribeSubnets: no provider's DescribeInstances after the failure.
    expect(calls(c)).toEqual({ describeInstances: 1, describeSubnets: 1 })
    expect(c.nodes[0]!.status).toBe(NodeStatus.Registered)
    expect(c.nodes[0]!.managed).toBe(false)
    // Registered at 10 s: its status report at 5 min 10 s brings it back; four calls, ready 400 ms later.
    c.runUntil(5 * 60 * S + 10 * S + 399)
    expect(c.nodes[0]!.status).toBe(NodeStatus.Registered)
    c.runUntil(5 * 60 * S + 10 * S + 400)
    expect(c.nodes[0]!.status).toBe(NodeStatus.Ready)
    expect(calls(c)).toEqual({ describeInstances: 4, describeSubnets: 2 })
    expect(c.result().controller.nodeInitFailures).toBe(1)
  })

  it("a provider's failed DescribeInstances de-initialises the provider already built", () => {
    // The fourth call (the second provider's DescribeInstances, sent at 10.3 s) fails; the first provider's
    // pool was built at 10.3 s.
    const c = cluster([
      {
        action: "DescribeInstances",
        error: "InsufficientFreeAddressesInSubnet",
        fromMs: 10 * S + 250,
        untilMs: 11 * S,
      },
    ])
    c.runUntil(10 * S + 300)
    expect(c.poolState("win-0").filter((p) => p !== undefined)).toHaveLength(1)
    c.runUntil(60 * S)
    expect(calls(c)).toEqual({ describeInstances: 3, describeSubnets: 1 })
    expect(c.poolState("win-0")).toEqual([undefined, undefined])
    expect(c.nodes[0]!.status).toBe(NodeStatus.Registered)
  })
})
