// The kernel alone on a scenario: its trace is read into memory first, then simulated `runs` times; prints
// each run's time and the fastest. For A/B comparisons of a kernel change on this noisy VM: alternate
// the two versions several times and compare the minima (docs/performance.md, "How to compare").
//   node --import tsx bench/runKernel.ts <scenario> [runs]
// A week of trace L needs about 6 GB of heap: node --max-old-space-size=8000 ...
import { buildSimSpec, loadScenario } from "@ipamsim/cli/ScenarioLoader"
import { Cluster } from "@ipamsim/core/Cluster"
import type { PodEvent } from "@ipamsim/core/SimSpec"

const file = process.argv[2]
if (file === undefined) throw new Error("usage: runKernel.ts <scenario> [runs]")
const runs = Number(process.argv[3] ?? 3)
const loaded = loadScenario(file)
const events: PodEvent[] = []
const read = buildSimSpec(loaded, { parallelTraces: false })
for (let e = read.trace.next(); e !== undefined; e = read.trace.next()) events.push(e)
let best = Number.POSITIVE_INFINITY
for (let r = 0; r < runs; r++) {
  const spec = buildSimSpec(loaded, { parallelTraces: false })
  spec.trace.close?.()
  let i = 0
  const t0 = performance.now()
  const result = new Cluster({ ...spec, trace: { next: () => events[i++] } }).run()
  const ms = performance.now() - t0
  best = Math.min(best, ms)
  process.stdout.write(
    `run ${r + 1}: ${Math.round(ms)} ms, ${events.length} trace events, ${result.events} kernel events\n`,
  )
}
process.stdout.write(`min ${Math.round(best)} ms (${Math.round(events.length / (best / 1000))} trace events/s)\n`)
