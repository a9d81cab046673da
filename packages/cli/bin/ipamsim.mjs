#!/usr/bin/env node
// Runs the TypeScript CLI from source: tsx is resolved from this package, so the command works from any
// working directory after `npm ci`.
import { register } from "tsx/esm/api"

register()
// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0)
  throw e
})
// The conformance protocol is spawned once per case by comparison scripts: it skips loading the Effect
// CLI (about 1.5 s) when called with no other arguments.
if (process.argv.length === 3 && process.argv[2] === "conformance") {
  const { runConformanceMain } = await import("../src/ConformanceMain.ts")
  await runConformanceMain()
} else {
  await import("../src/bin.ts")
}
