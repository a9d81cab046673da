// A worker's job running when its pool is dropped, as the controller runs it at b8d42511. The job looks
// the provider's entry (ResourceProviderAndPool) up by the node's name when it starts and holds it to the
// end (ip/provider.go ~316–330, ~349–363; prefix/provider.go ~288–342); DeInitResource only deletes the
// map's entry (~194–199). So an assign or unassign in flight still changes EC2 (eni.go ~121–164,
// ~249–282; pkg/aws/ec2/api/helper.go ~452–541) and then updates the forgotten pool (~366–376). IPAM turned
// off reaches the pools through UpdateNode's Delete job (manager.go ~286–292, node.go ~201–224). A node
// that has left has no instance: EC2 refuses the job's calls.

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import { Ec2Action } from "../ec2/Ec2.ts"
import { fixedEc2, simSpec } from "../spec/SpecBuilder.ts"

const S = 1000

const cm = (ipam: boolean, n: number) => ({
  "enable-windows-ipam": String(ipam),
  "windows-warm-ip-target": String(n),
  "windows-minimum-ip-target": String(n),
})

/**
 * One m4.large (secondary IPs only), EC2 answering in 100 ms, 3 warm addresses from 0.5 s; at 10 s the
 * targets change to `n`, whose Update's reconcile submits a job that sends its first call at 10 s (answer
 * at 10.1 s); then at 10.05 s IPAM turns off, or the node leaves.
 */
const cluster = (n: number, end: "ipam-off" | "node-leaves") =>
  new Cluster(
    simSpec({
      nodeGroups: [
        { name: "win", instanceType: "m4.large", ...(end === "node-leaves" ? { leaveAtMs: 10 * S + 50 } : {}) },
      ],
      configMap: cm(true, 3),
      configMapChanges: [
        { atMs: 10 * S, data: cm(true, n) },
        ...(end === "ipam-off" ? [{ atMs: 10 * S + 50, data: cm(false, n) }] : []),
      ],
      ec2: fixedEc2(100),
      visibility: { fixed: 0 },
      trace: [],
      durationMs: 60 * S,
      checkInvariants: true,
    }),
  )

const calls = (c: Cluster, a: Ec2Action) => c.calls.calls[a]!

describe("a job running when its pool is dropped", () => {
  it("IPAM off during an assign: EC2 still assigns, and the job goes on to see the addresses", () => {
    const c = cluster(5, "ipam-off")
    c.runUntil(10 * S + 60)
    // The Delete job has dropped the pool; the assign of 2 is in flight.
    expect(c.poolState("win-0")).toEqual([undefined, undefined])
    expect(c.holdings("win-0").ips).toBe(3)
    c.runUntil(10 * S + 100)
    expect(c.holdings("win-0").ips).toBe(5)
    // waitForIPAttachment's DescribeNetworkInterfaces at 10.1 s (the Init's create made the first one).
    c.runUntil(60 * S)
    expect(calls(c, Ec2Action.DescribeNetworkInterfaces)).toBe(2)
    expect(c.holdings("win-0").ips).toBe(5)
  })

  it("IPAM off during an unassign: EC2 still unassigns", () => {
    // Targets 1: the Update's reconcile deletes 2 of the 3 warm addresses at 10 s.
    const c = cluster(1, "ipam-off")
    c.runUntil(10 * S + 99)
    expect(c.holdings("win-0").ips).toBe(3)
    c.runUntil(10 * S + 100)
    expect(c.holdings("win-0").ips).toBe(1)
    expect(calls(c, Ec2Action.UnassignPrivateIpAddresses)).toBe(1)
  })

  it("the node leaves during an assign: EC2 refuses it, the job fails and asks its pool for a ReSync", () => {
    const c = cluster(5, "node-leaves")
    c.runUntil(60 * S)
    const r = c.result()
    expect(r.ec2.failed.AssignPrivateIpAddresses).toBe(1)
    // No DescribeNetworkInterfaces after the refusal; the ReSync the forgotten pool's reconcile submits
    // (pool.go ~333–338, ~427–437) finds no pool under the node's name when a worker takes it: no call.
    expect(r.ec2.calls.DescribeNetworkInterfaces).toBe(1)
    expect(r.ec2.calls.DescribeInstances).toBe(1 + 1)
    expect(r.controller.resyncJobs).toBe(1)
  })
})
