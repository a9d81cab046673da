// The rollout check: a run that starts on the scenario's current setting and switches to the recommended one
// at `atMs` (a ConfigMap change and, for Linux settings, an aws-node env change the variant carries). It
// measures the switch's transient over a window [atMs, atMs + windowMs]: addresses claimed and released per
// node, pods that waited, EC2 calls. With Linux nodes, Linux pods and the Linux nodes' ENIs count too.

import { Cluster } from "@ipamsim/core/Cluster"
import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import type { PodEvent, SimSpec, TraceSource } from "@ipamsim/core/spec/SimSpec"

/** What one run shows in the window. */
export interface WindowObservation {
  /** Secondary addresses (IPs + 16 per prefix) held for pods, cluster-wide (Linux nodes' ENIs included). */
  readonly allocatedBefore: number
  readonly allocatedAfter: number
  readonly allocatedMinInWindow: number
  readonly allocatedMaxInWindow: number
  /** Per node, the increase (claimed) or decrease (released) of its holdings across the window, summed. */
  readonly claimed: number
  readonly released: number
  /** Pods whose wait for an address overlapped the window and lasted more than 0 ms. */
  readonly podsWaited: number
  /** The longest of those waits (whole wait, even the part outside the window). */
  readonly maxWaitMs: number
  /** Pods deleted in the window without ever getting an address. */
  readonly neverGotIp: number
  readonly ec2Calls: number
  readonly assignCalls: number
  readonly unassignCalls: number
  readonly throttled: number
}

export interface RolloutTransient extends WindowObservation {
  readonly seed: number
  readonly atMs: number
  readonly windowMs: number
  /** The same run without the switch: what churn alone does in the window. */
  readonly withoutSwitch: WindowObservation
  /** allocatedAfter minus the same without the switch: addresses the switch itself claimed (+) or released (−). */
  readonly bySwitch: number
}

interface PodWatch {
  createdAt: number
  deleteAt: number
}

/**
 * Passes the trace through and notes every pod that will ask for an address, and when it goes: Windows pods,
 * and Linux pods (no Windows selector) when the cluster has Linux nodes.
 */
class WatchedTrace implements TraceSource {
  readonly pods = new Map<string, PodWatch>()
  readonly fresh: string[] = []

  constructor(
    private readonly inner: TraceSource,
    private readonly linux: boolean,
  ) {}

  next(): PodEvent | undefined {
    const e = this.inner.next()
    if (e === undefined) return e
    if (e.type === "create") {
      if ((e.windowsSelector || this.linux) && !e.hostNetwork) {
        this.pods.set(e.pod, { createdAt: e.t, deleteAt: Number.POSITIVE_INFINITY })
        this.fresh.push(e.pod)
      }
    } else {
      const w = this.pods.get(e.pod)
      if (w !== undefined && w.deleteAt === Number.POSITIVE_INFINITY) w.deleteAt = e.t
    }
    // Pods are looked up by name here: the trace must give names, not ids (TuneJob builds it so).
    if (e.podId !== undefined) throw new Error("the rollout check needs a trace without pod ids")
    return e
  }
}

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)

/** Runs `switched` (the run with the ConfigMap change at atMs) and `baseline` (without it) through the window. */
export const measureRollout = (
  switched: SimSpec,
  baseline: SimSpec,
  atMs: number,
  windowMs: number,
): RolloutTransient => {
  const w = observeWindow(switched, atMs, windowMs)
  const b = observeWindow(baseline, atMs, windowMs)
  return { seed: switched.seed, atMs, windowMs, ...w, withoutSwitch: b, bySwitch: w.allocatedAfter - b.allocatedAfter }
}

const observeWindow = (spec: SimSpec, atMs: number, windowMs: number): WindowObservation => {
  const trace = new WatchedTrace(
    spec.trace,
    spec.nodeGroups.some((g) => g.os === "linux"),
  )
  const cluster = new Cluster({ ...spec, trace })
  const nodes = spec.nodeGroups.flatMap((g) => Array.from({ length: g.count }, (_, i) => `${g.name}-${i}`))
  const count = (h: { ips: number; prefixes: number }): number => h.ips + 16 * h.prefixes
  // A Windows node holds its addresses on its primary ENI; a Linux node on every ENI ipamd has added.
  const held = (): number[] =>
    nodes.map((n) => {
      const ipamd = cluster.ipamd
      const node = ipamd === undefined ? undefined : cluster.nodes.find((x) => x.name === n)
      if (ipamd === undefined || node === undefined || !ipamd.isLinux(node.index)) return count(cluster.holdings(n))
      const ln = ipamd.nodes[node.index]
      return ln === undefined ? 0 : ln.ds.enis.reduce((a, e) => a + count(cluster.ec2.heldCount(e.key)), 0)
    })
  const end = atMs + windowMs

  // Just before the switch: events at atMs (the ConfigMap change among them) have not run.
  cluster.runUntil(atMs - 1)
  const before: SimResult = cluster.result()
  const heldBefore = held()
  const allocatedBefore = cluster.ec2.secondaryHeld
  let lo = allocatedBefore
  let hi = allocatedBefore

  // Pods not yet holding an address at the switch, and every pod created in the window, are watched until
  // they get one or go; a pod seen running after a step got its address at that step's time.
  const watching = new Map<string, PodWatch>()
  for (const [name, w] of trace.pods)
    if (w.createdAt <= end && cluster.podAddress(name) === undefined) watching.set(name, w)
  trace.fresh.length = 0
  let podsWaited = 0
  let maxWaitMs = 0
  let neverGotIp = 0
  const look = (): void => {
    for (const name of trace.fresh) {
      const w = trace.pods.get(name)
      if (w !== undefined && w.createdAt <= end) watching.set(name, w)
    }
    trace.fresh.length = 0
    const now = cluster.now
    for (const [name, w] of watching) {
      const got = cluster.podAddress(name)
      if (got !== undefined) {
        watching.delete(name)
        const wait = now - got.boundAt
        if (wait > 0 && now >= atMs && got.boundAt <= end) {
          podsWaited++
          if (wait > maxWaitMs) maxWaitMs = wait
        }
      } else if (w.deleteAt <= now) {
        watching.delete(name)
        if (w.deleteAt >= atMs && w.deleteAt <= end) neverGotIp++
      }
    }
  }

  while (cluster.nextEventTime() <= end && cluster.step()) {
    const a = cluster.ec2.secondaryHeld
    if (a < lo) lo = a
    if (a > hi) hi = a
    look()
  }
  if (cluster.now < end) cluster.now = end
  const after = cluster.result()
  const allocatedAfter = cluster.ec2.secondaryHeld
  const heldAfter = held()
  let claimed = 0
  let released = 0
  heldAfter.forEach((h, i) => {
    const d = h - heldBefore[i]!
    if (d > 0) claimed += d
    else released -= d
  })
  // Waits that began in the window may end after it: follow those pods to the end of the run at most.
  while (watching.size > 0 && cluster.step()) look()

  const diff = (a: Record<string, number>, b: Record<string, number>, key: string): number =>
    (a[key] ?? 0) - (b[key] ?? 0)
  return {
    allocatedBefore,
    allocatedAfter,
    allocatedMinInWindow: lo,
    allocatedMaxInWindow: hi,
    claimed,
    released,
    podsWaited,
    maxWaitMs,
    neverGotIp,
    ec2Calls: sum(after.ec2.calls) - sum(before.ec2.calls),
    assignCalls: diff(after.ec2.calls, before.ec2.calls, "AssignPrivateIpAddresses"),
    unassignCalls: diff(after.ec2.calls, before.ec2.calls, "UnassignPrivateIpAddresses"),
    throttled: sum(after.ec2.throttled) - sum(before.ec2.throttled),
  }
}
