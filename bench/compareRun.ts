// Is the working tree's `ipamsim run` faster than another commit's? The whole command (reader thread,
// kernel, report), each version's own CLI bundle, run alternately `pairs` times on one scenario; prints each
// pair, how many pairs the working tree won, the median of the pairs' ratios and the best of each, and
// checks that both wrote the same report (the kernel's event count aside).
//   node --import tsx bench/compareRun.ts <git-ref> <scenario> [pairs=4]
// Alternately, not together: the command uses both vCPUs by itself. A shared host moves the L command by
// ±30 % between runs of the same binary, so only pairs say something (docs/performance.md, "How to compare
// two versions").
// The other version's packages: see OtherVersion.ts; its bundle is made by its own scripts/build-cli.mjs.

import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fail } from "./fail.ts"
import { otherVersion } from "./OtherVersion.ts"
import { ROOT } from "./Paths.ts"

const [ref, scenarioArg, pairsArg = "4"] = process.argv.slice(2)
if (ref === undefined || scenarioArg === undefined)
  fail("usage: compareRun.ts <git-ref> <scenario> [pairs]: compares `ipamsim run` of <git-ref> with the working tree's")
const scenario = resolve(scenarioArg!)
if (!existsSync(scenario)) fail(`${scenarioArg}: no such scenario file`)
const pairs = Number(pairsArg)
if (!Number.isInteger(pairs) || pairs < 1) fail(`pairs: expected a whole number of at least 1, got "${pairsArg}"`)

const { commit, dir } = otherVersion(ref!, [])
const build = (root: string): void => {
  const r = spawnSync(process.execPath, [join(root, "scripts", "build-cli.mjs")], { cwd: root, encoding: "utf8" })
  if (r.status !== 0) fail(`bundling the CLI in ${root}: ${(r.stderr || r.stdout).trim().split("\n").at(-1)}`)
}
// The other commit's own build script (its bundle's shape may differ from today's), once.
if (!existsSync(join(dir, "packages", "cli", "dist", "ipamsim.mjs"))) {
  let script = ""
  try {
    script = execFileSync("git", ["show", `${commit}:scripts/build-cli.mjs`], { cwd: ROOT, encoding: "utf8" })
  } catch {
    fail(`${ref}: has no scripts/build-cli.mjs (a CLI bundle), so its command cannot be compared`)
  }
  mkdirSync(join(dir, "scripts"), { recursive: true })
  writeFileSync(join(dir, "scripts", "build-cli.mjs"), script)
  build(dir)
}
// The working tree's bundle, fresh (bin/ipamsim.mjs would run the sources, much slower, if it were stale).
build(ROOT)

const out = join(ROOT, "bench", "out")
mkdirSync(out, { recursive: true })
/** Seconds of one `ipamsim run` of `root`'s CLI, writing its report to `json`. */
const run = (root: string, json: string, label: string): number => {
  const t0 = performance.now()
  const r = spawnSync(
    process.execPath,
    [join(root, "packages", "cli", "bin", "ipamsim.mjs"), "run", scenario, "--quiet", "--json", json, "--force"],
    { cwd: ROOT, encoding: "utf8" },
  )
  const s = (performance.now() - t0) / 1000
  if (r.status !== 0) fail(`${label}: ${(r.stderr || r.stdout).trim().split("\n").at(-1) ?? `exit ${r.status}`}`)
  return s
}
const withoutEvents = (json: string): string =>
  readFileSync(json, "utf8")
    .split("\n")
    .filter((line) => !line.includes('"events"'))
    .join("\n")

const name = `${ref} (${commit.slice(0, 7)})`
const otherJson = join(out, "compare-run-other.json")
const currentJson = join(out, "compare-run-current.json")
let wins = 0
let bestOther = Number.POSITIVE_INFINITY
let bestCurrent = Number.POSITIVE_INFINITY
const ratios: number[] = []
for (let i = 1; i <= pairs; i++) {
  const a = run(dir, otherJson, name)
  const b = run(ROOT, currentJson, "working tree")
  if (b < a) wins++
  bestOther = Math.min(bestOther, a)
  bestCurrent = Math.min(bestCurrent, b)
  ratios.push(b / a)
  process.stdout.write(`pair ${i}: ${name} ${a.toFixed(2)} s, working tree ${b.toFixed(2)} s: ${(b / a).toFixed(2)}×\n`)
}
const same = withoutEvents(otherJson) === withoutEvents(currentJson)
ratios.sort((x, y) => x - y)
const mid = ratios.length >> 1
const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2
process.stdout.write(
  `working tree faster in ${wins} of ${pairs} pairs; median ratio ${median.toFixed(2)}× the other's time; best ${name} ${bestOther.toFixed(2)} s, working tree ${bestCurrent.toFixed(2)} s: ${(bestCurrent / bestOther).toFixed(2)}×; reports ${same ? "identical" : "DIFFER"} (kernel event count aside)\n`,
)
if (!same) process.exitCode = 1
