// The header of a csv trace or pod table: which column holds what, under any of its accepted names, and
// the cells every row format shares (pod identity, node, what the webhook sees, times).

import { osProblem, osSelector } from "./CsvFastRow.ts"
import { splitCsvLine } from "./CsvLine.ts"
import { type Fail, show } from "./TraceRecord.ts"

const WHOLE = /^\d+$/
const DECIMAL = /^\d+(?:\.\d+)?$/

/** Whole ms from a cell in ms (integer) or seconds (decimal); an error message otherwise. */
export const cellTime = (text: string, seconds: boolean, column: string): number | string => {
  if (seconds) {
    if (!DECIMAL.test(text)) return `expected seconds (like 12 or 12.5) in column "${column}", got ${show(text)}`
    return Math.round(Number(text) * 1000)
  }
  if (!WHOLE.test(text)) return `expected whole ms in column "${column}", got ${show(text)}`
  const ms = Number(text)
  return Number.isSafeInteger(ms) ? ms : `expected whole ms in column "${column}", got ${show(text)} (too large)`
}

const POD_NAMES = ["pod", "name", "instance", "pod_name", "instance_name"]

export interface Columns {
  readonly count: number
  readonly index: ReadonlyMap<string, number>
  readonly names: readonly string[]
}

export const readHeader = (line: string, fail: Fail): Columns => {
  const fields = splitCsvLine(line)
  if (typeof fields === "string") fail(fields)
  const index = new Map<string, number>()
  fields.forEach((f, i) => {
    const name = f.toLowerCase()
    if (name === "") fail(`expected a column name in header column ${i + 1}, got an empty one`)
    if (index.has(name)) fail(`expected each column once, got "${f}" twice`)
    index.set(name, i)
  })
  return { count: fields.length, index, names: fields }
}

/** The one column among `aliases` present in the header, or undefined. */
export const pick = (cols: Columns, aliases: readonly string[], fail: Fail): string | undefined => {
  const found = aliases.filter((a) => cols.index.has(a))
  if (found.length > 1) fail(`expected one of the columns ${found.map((f) => `"${f}"`).join(", ")}, got all of them`)
  return found[0]
}

export const hasAny = (cols: Columns, aliases: readonly string[]): boolean => aliases.some((a) => cols.index.has(a))

export const missing = (cols: Columns, what: string): string =>
  `expected ${what} in the header, got columns ${cols.names.map((n) => JSON.stringify(n)).join(", ")}`

/** The columns every row format shares: pod identity, node and what the webhook sees. */
export const podColumns = (cols: Columns, fail: Fail) => {
  const pod = pick(cols, POD_NAMES, fail)
  if (pod === undefined) fail(missing(cols, `a pod name column (${POD_NAMES.map((n) => `"${n}"`).join(", ")})`))
  const os = pick(cols, ["os", "nodeselector"], fail)
  const col = (name: string | undefined) => (name === undefined ? undefined : cols.index.get(name))
  const idx = {
    pod: col(pod)!,
    namespace: col("namespace"),
    node: col("node"),
    os: col(os),
    hostNetwork: col("hostnetwork"),
  }
  const read = (cells: readonly string[], fail: Fail) => {
    const name = cells[idx.pod]!
    if (name === "") fail(`expected a pod name in column "${pod}", got an empty field`)
    const ns = idx.namespace === undefined ? "" : cells[idx.namespace]!
    const node = idx.node === undefined ? "" : cells[idx.node]!
    const hn = idx.hostNetwork === undefined ? "" : cells[idx.hostNetwork]!.toLowerCase()
    if (hn !== "" && hn !== "true" && hn !== "false")
      fail(`expected hostNetwork "true", "false" or empty, got ${show(cells[idx.hostNetwork!])}`)
    let windowsSelector = true
    if (idx.os !== undefined) {
      const w = osSelector(cells[idx.os]!)
      if (w === undefined) fail(osProblem(`column "${os}"`, cells[idx.os]!))
      windowsSelector = w as boolean
    }
    return {
      pod: ns === "" ? name : `${ns}/${name}`,
      node: node === "" ? undefined : node,
      windowsSelector,
      hostNetwork: hn === "true",
    }
  }
  return { read, idx }
}

export const rowCells = (line: string, cols: Columns, fail: Fail): string[] => {
  const cells = splitCsvLine(line)
  if (typeof cells === "string") fail(cells)
  if (cells.length !== cols.count) fail(`expected ${cols.count} fields as in the header, got ${cells.length}`)
  return cells
}
