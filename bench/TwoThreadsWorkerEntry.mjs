// Worker threads start in plain Node: teach this thread TypeScript, then load the worker's module. Used when
// bench/run.ts runs from the sources; `npm run bench` uses the bundle of that module under this name in out/.
import { register } from "tsx/esm/api"

register()
await import("./TwoThreadsWork.ts")
