// A Linux node's addresses as the reports count them — used (assigned to pods), warm (in the datastore, not
// assigned, not cooling), cooling, pending (asked of EC2, not answered yet) — fed to its node group's exact
// integrals as deltas. A released address cools until a time known at its release: the node keeps those
// times in a queue and its cooling count by them, so a pod event costs no walk over the datastore; after a
// pool action (which may drop cooling records with their CIDRs) the queue is checked against the datastore.

import { N } from "../kubernetes/Nodes.ts"
import type { AddressIntegrals } from "../metrics/Integral.ts"
import { IpamMode } from "./IpamdSettings.ts"
import type { LinuxNode } from "./LinuxNode.ts"

export class LinuxAddressCounts {
  constructor(
    private readonly nodeState: Int32Array,
    private readonly groups: readonly AddressIntegrals[],
  ) {}

  /** A pod released an address at `now` (Datastore.unassign): a current-mode record cools until now + cool-down. */
  released(ln: LinuxNode, now: number): void {
    const cd = ln.ds.settings.cooldownMs
    if (cd < 0 || !ln.ds.lastReleaseCounts) return
    ln.expiries.push(Math.floor(now + cd) + 1)
    ln.coolingTracked++
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

  /** After a pool action or a settings change: the cooling queue made to match the datastore again. */
  resync(ln: LinuxNode, now: number): void {
    const ds = ln.ds
    if (ds.coolingCount(now) !== ln.coolingTracked || ln.coolingCooldown !== ds.settings.cooldownMs) {
      const cd = ds.settings.cooldownMs
      const pd = ds.settings.mode === IpamMode.PD
      const ex = ln.expiries
      ex.length = 0
      ln.expiryHead = 0
      for (const e of ds.enis)
        for (const c of e.cidrs) {
          if (c.prefix !== pd || c.records === c.assigned) continue
          for (let i = 0; i < c.size; i++) {
            const r = c.releasedAt[i]!
            if (now - r <= cd) ex.push(Math.floor(r + cd) + 1)
          }
        }
      ex.sort((a, b) => a - b)
      ln.coolingTracked = ex.length
      ln.coolingCooldown = cd
    }
    this.report(ln, now)
  }

  /** Before a change of the node's datastore at `now`: the cooling drops up to now, at their times. */
  before(ln: LinuxNode, now: number): void {
    const ex = ln.expiries
    while (ln.expiryHead < ex.length && ex[ln.expiryHead]! <= now) {
      const t = ex[ln.expiryHead++]!
      ln.coolingTracked--
      this.report(ln, t)
    }
    if (ln.expiryHead > 64 && ln.expiryHead * 2 > ex.length) {
      ex.copyWithin(0, ln.expiryHead)
      ex.length -= ln.expiryHead
      ln.expiryHead = 0
    }
  }

  /** The node leaves: its counts go to zero. */
  clear(ln: LinuxNode, now: number): void {
    this.touch(ln, now)
    this.apply(ln, 0, 0, 0, 0, now)
    ln.expiries.length = 0
    ln.expiryHead = 0
    ln.coolingTracked = 0
  }

  /**
   * Used: pods' addresses in CIDRs of either mode (after a mode switch pods keep the other mode's); warm:
   * the rest of every CIDR but the current mode's cooling records (the other mode's free addresses are held,
   * though no pod can get them).
   */
  private report(ln: LinuxNode, t: number): void {
    const ds = ln.ds
    const used = ds.assigned + ds.assignedOther
    this.apply(ln, used, ds.total + ds.totalOther - used, ln.coolingTracked, ln.pending, t)
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
