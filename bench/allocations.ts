// What the kernel allocates per trace event, and where (AllocationSampler: V8's sampling heap profiler,
// objects already freed included), over one simulation of a scenario's events held in memory, after one
// unsampled run so that the JIT has settled. The hot path is meant to allocate nothing per event
// (docs/performance.md); this says how close it is and which functions to look at.
//   node --import tsx bench/allocations.ts <scenario> [top=15]
// Figures include the cluster's build (nodes, pools, subnets), which a longer trace amortises.

import { sampleAllocations } from "@ipamsim/core/kernel/AllocationSampler"
import { fail } from "./fail.ts"
import { loadInMemory, runInMemory } from "./inMemory.ts"

const [file, topArg = "15"] = process.argv.slice(2)
if (file === undefined) fail("usage: allocations.ts <scenario> [top]")
const top = Number(topArg)
if (!Number.isInteger(top) || top < 1) fail(`top: expected a whole number of at least 1, got "${topArg}"`)

const { loaded, events } = loadInMemory(file!)
runInMemory(loaded, events)
const { bytes, bySite } = await sampleAllocations(() => {
  runInMemory(loaded, events)
})
process.stdout.write(
  `${events.length} trace events: ${(bytes / 1e6).toFixed(1)} MB allocated, ${(bytes / events.length).toFixed(1)} bytes per trace event\n`,
)
for (const [site, b] of [...bySite].sort((x, y) => y[1] - x[1]).slice(0, top))
  process.stdout.write(`${(b / events.length).toFixed(2).padStart(8)} B/event  ${site}\n`)
