#!/usr/bin/env node
// Builds @ipamsim/core and @ipamsim/testing in the form they are published in and packs each with `npm pack`:
// JavaScript compiled by tsc with type declarations (dist/), core's data tables, a README, and a manifest whose
// `exports` point at dist/ (the workspace manifests point at the TypeScript sources, which Node's type
// stripping cannot run and a user's tsc refuses, TS5097). The workspace stays untouched: everything is built in
// a temporary folder.
//
// Usage: node scripts/pack-libraries.mjs <out-dir>
// Prints the two tarballs' paths, core first, one a line.
import { spawnSync } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const outDir = resolve(process.argv[2] ?? ".")
mkdirSync(outDir, { recursive: true })
const stage = mkdtempSync(join(tmpdir(), "ipamsim-pack-"))

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" })
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ""}${r.stderr ?? ""}`)
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (exit ${r.status})`)
  }
  return r.stdout
}

try {
  // 1. One tsc program over both packages' sources (tests and the test-only fixtures left out); relative
  //    imports are rewritten from .ts to .js, imports of @ipamsim/core stay bare.
  const src = (pkg) => join(repo, "packages", pkg, "src")
  writeFileSync(
    join(stage, "tsconfig.json"),
    JSON.stringify(
      {
        extends: join(repo, "tsconfig.json"),
        compilerOptions: {
          noEmit: false,
          declaration: true,
          rewriteRelativeImportExtensions: true,
          rootDir: join(repo, "packages"),
          outDir: join(stage, "out"),
          typeRoots: [join(repo, "node_modules", "@types")],
        },
        include: [join(src("core"), "**/*.ts"), join(src("testing"), "**/*.ts")],
        exclude: [
          join(repo, "packages/*/src/**/*.test.ts"),
          join(src("core"), "**/*.fixtures.ts"),
          join(src("core"), "**/*.reference.ts"),
        ],
      },
      null,
      2,
    ),
  )
  run(
    process.execPath,
    [join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", join(stage, "tsconfig.json")],
    stage,
  )

  // 2. Each package as published.
  const rootManifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"))
  const published = {
    core: {
      exports: {
        "./data/*": "./data/*",
        "./*": { types: "./dist/*.d.ts", default: "./dist/*.js" },
      },
      files: ["dist", "data", "README.md"],
    },
    testing: {
      exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
      files: ["dist", "README.md"],
    },
  }
  const tarballs = []
  for (const [pkg, extra] of Object.entries(published)) {
    const from = join(repo, "packages", pkg)
    const to = join(stage, pkg)
    cpSync(join(stage, "out", pkg, "src"), join(to, "dist"), { recursive: true })
    cpSync(join(from, "README.md"), join(to, "README.md"))
    if (pkg === "core") cpSync(join(from, "data"), join(to, "data"), { recursive: true })
    const {
      private: _private,
      exports: _exports,
      ...manifest
    } = JSON.parse(readFileSync(join(from, "package.json"), "utf8"))
    writeFileSync(
      join(to, "package.json"),
      `${JSON.stringify({ ...manifest, ...extra, engines: rootManifest.engines }, null, 2)}\n`,
    )
    const name = run("npm", ["pack", "--silent", "--pack-destination", outDir], to).trim().split("\n").at(-1)
    tarballs.push(join(outDir, name))
  }
  console.log(tarballs.join("\n"))
} finally {
  rmSync(stage, { recursive: true, force: true })
}
