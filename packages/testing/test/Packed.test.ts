// @ipamsim/testing as a user gets it: both packages packed with `npm pack` (scripts/pack-libraries.mjs), the
// tarballs installed offline in a scratch project in the OS's temporary folder, a capacity property written
// from docs/capacity-testing.md (packed/userCapacity.ts) type-checked against the declarations and run there,
// and the counterexample of its failing property replayed by `ipamsim run --html`.
// The peer dependencies (vitest, fast-check, @fast-check/vitest) are linked from this repository's node_modules,
// as a user's own copies would be: no network is needed.

import { spawnSync } from "node:child_process"
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, "../../..")
const PEERS = ["vitest", "fast-check", "@fast-check/vitest"]

// The child processes get no vitest worker variables from this run.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS"),
)

const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 240_000 })
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}` }
}

describe("the packed @ipamsim/core and @ipamsim/testing", () => {
  let scratch = ""
  let project = ""
  let tarballs: string[] = []

  beforeAll(() => {
    scratch = mkdtempSync(join(realpathSync(tmpdir()), "ipamsim-packed-"))
    const packed = run(process.execPath, [join(repo, "scripts/pack-libraries.mjs"), join(scratch, "tarballs")], repo)
    expect(packed.status, packed.out).toBe(0)
    tarballs = packed.out.trim().split("\n")
    project = join(scratch, "project")
    mkdirSync(project)
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "capacity-check", private: true, type: "module" }),
    )
  }, 240_000)

  afterAll(() => {
    if (scratch !== "") rmSync(scratch, { recursive: true, force: true })
  })

  it("are compiled JavaScript with declarations, no TypeScript sources", () => {
    const listing = run("tar", ["tzf", tarballs[1]!], scratch).out.split("\n")
    expect(listing).toContain("package/dist/index.js")
    expect(listing).toContain("package/dist/index.d.ts")
    expect(listing).toContain("package/README.md")
    expect(listing.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([])
  })

  it("install offline outside the repository, type-check, and run a capacity property", () => {
    const install = run(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", "--ignore-scripts", ...tarballs],
      project,
    )
    expect(install.status, install.out).toBe(0)
    expect(readdirSync(join(project, "node_modules/@ipamsim")).sort()).toEqual(["core", "testing"])
    for (const peer of PEERS) {
      const link = join(project, "node_modules", peer)
      mkdirSync(dirname(link), { recursive: true })
      symlinkSync(realpathSync(join(repo, "node_modules", peer)), link, "dir")
    }
    copyFileSync(join(here, "packed/userCapacity.ts"), join(project, "capacity.test.ts"))
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        include: ["capacity.test.ts"],
      }),
    )
    const tsc = run(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], project)
    expect(tsc.out).toBe("")
    expect(tsc.status).toBe(0)

    const vitest = run(
      process.execPath,
      [join(repo, "node_modules/vitest/vitest.mjs"), "run", "--reporter=json", "--outputFile=result.json"],
      project,
    )
    expect(vitest.status, vitest.out).toBe(0)
    const result = JSON.parse(readFileSync(join(project, "result.json"), "utf8"))
    expect([result.numPassedTests, result.numFailedTests]).toEqual([3, 0])

    // The failing property's counterexample, written by the installed package, replayed as an HTML report.
    const replay = run(
      process.execPath,
      [
        join(repo, "packages/cli/bin/ipamsim.mjs"),
        "run",
        "counterexamples/warm-target-2s.yaml",
        "--html",
        "report.html",
      ],
      project,
    )
    expect(replay.status, replay.out).toBe(2)
    expect(replay.out).toContain("maxWaitMs")
    expect(readFileSync(join(project, "report.html"), "utf8")).toContain("<html")
  }, 240_000)
})
