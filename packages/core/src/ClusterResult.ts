// The report of a run, gathered from the rooms at the end: pods and their waits, address-time per state,
// subnets, EC2 calls, the controller's workers and counts, each node and group, and the timeline.

import { EC2_ACTIONS, WINDOWS_EC2_ACTIONS } from "./ec2/Ec2.ts"
import type { Ec2Calls } from "./ec2/Ec2Calls.ts"
import type { SimulatedEc2 } from "./ec2/SimulatedEc2.ts"
import type { Subnet } from "./ec2/Subnet.ts"
import type { IpamdController } from "./ipamd/IpamdController.ts"
import type { Simulation } from "./kernel/Simulation.ts"
import type { NodeLifecycle } from "./kubernetes/NodeLifecycle.ts"
import type { SimNode } from "./kubernetes/Nodes.ts"
import type { Pods } from "./kubernetes/Pods.ts"
import type { AddressIntegrals, Integral } from "./metrics/Integral.ts"
import type { LinuxResult, SimResult } from "./metrics/SimResult.ts"
import type { SubnetUse } from "./metrics/SubnetUse.ts"
import type { Timeline } from "./metrics/Timeline.ts"
import type { Waits } from "./metrics/Waits.ts"
import { subnetHolders } from "./SubnetHolders.ts"
import { Mode } from "./vpc-resource-controller/ResourceProvider.ts"
import type { WindowsController } from "./vpc-resource-controller/WindowsController.ts"

const WAIT_EDGES = [0, 100, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000]

/** The parts of a cluster the report reads. */
export interface ReportedParts {
  readonly spec: { readonly seed: number }
  readonly sim: Simulation
  readonly pods: Pods
  readonly subnets: readonly Subnet[]
  readonly subnetUse: SubnetUse
  readonly calls: Ec2Calls
  readonly nodes: readonly SimNode[]
  readonly nodeLifecycle: NodeLifecycle
  readonly groupNames: readonly string[]
  readonly groupIntegrals: readonly AddressIntegrals[]
  readonly windows: WindowsController
  readonly ipamd: IpamdController | undefined
  readonly timeline: Timeline
  readonly ec2: SimulatedEc2
  readonly holderSeries: Readonly<Record<string, Readonly<Record<string, number[]>>>>
}

const waitFigures = (waits: Waits) => {
  const [p50, p90, p99, max] = waits.percentiles([0.5, 0.9, 0.99, 1])
  return {
    waitMs: {
      p50: p50!,
      p90: p90!,
      p99: p99!,
      max: max!,
      mean: waits.count === 0 ? 0 : Math.round(waits.sum / waits.count),
    },
    waitHistogram: { edgesMs: WAIT_EDGES, counts: waits.histogram(WAIT_EDGES) },
  }
}

export const clusterResult = (c: ReportedParts): SimResult => {
  const now = c.sim.now
  const pods = c.pods
  const sec = (v: number): number => Math.round(v) / 1000
  const [p50, p90, p99, max] = pods.waits.percentiles([0.5, 0.9, 0.99, 1])
  const { stillWaiting, unscheduled } = pods.unserved()
  const sum = (pick: (g: AddressIntegrals) => Integral): number =>
    c.groupIntegrals.reduce((acc, g) => acc + pick(g).total(now), 0)
  const usedS = sum((g) => g.used)
  const allocated = c.subnetUse.allocated
  const allocS = allocated.total(now)
  // A run without Linux nodes lists the Windows controller's actions only.
  const actions = c.ipamd === undefined ? EC2_ACTIONS.slice(0, WINDOWS_EC2_ACTIONS) : EC2_ACTIONS
  const actionRecord = (arr: Float64Array): Record<string, number> => {
    const r: Record<string, number> = {}
    actions.forEach((a, i) => {
      r[a] = arr[i]!
    })
    return r
  }
  const groups: Record<string, { used: number; warm: number; cooling: number; pending: number }> = {}
  c.groupNames.forEach((g, i) => {
    const gi = c.groupIntegrals[i]!
    groups[g] = {
      used: sec(gi.used.total(now)),
      warm: sec(gi.warm.total(now)),
      cooling: sec(gi.cooling.total(now)),
      pending: sec(gi.pending.total(now)),
    }
  })
  const w = c.windows
  const retries = w.reconciler.retries
  return {
    seed: c.spec.seed,
    simulatedMs: now,
    events: c.sim.eventCount,
    pods: {
      created: pods.created,
      requestingAddress: pods.requesting,
      withIp: pods.withIp,
      neverGotIp: pods.neverGotIp + stillWaiting + unscheduled,
      stillWaiting,
      hostNetwork: pods.hostNetwork,
      withoutResourceRequest: pods.withoutResource,
      unscheduled,
      evicted: pods.evicted,
      unknownDeletes: pods.unknownDeletes,
      ignoredNonWindows: pods.ignoredNonWindows,
      waitMs: {
        p50: p50!,
        p90: p90!,
        p99: p99!,
        max: max!,
        mean: pods.waits.count === 0 ? 0 : Math.round(pods.waits.sum / pods.waits.count),
      },
      waitHistogram: { edgesMs: WAIT_EDGES, counts: pods.waits.histogram(WAIT_EDGES) },
      retries: Object.fromEntries(Object.entries(retries).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    addresses: {
      ipSeconds: {
        used: sec(usedS),
        warm: sec(sum((g) => g.warm)),
        cooling: sec(sum((g) => g.cooling)),
        pending: sec(sum((g) => g.pending)),
        allocated: sec(allocS),
      },
      peakAllocated: allocated.max,
      wasteRatio: allocS === 0 ? 0 : Math.round(((allocS - usedS) / allocS) * 1e6) / 1e6,
    },
    subnets: c.subnets.map((s, i) => {
      const tr = c.subnetUse.trackers[i]!
      const snap = s.snapshot()
      const iv: Array<[number, number]> = []
      for (let k = 0; k < tr.intervals.length; k += 2)
        iv.push([tr.intervals[k]!, tr.intervals[k + 1]! < 0 ? now : tr.intervals[k + 1]!])
      return {
        id: s.id,
        cidr: snap.cidr,
        size: s.size,
        minFree: tr.minFree === Number.POSITIVE_INFINITY ? s.freeOutsideReservations : tr.minFree,
        finalFree: s.freeOutsideReservations,
        minFreeAlignedBlocks: tr.minFreeAligned === Number.POSITIVE_INFINITY ? s.freeAlignedBlocks : tr.minFreeAligned,
        finalFragmentedFree: s.fragmentedFree,
        firstExhaustedAtMs: tr.firstExhaustedAt < 0 ? null : tr.firstExhaustedAt,
        exhaustedMs: tr.exhaustedUntil(now),
        exhaustedIntervals: iv,
        insufficientErrors: tr.insufficientErrors,
        insufficientCidrBlocksErrors: tr.prefixErrors,
        freeIpSeconds: sec(tr.free.total(now)),
        blocks: snap.blocks,
      }
    }),
    ec2: {
      calls: actionRecord(c.calls.calls),
      attempts: actionRecord(c.calls.attempts),
      throttled: actionRecord(c.calls.throttled),
      failed: actionRecord(c.calls.failed),
    },
    workers: {
      "secondary-ip": w.workers.stats(Mode.SecondaryIp),
      prefix: w.workers.stats(Mode.Prefix),
    },
    controller: {
      resyncJobs: w.workers.resyncJobs,
      insufficientCidrBlocksEvents: w.jobs.icbEvents,
      nodeLaunchFailures: c.nodeLifecycle.launchFailures,
      nodeInitFailures: w.manager.initFailures,
    },
    nodes: c.nodes.map((n) =>
      c.ipamd?.isLinux(n.index)
        ? c.ipamd.nodeSummary(n, c.groupNames[n.group]!)
        : w.nodeSummary(n, c.groupNames[n.group]!),
    ),
    groups,
    timeline: c.timeline.series,
    ...(c.ipamd === undefined ? {} : { linux: linuxResult(c, c.ipamd, actionRecord) }),
  }
}

const linuxResult = (
  c: ReportedParts,
  ipamd: IpamdController,
  actionRecord: (arr: Float64Array) => Record<string, number>,
): LinuxResult => {
  const now = c.sim.now
  const sec = (v: number): number => Math.round(v) / 1000
  const pods = c.pods
  const { stillWaiting, unscheduled } = pods.unserved(true)
  const linuxGroups = c.groupIntegrals.filter((_, i) => c.nodes.some((n) => n.group === i && ipamd.isLinux(n.index)))
  const sum = (pick: (g: AddressIntegrals) => Integral): number =>
    linuxGroups.reduce((acc, g) => acc + pick(g).total(now), 0)
  let enisAtEnd = 0
  for (const ln of ipamd.nodes) if (ln !== undefined) enisAtEnd += ln.ds.eniCount
  return {
    nodes: c.nodes.filter((n) => ipamd.isLinux(n.index)).length,
    pods: {
      created: pods.linux.created,
      needingAddress: pods.linux.needingAddress,
      withIp: pods.linux.withIp,
      neverGotIp: pods.linux.neverGotIp + stillWaiting + unscheduled,
      stillWaiting,
      unscheduled,
      hostNetwork: pods.linux.hostNetwork,
      evicted: pods.linux.evicted,
      cniRetries: pods.linux.cniRetries,
      ...waitFigures(pods.linuxWaits),
    },
    addresses: {
      ipSeconds: {
        used: sec(sum((g) => g.used)),
        warm: sec(sum((g) => g.warm)),
        cooling: sec(sum((g) => g.cooling)),
        pending: sec(sum((g) => g.pending)),
      },
    },
    ipamd: { enisCreated: ipamd.enisCreated, enisDeleted: ipamd.enisDeleted, enisAtEnd },
    subnets: Object.fromEntries(subnetHolders(c, now).map((h, i) => [c.subnets[i]!.id, { ...h }])),
    timeline: { subnets: c.holderSeries },
    ec2: {
      calls: actionRecord(c.calls.ipamdCalls),
      attempts: actionRecord(c.calls.ipamdAttempts),
      throttled: actionRecord(c.calls.ipamdThrottled),
      failed: actionRecord(c.calls.ipamdFailed),
    },
  }
}
