// Does a change cut the kernel's instructions or cache misses? The kernel of another commit and the working
// tree's, each run under valgrind's cachegrind, which counts instructions and simulates the caches: the
// same run gives the same counts, where this VM's timings move by ±30 % (docs/performance.md, "How to
// compare two versions"). Each version simulates the first half of the events and all of them; the
// difference is the cost of the second half's events alone (start-up, the cluster's build and the JIT's
// warm-up cancel out), printed per trace event with the two versions' ratio.
//   node --import tsx bench/cachegrind.ts <git-ref> <scenario> [events=600000]
// Caches as this host's (docs/performance.md, "What the caches hold"): 32 KB L1 data, and a last level of
// 8 MB, where the dependent-load rows find the cliff. Needs valgrind; two to three minutes per run at
// 600,000 events, two runs at a time.

import { execFile, execFileSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { build } from "esbuild"
import { writeEventDump } from "./EventDump.ts"
import { fail, runScript } from "./fail.ts"
import { loadInMemory } from "./inMemory.ts"
import { otherVersion, ROOT } from "./OtherVersion.ts"

const [ref, scenarioArg, eventsArg = "600000"] = process.argv.slice(2)
if (ref === undefined || scenarioArg === undefined)
  fail("usage: cachegrind.ts <git-ref> <scenario> [events]: counts the kernel of <git-ref> and the working tree's")
const scenario = resolve(scenarioArg!)
if (!existsSync(scenario)) fail(`${scenarioArg}: no such scenario file`)
const events = Number(eventsArg)
if (!Number.isInteger(events) || events < 2) fail(`events: expected a whole number of at least 2, got "${eventsArg}"`)
try {
  execFileSync("valgrind", ["--version"], { stdio: "ignore" })
} catch {
  fail("valgrind not found: install it (Debian: apt-get install valgrind)")
}

interface Counts {
  readonly instructions: number
  readonly d1Misses: number
  readonly llMisses: number
}

const OUT = join(ROOT, "bench", "out", "cachegrind")

/**
 * kernelOnce.ts and the packages it imports as one file, `outfile`: run without tsx, whose loader thread
 * would make each run's heap a little different. npm packages stay imports, found from bench/out/.
 */
const bundle = async (entry: string, outfile: string): Promise<string> => {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "warning",
    plugins: [
      {
        // The @ipamsim packages of that version are bundled; npm packages are loaded from node_modules.
        name: "external-npm",
        setup: (b) => {
          b.onResolve({ filter: /^[^./]/ }, (a) =>
            a.path.startsWith("@ipamsim/") ? undefined : { path: a.path, external: true },
          )
        },
      },
    ],
  })
  return outfile
}

/** Cachegrind's totals for one kernelOnce run. */
const count = (script: string, dump: string, n: number, label: string): Promise<Counts> =>
  new Promise((done) => {
    const args = [
      // No address randomisation: the simulated caches map addresses to sets, so layouts must repeat.
      "x86_64",
      "-R",
      "valgrind",
      "--tool=cachegrind",
      "--cache-sim=yes",
      "--D1=32768,8,64",
      "--LL=8388608,16,64",
      `--cachegrind-out-file=${join(OUT, "cachegrind.out.%p")}`,
      process.execPath,
      // No background threads (valgrind runs one thread at a time, so a background compile or GC would
      // leave each run a different share of slow tiers and heap layouts) and fixed seeds: two runs of the
      // same code then agree within 0.02 % of instructions and 0.5 % of misses.
      "--single-threaded",
      "--hash-seed=1",
      "--random-seed=1",
      "--max-old-space-size=4000",
      script,
      scenario,
      dump,
      String(n),
    ]
    execFile("setarch", args, { cwd: ROOT, maxBuffer: 1 << 26 }, (error, _stdout, stderr) => {
      const total = (name: string): number => {
        const m = new RegExp(`${name}:\\s+([\\d,]+)`).exec(stderr)
        if (m === null) fail(`${label}: ${error?.message.split("\n")[0] ?? `no "${name}" line from cachegrind`}`)
        return Number(m![1]!.replaceAll(",", ""))
      }
      done({ instructions: total("I\\s+refs"), d1Misses: total("D1\\s+misses"), llMisses: total("LLd misses") })
    })
  })

runScript(() => {
  mkdirSync(OUT, { recursive: true })
  const dump = join(OUT, `${basename(scenario, ".yaml")}-${events}.bin`)
  if (!existsSync(dump)) writeEventDump(dump, loadInMemory(scenario).events.slice(0, events))
  const scripts = ["kernelOnce.ts", "EventDump.ts", "inMemory.ts", "fail.ts"]
  const { commit, dir } = otherVersion(ref!, scripts)
  const half = events >> 1
  const name = `${ref} (${commit.slice(0, 7)})`
  void (async () => {
    const other = await bundle(join(dir, "bench", "kernelOnce.ts"), join(OUT, `kernel-${commit.slice(0, 12)}.mjs`))
    const current = await bundle(join(ROOT, "bench", "kernelOnce.ts"), join(OUT, "kernel-working-tree.mjs"))
    const [otherHalf, currentHalf] = await Promise.all([
      count(other, dump, half, name),
      count(current, dump, half, "working tree"),
    ])
    const [otherAll, currentAll] = await Promise.all([
      count(other, dump, events, name),
      count(current, dump, events, "working tree"),
    ])
    const per = (all: Counts, part: Counts, key: keyof Counts): number => (all[key] - part[key]) / (events - half)
    const line = (label: string, key: keyof Counts): string => {
      const a = per(otherAll, otherHalf, key)
      const b = per(currentAll, currentHalf, key)
      return `${label.padEnd(28)} ${a.toFixed(1).padStart(10)} ${b.toFixed(1).padStart(14)} ${(b / a).toFixed(3).padStart(8)}×`
    }
    process.stdout.write(
      `per trace event, events ${half + 1}–${events} of ${basename(scenario)}:\n` +
        `${"".padEnd(28)} ${name.padStart(10)} ${"working tree".padStart(14)}    ratio\n` +
        `${line("instructions", "instructions")}\n${line("L1 data misses", "d1Misses")}\n${line("last-level data misses (8 MB)", "llMisses")}\n`,
    )
  })()
})
