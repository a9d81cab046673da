import { mkdirSync, writeFileSync } from "node:fs"
import { basename } from "node:path"
import { reportJson } from "@ipamsim/cli/Report"
import { simulateScenario } from "@ipamsim/cli/RunCommand"

const out = process.argv[2]!
mkdirSync(out, { recursive: true })
for (const f of process.argv.slice(3)) {
  const r = simulateScenario(f)
  writeFileSync(`${out}/${basename(f)}.json`, reportJson(r))
  console.log(f, r.events)
}
