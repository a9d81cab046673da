// Reads a scenario file (YAML or JSON), decodes it with the schema and checks what a schema cannot
// (ScenarioParts). Every problem is reported at once, one line each: `file:line: field: what was expected`.

import { readFileSync } from "node:fs"
import { dirname } from "node:path"
import { Schema } from "effect"
import { LineCounter, parseDocument } from "yaml"
import { checkScenario, formatPath, type Path } from "./ScenarioParts.ts"
import { type Scenario, ScenarioSchema } from "./ScenarioSchema.ts"

export class ScenarioError extends Error {
  override readonly name = "ScenarioError"
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"))
  }
}

export interface LoadedScenario {
  readonly file: string
  readonly dir: string
  readonly scenario: Scenario
}

/** Parses and decodes; throws ScenarioError listing every problem with its line. */
export const loadScenario = (file: string): LoadedScenario => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    throw new ScenarioError([`${file}: cannot read the scenario file (${(e as NodeJS.ErrnoException).code ?? e})`])
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: not valid YAML/JSON: ${e.message.split("\n")[0]}`),
    )
  }
  const lineOf = (path: Path): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined
      if (node?.range !== undefined) return lines.linePos(node.range[0]).line
    }
    return 1
  }
  const raw: unknown = doc.toJS()
  const decoded = Schema.decodeUnknownResult(ScenarioSchema)(raw, { errors: "all", onExcessProperty: "error" })
  if (decoded._tag === "Failure") {
    throw new ScenarioError(
      schemaProblems(decoded.failure.message).map(({ path, message }) => {
        const p = parsePath(path)
        return `${file}:${lineOf(p)}: ${formatPath(p)}: ${message}`
      }),
    )
  }
  const scenario = decoded.success
  const problems = checkScenario(scenario, dirname(file)).map(
    (p) => `${file}:${lineOf(p.path)}: ${formatPath(p.path)}: ${p.message}`,
  )
  if (problems.length > 0) throw new ScenarioError(problems)
  return { file, dir: dirname(file), scenario }
}

/** SchemaError messages come as "message\n  at [path]" pairs; split them into one record per issue. */
const schemaProblems = (message: string): Array<{ path: string; message: string }> => {
  const out: Array<{ path: string; message: string }> = []
  const lines = message.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.startsWith("  at ")) continue
    const next = lines[i + 1]
    out.push({ path: next?.startsWith("  at ") ? next.slice(5) : "", message: line.trim() })
  }
  return out
}

const parsePath = (text: string): Path => {
  const out: Array<string | number> = []
  const re = /\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\]/g
  for (let m = re.exec(text); m !== null; m = re.exec(text))
    out.push(m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[1]}"`))
  return out
}
