// What a piece of code allocates, objects the garbage collector has already freed included: V8's sampling
// heap profiler through the inspector. For the rule that the kernel allocates nothing per event: a test
// holds the random-number stream to it, and `npm run bench -- --parts memory` says where a whole
// simulation allocates.
// Tooling, not simulation: nothing in the kernel imports it.

import { Session } from "node:inspector/promises"

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string }
  readonly selfSize: number
  readonly children: readonly ProfileNode[]
}

export interface Allocations {
  /** Bytes allocated while the work ran (sampled: an estimate, about one sample per `interval` bytes). */
  readonly bytes: number
  /** Bytes by allocating function and its caller, "function (file) ← caller (file)". */
  readonly bySite: ReadonlyMap<string, number>
}

/** Runs `work` with the sampling heap profiler on, one sample about every `interval` bytes. */
export const sampleAllocations = async (work: () => void, interval = 512): Promise<Allocations> => {
  const session = new Session()
  session.connect()
  try {
    await session.post("HeapProfiler.enable")
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: interval,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    work()
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: ProfileNode } }
    const bySite = new Map<string, number>()
    const name = (n: ProfileNode): string =>
      `${n.callFrame.functionName || "(anonymous)"} (${n.callFrame.url.split("/").pop() || "native"})`
    let bytes = 0
    const walk = (n: ProfileNode, caller: string): void => {
      if (n.selfSize > 0) {
        const site = `${name(n)} ← ${caller}`
        bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize)
        bytes += n.selfSize
      }
      for (const c of n.children) walk(c, name(n))
    }
    walk(profile.head, "")
    return { bytes, bySite }
  } finally {
    session.disconnect()
  }
}
