// How many instructions the kernel executes for one simulation of a scenario, counted by valgrind's
// cachegrind, which the host's timing noise does not move (two runs of the same bundle differ by about
// 0.2 %). With a git ref, the same for that commit's packages, and the ratio.
//   node --import tsx bench/instructions.ts [<git-ref>] [scenario]
// Default scenario: trace M replayed over 5,000 nodes (bench/out/scenario-M-5000.yaml). bench/runKernel.ts
// is bundled with esbuild (no tsx loader thread under valgrind) and run once with 1 simulation and once with
// 2 simulations in one process; the difference is one simulation with the JIT warm, without loading the
// trace. The two counts run at once, as a count does not depend on timing: one to two minutes a version.
// Counts say nothing about cache misses: a change to what the kernel reads still needs timing
// (compare.ts, compareRun.ts).

import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { runChild } from "./Child.ts"
import { fail } from "./fail.ts"
import { bundle, kernelRunner } from "./OtherVersion.ts"
import { ROOT } from "./Paths.ts"
import { ensureTrace, SIZES } from "./Traces.ts"

const args = process.argv.slice(2)
if (args.length > 2 || args.some((a) => a.startsWith("-")))
  fail("usage: instructions.ts [<git-ref>] [scenario]: instructions per simulation of the working tree's kernel")
// One argument is the scenario when it names a file, else a ref.
const [ref, scenarioArg] =
  args.length === 2 ? args : args.length === 1 && existsSync(args[0]!) ? [undefined, args[0]] : [args[0], undefined]
const scenario = scenarioArg === undefined ? ensureTrace(SIZES.M, 5000) : resolve(scenarioArg)
if (!existsSync(scenario)) fail(`${scenarioArg}: no such scenario file`)
if (spawnSync("valgrind", ["--version"]).status !== 0)
  fail("valgrind not found (Debian, Ubuntu: apt-get install valgrind)")

interface Count {
  /** Instructions of the whole process with `runs` simulations. */
  readonly refs: number
  readonly traceEvents: number
  readonly kernelEvents: number
}

/** One process of `bundled` under cachegrind, simulating `runs` times. */
const count = async (bundled: string, runs: number, label: string): Promise<Count> => {
  const out = join(bundled, "..", `cachegrind-${runs}.out`)
  const { status, stdout, stderr } = await runChild(
    "valgrind",
    [
      "--tool=cachegrind",
      "--cache-sim=no",
      `--cachegrind-out-file=${out}`,
      process.execPath,
      // V8 compiles and collects on the main thread, so that the count repeats.
      "--single-threaded",
      bundled,
      scenario,
      String(runs),
    ],
    ROOT,
  )
  const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr)
  const events = /(\d+) trace events, (\d+) kernel events/.exec(stdout)
  if (status !== 0 || refs === null || events === null) {
    const lines = (stderr + stdout).split("\n").filter((l) => l.trim() !== "" && !l.startsWith("=="))
    fail(`${label}, ${runs} run(s) under cachegrind: ${lines.at(-1) ?? `exit ${status}`}`)
  }
  return {
    refs: Number(refs![1]!.replaceAll(",", "")),
    traceEvents: Number(events![1]),
    kernelEvents: Number(events![2]),
  }
}

/** Instructions of one simulation: bundles `entry` into `outDir` and counts 1 and 2 simulations. */
const perSimulation = async (entry: string, outDir: string, label: string): Promise<number> => {
  mkdirSync(outDir, { recursive: true })
  const bundled = join(outDir, "rk.mjs")
  try {
    await bundle(entry, bundled)
  } catch (e) {
    fail(`${label}: bundling ${entry}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`)
  }
  const [one, two] = await Promise.all([count(bundled, 1, label), count(bundled, 2, label)])
  const sim = two.refs - one.refs
  const g = (n: number): string => `${(n / 1e9).toFixed(2)} G`
  process.stdout.write(
    `${label}: ${g(sim)} instructions per simulation (process with 1 simulation ${g(one.refs)}, with 2 ${g(two.refs)}); ` +
      `${Math.round(sim / two.traceEvents).toLocaleString("en-US")} per trace event (${two.traceEvents.toLocaleString("en-US")}), ` +
      `${Math.round(sim / two.kernelEvents).toLocaleString("en-US")} per kernel event (${two.kernelEvents.toLocaleString("en-US")})\n`,
  )
  return sim
}

process.stdout.write(`scenario ${scenario}\n`)
// Each version's bundle sits in its own tree: its packages find their data files from there.
const current = await perSimulation(
  join(ROOT, "bench", "runKernel.ts"),
  join(ROOT, "bench", "out", "instructions"),
  "working tree",
)
if (ref !== undefined) {
  const { commit, dir, script } = await kernelRunner(ref)
  const name = `${ref} (${commit.slice(0, 7)})`
  const other = await perSimulation(script, join(dir, "bench", "out"), name)
  process.stdout.write(`working tree / ${name}: ${(current / other).toFixed(3)}× the instructions\n`)
}
