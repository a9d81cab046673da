// Worker threads start in plain Node: teach this thread TypeScript, then load the worker's module.
import { register } from "tsx/esm/api"

register()
await import("./TwoThreadsWork.ts")
