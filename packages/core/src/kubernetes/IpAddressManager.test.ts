// The door works for a manager other than the Windows controller: a toy IP address manager that answers
// every bound pod after a fixed delay on a timer of its own, plugged into the kernel and the Kubernetes
// side as they are. Pods get addresses, waits are recorded, deletes come back to it, and its event kind
// is dispatched to it alone.

import { describe, expect, it } from "vitest"
import { Rng } from "../kernel/Rng.ts"
import { Simulation } from "../kernel/Simulation.ts"
import type { PodEvent } from "../workload/PodEvent.ts"
import type { IpAddressManager } from "./IpAddressManager.ts"
import { N, NodeStatus, nodeTable } from "./Nodes.ts"
import { PodLifecycle } from "./PodLifecycle.ts"
import { P, PodState, Pods } from "./Pods.ts"
import { Scheduler } from "./Scheduler.ts"

const ASSIGN = 12

class DelayedManager implements IpAddressManager {
  readonly eventKinds = [ASSIGN]
  next = 100
  readonly freed: number[] = []
  constructor(
    private readonly sim: Simulation,
    private readonly pods: Pods,
    private readonly nodeState: Int32Array,
    private readonly delayMs: number,
  ) {}
  requestsAddress(e: PodEvent): boolean {
    return !e.hostNetwork
  }
  nodeJoined(node: number): void {
    this.nodeState[node * N.STRIDE + N.STATUS] = NodeStatus.Ready
    this.nodeState[node * N.STRIDE + N.ADVERTISED] = 2
  }
  nodeLeaving(): void {}
  podBound(pod: number): void {
    this.sim.events.push(this.sim.now + this.delayMs, ASSIGN, pod, this.pods.rec[pod * P.STRIDE + P.GEN]!)
  }
  podDeleted(_pod: number, _node: number, ip: number): void {
    this.freed.push(ip)
  }
  configChanged(): void {}
  catchUp(): void {}
  onEvent(kind: number, pod: number, gen: number): void {
    expect(kind).toBe(ASSIGN)
    const rec = this.pods.rec
    if (rec[pod * P.STRIDE + P.GEN] !== gen || rec[pod * P.STRIDE + P.STATE] !== PodState.WAITING) return
    this.pods.gotAddress(pod, this.next++, this.sim.now)
  }
}

const create = (t: number, podId: number): PodEvent => ({
  t,
  type: "create",
  pod: "",
  podId,
  windowsSelector: true,
  hostNetwork: false,
})
const remove = (t: number, podId: number): PodEvent => ({ ...create(t, podId), type: "delete" })

describe("a second IP address manager behind the door", () => {
  it("serves pods on its own timer, with waits and deletes as the Kubernetes side records them", () => {
    const sim = new Simulation()
    const nodeState = nodeTable(1)
    nodeState[N.MAX_PODS] = 10
    const pods = new Pods(nodeState)
    const scheduler = new Scheduler(sim, pods, nodeState, 1, new Rng(1))
    const manager = new DelayedManager(sim, pods, nodeState, 250)
    sim.register(manager.eventKinds, manager)
    scheduler.ipamOf[0] = manager
    manager.nodeJoined(0)
    scheduler.reindex(0)
    const trace = [create(1000, 0), create(1000, 1), create(1500, 2), remove(2000, 0), remove(3000, 1)]
    let i = 0
    const lifecycle = new PodLifecycle(
      sim,
      { next: () => trace[i++] },
      60_000,
      pods,
      scheduler,
      new Map(),
      nodeState,
      manager,
    )
    sim.setInput(lifecycle)
    lifecycle.pull()
    // The Kubernetes side's scheduling pass is the only other kind these pods need.
    sim.register([10], { onEvent: () => scheduler.onSchedule() })
    while (sim.step()) {}
    // Two fit the advertised capacity of 2 at once; the third waits for a slot (pod 0 leaves at 2 s).
    expect(pods.withIp).toBe(3)
    expect(pods.waits.percentiles([0, 1])).toEqual([250, 250])
    expect(manager.freed).toEqual([100, 101])
    expect(pods.rec[2 * P.STRIDE + P.STATE]).toBe(PodState.RUNNING)
    expect(sim.now).toBe(63_000)
  })

  it("a kind has one owner", () => {
    const sim = new Simulation()
    sim.register([12], { onEvent: () => {} })
    expect(() => sim.register([12], { onEvent: () => {} })).toThrow("already has an owner")
    expect(() => sim.register([1], { onEvent: () => {} })).toThrow("from 2 to 15")
  })
})
