// Worker threads start in plain Node: teach this thread TypeScript (as bin/ipamsim.mjs does), then load the
// worker module.
import { register } from "tsx/esm/api"

register()
await import("./TuneWorker.ts")
