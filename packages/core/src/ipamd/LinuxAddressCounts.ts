// A Linux node's addresses as the reports count them — used (assigned to pods), warm (in the datastore, not
// assigned, not cooling), cooling, pending (asked of EC2, not answered yet) — fed to its node group's exact
// integrals as deltas. Between two changes of a node's datastore only cooling records expire, at times
// known when their pods were released: those times are queued and the integrals get each drop at its time.

import { N } from "../kubernetes/Nodes.ts"
import type { AddressIntegrals } from "../metrics/Integral.ts"
import type { LinuxNode } from "./LinuxNode.ts"

export class LinuxAddressCounts {
  constructor(
    private readonly nodeState: Int32Array,
    private readonly groups: readonly AddressIntegrals[],
  ) {}

  /** A pod released an address at `now`: its record cools until now + cool-down (inclusive). */
  released(ln: LinuxNode, now: number): void {
    const cd = ln.ds.settings.cooldownMs
    if (cd >= 0) ln.expiries.push(now + cd + 1)
  }

  /** Brings the node's counts up to `now` (to report them). */
  touch(ln: LinuxNode, now: number): void {
    this.before(ln, now)
    this.report(ln, now)
  }

  /** Reports the node's counts at `now`, after its datastore changed (`before` ran before the change). */
  after(ln: LinuxNode, now: number): void {
    this.report(ln, now)
  }

  /** Before a change of the node's datastore at `now`: the cooling drops up to now, with the datastore unchanged. */
  before(ln: LinuxNode, now: number): void {
    const ex = ln.expiries
    // Expiries before now, with the datastore as it was since the last touch.
    while (ln.expiryHead < ex.length && ex[ln.expiryHead]! <= now) {
      const t = ex[ln.expiryHead++]!
      if (t > ln.countedAt) this.report(ln, t)
    }
    if (ln.expiryHead > 64 && ln.expiryHead * 2 > ex.length) {
      ex.splice(0, ln.expiryHead)
      ln.expiryHead = 0
    }
  }

  /** The node leaves: its counts go to zero. */
  clear(ln: LinuxNode, now: number): void {
    this.touch(ln, now)
    this.apply(ln, 0, 0, 0, 0, now)
    ln.expiries.length = 0
    ln.expiryHead = 0
  }

  private report(ln: LinuxNode, t: number): void {
    const ds = ln.ds
    const used = ds.assigned
    const available = ds.total - used
    const cooling = ds.coolingCount(t)
    this.apply(ln, used, available, cooling, ln.pending, t)
  }

  private apply(ln: LinuxNode, used: number, available: number, cooling: number, pending: number, t: number): void {
    const du = used - ln.used
    const dw = available - cooling - (ln.available - ln.cooling)
    const dc = cooling - ln.cooling
    const dp = pending - ln.reportedPending
    ln.countedAt = t
    if (du === 0 && dw === 0 && dc === 0 && dp === 0) return
    ln.used = used
    ln.available = available
    ln.cooling = cooling
    ln.reportedPending = pending
    const g = this.groups[this.nodeState[ln.node.index * N.STRIDE + N.GROUP]!]!
    if (du !== 0) g.used.addFrom(du, t)
    if (dw !== 0) g.warm.addFrom(dw, t)
    if (dc !== 0) g.cooling.addFrom(dc, t)
    if (dp !== 0) g.pending.addFrom(dp, t)
  }
}
