// `npm run bench`: bench/run.ts as the CLI ships, bundled with esbuild, so that the suites time the code
// users run. Under tsx each file is compiled alone, and an enum member used across modules stays a property
// read; in a bundle esbuild inlines it, as in the CLI's (scripts/build-cli.mjs). The kernel's hot paths are
// about 20 % slower under tsx.
//   node --import tsx bench/runBundled.ts [run.ts's arguments]
// Bundles into bench/out/ (so that npm packages, left external, resolve from the repository's node_modules):
// run.mjs, the scripts run.ts starts in child processes (runScenario.mjs, readOnly.mjs) and the worker
// threads' entries under the names their callers load beside the bundle (TwoThreadsWorkerEntry.mjs, and
// TraceReadWorkerEntry.mjs for runScenario's reader thread, see packages/cli/src/trace/ParallelTrace.ts);
// then runs run.mjs with this process's arguments and exits with its status.

import { spawn } from "node:child_process"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { fail } from "./fail.ts"
import { bundle, firstError } from "./OtherVersion.ts"
import { BENCH, OUT, ROOT } from "./Paths.ts"

/** Each bundle's name in bench/out/ (.mjs) and its source. */
const ENTRIES: Record<string, string> = {
  run: join(BENCH, "run.ts"),
  runScenario: join(BENCH, "runScenario.ts"),
  readOnly: join(BENCH, "readOnly.ts"),
  TwoThreadsWorkerEntry: join(BENCH, "TwoThreadsWork.ts"),
  TraceReadWorkerEntry: join(ROOT, "packages", "cli", "src", "trace", "TraceReadWorker.ts"),
}

mkdirSync(OUT, { recursive: true })
await Promise.all(
  Object.entries(ENTRIES).map(async ([name, source]) => {
    try {
      await bundle(source, join(OUT, `${name}.mjs`))
    } catch (e) {
      fail(`bundling ${source}: ${firstError(e)}`)
    }
  }),
)

const child = spawn(process.execPath, [join(OUT, "run.mjs"), ...process.argv.slice(2)], { stdio: "inherit" })
// Ctrl-C reaches both processes (one process group): this one waits for the bench to stop.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal))
child.on("exit", (code, signal) => {
  if (signal !== null) {
    process.removeAllListeners(signal)
    process.kill(process.pid, signal)
  } else process.exitCode = code ?? 1
})
