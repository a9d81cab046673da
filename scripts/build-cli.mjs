#!/usr/bin/env node
// Bundles the CLI's TypeScript (all @ipamsim packages) into packages/cli/dist, so that `ipamsim` starts
// without compiling TypeScript on the fly (about 0.45 s instead of 2.9 s). npm packages stay external and are
// loaded from node_modules; the AWS SDK only by `ipamsim import` (a chunk of its own). Run by `npm ci` (the prepare script); bin/ipamsim.mjs uses the bundle only
// while it is newer than every file it was made from (dist/inputs.json), and runs the sources otherwise.
//   node scripts/build-cli.mjs [--out <dir inside the repository>] [--if-possible]
// --if-possible (what `prepare` passes): a failed build is a warning, not a failed install; `ipamsim` then
// runs from the sources.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const i = process.argv.indexOf("--out")
const out = resolve(i >= 0 ? process.argv[i + 1] : join(root, "packages/cli/dist"))
const cli = join(root, "packages/cli/src")

// ESM packages loaded at every start are bundled too (one file loads faster than hundreds); others, such
// as yaml and the AWS SDK (CommonJS), stay imports.
const INLINE = ["effect", "@effect/platform-node", "@effect/platform-node-shared", "immer"]
const externalNpm = {
  name: "external-npm",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@ipamsim/") || INLINE.some((p) => args.path === p || args.path.startsWith(`${p}/`))
        ? undefined
        : { path: args.path, external: true },
    )
  },
}

// Build beside the target and swap it in, so a CLI started meanwhile never sees half a bundle.
const tmp = `${out}.tmp-${process.pid}`
const ifPossible = process.argv.includes("--if-possible")
try {
  await bundle()
} catch (e) {
  // No bundle rather than an old one: `ipamsim` then runs the sources.
  try {
    rmSync(tmp, { recursive: true, force: true })
    rmSync(out, { recursive: true, force: true })
  } catch {}
  if (!ifPossible) throw e
  console.warn(
    `ipamsim: could not bundle the CLI (${e instanceof Error ? e.message.split("\n")[0] : e}); it will run from the sources`,
  )
}

async function bundle() {
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  const { build } = await import("esbuild")
  const result = await build({
    entryPoints: {
      ipamsim: join(cli, "bin.ts"),
      ConformanceMain: join(cli, "conformance/ConformanceMain.ts"),
      // The worker threads load these names next to the bundle (see tune/WorkerPool.ts and
      // trace/ParallelTrace.ts); from the sources, the .mjs files of the same names beside them.
      TuneWorkerEntry: join(cli, "tune/TuneWorker.ts"),
      TraceReadWorkerEntry: join(cli, "trace/TraceReadWorker.ts"),
    },
    outdir: tmp,
    // Input paths in the metafile are relative to the repository root.
    absWorkingDir: root,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    // Code loaded by dynamic import (the AWS SDK behind `ipamsim import`) goes to chunks of its own, so
    // other commands start without it.
    splitting: true,
    target: "node20",
    plugins: [externalNpm],
    logLevel: "warning",
    metafile: true,
  })
  // The files the bundle was made from: bin/ipamsim.mjs runs the sources when any of them is newer.
  writeFileSync(join(tmp, "inputs.json"), `${JSON.stringify(Object.keys(result.metafile.inputs).sort())}\n`)
  rmSync(out, { recursive: true, force: true })
  renameSync(tmp, out)
}
