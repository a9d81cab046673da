#!/usr/bin/env node
// Starts the CLI: from the bundle in ../dist (built by `npm ci`, scripts/build-cli.mjs) when it is newer
// than every source file it was built from, otherwise from the TypeScript sources through tsx (resolved
// from this package, so the command works from any working directory). Both run the same code.
import { readdirSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0)
  throw e
})

const packages = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const dist = join(packages, "cli", "dist")

/** Newest modification time of the files under dir (0 when it does not exist). */
const newest = (dir) => {
  let t = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const bundled = (() => {
  if (process.env.IPAMSIM_FROM_SOURCE === "1") return false
  let built
  try {
    built = statSync(join(dist, "ipamsim.mjs")).mtimeMs
  } catch {
    return false
  }
  for (const p of readdirSync(packages)) {
    if (newest(join(packages, p, "src")) > built || newest(join(packages, p, "data")) > built) return false
  }
  return true
})()

if (!bundled) {
  const { register } = await import("tsx/esm/api")
  register()
}
// The conformance protocol is spawned once per case by comparison scripts: it skips loading the Effect
// CLI when called with no other arguments.
const conformanceOnly = process.argv.length === 3 && process.argv[2] === "conformance"
if (conformanceOnly) {
  const { runConformanceMain } = await import(bundled ? "../dist/ConformanceMain.mjs" : "../src/ConformanceMain.ts")
  await runConformanceMain()
} else {
  await import(bundled ? "../dist/ipamsim.mjs" : "../src/bin.ts")
}
