// Another commit's packages beside the working tree, for comparisons (compare.ts, cachegrind.ts): extracted
// once into bench/out/compare/<commit>/ (not a worktree: no git bookkeeping to clean up), with
// node_modules/@ipamsim/* pointing at them and the working tree's bench scripts copied in each time, so
// that only the packages differ.

import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { dirname, join } from "node:path"
import { fail } from "./fail.ts"

export const ROOT = join(import.meta.dirname, "..")

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
    mkdirSync(dir, { recursive: true })
    const tar = execFileSync("git", ["archive", "--format=tar", commit, "packages"], { cwd: ROOT, maxBuffer: 1 << 30 })
    execFileSync("tar", ["-x", "-C", dir], { input: tar })
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
