// The reports the report tests render: a small Windows-only run written out by hand, and the same run with
// Linux nodes (a Linux node group, its nodes, its pods and ipamd's calls), as the kernel would report them.

import type { LinuxResult } from "@ipamsim/core/metrics/SimResult"
import type { Report } from "./Report.ts"

const WAIT_EDGES = [0, 100, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000]

/** Per action, the Windows controller's five (the order of EC2_ACTIONS). */
const windowsActions = (assign: number, unassign: number, describeEni: number, describeInstances: number) => ({
  AssignPrivateIpAddresses: assign,
  UnassignPrivateIpAddresses: unassign,
  DescribeNetworkInterfaces: describeEni,
  DescribeInstances: describeInstances,
  DescribeSubnets: 0,
})

/** Per action, all ten: a run with Linux nodes lists ipamd's ENI actions too. */
const allActions = (windows: Record<string, number>, eni: readonly [number, number, number, number, number]) => ({
  ...windows,
  CreateNetworkInterface: eni[0],
  AttachNetworkInterface: eni[1],
  ModifyNetworkInterfaceAttribute: eni[2],
  DetachNetworkInterface: eni[3],
  DeleteNetworkInterface: eni[4],
})

const WINDOWS_GROUP = "windows-m5-large"

/** A 30-minute Windows-only run: one /24 that runs out for 90 s, two nodes, two expectations. */
export const WINDOWS_ONLY: Report = {
  schemaVersion: 1,
  scenario: "fixture-windows",
  description: "Two Windows nodes in one /24.",
  seed: 7,
  simulatedMs: 1_800_000,
  events: 12_345,
  pods: {
    created: 60,
    requestingAddress: 58,
    withIp: 52,
    neverGotIp: 6,
    stillWaiting: 2,
    hostNetwork: 1,
    withoutResourceRequest: 1,
    unscheduled: 3,
    evicted: 0,
    unknownDeletes: 0,
    ignoredNonWindows: 0,
    waitMs: { p50: 0, p90: 2_400, p99: 20_000, max: 40_000, mean: 1_234 },
    waitHistogram: { edgesMs: WAIT_EDGES, counts: [40, 0, 2, 3, 4, 1, 0, 2, 0, 0, 0] },
    retries: { ErrResourceAreBeingCooledDown: 2, ErrWarmPoolEmpty: 1_234 },
  },
  addresses: {
    ipSeconds: { used: 50_400.5, warm: 12_600.25, cooling: 360, pending: 90, allocated: 63_450.75 },
    peakAllocated: 70,
    wasteRatio: 0.205665,
  },
  subnets: [
    {
      id: "subnet-a",
      cidr: "10.0.0.0/24",
      size: 256,
      minFree: 0,
      finalFree: 120,
      minFreeAlignedBlocks: 0,
      finalFragmentedFree: 40,
      firstExhaustedAtMs: 600_000,
      exhaustedMs: 90_000,
      exhaustedIntervals: [[600_000, 690_000]],
      insufficientErrors: 5,
      insufficientCidrBlocksErrors: 0,
      freeIpSeconds: 300_000.5,
      blocks: "r#ff#ff.........",
    },
  ],
  ec2: {
    calls: windowsActions(60, 12, 3, 20),
    attempts: windowsActions(64, 12, 3, 20),
    throttled: windowsActions(1, 0, 0, 0),
    failed: windowsActions(5, 0, 0, 0),
  },
  workers: {
    "secondary-ip": { jobs: 70, meanWaitMs: 12, maxWaitMs: 300 },
    prefix: { jobs: 0, meanWaitMs: 0, maxWaitMs: 0 },
  },
  controller: { resyncJobs: 120, insufficientCidrBlocksEvents: 0, nodeLaunchFailures: 0, nodeInitFailures: 0 },
  nodes: [
    {
      name: `${WINDOWS_GROUP}-0`,
      group: WINDOWS_GROUP,
      instanceType: "m5.large",
      mode: "secondary-ip",
      capacity: 9,
      final: { used: 8, warm: 1, cooling: 0, pending: 0 },
    },
    {
      name: `${WINDOWS_GROUP}-1`,
      group: WINDOWS_GROUP,
      instanceType: "m5.large",
      mode: "secondary-ip",
      capacity: 9,
      final: { used: 9, warm: 0, cooling: 0, pending: 0 },
    },
  ],
  groups: { [WINDOWS_GROUP]: { used: 50_400.5, warm: 12_600.25, cooling: 360, pending: 90 } },
  timeline: {
    t: [0, 600_000, 1_200_000, 1_800_000],
    subnets: { "subnet-a": { free: [251, 0, 10, 120], freeAligned: [15, 0, 0, 5] } },
    groups: {
      [WINDOWS_GROUP]: { used: [0, 20, 17, 17], warm: [3, 0, 1, 1], cooling: [0, 0, 1, 0], pending: [0, 3, 0, 0] },
    },
    podsWaiting: [0, 5, 2, 2],
    podsPending: [0, 3, 3, 3],
  },
  expectations: [
    { name: "maxP99WaitMs", ok: true, actual: 20_000, limit: 60_000 },
    { name: "allPodsGetIp", ok: false, actual: false, limit: true },
  ],
}

const LINUX_GROUP = "linux-m5-large"

/** ipamd's share of the run with Linux nodes. */
export const LINUX: LinuxResult = {
  nodes: 3,
  pods: {
    created: 90,
    needingAddress: 84,
    withIp: 80,
    neverGotIp: 4,
    stillWaiting: 3,
    unscheduled: 1,
    hostNetwork: 6,
    evicted: 2,
    cniRetries: 17,
    waitMs: { p50: 0, p90: 12_500, p99: 25_000, max: 26_000, mean: 3_100 },
    waitHistogram: { edgesMs: WAIT_EDGES, counts: [60, 0, 0, 0, 0, 0, 18, 2, 0, 0, 0] },
  },
  addresses: { ipSeconds: { used: 144_000, warm: 32_400.5, cooling: 1_800, pending: 36 } },
  ipamd: { enisCreated: 4, enisDeleted: 1, enisAtEnd: 6 },
  subnets: {
    "subnet-a": {
      windowsPods: 17,
      windowsWarm: 1,
      windowsCooling: 0,
      linuxPods: 63,
      linuxWarm: 15,
      linuxCooling: 3,
      eniPrimaries: 8,
      inFlight: 2,
      others: 22,
      awsReserved: 5,
      free: 120,
    },
  },
  timeline: {
    subnets: {
      "subnet-a": {
        windowsPods: [0, 20, 17, 17],
        windowsWarm: [3, 0, 1, 1],
        windowsCooling: [0, 0, 1, 0],
        linuxPods: [0, 50, 63, 63],
        linuxWarm: [27, 20, 15, 15],
        linuxCooling: [0, 0, 3, 3],
        eniPrimaries: [5, 7, 8, 8],
        inFlight: [0, 3, 0, 2],
        others: [22, 22, 22, 22],
        awsReserved: [5, 5, 5, 5],
        free: [194, 129, 121, 120],
      },
    },
  },
  ec2: {
    calls: allActions(windowsActions(4, 1, 0, 3), [5, 4, 4, 1, 1]),
    attempts: allActions(windowsActions(4, 1, 0, 3), [7, 4, 4, 1, 1]),
    throttled: allActions(windowsActions(0, 0, 0, 0), [2, 0, 0, 0, 0]),
    failed: allActions(windowsActions(0, 0, 0, 0), [1, 0, 0, 0, 0]),
  },
}

/** The same run with a Linux node group of three nodes: totals include ipamd's calls and the Linux addresses. */
export const WITH_LINUX: Report = ((): Report => {
  const w = WINDOWS_ONLY
  const add = (a: Record<string, number>, b: Record<string, number>): Record<string, number> =>
    Object.fromEntries(Object.entries(b).map(([k, v]) => [k, (a[k] ?? 0) + v]))
  const l = LINUX.addresses.ipSeconds
  const linuxNodes = [0, 1, 2].map((i) => ({
    name: `${LINUX_GROUP}-${i}`,
    group: LINUX_GROUP,
    instanceType: "m5.large",
    mode: "secondary-ip" as const,
    capacity: 27,
    final: { used: 20 + i, warm: 5, cooling: i, pending: 0 },
    os: "linux" as const,
    enis: 2,
  }))
  return {
    ...w,
    scenario: "fixture-mixed",
    description: "Two Windows nodes and three Linux nodes in one /24.",
    addresses: {
      ...w.addresses,
      ipSeconds: {
        used: w.addresses.ipSeconds.used + l.used,
        warm: w.addresses.ipSeconds.warm + l.warm,
        cooling: w.addresses.ipSeconds.cooling + l.cooling,
        pending: w.addresses.ipSeconds.pending + l.pending,
        allocated: 252_000,
      },
      wasteRatio: 0.228569,
    },
    ec2: {
      calls: add(w.ec2.calls, LINUX.ec2.calls),
      attempts: add(w.ec2.attempts, LINUX.ec2.attempts),
      throttled: add(w.ec2.throttled, LINUX.ec2.throttled),
      failed: add(w.ec2.failed, LINUX.ec2.failed),
    },
    nodes: [...linuxNodes, ...w.nodes],
    groups: { [LINUX_GROUP]: { ...l }, ...w.groups },
    timeline: {
      ...w.timeline,
      subnets: { "subnet-a": { free: [194, 129, 121, 120], freeAligned: [10, 2, 1, 5] } },
      groups: {
        [LINUX_GROUP]: { used: [0, 50, 63, 63], warm: [27, 20, 15, 15], cooling: [0, 0, 3, 3], pending: [0, 1, 0, 0] },
        ...w.timeline.groups,
      },
    },
    linux: LINUX,
  }
})()
