// What the kernel allocates per trace event, and where: V8's sampling heap profiler, counting objects the
// garbage collector has already freed too, over one simulation of a scenario's events held in memory
// (after one unsampled run, so that the JIT has settled). The hot path is meant to allocate nothing per
// event (docs/performance.md); this says how close it is and which functions to look at.
//   node --import tsx bench/allocations.ts <scenario> [top=15]
// Figures include the cluster's build (nodes, pools, subnets), which a longer trace amortises.

import { Session } from "node:inspector/promises"
import { fail } from "./fail.ts"
import { loadInMemory, runInMemory } from "./inMemory.ts"

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string }
  readonly selfSize: number
  readonly children: readonly ProfileNode[]
}

const [file, topArg = "15"] = process.argv.slice(2)
if (file === undefined) fail("usage: allocations.ts <scenario> [top]")
const top = Number(topArg)
if (!Number.isInteger(top) || top < 1) fail(`top: expected a whole number of at least 1, got "${topArg}"`)

const { loaded, events } = loadInMemory(file!)
runInMemory(loaded, events)
const session = new Session()
session.connect()
await session.post("HeapProfiler.enable")
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
})
runInMemory(loaded, events)
const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: ProfileNode } }
session.disconnect()

// Bytes by allocating function and its caller (the caller tells which event path it was on).
const bytes = new Map<string, number>()
const name = (n: ProfileNode): string =>
  `${n.callFrame.functionName || "(anonymous)"} (${n.callFrame.url.split("/").pop() || "native"})`
const walk = (n: ProfileNode, caller: string): void => {
  if (n.selfSize > 0) {
    const key = `${name(n)} ← ${caller}`
    bytes.set(key, (bytes.get(key) ?? 0) + n.selfSize)
  }
  for (const c of n.children) walk(c, name(n))
}
walk(profile.head, "")
const total = [...bytes.values()].reduce((a, b) => a + b, 0)
process.stdout.write(
  `${events.length} trace events: ${(total / 1e6).toFixed(1)} MB allocated, ${(total / events.length).toFixed(1)} bytes per trace event\n`,
)
for (const [key, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, top))
  process.stdout.write(`${(b / events.length).toFixed(2).padStart(8)} B/event  ${key}\n`)
