// One Linux node as its ipamd sees it: the datastore of network card 0, the pool manager's cycle and loop
// timing, and the state of the blocking EC2 work the cycle is waiting on.

import type { SeededOrder } from "../go/MapOrder.ts"
import type { SimNode } from "../kubernetes/Nodes.ts"
import type { Datastore } from "./Datastore.ts"
import type { PoolCycle } from "./PoolCycle.ts"

export class LinuxNode {
  /** When the loop's next updateIPPoolIfRequired runs (its TICK event), or -1 while dormant or busy. */
  nextTickAt = -1
  /** A dormant loop's grid: its ticks would run at gridAt + k × 5 s. */
  gridAt = 0
  /** A cycle is waiting on EC2 (the loop is blocked). */
  busy = false
  alive = true
  /** Its ipamd restarted after a mode switch: the next cycle is the init's cleanup of the other mode. */
  cleanup = false
  /** The step of the blocking work (BlockingEc2Work's Step) and its scratch. */
  step = 0
  /** Candidate subnets for a new ENI (subnet indexes), and the one being tried. */
  readonly subnets: number[] = []
  subnetAt = 0
  /** An ENI of it was ever created outside the node's own subnet (subnet discovery, custom networking). */
  otherSubnets = false
  /** The ENI just created (SimulatedEc2 id), -1 when none. */
  newEni = -1
  /** Addresses or /28 bases an EC2 answer granted. */
  readonly got: number[] = []
  /** Addresses asked for by the call in flight (the "pending" count of the reports). */
  pending = 0
  /** Cooling records' expiries (releasedAt + cool-down + 1 ms), ascending: when the cooling count drops. */
  readonly expiries: number[] = []
  expiryHead = 0
  /** Current-mode records cooling by the queue (the expiries not yet passed). */
  coolingTracked = 0
  /** The cool-down the queue was built with. */
  coolingCooldown = 0
  /** Last counts reported to the group integrals. */
  used = 0
  available = 0
  cooling = 0
  reportedPending = 0
  /** Where the counts were last brought up to date. */
  countedAt = 0

  constructor(
    readonly node: SimNode,
    readonly ds: Datastore,
    readonly cycle: PoolCycle,
    /** Subnet index of the node's own subnet, and of its ENIConfig subnet under custom networking (-1: none). */
    readonly eniConfigSubnet: number,
    /** IPv4PerInterface of the instance type (slots of a new ENI). */
    readonly slotsPerEni: number,
    /** Its datastore's map order, seeded for each operation. */
    readonly order: SeededOrder,
  ) {}
}
