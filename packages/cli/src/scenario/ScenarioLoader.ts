// Reads a scenario file (YAML or JSON), decodes it with the schema and checks what a schema cannot
// (ScenarioParts). Every problem is reported at once, one line each: `file:line: field: what was expected`;
// YAML syntax errors (tabs, duplicate keys, indentation) at their own line and column. Warnings (values
// the controller or ipamd would read differently from what was probably meant) come with the scenario.

import { readFileSync, statSync } from "node:fs"
import { dirname } from "node:path"
import { Schema } from "effect"
import { LineCounter, parseDocument, type YAMLError } from "yaml"
import { type Diagnostic, formatDiagnostic } from "../Diagnostic.ts"
import { encodingProblem, lineAndColumn } from "../Encoding.ts"
import { bytesText, MAX_SCENARIO_BYTES } from "../Limits.ts"
import { normalizeConfigMap } from "./ScenarioConfigMap.ts"
import { applyOverrides, formatOverridePath, type Override } from "./ScenarioOverrides.ts"
import { checkScenario, formatPath, type Path } from "./ScenarioParts.ts"
import { type Scenario, ScenarioSchema } from "./ScenarioSchema.ts"

export class ScenarioError extends Error {
  override readonly name = "ScenarioError"
  /** Each problem as one line: `file:line: field: what was expected`. */
  readonly problems: readonly string[]
  /** The problems, then the warnings found with them. */
  readonly diagnostics: readonly Diagnostic[]
  constructor(problems: ReadonlyArray<string | Diagnostic>, warnings: readonly Diagnostic[] = []) {
    const lines = problems.map((p) => (typeof p === "string" ? p : formatDiagnostic(p)))
    // The message, printed one line each, ends with the warnings: every problem at once.
    super([...lines, ...warnings.map(formatDiagnostic)].join("\n"))
    this.problems = lines
    this.diagnostics = [
      ...problems.map((p) => (typeof p === "string" ? { severity: "error" as const, file: "", message: p } : p)),
      ...warnings,
    ]
  }
}

export interface LoadedScenario {
  readonly file: string
  readonly dir: string
  readonly scenario: Scenario
  /** What the scenario asks for that the controller or ipamd will read differently (validate --strict fails). */
  readonly warnings: readonly Diagnostic[]
}

const error = (file: string, line: number | undefined, field: string | undefined, message: string): Diagnostic => ({
  severity: "error",
  file,
  line,
  field,
  message,
})

/** The file's text, or a ScenarioError: unreadable, too large, or not UTF-8. */
const readScenarioText = (file: string): string => {
  const cannot = (e: unknown) =>
    new ScenarioError([error(file, undefined, undefined, `cannot read the scenario file (${codeOf(e)})`)])
  let size: number
  try {
    const st = statSync(file)
    if (st.isDirectory())
      throw new ScenarioError([error(file, undefined, undefined, "is a directory, expected a scenario file")])
    size = st.size
  } catch (e) {
    if (e instanceof ScenarioError) throw e
    throw cannot(e)
  }
  if (size > MAX_SCENARIO_BYTES)
    throw new ScenarioError([
      error(
        file,
        undefined,
        undefined,
        `the file is ${bytesText(size)}; scenario files are limited to ${bytesText(MAX_SCENARIO_BYTES)} (put pod events in a trace file)`,
      ),
    ])
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw cannot(e)
  }
  const bad = encodingProblem(bytes)
  if (bad !== undefined) {
    const at = lineAndColumn(bytes, bad.offset)
    throw new ScenarioError([
      { severity: "error", file, line: at.line, column: at.column, field: "encoding", message: bad.message },
    ])
  }
  const text = bytes.toString("utf8")
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** The errno code, said in words where it is a common one: "no such file (ENOENT)". */
const codeOf = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code
  if (code === undefined) return String(e)
  const words: Record<string, string> = {
    ENOENT: "no such file",
    EACCES: "permission denied",
    ENOTDIR: "not a directory",
  }
  return words[code] === undefined ? code : `${words[code]}, ${code}`
}

/** A YAML syntax error at its line and column; one past the end of the text is the last line. */
const syntaxDiagnostic = (file: string, text: string, lines: LineCounter, e: YAMLError): Diagnostic => {
  const end = text.trimEnd().length
  const atEnd = e.pos[0] >= end
  const pos = lines.linePos(Math.min(e.pos[0], Math.max(end - 1, 0)))
  let message = e.message.split("\n")[0]!
  if (e.code === "DUPLICATE_KEY") {
    const key = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]*?)\s*:/.exec(text.slice(e.pos[0]))?.[1]
    message = `duplicate key${key === undefined || key === "" ? "" : ` ${key.startsWith('"') ? key : JSON.stringify(key)}`}: each key appears once in a mapping`
  } else if (e.code === "TAB_AS_INDENT") message = "a tab in the indentation: indent with spaces"
  else if (e.code === "MULTIPLE_DOCS") message = "more than one YAML document (---): a scenario file holds one"
  else if (/Maximum call stack/.test(message)) message = "nested too deeply"
  return {
    severity: "error",
    file,
    line: pos.line,
    column: atEnd ? undefined : pos.col,
    message: `not valid YAML/JSON${atEnd ? " (at the end of the file)" : ""}: ${message}`,
  }
}

/** `-`: the scenario comes from stdin; relative paths in it resolve from the working directory. */
export const STDIN = "-"
const STDIN_LABEL = "<stdin>"

/** Stdin's text, as readScenarioText reads a file's. */
const readStdinText = (): string => {
  let bytes: Buffer
  try {
    bytes = readFileSync(0)
  } catch (e) {
    throw new ScenarioError([
      error(STDIN_LABEL, undefined, undefined, `cannot read the scenario from stdin (${codeOf(e)})`),
    ])
  }
  if (bytes.length > MAX_SCENARIO_BYTES)
    throw new ScenarioError([
      error(
        STDIN_LABEL,
        undefined,
        undefined,
        `stdin holds ${bytesText(bytes.length)}; scenarios are limited to ${bytesText(MAX_SCENARIO_BYTES)}`,
      ),
    ])
  const bad = encodingProblem(bytes)
  if (bad !== undefined) {
    const at = lineAndColumn(bytes, bad.offset)
    throw new ScenarioError([
      {
        severity: "error",
        file: STDIN_LABEL,
        line: at.line,
        column: at.column,
        field: "encoding",
        message: bad.message,
      },
    ])
  }
  const text = bytes.toString("utf8")
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

export interface LoadOptions {
  /** One-run overrides (`--set`, `--duration`), applied before decoding. */
  readonly overrides?: readonly Override[]
  /** Problems with overrides that could not be read (reported with the scenario's). */
  readonly overrideProblems?: readonly Diagnostic[]
}

/** Parses and decodes; throws ScenarioError listing every problem with its line. `-` reads stdin. */
export const loadScenario = (path: string, options: LoadOptions = {}): LoadedScenario => {
  const fromStdin = path === STDIN
  const file = fromStdin ? STDIN_LABEL : path
  const text = fromStdin ? readStdinText() : readScenarioText(file)
  const dir = fromStdin ? process.cwd() : dirname(file)
  const overrides = options.overrides ?? []
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) throw new ScenarioError(doc.errors.map((e) => syntaxDiagnostic(file, text, lines, e)))
  const lineOf = (path: Path): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined
      if (node?.range !== undefined) return lines.linePos(node.range[0]).line
    }
    return 1
  }
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: 100 })
  } catch (e) {
    const why = (e as Error).message
    throw new ScenarioError([
      error(
        file,
        1,
        undefined,
        `not valid YAML/JSON: ${/alias count/.test(why) ? "too many aliases (*name) expanded: at most 100" : why}`,
      ),
    ])
  }
  if (raw === null || raw === undefined)
    throw new ScenarioError([error(file, 1, undefined, "the file is empty: expected a scenario (name, subnets, ...)")])
  // A problem in a field an override set is the override's: `--set nodeGroups[0].count=-1: ...`.
  const overrideOf = (field: string): Override | undefined =>
    overrides.findLast((o) => {
      const p = formatOverridePath(o.path)
      return field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)
    })
  const attribute = (d: Diagnostic): Diagnostic => {
    const o = d.field === undefined || d.file !== file ? undefined : overrideOf(d.field)
    return o === undefined ? d : { ...d, file: o.source, line: undefined, column: undefined }
  }
  // The ConfigMap's forms first, so `--set configMap.data.KEY=...` works whichever form the file uses.
  const early: Diagnostic[] = [...(options.overrideProblems ?? [])]
  normalizeConfigMap(raw, { dir, at: (p, message) => error(file, lineOf(p), formatPath(p), message) }, early)
  early.push(...applyOverrides(raw, overrides))
  const decoded = Schema.decodeUnknownResult(ScenarioSchema)(raw, { errors: "all", onExcessProperty: "error" })
  if (decoded._tag === "Failure") {
    throw new ScenarioError([
      ...early.map(attribute),
      ...schemaProblems(decoded.failure.message).map(({ path, message }) => {
        const p = parsePath(path)
        return attribute(error(file, lineOf(p), formatPath(p), message))
      }),
    ])
  }
  const scenario = decoded.success
  const found = checkScenario(scenario, dir)
  const located = (p: { path: Path; message: string }, severity: Diagnostic["severity"]): Diagnostic =>
    attribute({
      severity,
      file,
      line: lineOf(p.path),
      field: formatPath(p.path),
      message: p.message,
    })
  // In file order: the list reads top to bottom like the file.
  const byLine = (a: Diagnostic, b: Diagnostic) => (a.line ?? 0) - (b.line ?? 0)
  const problems = [...early.map(attribute), ...found.problems.map((p) => located(p, "error"))].sort(byLine)
  const warnings = found.warnings.map((p) => located(p, "warning")).sort(byLine)
  if (problems.length > 0) throw new ScenarioError(problems, warnings)
  return { file, dir, scenario, warnings }
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
