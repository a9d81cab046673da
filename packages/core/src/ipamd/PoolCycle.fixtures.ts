// A node for the pool tests: a Datastore and its PoolCycle answered at once by the conformance protocol's
// simulated EC2, every map walked in ascending order.

import { formatIpv4 } from "../ec2/Ipv4.ts"
import { ascendingOrder } from "../go/MapOrder.ts"
import { ConformanceEc2 } from "./ConformanceEc2.ts"
import { Datastore } from "./Datastore.ts"
import type { IpamdSettings } from "./IpamdSettings.ts"
import { Ec2Op, type PoolAction, PoolCycle } from "./PoolCycle.ts"
import { idleCycle, nextTimedChange } from "./PoolDecisions.ts"

const RESULTS = ["", " insufficient", " error"]

export class TestNode {
  readonly ds: Datastore
  readonly cycle: PoolCycle
  readonly ec2 = new ConformanceEc2()
  now = 1_000_000

  /** With `primary`, the primary ENI (key 0) without addresses. */
  constructor(settings: IpamdSettings, primary = true) {
    this.ds = new Datastore(settings, ascendingOrder)
    this.cycle = new PoolCycle(this.ds)
    if (primary) this.ds.addEni(0, true, false, false, this.now)
  }

  /** Runs an action to its end, each call answered at once; the calls, as text. */
  run(action: PoolAction): string[] {
    const calls: string[] = []
    let waiting = this.cycle.start(action, this.now)
    while (waiting) {
      const r = this.cycle.request
      const result = this.ec2.answer(r)
      const got = this.ec2.got.length > 0 ? ` [${this.ec2.got.map(formatIpv4).join(" ")}]` : ""
      const released = ` [${r.cidrs.map(formatIpv4).join(" ")}]`
      switch (r.op) {
        case Ec2Op.ASSIGN:
          calls.push(`assign ${r.eni} ${r.n}${RESULTS[result]}${got}`)
          break
        case Ec2Op.CREATE_ENI:
          calls.push(`createENI ${r.n}${RESULTS[result]}${result === 0 ? ` ${this.ec2.eni}` : ""}${got}`)
          break
        case Ec2Op.UNASSIGN_PREFIXES:
          calls.push(`unassignPrefixes ${r.eni}${released}`)
          break
        case Ec2Op.UNASSIGN_IPS:
          calls.push(`unassignIPs ${r.eni}${released}`)
          break
        default:
          calls.push(`deleteENI ${r.eni}`)
      }
      waiting = this.cycle.answer(result, this.ec2.got, this.ec2.eni, this.now)
    }
    return calls
  }

  /**
   * `pods` pods (0 … pods − 1, placed in ascending order: packed densely) and 5 s pool-manager cycles until
   * every pod has an address and no cycle would ever change anything again.
   */
  settle(pods: number, tick: PoolAction): void {
    for (let i = 0; i < 10_000; i++) {
      let pending = 0
      for (let p = 0; p < pods; p++) if (this.ds.addressOf(p) < 0 && this.ds.assign(p, this.now) < 0) pending++
      if (pending === 0 && idleCycle(this.ds, this.now) && nextTimedChange(this.ds, this.now) === Infinity) return
      this.now += 5000
      this.run(tick)
    }
    throw new Error(`no steady state with ${pods} pods`)
  }

  /** ENIs, addresses in the pool (current mode), addresses without a pod. */
  get shape(): [number, number, number] {
    return [this.ds.eniCount, this.ds.total, this.ds.total - this.ds.assigned]
  }
}
