// Each bundled scenario does what its description says: the claims of its `description`, checked on its
// report, so that a change of the model that changes a scenario's story fails here until the words follow.

import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { simulateScenario } from "../src/scenario/SimulateScenario.ts"

const scenario = (name: string) =>
  simulateScenario(fileURLToPath(new URL(`../../../simulations/${name}.yaml`, import.meta.url)))
const S = 1000

describe("bundled scenarios do what their descriptions say", () => {
  it("burst-empties-warm-pool: 3 pods per node start at once, the rest wait for creates (600 ms retries)", () => {
    const r = scenario("burst-empties-warm-pool")
    expect(r.pods.waitHistogram.counts[0]).toBe(6 * 3)
    expect(r.pods.withIp).toBe(60)
    expect(r.pods.retries.ErrWarmPoolEmpty).toBeGreaterThan(0)
  })

  it("cooldown-starvation-t3-medium: placed pods wait 20 or 40 s on cooling addresses; many never get one", () => {
    const r = scenario("cooldown-starvation-t3-medium")
    expect(r.pods.waitMs.p50).toBe(20 * S)
    expect(r.pods.waitMs.max).toBe(40 * S)
    expect(r.pods.retries.ErrResourceAreBeingCooledDown).toBeGreaterThan(0)
    expect(r.pods.neverGotIp).toBeGreaterThan(r.pods.created / 5)
  })

  it("prefix-fragmentation: creates fail with InsufficientCidrBlocks while the subnet still has free addresses", () => {
    const r = scenario("prefix-fragmentation")
    const subnet = r.subnets[0]!
    expect(subnet.insufficientCidrBlocksErrors).toBeGreaterThan(0)
    expect(subnet.firstExhaustedAtMs).toBeNull()
    expect(subnet.minFree).toBeGreaterThan(100)
    expect(r.pods.neverGotIp).toBeGreaterThan(0)
  })

  it("steady-churn-m5-large: no pod waits, and every start and stop costs an assign or unassign", () => {
    const r = scenario("steady-churn-m5-large")
    expect(r.pods.waitMs.max).toBe(0)
    expect(r.ec2.calls.AssignPrivateIpAddresses).toBeGreaterThan(r.pods.created * 0.9)
    expect(r.ec2.calls.UnassignPrivateIpAddresses).toBeGreaterThan(r.pods.created * 0.8)
  })

  it("subnet-exhaustion-scale-out: the subnet runs out, later nodes cannot launch, pods go without", () => {
    const r = scenario("subnet-exhaustion-scale-out")
    expect(r.subnets[0]!.firstExhaustedAtMs).not.toBeNull()
    expect(r.subnets[0]!.insufficientErrors).toBeGreaterThan(0)
    expect(r.controller.nodeLaunchFailures).toBeGreaterThan(0)
    expect(r.pods.neverGotIp).toBeGreaterThan(0)
  })

  it("warm-target-rollout: the surplus is released at 30 min and no pod starts waiting", () => {
    const r = scenario("warm-target-rollout")
    const t = r.timeline.t
    const warm = r.timeline.groups[Object.keys(r.timeline.groups)[0]!]!.warm
    const at = (ms: number) => warm[t.findIndex((x) => x >= ms)]!
    expect(at(29 * 60 * S)).toBeGreaterThan(at(35 * 60 * S))
    expect(r.ec2.calls.UnassignPrivateIpAddresses).toBeGreaterThan(0)
    expect(r.pods.waitMs.max).toBe(0)
  })

  it("mixed-shared-subnet: ipamd's warm ENIs run the shared subnet out and fewer than half the Windows pods get an address", () => {
    const r = scenario("mixed-shared-subnet")
    expect(r.linux!.pods.withIp).toBe(120)
    expect(r.subnets[0]!.firstExhaustedAtMs).not.toBeNull()
    expect(r.subnets[0]!.firstExhaustedAtMs!).toBeLessThanOrEqual(11 * 60 * S)
    expect(r.pods.withIp).toBeLessThan(20)
    // ipamd holds most of the subnet: more Linux warm addresses than Windows pods got.
    expect(r.linux!.subnets.shared!.linuxWarm).toBeGreaterThan(r.pods.withIp)
  })

  it("mixed-dedicated-windows-subnet: no subnet runs out and every pod of both OSes gets an address", () => {
    const r = scenario("mixed-dedicated-windows-subnet")
    expect(r.subnets.every((s) => s.firstExhaustedAtMs === null)).toBe(true)
    expect(r.pods.neverGotIp + r.linux!.pods.neverGotIp).toBe(0)
    expect(r.pods.withIp).toBe(40)
  })

  it("mixed-linux-warm-ip-target: Linux warm address-time about a quarter of the defaults', no exhaustion", () => {
    const tuned = scenario("mixed-linux-warm-ip-target")
    const shipped = scenario("mixed-shared-subnet")
    const ratio = tuned.linux!.addresses.ipSeconds.warm / shipped.linux!.addresses.ipSeconds.warm
    expect(ratio).toBeGreaterThan(0.15)
    expect(ratio).toBeLessThan(0.35)
    expect(tuned.subnets[0]!.firstExhaustedAtMs).toBeNull()
    expect(tuned.pods.withIp).toBe(40)
  })

  it("linux-custom-networking: Linux pods' addresses come from the ENIConfig subnet, Windows pods' from the primary", () => {
    const r = scenario("linux-custom-networking")
    const holders = r.linux!.subnets
    expect(holders.primary!.linuxPods + holders.primary!.linuxWarm).toBe(0)
    expect(holders["pods-secondary-cidr"]!.linuxPods).toBe(150)
    expect(holders.primary!.windowsPods).toBe(40)
    expect(r.subnets.every((s) => s.firstExhaustedAtMs === null)).toBe(true)
  })
})
