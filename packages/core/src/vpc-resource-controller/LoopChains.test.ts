// The ProcessDeleteQueue job as the controller runs it at b8d42511 (pkg/provider/ip/provider.go; the prefix
// provider's is the same): InitResource submits one (~189–190); each run looks the pool up by the node's
// name only, stops if there is none ("forgetting the delete queue processing job", ~268–273), else
// processes the cool-down queue, reconciles and re-adds itself 30 s later (~274–284). DeInitResource only
// deletes the pool from the map (~194–199), so a job waiting out its 30 s survives IPAM being turned off
// and on again before its next run, beside the job the new InitResource submits. Skipping idle loops
// (DeleteQueueLoops, DormantLoops) must change nothing with two chains either.

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import type { FaultSpec } from "../ec2/Ec2Calls.ts"
import { Rng } from "../kernel/Rng.ts"
import type { PodEvent } from "../spec/SimSpec.ts"
import { createPod, deletePod, fixedEc2, simSpec } from "../spec/SpecBuilder.ts"

const S = 1000

const ipam = (on: boolean) => ({ "enable-windows-ipam": String(on) })

/**
 * One m4.large (not Nitro: the secondary-IP provider only), EC2 answering in 100 ms; IPAM off at 40 s and
 * on again at `onAt`; pod p1 from 80 s to 115 s, so its address cools from 115 s and may go back to warm
 * at the first loop at or after 145 s.
 */
const offAndOn = (onAt: number, wakeIdleLoops = false) =>
  new Cluster(
    simSpec({
      nodeGroups: [{ name: "win", instanceType: "m4.large" }],
      trace: [createPod(80 * S, "p1"), deletePod(115 * S, "p1")],
      configMap: ipam(true),
      configMapChanges: [
        { atMs: 40 * S, data: ipam(false) },
        { atMs: onAt, data: ipam(true) },
      ],
      ec2: fixedEc2(100),
      visibility: { fixed: 0 },
      checkInvariants: true,
      durationMs: 4 * 60 * S,
      wakeIdleLoops,
    }),
  )

const cooling = (c: Cluster) => c.poolState("win-0")[0]!.cooling

describe("ProcessDeleteQueue chains", () => {
  it("IPAM off and on within one period: the old job finds the new pool and keeps running beside the new one", () => {
    // Init answers at 0.1, 0.2 and 0.3 s: job J1 runs at 0.3 s, then every 30 s. IPAM off at 40 s deletes
    // the pool; on at 50 s, Init again: the new InitResource at 50.3 s submits J2 (50.3, 80.3, 110.3,
    // 140.3, 170.3 s). J1's next run, 60.3 s, finds the new pool and re-adds itself: 90.3, 120.3, 150.3 s.
    // p1's address has cooled by 145 s: J1 returns it at 150.3 s; with J1 gone it would wait for J2's
    // 170.3 s.
    const c = offAndOn(50 * S)
    c.runUntil(150 * S + 299)
    expect(cooling(c)).toBe(1)
    c.runUntil(150 * S + 300)
    expect(cooling(c)).toBe(0)
  })

  it("IPAM off for longer than one period: the old job's run finds no pool and stops", () => {
    // Off at 40 s: J1's run at 60.3 s finds no pool and is forgotten. On at 70 s: J2 at 70.3, 100.3,
    // 130.3, 160.3 s. p1's address (cooled by 145 s) goes back to warm only at 160.3 s.
    const c = offAndOn(70 * S)
    c.runUntil(160 * S + 299)
    expect(cooling(c)).toBe(1)
    c.runUntil(160 * S + 300)
    expect(cooling(c)).toBe(0)
  })

  it.each([50, 59, 61, 70])("IPAM back on at %i s: skipping idle loops changes nothing", (onAt) => {
    const skipped = offAndOn(onAt * S).run()
    const woken = offAndOn(onAt * S, true).run()
    expect({ ...skipped, events: 0 }).toEqual({ ...woken, events: 0 })
  })

  /** A random small cluster whose ConfigMap turns IPAM off and on again, often within one loop period. */
  const randomSpec = (seed: number, wakeIdleLoops: boolean) => {
    const rng = new Rng(seed)
    const trace: PodEvent[] = []
    const span = (5 + rng.int(20)) * 60_000
    const pods = 40 + rng.int(200)
    for (let i = 0; i < pods; i++) {
      const t = 10_000 + rng.int(span)
      trace.push(createPod(t, `p${i}`))
      if (rng.float() < 0.9) trace.push(deletePod(t + 1000 * (1 + rng.int(600)), `p${i}`))
    }
    const pd = rng.float() < 0.5
    const cm = (on: boolean, pdOn: boolean) => ({
      "enable-windows-ipam": String(on),
      ...(pdOn ? { "enable-windows-prefix-delegation": "true" } : {}),
      "windows-warm-ip-target": String(rng.int(4)),
      "windows-minimum-ip-target": String(rng.int(5)),
    })
    const changes = []
    let t = 20_000 + rng.int(60_000)
    for (let k = 1 + rng.int(4); k > 0 && t < span; k--) {
      changes.push({ atMs: t, data: cm(false, pd) })
      // Back on within a period most of the time, sometimes at a multiple of the 30 s loop.
      const gap = rng.float() < 0.2 ? 30_000 * (1 + rng.int(2)) : 1000 * (1 + rng.int(45))
      changes.push({ atMs: t + gap, data: cm(true, rng.float() < 0.3 ? !pd : pd) })
      t += gap + 10_000 + rng.int(120_000)
    }
    const lat = rng.float() < 0.5 ? { fixed: 100 * (1 + rng.int(10)) } : { lognormal: { median: 400, p99: 3000 } }
    const faults: FaultSpec[] = []
    if (rng.float() < 0.3) faults.push({ action: "AssignPrivateIpAddresses", error: "RequestTimeout", rate: 0.05 })
    // A failed Init de-initialises the providers already built; their jobs go on too.
    if (rng.float() < 0.3)
      faults.push({ action: "DescribeInstances", error: "InsufficientFreeAddressesInSubnet", rate: 0.1 })
    return simSpec({
      seed,
      subnets: [{ id: "a", cidr: rng.float() < 0.3 ? "10.0.0.0/26" : "10.0.0.0/22" }],
      nodeGroups: [
        {
          name: "g",
          instanceType: ["t3.medium", "m5.large", "c5.xlarge", "m4.large"][rng.int(4)]!,
          count: 1 + rng.int(4),
          joinEveryMs: rng.int(3) * 10_000,
        },
      ],
      configMap: cm(true, pd),
      configMapChanges: changes,
      ec2: {
        latency: {
          AssignPrivateIpAddresses: lat,
          UnassignPrivateIpAddresses: lat,
          DescribeNetworkInterfaces: lat,
          DescribeInstances: lat,
          DescribeSubnets: lat,
        },
        faults,
      },
      visibility: { fixed: rng.int(3) * 500 },
      trace,
      // Sparse samples too: matured loops are then applied when the pool is next touched.
      timelineEveryMs: rng.float() < 0.5 ? 30_000 : 1_200_000,
      wakeIdleLoops,
    })
  }

  it.each(
    Array.from({ length: 60 }, (_, i) => i + 1),
  )("seed %i, IPAM turned off and on: skipping idle loops changes nothing", (seed) => {
    const skipped = new Cluster(randomSpec(seed, false)).run()
    const woken = new Cluster(randomSpec(seed, true)).run()
    expect(JSON.stringify({ ...skipped, events: 0 })).toBe(JSON.stringify({ ...woken, events: 0 }))
  })
})
