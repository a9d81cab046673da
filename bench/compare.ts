// Is the working tree's kernel faster than another version's? Runs bench/runKernel.ts (best of `runs`) on
// one scenario with the other version's packages and with the working tree's, `pairs` times, and reports
// each pair, how many pairs the working tree won, the median of the pairs' ratios and the best of each.
// A single figure moves by ±20–40 % between runs on a shared host, so one before/after pair says little
// (docs/performance.md, "How to compare two versions"); for a count that noise does not move, see
// instructions.ts.
//   node --import tsx bench/compare.ts <git-ref> <scenario> [pairs=4] [runs=3] [--together]
// By default the two versions run one after the other, alternately. With --together each pair's two
// processes run at the same time, one per vCPU, so both see the same moment of the host's noise. Both
// share the L3 cache and memory bandwidth, symmetrically; where the two vCPUs are hyperthreads of one core
// (`npm run bench -- --parts memory`, "two threads at once") only the ratio means anything.
// The other version's packages: see OtherVersion.ts.

import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { runChild } from "./Child.ts"
import { fail } from "./fail.ts"
import { kernelRunner } from "./OtherVersion.ts"
import { ROOT } from "./Paths.ts"

const args = process.argv.slice(2)
const together = args.includes("--together")
const unknown = args.find((a) => a.startsWith("--") && a !== "--together")
if (unknown !== undefined) fail(`${unknown}: unknown option (expected --together)`)
const [ref, scenarioArg, pairsArg = "4", runsArg = "3"] = args.filter((a) => !a.startsWith("--"))
if (ref === undefined || scenarioArg === undefined)
  fail(
    "usage: compare.ts <git-ref> <scenario> [pairs] [runs] [--together]: compares the kernel of <git-ref> with the working tree's",
  )
const scenario = resolve(scenarioArg!)
if (!existsSync(scenario)) fail(`${scenarioArg}: no such scenario file`)
const pairs = Number(pairsArg)
const runs = Number(runsArg)
if (!Number.isInteger(pairs) || pairs < 1) fail(`pairs: expected a whole number of at least 1, got "${pairsArg}"`)
if (!Number.isInteger(runs) || runs < 1) fail(`runs: expected a whole number of at least 1, got "${runsArg}"`)

/** Best time of one runKernel process, in ms. */
const runKernel = async (script: string, label: string): Promise<{ ms: number; kernelEvents: string }> => {
  const { status, stdout, stderr } = await runChild(
    process.execPath,
    ["--max-old-space-size=7000", "--import", "tsx", script, scenario, String(runs)],
    ROOT,
  )
  const best = /min (\d+) ms/.exec(stdout)
  if (status !== 0 || best === null)
    fail(`${label}: ${(stderr || stdout).trim().split("\n").at(-1) ?? `exit ${status}`}`)
  const events = /, (\d+) kernel events/.exec(stdout)
  return { ms: Number(best![1]), kernelEvents: events?.[1] ?? "?" }
}

const { commit, script: other } = await kernelRunner(ref!)
const current = join(ROOT, "bench", "runKernel.ts")
const name = `${ref} (${commit.slice(0, 7)})`
let wins = 0
let bestOther = Number.POSITIVE_INFINITY
let bestCurrent = Number.POSITIVE_INFINITY
const ratios: number[] = []
for (let i = 1; i <= pairs; i++) {
  const [a, b] = together
    ? await Promise.all([runKernel(other, name), runKernel(current, "working tree")])
    : [await runKernel(other, name), await runKernel(current, "working tree")]
  if (b.ms < a.ms) wins++
  bestOther = Math.min(bestOther, a.ms)
  bestCurrent = Math.min(bestCurrent, b.ms)
  ratios.push(b.ms / a.ms)
  process.stdout.write(
    `pair ${i}: ${name} ${a.ms} ms (${a.kernelEvents} kernel events), working tree ${b.ms} ms (${b.kernelEvents}): ${(b.ms / a.ms).toFixed(2)}×\n`,
  )
}
ratios.sort((x, y) => x - y)
const mid = ratios.length >> 1
const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2
process.stdout.write(
  `working tree faster in ${wins} of ${pairs} pairs${together ? " (each pair run together)" : ""}; median ratio ${median.toFixed(2)}× the other's time; best ${name} ${bestOther} ms, working tree ${bestCurrent} ms: ${(bestCurrent / bestOther).toFixed(2)}×\n`,
)
