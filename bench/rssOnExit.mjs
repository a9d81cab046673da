// Preloaded into a benchmarked command (node --import): writes the process's peak RSS (KiB, all threads)
// to the file named by IPAMSIM_BENCH_RSS when it exits.
import { writeFileSync } from "node:fs"

process.on("exit", () => {
  if (process.env.IPAMSIM_BENCH_RSS)
    writeFileSync(process.env.IPAMSIM_BENCH_RSS, String(process.resourceUsage().maxRSS))
})
