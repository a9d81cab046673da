// The timeline: every `everyMs`, a sample of each subnet's free addresses and aligned blocks, each node
// group's used / warm / cooling / pending addresses, and the pods waiting and pending. Samples run as
// events of their own (TICK) up to the stop time.

import type { Subnet } from "../ec2/Subnet.ts"
import type { EventHandler, Simulation } from "../kernel/Simulation.ts"
import type { AddressIntegrals } from "./Integral.ts"
import type { TimelineSeries } from "./SimResult.ts"

/** The sample's kind: after the managers' and the nodes' events of its instant, before the scheduler's pass. */
export enum TimelineEvent {
  TICK = 9,
}

/** What a sample reads beyond subnets and groups. */
export interface TimelineProbe {
  /** Brings lazily applied state up to now. */
  catchUp(): void
  podsWaiting(): number
  podsPending(): number
  /** Takes samples of its own at the same instant (optional). */
  sampled?(now: number): void
}

export class Timeline implements EventHandler {
  readonly series: TimelineSeries
  readonly eventKinds = [TimelineEvent.TICK]

  constructor(
    private readonly sim: Simulation,
    private readonly everyMs: number,
    private readonly subnets: readonly Subnet[],
    private readonly groupNames: readonly string[],
    private readonly groups: readonly AddressIntegrals[],
    private readonly probe: TimelineProbe,
  ) {
    this.series = { t: [], subnets: {}, groups: {}, podsWaiting: [], podsPending: [] }
    for (const s of subnets) this.series.subnets[s.id] = { free: [], freeAligned: [] }
    for (const g of groupNames) this.series.groups[g] = { used: [], warm: [], cooling: [], pending: [] }
    if (everyMs > 0) sim.events.push(0, TimelineEvent.TICK, 0, 0)
  }

  onEvent(): void {
    this.probe.catchUp()
    const tl = this.series
    const now = this.sim.now
    tl.t.push(now)
    for (const s of this.subnets) {
      const series = tl.subnets[s.id]!
      series.free.push(s.freeOutsideReservations)
      series.freeAligned.push(s.freeAlignedBlocks)
    }
    this.groupNames.forEach((g, i) => {
      const gi = this.groups[i]!
      const series = tl.groups[g]!
      series.used.push(gi.used.value)
      series.warm.push(gi.warm.value)
      series.cooling.push(gi.cooling.value)
      series.pending.push(gi.pending.value)
    })
    tl.podsWaiting.push(this.probe.podsWaiting())
    tl.podsPending.push(this.probe.podsPending())
    this.probe.sampled?.(now)
    // Sample up to the stop time (unknown until the trace ends when the scenario gives no duration).
    const next = now + this.everyMs
    if (this.sim.inputAt !== Number.POSITIVE_INFINITY || next <= this.sim.stopAt)
      this.sim.events.push(next, TimelineEvent.TICK, 0, 0)
  }
}
