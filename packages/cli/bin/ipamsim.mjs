#!/usr/bin/env node
// Starts the CLI: from the bundle in ../dist (built by `npm ci`, scripts/build-cli.mjs) when it is newer
// than every file it was built from, otherwise from the TypeScript sources through tsx (resolved from this
// package, so the command works from any working directory). Both run the same code.
import { readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0)
  throw e
})

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..")
const dist = join(root, "packages", "cli", "dist")

// The bundle is used while it is newer than every file it was made from (listed by scripts/build-cli.mjs,
// npm packages included); a missing or unreadable file means it is out of date.
const bundled = (() => {
  if (process.env.IPAMSIM_FROM_SOURCE === "1") return false
  try {
    const built = statSync(join(dist, "ipamsim.mjs")).mtimeMs
    const inputs = JSON.parse(readFileSync(join(dist, "inputs.json"), "utf8"))
    return inputs.every((file) => statSync(join(root, file)).mtimeMs <= built)
  } catch {
    return false
  }
})()

if (!bundled) {
  const { register } = await import("tsx/esm/api")
  register()
}
// The conformance protocols are spawned once per case by comparison scripts: they skip loading the Effect
// CLI when called with no other arguments (`conformance`, or `conformance --ipamd`).
const args = process.argv.slice(2)
const conformanceOnly = args[0] === "conformance" && (args.length === 1 || (args.length === 2 && args[1] === "--ipamd"))
if (conformanceOnly) {
  const { runConformanceMain } = await import(
    bundled ? "../dist/ConformanceMain.mjs" : "../src/conformance/ConformanceMain.ts"
  )
  await runConformanceMain(args.length === 2)
} else {
  await import(bundled ? "../dist/ipamsim.mjs" : "../src/bin.ts")
}
