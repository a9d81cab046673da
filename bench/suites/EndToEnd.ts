// End to end on the standard traces, each run in its own process so that its peak RSS is its own: reading
// alone (the baseline), a run in process (file → simulate → report) and the command as a user runs it.

import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { BENCH, benchScript, OUT, ROOT } from "../Paths.ts"
import { ensureTrace, SIZES, type SizeName } from "../Traces.ts"
import { rows } from "./Results.ts"

const CLI = join(ROOT, "packages", "cli", "bin", "ipamsim.mjs")

/** The three rows of each of `sizes`. */
export const endToEnd = (sizes: readonly SizeName[]): void => {
  // End to end on the standard traces, each in its own process (file → simulate → report). The command
  // runs the bundle when it is current: build it, so the whole-process row measures what users run.
  execFileSync(process.execPath, [join(ROOT, "scripts", "build-cli.mjs")])
  for (const size of sizes) {
    const s = SIZES[size]
    const scenario = ensureTrace(s)
    const node = (script: string, arg: string) =>
      JSON.parse(
        execFileSync(process.execPath, [...benchScript(script), arg], {
          encoding: "utf8",
        }),
      )
    const read = node("readOnly", join(OUT, `trace-${size}.csv`)) as {
      traceEvents: number
      ms: number
      maxRssMb: number
    }
    const run = node("runScenario", scenario) as { kernelEvents: number; ms: number; maxRssMb: number }
    // The command itself, as a user runs it: process start (the bundled CLI when built), report, exit.
    const rssFile = join(OUT, `rss-${size}.txt`)
    const t0 = performance.now()
    execFileSync(
      process.execPath,
      [
        "--import",
        join(BENCH, "rssOnExit.mjs"),
        CLI,
        "run",
        scenario,
        "--quiet",
        "--json",
        join(OUT, `report-${size}.json`),
        "--force",
      ],
      { env: { ...process.env, IPAMSIM_BENCH_RSS: rssFile } },
    )
    const wholeMs = performance.now() - t0
    const wholeRssMb = Number(readFileSync(rssFile, "utf8")) / 1024
    const e = read.traceEvents
    rows.push({
      suite: `end to end, trace ${size} (${e} events, ${s.nodes} nodes, ${s.durationMs / 86_400_000} d)`,
      task: "read + parse + number pods, one thread (baseline)",
      perSecond: Math.round(e / (read.ms / 1000)),
      nsPerOp: Math.round((read.ms * 1e6) / e),
      ratioToBaseline: 1,
      peakRssMb: Math.round(read.maxRssMb),
    })
    rows.push({
      suite: `end to end, trace ${size} (${e} events, ${s.nodes} nodes, ${s.durationMs / 86_400_000} d)`,
      task: `run in process: file → simulate → report (${run.kernelEvents} kernel events)`,
      perSecond: Math.round(e / (run.ms / 1000)),
      nsPerOp: Math.round((run.ms * 1e6) / e),
      ratioToBaseline: Math.round((run.ms / read.ms) * 100) / 100,
      peakRssMb: Math.round(run.maxRssMb),
    })
    rows.push({
      suite: `end to end, trace ${size} (${e} events, ${s.nodes} nodes, ${s.durationMs / 86_400_000} d)`,
      task: "`ipamsim run --quiet --json`, whole process",
      perSecond: Math.round(e / (wholeMs / 1000)),
      nsPerOp: Math.round((wholeMs * 1e6) / e),
      ratioToBaseline: Math.round((wholeMs / read.ms) * 100) / 100,
      peakRssMb: Math.round(wholeRssMb),
    })
  }
}
