// The kernel alone on a scenario: its trace is read into memory first, then simulated `runs` times; prints
// each run's time and the fastest. compare.ts runs it alternately with another version's packages, and
// instructions.ts bundles it and counts its instructions (docs/performance.md, "How to compare two versions").
//   node --import tsx bench/runKernel.ts <scenario> [runs]
// A week of trace L needs about 6 GB of heap: node --max-old-space-size=7000 ...
import { fail, runScript } from "./fail.ts"
import { loadInMemory, runInMemory } from "./inMemory.ts"

const file = process.argv[2] ?? fail("usage: runKernel.ts <scenario> [runs]")
const runs = Number(process.argv[3] ?? 3)
if (!Number.isInteger(runs) || runs < 1) fail(`runs: expected a whole number of at least 1, got "${process.argv[3]}"`)
runScript(() => {
  const { loaded, events } = loadInMemory(file)
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now()
    const result = runInMemory(loaded, events)
    const ms = performance.now() - t0
    best = Math.min(best, ms)
    process.stdout.write(
      `run ${r + 1}: ${Math.round(ms)} ms, ${events.length} trace events, ${result.events} kernel events\n`,
    )
  }
  process.stdout.write(`min ${Math.round(best)} ms (${Math.round(events.length / (best / 1000))} trace events/s)\n`)
})
