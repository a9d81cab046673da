// Runs one scenario end to end in this process (read the trace file, simulate, build the report) and
// prints one JSON line: kernel events, wall time, peak RSS. bench/suites/EndToEnd.ts starts it in a
// child process so that the RSS is the run's own.
import { simulateScenario } from "@ipamsim/cli/scenario/SimulateScenario"
import { fail, runScript } from "./fail.ts"

const file = process.argv[2] ?? fail("usage: runScenario.ts <scenario>")
runScript(() => {
  const t0 = performance.now()
  const report = simulateScenario(file)
  const ms = performance.now() - t0
  process.stdout.write(
    `${JSON.stringify({ kernelEvents: report.events, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  )
})
