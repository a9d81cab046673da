// One-run overrides of a scenario: `--set path=value` (repeatable) and `--duration 2h`. A path follows the
// scenario's structure (`nodeGroups[0].count`, `configMap.data.windows-warm-ip-target`); the value is read
// as a YAML scalar (`10` a number, `true` a boolean, `2h` text), except under a map of strings
// (configMap data, set; awsNode env, set; subnet tags), where it stays the text written. Missing mappings
// on the way are created; list entries must exist. Each bad override is one line naming it.

import { parse } from "yaml"
import type { Diagnostic } from "../Diagnostic.ts"
import type { Path } from "./ScenarioParts.ts"

export interface Override {
  /** As the user wrote it, to name it in errors: `--set nodeGroups[0].count=10`, `--duration 2h`. */
  readonly source: string
  readonly path: Path
  readonly value: unknown
}

const STRING_MAPS = new Set(["data", "set", "env", "tags"])

const bad = (source: string, message: string): Diagnostic => ({ severity: "error", file: source, message })

/** `a.b[0].c-d` as a path; undefined when it is not one. */
export const parseOverridePath = (text: string): Path | undefined => {
  const out: Array<string | number> = []
  // key, .key, [n], or ["key.with.dots"] (subnet tags such as kubernetes.io/role/cni).
  const re = /^(?:\.?([^.[\]="]+)|\[(\d+)\]|\["([^"]+)"\])/
  let rest = text
  if (rest === "" || rest.startsWith(".") || /^\[\d/.test(rest)) return undefined
  while (rest !== "") {
    const m = re.exec(rest)
    if (m === null) return undefined
    out.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3])!)
    rest = rest.slice(m[0].length)
  }
  return out
}

/** `--set` texts and `--duration` as overrides, or the problems with them. */
export const parseOverrides = (
  sets: readonly string[],
  duration: string | undefined,
): { overrides: Override[]; problems: Diagnostic[] } => {
  const overrides: Override[] = []
  const problems: Diagnostic[] = []
  for (const s of sets) {
    const source = `--set ${s}`
    const eq = s.indexOf("=")
    if (eq < 0) {
      problems.push(bad(source, "expected path=value, e.g. nodeGroups[0].count=10"))
      continue
    }
    const path = parseOverridePath(s.slice(0, eq))
    if (path === undefined) {
      problems.push(bad(source, `${JSON.stringify(s.slice(0, eq))}: expected a path such as nodeGroups[0].count`))
      continue
    }
    const text = s.slice(eq + 1)
    const parent = path.length >= 2 ? path[path.length - 2] : undefined
    let value: unknown = text
    if (typeof parent !== "string" || !STRING_MAPS.has(parent)) {
      try {
        value = text === "" ? "" : parse(text)
      } catch {
        problems.push(bad(source, `${JSON.stringify(text)}: not a YAML scalar`))
        continue
      }
      if (typeof value === "object" && value !== null) {
        problems.push(bad(source, `${JSON.stringify(text)}: expected a single value (a number, text, true/false)`))
        continue
      }
    }
    overrides.push({ source, path, value })
  }
  if (duration !== undefined) overrides.push({ source: `--duration ${duration}`, path: ["duration"], value: duration })
  return { overrides, problems }
}

/** Applies the overrides to the parsed scenario; problems for paths that lead nowhere. */
export const applyOverrides = (raw: unknown, overrides: readonly Override[]): Diagnostic[] => {
  const problems: Diagnostic[] = []
  if (typeof raw !== "object" || raw === null) return problems
  for (const o of overrides) {
    let node = raw as Record<string | number, unknown>
    let ok = true
    for (let i = 0; i < o.path.length - 1; i++) {
      const key = o.path[i]!
      const here = formatOverridePath(o.path.slice(0, i + 1))
      if (typeof key === "number") {
        if (!Array.isArray(node)) {
          problems.push(bad(o.source, `${here}: not a list`))
          ok = false
          break
        }
        if (key >= node.length) {
          problems.push(bad(o.source, `${here}: no such entry (the list has ${node.length})`))
          ok = false
          break
        }
      } else if (Array.isArray(node)) {
        problems.push(bad(o.source, `${here}: a list, index it with [n]`))
        ok = false
        break
      }
      let next = node[key]
      if (next === undefined || next === null) {
        if (typeof o.path[i + 1] === "number") {
          problems.push(bad(o.source, `${here}: not in the scenario, so it has no entries`))
          ok = false
          break
        }
        next = {}
        node[key] = next
      }
      if (typeof next !== "object") {
        problems.push(bad(o.source, `${here}: is ${JSON.stringify(next)}, not a mapping or list`))
        ok = false
        break
      }
      node = next as Record<string | number, unknown>
    }
    if (!ok) continue
    const last = o.path[o.path.length - 1]!
    if (typeof last === "number" && (!Array.isArray(node) || last >= node.length)) {
      problems.push(bad(o.source, `${formatOverridePath(o.path)}: no such entry`))
      continue
    }
    if (typeof last === "string" && Array.isArray(node)) {
      problems.push(bad(o.source, `${formatOverridePath(o.path.slice(0, -1))}: a list, index it with [n]`))
      continue
    }
    node[last] = o.value
  }
  return problems
}

export const formatOverridePath = (p: Path): string =>
  p.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("")
