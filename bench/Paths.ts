// Where the bench scripts, their outputs and the repository are, the same whether a script runs from its
// source in bench/ (node --import tsx) or bundled into bench/out/ (`npm run bench`: runBundled.ts). Paths
// computed from a module's own import.meta.dirname would differ between the two (and between bench/ and
// bench/suites/), so they are computed here, once.

import { basename, dirname, join } from "node:path"

const here = import.meta.dirname

/** True in a bundle in bench/out/ (made by runBundled.ts), false when running from the sources under tsx. */
export const BUNDLED = basename(here) === "out"
/** The bench/ folder. */
export const BENCH = BUNDLED ? dirname(here) : here
/** The repository. */
export const ROOT = dirname(BENCH)
/** Generated traces, scenarios, bundles and results (not committed). */
export const OUT = join(BENCH, "out")

/**
 * The node arguments that run bench script `name` (runScenario, readOnly) in a child process as this one
 * runs: its bundle beside this one (runBundled.ts makes both), or its source through tsx.
 */
export const benchScript = (name: string): string[] =>
  BUNDLED ? [join(OUT, `${name}.mjs`)] : ["--import", "tsx", join(BENCH, `${name}.ts`)]

/**
 * A worker thread's entry file `name` (TwoThreadsWorkerEntry.mjs): in bench/out/ the bundle of the worker's
 * module under that name (runBundled.ts), in bench/ the .mjs that loads its source through tsx; as the CLI
 * does with its own workers (scripts/build-cli.mjs).
 */
export const workerEntry = (name: string): string => join(BUNDLED ? OUT : BENCH, name)
