// The amazon-vpc-cni ConfigMap as users have it: `kubectl get cm -n kube-system amazon-vpc-cni -o yaml`
// (or -o json) pasted inline, or `configMap: { file: path }`, for the initial state; and for timed changes
// `changes: [{ at, configMap: <object> | { file } }]`, the whole data after the change. Each form is
// rewritten before decoding into the form the schema decodes (`{ data, changes: [{ at, data }] }`), so
// every later check reads one shape. A whole object's metadata is ignored except that `kind`, if given,
// is ConfigMap, `apiVersion`, if given, is v1, and `metadata.name` / `metadata.namespace`, if given, are
// amazon-vpc-cni / kube-system.

import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { LineCounter, parseDocument } from "yaml"
import type { Diagnostic } from "../Diagnostic.ts"
import type { Path } from "./ScenarioParts.ts"

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)

/** Keys that mark a whole ConfigMap object (as kubectl prints it) rather than `{ data, changes }`. */
const OBJECT_KEYS = ["apiVersion", "kind", "metadata"] as const

export interface ConfigMapContext {
  /** Where relative `file:` paths resolve from. */
  readonly dir: string
  /** A problem at a path of the scenario. */
  readonly at: (path: Path, message: string) => Diagnostic
}

/** A whole ConfigMap's metadata checked; problems at `path` + field via `report`. */
const checkObject = (o: Obj, report: (field: Path, message: string) => void): void => {
  if (o.kind !== undefined && o.kind !== "ConfigMap")
    report(["kind"], `${JSON.stringify(o.kind)}: expected ConfigMap (kubectl get cm -n kube-system amazon-vpc-cni)`)
  if (o.apiVersion !== undefined && o.apiVersion !== "v1")
    report(["apiVersion"], `${JSON.stringify(o.apiVersion)}: expected v1`)
  if (o.metadata !== undefined && !isObj(o.metadata)) report(["metadata"], "expected a mapping")
  else if (isObj(o.metadata)) {
    const m = o.metadata
    if (m.name !== undefined && m.name !== "amazon-vpc-cni")
      report(["metadata", "name"], `${JSON.stringify(m.name)}: the controller reads the ConfigMap amazon-vpc-cni`)
    if (m.namespace !== undefined && m.namespace !== "kube-system")
      report(
        ["metadata", "namespace"],
        `${JSON.stringify(m.namespace)}: the controller reads the ConfigMap in kube-system`,
      )
  }
}

/** The ConfigMap object of `file:` (YAML or JSON), or the problems found in it, at its own lines. */
const readConfigMapFile = (
  file: unknown,
  path: Path,
  ctx: ConfigMapContext,
  problems: Diagnostic[],
): Obj | undefined => {
  if (typeof file !== "string" || file === "") {
    problems.push(ctx.at([...path, "file"], "expected the path of a ConfigMap file (YAML or JSON)"))
    return undefined
  }
  const full = resolve(ctx.dir, file)
  let text: string
  try {
    text = readFileSync(full, "utf8")
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e)
    problems.push(
      ctx.at([...path, "file"], `cannot read ${full} (${code === "ENOENT" ? "no such file, ENOENT" : code})`),
    )
    return undefined
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    problems.push({
      severity: "error",
      file: full,
      line: lines.linePos(Math.min(e.pos[0], Math.max(text.length - 1, 0))).line,
      message: `not valid YAML/JSON: ${e.message.split("\n")[0]}`,
    })
    return undefined
  }
  const lineOf = (p: Path): number => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined
      if (node?.range !== undefined) return lines.linePos(node.range[0]).line
    }
    return 1
  }
  const inFile = (p: Path, message: string): Diagnostic => ({
    severity: "error",
    file: full,
    line: lineOf(p),
    ...(p.length === 0 ? {} : { field: p.map((s) => String(s)).join(".") }),
    message,
  })
  const o = doc.toJS() as unknown
  if (!isObj(o)) {
    problems.push(inFile([], "expected a ConfigMap (kubectl get cm -n kube-system amazon-vpc-cni -o yaml)"))
    return undefined
  }
  if (o.kind === "List" || Array.isArray(o.items)) {
    problems.push(inFile(["kind"], "a List: expected one ConfigMap (kubectl get cm -n kube-system amazon-vpc-cni)"))
    return undefined
  }
  const before = problems.length
  checkObject(o, (f, m) => problems.push(inFile(f, m)))
  if (o.data !== undefined && o.data !== null) {
    if (!isObj(o.data)) problems.push(inFile(["data"], "expected a mapping of keys to strings"))
    else
      for (const [k, v] of Object.entries(o.data))
        if (typeof v !== "string")
          problems.push(inFile(["data", k], `expected a string, as in Kubernetes (quote it: "${String(v)}")`))
  }
  return problems.length > before ? undefined : o
}

/** The whole-object forms rewritten as `{ data, changes: [{ at, data }] }`; problems pushed, located. */
export const normalizeConfigMap = (raw: unknown, ctx: ConfigMapContext, problems: Diagnostic[]): void => {
  if (!isObj(raw) || !isObj(raw.configMap)) return
  const cm = raw.configMap
  const out: Obj = { ...cm }
  const path: Path = ["configMap"]
  if (cm.file !== undefined) {
    for (const k of ["data", ...OBJECT_KEYS])
      if (cm[k] !== undefined)
        problems.push(ctx.at([...path, k], "configMap has a file: the ConfigMap comes from it, not from here"))
    delete out.file
    const o = readConfigMapFile(cm.file, path, ctx, problems)
    if (o !== undefined) out.data = o.data ?? {}
  } else if (OBJECT_KEYS.some((k) => cm[k] !== undefined)) {
    checkObject(cm, (f, m) => problems.push(ctx.at([...path, ...f], m)))
    for (const k of OBJECT_KEYS) delete out[k]
    // A ConfigMap without data is one with no keys; `data: null` (no ConfigMap at all) is the bare form's.
    if (out.data === undefined || out.data === null) out.data = {}
  }
  if (Array.isArray(cm.changes))
    out.changes = cm.changes.map((c: unknown, i) => {
      if (!isObj(c) || c.configMap === undefined) return c
      const at: Path = [...path, "changes", i, "configMap"]
      for (const k of ["data", "set", "remove"])
        if (c[k] !== undefined)
          problems.push(
            ctx.at(
              [...path, "changes", i, k],
              "the change has a configMap (the whole data after it): no data/set/remove",
            ),
          )
      const { configMap: given, ...rest } = c
      let data: unknown
      if (isObj(given) && given.file !== undefined) {
        for (const k of Object.keys(given))
          if (k !== "file") problems.push(ctx.at([...at, k], "configMap has a file: the ConfigMap comes from it"))
        data = readConfigMapFile(given.file, at, ctx, problems)?.data
      } else if (isObj(given)) {
        checkObject(given, (f, m) => problems.push(ctx.at([...at, ...f], m)))
        for (const k of Object.keys(given))
          if (![...OBJECT_KEYS, "data"].includes(k))
            problems.push(ctx.at([...at, k], "unexpected key: a ConfigMap has apiVersion, kind, metadata and data"))
        data = given.data
      } else {
        problems.push(ctx.at(at, "expected a ConfigMap object (apiVersion, kind, metadata, data) or { file: path }"))
        return rest
      }
      return { ...rest, data: data ?? {} }
    })
  raw.configMap = out
}
