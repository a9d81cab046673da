// Baseline for end-to-end runs: read and parse the trace file and number its pods, in this thread, without
// simulating, as the reader thread of `ipamsim run` does (one event object for every row).
import { openTrace } from "@ipamsim/cli/trace/OpenTrace"
import { fail, runScript } from "./fail.ts"

const file = process.argv[2] ?? fail("usage: readOnly.ts <trace.csv>")
runScript(() => {
  const t0 = performance.now()
  const trace = openTrace(file, { podIds: true, reuseEvents: true })
  let n = 0
  for (let e = trace.next(); e !== undefined; e = trace.next()) n++
  const ms = performance.now() - t0
  process.stdout.write(`${JSON.stringify({ traceEvents: n, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
})
