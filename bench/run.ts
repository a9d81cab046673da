// `npm run bench [-- --sizes S,M,L] [--parts hot,growth,memory,e2e] [--out bench/out/results.json]`:
// tinybench suites for the hot paths (hot), how cost grows with nodes, pods and simulated time (growth),
// what this machine's caches hold, whether its two vCPUs slow each other down, the heap a node's state takes
// and what the kernel allocates per event (memory), end-to-end runs on the standard traces (e2e; --sizes
// picks them). Every figure is also given as a ratio against a baseline measured in the same run, since a
// shared host moves single figures by ±20–40 %. Prints a table and writes it as JSON (--out).
// This file is the driver; the suites are in suites/. `npm run bench` runs it bundled (runBundled.ts), as the
// CLI ships; `node --import tsx bench/run.ts` runs it from the sources.

import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fail } from "./fail.ts"
import { OUT } from "./Paths.ts"
import { endToEnd } from "./suites/EndToEnd.ts"
import { growth, nodesSteadyState } from "./suites/Growth.ts"
import { hotPaths } from "./suites/HotPaths.ts"
import {
  type Allocated,
  allocationsPerEvent,
  type HeapPerNode,
  heapPerNode,
  memoryLatency,
  twoThreads,
} from "./suites/Memory.ts"
import { rows } from "./suites/Results.ts"
import type { SizeName } from "./Traces.ts"

const args = process.argv.slice(2)
for (let i = 0; i < args.length; i += 2) {
  const name = args[i]!
  if (name !== "--sizes" && name !== "--parts" && name !== "--out")
    fail(`unknown argument "${name}": expected --sizes S,M,L, --parts hot,growth,memory,e2e or --out <file>`)
  if (args[i + 1] === undefined) fail(`${name}: expected a value`)
}
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback
}
const sizes = flag("sizes", "S,M").split(",") as SizeName[]
const PARTS = ["hot", "growth", "memory", "e2e"]
const parts = new Set(flag("parts", PARTS.join(",")).split(","))
for (const p of parts) if (!PARTS.includes(p)) fail(`--parts: expected ${PARTS.join(", ")}, got "${p}"`)
for (const s of sizes)
  if (s !== "S" && s !== "M" && s !== "L" && s !== "LM") fail(`--sizes: expected S, M, L or LM, got "${s}"`)
const outFile = flag("out", join(OUT, "results.json"))

const main = async (): Promise<void> => {
  const OPS = 200_000
  if (parts.has("hot")) await hotPaths(OPS)
  if (parts.has("growth")) {
    await growth()
    await nodesSteadyState()
  }
  let heap: HeapPerNode | undefined
  let allocated: Allocated | undefined
  if (parts.has("memory")) {
    await memoryLatency()
    await twoThreads()
    heap = heapPerNode()
    allocated = await allocationsPerEvent()
  }
  if (parts.has("e2e")) endToEnd(sizes)
  console.table(
    rows.map((r) => ({
      suite: r.suite,
      task: r.task,
      "ops or events/s": r.perSecond.toLocaleString("en-US"),
      "ns/op": r.nsPerOp,
      "× baseline": r.ratioToBaseline,
      "peak RSS MB": r.peakRssMb ?? "",
    })),
  )
  mkdirSync(OUT, { recursive: true })
  writeFileSync(
    outFile,
    `${JSON.stringify({ node: process.version, cpus: (await import("node:os")).cpus().length, rows, heap, allocated }, null, 2)}\n`,
  )
  console.log(`results written to ${outFile}`)
}

await main()
