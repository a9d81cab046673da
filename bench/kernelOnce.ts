// One simulation of a scenario over the first `count` events of an event dump (see EventDump.ts); the
// process cachegrind.ts runs under valgrind.
//   node --import tsx bench/kernelOnce.ts <scenario> <events.bin> <count>
import { loadScenario } from "@ipamsim/cli/ScenarioLoader"
import { readEventDump } from "./EventDump.ts"
import { fail, runScript } from "./fail.ts"
import { runInMemory } from "./inMemory.ts"

const [scenario, dump, count] = process.argv.slice(2)
if (scenario === undefined || dump === undefined || count === undefined)
  fail("usage: kernelOnce.ts <scenario> <events.bin> <count>")
runScript(() => {
  const result = runInMemory(loadScenario(scenario!), readEventDump(dump!, Number(count)))
  process.stdout.write(`${result.events} kernel events\n`)
})
