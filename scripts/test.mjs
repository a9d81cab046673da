#!/usr/bin/env node
// The project's test command: runs vitest, then prints the closing line CI reads, "N passed, N failed".
// A run that executes no test is a failure.
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync } from "node:fs"

mkdirSync(".ci/out", { recursive: true })
const report = ".ci/out/vitest.json"
rmSync(report, { force: true })
const args = [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${report}`,
  ...process.argv.slice(2),
]
const run = spawnSync("npx", args, { stdio: "inherit" })
let passed = 0
let failed = 0
try {
  const r = JSON.parse(readFileSync(report, "utf8"))
  passed = r.numPassedTests
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0)
  // Suites that failed to load count as failures even though they ran no test.
  for (const s of r.testResults ?? []) if (s.status === "failed" && (s.assertionResults ?? []).length === 0) failed++
} catch {
  failed = Math.max(failed, 1)
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1)
