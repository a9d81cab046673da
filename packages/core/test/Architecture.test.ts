// The layout's rules, checked over the repository's sources: dependencies point one way (the kernel at the
// bottom of @ipamsim/core, packages in the order of docs/architecture.md), no import cycle anywhere, and no
// source file much over 500 lines. Type-only imports count: a cycle of types is a cycle a reader follows.

import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = normalize(join(dirname(fileURLToPath(import.meta.url)), "../../.."))

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name)
    // Installed and built files, and the CLI tests' scratch bundles (.dist-test-*), are not sources.
    if (name === "node_modules" || name === "dist" || name === "out" || name.startsWith(".")) return []
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path)
    return /\.(ts|mjs)$/.test(name) ? [path] : []
  })

const files = [...sourceFiles("packages"), ...sourceFiles("bench"), ...sourceFiles("scripts")]
const known = new Set(files)

/** What a package's bare name resolves to (its package.json "exports" ".") */
const packageMain: Record<string, string> = {
  cli: "packages/cli/src/Cli.ts",
  aws: "packages/aws/src/index.ts",
  testing: "packages/testing/src/index.ts",
}

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\b[^"']*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g

/** The repository files a file imports (npm packages and node: modules are left out). */
const importsOf = (file: string): string[] => {
  const text = readFileSync(join(root, file), "utf8")
  const out: string[] = []
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3]!
    let target: string | undefined
    if (spec.startsWith(".")) target = normalize(join(dirname(file), spec))
    else {
      const pkg = /^@ipamsim\/([a-z]+)(?:\/(.*))?$/.exec(spec)
      if (pkg === null || spec.startsWith("@ipamsim/core/data")) continue
      target = pkg[2] === undefined ? packageMain[pkg[1]!] : `packages/${pkg[1]}/src/${pkg[2]}.ts`
    }
    if (target !== undefined && known.has(target)) out.push(target)
  }
  return out
}

const graph = new Map(files.map((f) => [f, importsOf(f)]))

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
const cycles = (): string[][] => {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let next = 0
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        scc.push(w)
      } while (w !== v)
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort())
    }
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return found
}

/** @ipamsim/core's folders, bottom first, with what each may import besides itself. */
const CORE_LAYERS: Record<string, readonly string[]> = {
  kernel: [],
  go: ["kernel"],
  ec2: ["kernel", "go"],
  metrics: ["kernel", "ec2"],
  workload: ["kernel", "ec2"],
  kubernetes: ["kernel", "ec2", "metrics", "workload"],
  "vpc-resource-controller": ["kernel", "go", "ec2", "metrics", "workload", "kubernetes"],
  ipamd: ["kernel", "go", "ec2", "metrics", "workload", "kubernetes"],
  spec: ["kernel", "go", "ec2", "metrics", "workload", "kubernetes", "vpc-resource-controller", "ipamd"],
}

/** Which packages each package may import. */
const PACKAGES: Record<string, readonly string[]> = {
  core: [],
  testing: ["core"],
  aws: ["core"],
  cli: ["core", "aws"],
}

const CORE = "packages/core/src/"
const coreFolder = (f: string): string | undefined => {
  if (!f.startsWith(CORE)) return undefined
  const rest = f.slice(CORE.length)
  return rest.includes("/") ? rest.slice(0, rest.indexOf("/")) : "(root)"
}
const packageOf = (f: string): string | undefined => /^packages\/([a-z]+)\//.exec(f)?.[1]
const isTest = (f: string): boolean => /\.test\.ts$|\/test\//.test(f)

describe("architecture", () => {
  it("finds the repository's sources and their imports", () => {
    expect(files.length).toBeGreaterThan(150)
    expect(graph.get("packages/core/src/Cluster.ts")).toContain("packages/core/src/kernel/Simulation.ts")
  })

  it("has no import cycle anywhere", () => {
    expect(cycles()).toEqual([])
  })

  it("a cycle is found when there is one", () => {
    const saved = graph.get("packages/core/src/kernel/EventQueue.ts")!
    graph.set("packages/core/src/kernel/EventQueue.ts", [...saved, "packages/core/src/Cluster.ts"])
    try {
      expect(cycles().length).toBe(1)
    } finally {
      graph.set("packages/core/src/kernel/EventQueue.ts", saved)
    }
  })

  it("@ipamsim/core's folders depend downwards only, the kernel on nothing", () => {
    const wrong: string[] = []
    for (const [file, deps] of graph) {
      const from = coreFolder(file)
      if (from === undefined || from === "(root)" || isTest(file)) continue
      const allowed = CORE_LAYERS[from]
      if (allowed === undefined) {
        wrong.push(`${file}: folder "${from}" has no place in the layers`)
        continue
      }
      for (const d of deps) {
        const to = coreFolder(d)
        if (to !== from && (to === undefined || !allowed.includes(to))) wrong.push(`${file} → ${d}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it("packages depend in one direction", () => {
    const wrong: string[] = []
    for (const [file, deps] of graph) {
      const from = packageOf(file)
      if (from === undefined) continue
      for (const d of deps) {
        const to = packageOf(d)
        if (to !== undefined && to !== from && !PACKAGES[from]!.includes(to)) wrong.push(`${file} → ${d}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it("no source file is much over 500 lines", () => {
    const long = files
      .map((f) => ({ f, lines: readFileSync(join(root, f), "utf8").split("\n").length }))
      .filter(({ lines }) => lines > 550)
      .map(({ f, lines }) => `${relative(".", f)}: ${lines} lines`)
    expect(long).toEqual([])
  })
})
