// Another commit's packages beside the working tree, for comparisons (compare.ts, compareRun.ts,
// instructions.ts): extracted once into bench/out/compare/<commit>/ (not a worktree: no git bookkeeping to
// clean up), with node_modules/@ipamsim/* pointing at them and the working tree's bench scripts copied in
// each time, so that only the packages differ. npm packages resolve from the repository's node_modules.
// Do not extract with `git archive` beside the repository and link node_modules to the repository's:
// npm's links for the workspace's own packages are relative, so that tree would run the working tree's.

import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { dirname, join } from "node:path"
import { build, type Plugin } from "esbuild"
import { fail } from "./fail.ts"
import { ROOT } from "./Paths.ts"

/** Extracts `paths` of `commit` into `into` (git archive, then tar). */
const extract = (commit: string, paths: readonly string[], into: string): void => {
  const tar = execFileSync("git", ["archive", "--format=tar", commit, ...paths], { cwd: ROOT, maxBuffer: 1 << 30 })
  mkdirSync(into, { recursive: true })
  execFileSync("tar", ["-x", "-C", into], { input: tar })
}

/** The commit `ref` names and the directory holding its packages and a copy of `scripts` (bench files). */
export const otherVersion = (ref: string, scripts: readonly string[]): { commit: string; dir: string } => {
  let commit = ""
  try {
    commit = execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim()
  } catch {
    fail(`${ref}: not a commit, branch or tag of this repository`)
  }
  const dir = join(ROOT, "bench", "out", "compare", commit.slice(0, 12))
  if (!existsSync(join(dir, ".complete"))) {
    rmSync(dir, { recursive: true, force: true })
    extract(commit, ["packages"], dir)
    for (const p of readdirSync(join(dir, "packages"))) {
      const manifest = join(dir, "packages", p, "package.json")
      if (!existsSync(manifest)) continue
      const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name
      const link = join(dir, "node_modules", name)
      mkdirSync(dirname(link), { recursive: true })
      symlinkSync(join(dir, "packages", p), link)
    }
    mkdirSync(join(dir, ".complete"))
  }
  const benchDir = join(dir, "bench")
  mkdirSync(benchDir, { recursive: true })
  for (const f of scripts) copyFileSync(join(ROOT, "bench", f), join(benchDir, f))
  return { commit, dir }
}

// @ipamsim/* bundled (from whichever tree the entry sits in), npm packages left to node_modules.
const externalNpm: Plugin = {
  name: "external-npm",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) =>
      a.path.startsWith("@ipamsim/") ? undefined : { path: a.path, external: true },
    )
  },
}

/**
 * Bundles `entry` into one file (`outfile`, or nothing written when omitted: a check that it builds). The
 * bundle must sit inside the tree whose packages it holds (their data files are found from it) and under
 * the repository (its npm packages are).
 */
export const bundle = async (entry: string, outfile?: string): Promise<void> => {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: [externalNpm],
    logLevel: "silent",
    ...(outfile === undefined ? { write: false } : { outfile }),
  })
}

/** An esbuild failure's first message, for a one-line report. */
export const firstError = (e: unknown): string => {
  const errors = (e as { errors?: Array<{ text: string }> }).errors
  return errors?.[0]?.text ?? (e instanceof Error ? e.message : String(e)).split("\n")[0]!
}

/**
 * The kernel runner (bench/runKernel.ts) to run against `ref`'s packages: the working tree's, copied in,
 * while it still builds against them; else, when packages' files or exports have moved since, `ref`'s own
 * bench/runKernel.ts (extracted into <dir>/own/bench), which matches them.
 */
export const kernelRunner = async (ref: string): Promise<{ commit: string; dir: string; script: string }> => {
  const { commit, dir } = otherVersion(ref, ["runKernel.ts", "inMemory.ts", "fail.ts"])
  const copied = join(dir, "bench", "runKernel.ts")
  try {
    await bundle(copied)
    return { commit, dir, script: copied }
  } catch (e) {
    const own = join(dir, "own", "bench", "runKernel.ts")
    if (!existsSync(own)) {
      try {
        extract(commit, ["bench"], join(dir, "own"))
      } catch {
        // No bench/ at that commit: reported below.
      }
    }
    if (!existsSync(own))
      fail(
        `${ref}: the working tree's bench/runKernel.ts does not build against its packages (${firstError(e)}), and it has no bench/runKernel.ts of its own`,
      )
    process.stderr.write(
      `bench: ${ref}: its own bench/runKernel.ts (the working tree's does not build against its packages: ${firstError(e)})\n`,
    )
    return { commit, dir, script: own }
  }
}
