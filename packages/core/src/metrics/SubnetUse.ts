// How full the subnets are over time: each subnet's free addresses and aligned /28 blocks (SubnetTracker),
// and the addresses EC2 holds for pods across all of them.

import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import type { Subnet } from "../ec2/Subnet.ts"
import { Integral } from "./Integral.ts"
import { SubnetTracker } from "./SubnetTracker.ts"

export class SubnetUse {
  readonly trackers: SubnetTracker[]
  /** Addresses held for pods (secondary IPs and prefixes); primary addresses belong to the nodes. */
  readonly allocated = new Integral()

  constructor(
    private readonly subnets: readonly Subnet[],
    private readonly ec2: SimulatedEc2,
  ) {
    this.trackers = subnets.map(() => new SubnetTracker())
  }

  /** Records subnet `index`'s state at `now` after EC2 changed it. */
  touch(index: number, now: number): void {
    const s = this.subnets[index]!
    this.trackers[index]!.update(s.freeOutsideReservations, s.freeAlignedBlocks, now)
    const allocated = this.ec2.secondaryHeld
    if (allocated !== this.allocated.value) this.allocated.set(allocated, now)
  }
}
