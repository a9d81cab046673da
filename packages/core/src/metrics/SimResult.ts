// What a simulation reports: the kernel's result, turned by the CLI into the JSON report, the terminal
// summary and the HTML page (docs/report.md describes every field).

export interface NodeSummary {
  readonly name: string
  readonly group: string
  readonly instanceType: string
  readonly mode: "secondary-ip" | "prefix"
  readonly capacity: number
  readonly final: { readonly used: number; readonly warm: number; readonly cooling: number; readonly pending: number }
  /** Linux nodes only: the OS and the ENIs ipamd holds at the end. */
  readonly os?: "linux"
  readonly enis?: number
}

/** Who holds a subnet's addresses (the counts sum to the subnet's size). */
export interface SubnetHolders {
  readonly windowsPods: number
  readonly windowsWarm: number
  readonly windowsCooling: number
  readonly linuxPods: number
  readonly linuxWarm: number
  readonly linuxCooling: number
  readonly eniPrimaries: number
  readonly inFlight: number
  readonly others: number
  readonly awsReserved: number
  readonly free: number
}

/** Linux nodes' pods and ipamd (a report of a cluster with Linux nodes only). */
export interface LinuxResult {
  readonly nodes: number
  readonly pods: {
    readonly created: number
    readonly needingAddress: number
    readonly withIp: number
    readonly neverGotIp: number
    readonly stillWaiting: number
    readonly unscheduled: number
    readonly hostNetwork: number
    readonly evicted: number
    /** CNI ADDs that found no address (each followed by kubelet's retry 10–15 s later). */
    readonly cniRetries: number
    readonly waitMs: {
      readonly p50: number
      readonly p90: number
      readonly p99: number
      readonly max: number
      readonly mean: number
    }
    readonly waitHistogram: { readonly edgesMs: number[]; readonly counts: number[] }
  }
  readonly addresses: {
    readonly ipSeconds: {
      readonly used: number
      readonly warm: number
      readonly cooling: number
      readonly pending: number
    }
  }
  readonly ipamd: { readonly enisCreated: number; readonly enisDeleted: number; readonly enisAtEnd: number }
  /** Who holds each subnet's addresses at the end (SubnetHolders: pods, warm and cooling of both managers, …). */
  readonly subnets: Record<string, SubnetHolders>
  /** The same at every timeline sample (times: timeline.t), per subnet and holder. */
  readonly timeline: { readonly subnets: Readonly<Record<string, Readonly<Record<string, number[]>>>> }
  /** ipamd's EC2 calls alone (the totals in ec2 include them). */
  readonly ec2: {
    readonly calls: Record<string, number>
    readonly attempts: Record<string, number>
    readonly throttled: Record<string, number>
    readonly failed: Record<string, number>
  }
}

export interface TimelineSeries {
  readonly t: number[]
  readonly subnets: Record<string, { free: number[]; freeAligned: number[] }>
  readonly groups: Record<string, { used: number[]; warm: number[]; cooling: number[]; pending: number[] }>
  readonly podsWaiting: number[]
  readonly podsPending: number[]
}

export interface SimResult {
  readonly seed: number
  readonly simulatedMs: number
  readonly events: number
  readonly pods: {
    readonly created: number
    readonly requestingAddress: number
    readonly withIp: number
    readonly neverGotIp: number
    readonly stillWaiting: number
    readonly hostNetwork: number
    readonly withoutResourceRequest: number
    readonly unscheduled: number
    readonly evicted: number
    readonly unknownDeletes: number
    readonly ignoredNonWindows: number
    readonly waitMs: {
      readonly p50: number
      readonly p90: number
      readonly p99: number
      readonly max: number
      readonly mean: number
    }
    readonly waitHistogram: { readonly edgesMs: number[]; readonly counts: number[] }
    readonly retries: Record<string, number>
  }
  readonly addresses: {
    readonly ipSeconds: {
      readonly used: number
      readonly warm: number
      readonly cooling: number
      readonly pending: number
      readonly allocated: number
    }
    readonly peakAllocated: number
    readonly wasteRatio: number
  }
  readonly subnets: ReadonlyArray<{
    readonly id: string
    readonly cidr: string
    readonly size: number
    readonly minFree: number
    readonly finalFree: number
    readonly minFreeAlignedBlocks: number
    readonly finalFragmentedFree: number
    readonly firstExhaustedAtMs: number | null
    readonly exhaustedMs: number
    readonly exhaustedIntervals: Array<[number, number]>
    readonly insufficientErrors: number
    readonly insufficientCidrBlocksErrors: number
    readonly freeIpSeconds: number
    readonly blocks: string
  }>
  readonly ec2: {
    readonly calls: Record<string, number>
    readonly attempts: Record<string, number>
    readonly throttled: Record<string, number>
    readonly failed: Record<string, number>
  }
  readonly workers: Record<
    "secondary-ip" | "prefix",
    { readonly jobs: number; readonly meanWaitMs: number; readonly maxWaitMs: number }
  >
  readonly controller: {
    readonly resyncJobs: number
    readonly insufficientCidrBlocksEvents: number
    readonly nodeLaunchFailures: number
    readonly nodeInitFailures: number
  }
  readonly nodes: NodeSummary[]
  readonly groups: Record<
    string,
    { readonly used: number; readonly warm: number; readonly cooling: number; readonly pending: number }
  >
  readonly timeline: TimelineSeries
  /** Present when the cluster has Linux nodes. The sections above other than this one count Windows pods only. */
  readonly linux?: LinuxResult
}
