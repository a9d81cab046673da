// Streaming readers of pod-event trace files. Reading is synchronous and pull-based (the kernel calls next()):
// the file is read in 1 MiB chunks and split into lines (ByteLines), so memory does not grow with the file,
// except with `sort: true`, which loads the whole file, sorts it (stably) and then replays it. Common csv
// rows are parsed straight from bytes (CsvFastRow); `podIds` numbers pods from their names' bytes
// (PodIdTable); `parallel` reads on a second thread (ParallelTrace). None of these changes an event.
//
// Formats (`format`, or from the file):
// - csv: a header row, then one event per row (RFC 4180 quoting, one line per row). Columns, case-insensitive,
//   in any order, unknown ones ignored:
//     time: exactly one of `time_ms` or `t` (whole ms), `time_s` or `time` (seconds, decimals allowed,
//           rounded to ms). Note `time` is seconds in CSV but ms in JSON Lines, as each format is usually
//           written by hand; the unit-suffixed names are unambiguous and what `ipamsim trace generate` writes.
//     event (or type): create | delete          pod (or name): the pod's name
//     namespace: optional; the pod id becomes namespace/pod        node: optional; bind to this node
//     os or nodeSelector: "windows" (or "kubernetes.io/os=windows") = the Windows nodeSelector; any other
//           value, including empty, = none. Without either column every pod has it (what this simulator is about).
//     hostNetwork: true | false | empty (= false)
// - jsonl (.jsonl, .ndjson): one object per line with the same fields: `t`, `time` or `time_ms` (ms) or
//   `time_s` (seconds); `event` or `type`; `pod` or `name`; `namespace`, `node`; `windowsSelector` (boolean),
//   `os` (string) or `nodeSelector` (string, or an object with "kubernetes.io/os"); `hostNetwork` (boolean).
//   A PodEvent written with JSON.stringify reads back as itself.
// - audit: Kubernetes audit logs, JSON Lines of audit.k8s.io Event objects (.json, .log, or .jsonl whose
//   first line is one). Only stage ResponseComplete with a 2xx code on resource "pods" counts: verb create
//   (pod spec from responseObject, else requestObject: nodeSelector kubernetes.io/os, hostNetwork, nodeName),
//   create on subresource "binding" (the node: requestObject.target.name), and delete. Time is stageTimestamp
//   (else requestReceivedTimestamp), in ms after the first record of the file (the earliest with `sort`).
//   The kernel takes a pod's node at its create, so a create waits for its binding: it is emitted at the
//   binding's time with the binding's node, or, when no binding comes within the lookahead (default 60 s),
//   at its own time with no node (the kernel's scheduler places it). Creates that carry spec.nodeName go out
//   at once. A pod's graceful delete and the kubelet's final delete are both API deletes: when a second delete
//   of a pod comes within the lookahead, the last one (the removal) is kept. Audit logs are written in
//   completion order, not strictly by time: records may be up to the lookahead out of order; events are
//   released once the file has moved a lookahead past them (memory: one lookahead's worth of events).
//   Without a pod spec (Metadata-level logs) a pod counts as having the Windows nodeSelector.
// - pod-table: CSV with one row per pod, as public cluster traces publish them: name (`pod`, `name`,
//   `instance`, `pod_name` or `instance_name`), creation (`creation_time`, `start_time`, `create_time` or
//   `created`) and deletion (`deletion_time`, `end_time`, `delete_time` or `deleted`; empty = never) in
//   seconds, plus the optional csv columns above. Rows must be sorted by creation time; deletes wait in a heap
//   (memory: one entry per live pod). Chosen for a .csv file whose header has creation and deletion columns
//   and no event column.
//
// Times are non-decreasing or the read fails naming the line (`sort: true` sorts instead). Every error is a
// TraceError whose message is one line: `<file>:<line>: expected ..., got ...`. Deletes of pods the trace
// never created are passed on: the kernel counts them.

import { statSync } from "node:fs"
import { extname } from "node:path"
import type { PodEvent, TraceSource } from "@ipamsim/core/spec/SimSpec"
import { TimeHeap } from "@ipamsim/core/workload/TraceGenerators"
import { ByteLines } from "./ByteLines.ts"
import { CsvFastRow, windowsValue } from "./CsvFastRow.ts"
import { ParallelTrace } from "./ParallelTrace.ts"
import { PodIdTable } from "./PodIdTable.ts"
import { fill, ReusedEvent } from "./ReusedEvent.ts"

export type TraceFormat = "csv" | "jsonl" | "audit" | "pod-table"

export interface OpenTraceOptions {
  readonly format?: TraceFormat | undefined
  /** Added to every time (whole ms; may be negative as long as no event lands before 0). */
  readonly offsetMs?: number | undefined
  /** Sort instead of rejecting out-of-order times; loads the whole file into memory. */
  readonly sort?: boolean | undefined
  /** audit: how long a create waits for its binding, and how far records may be out of order (ms). */
  readonly auditLookaheadMs?: number | undefined
  /**
   * Give events pod ids (PodEvent.podId) instead of names (pod ""), so the kernel need not look names up:
   * csv traces read in order. Only for a trace read alone, whose events reach the kernel one at a time (not
   * merged with others), and not for callers that look pods up by name.
   */
  readonly podIds?: boolean | undefined
  /**
   * Read on a second thread (ParallelTrace) while the caller simulates: "auto" (the default) does so for
   * files of PARALLEL_MIN_BYTES or more, where it pays for starting the thread. Same events either way.
   */
  readonly parallel?: boolean | "auto" | undefined
  /**
   * next() fills and returns one event object instead of making one per event, so a consumer must be done
   * with an event before it asks for the next (the kernel is; a merge of several sources is not): on the
   * second thread's hand-over, and in a reader's common csv rows (the second thread's own reader always
   * reuses, since it copies each event into a batch at once). On L, an object per event cost the kernel
   * 9–16 % and the whole command about 4 %; in the reader it was 73 of the 73 bytes it allocated per event.
   */
  readonly reuseEvents?: boolean | undefined
}

/** Smallest trace file read on a second thread by default (starting the thread costs a few tenths of a second). */
export const PARALLEL_MIN_BYTES = 8 << 20

export interface TraceStats {
  /** Physical lines read so far. */
  readonly lines: number
  /** Events returned by next(). */
  readonly events: number
  /** Records that gave no event: audit records of other kinds, late bindings, replaced deletes. */
  readonly skipped: number
}

export interface TraceReader extends TraceSource {
  stats(): TraceStats
  /** Closes the file; next() then returns undefined. Reading to the end closes it too. */
  close(): void
}

export const DEFAULT_AUDIT_LOOKAHEAD_MS = 60_000

/** A malformed trace: `file:line: what was expected, got what` (one line). */
export class TraceError extends Error {
  override readonly name = "TraceError"
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${detail.replace(/\s*\n\s*/g, " ")}`)
  }
}

/** A value as it appears in a message: quoted, and cut short when long. */
const show = (v: unknown): string => {
  const s = v === undefined ? "nothing" : typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** RFC 4180 fields of one line (no line breaks inside fields); unquoted fields are trimmed. */
export const splitCsvLine = (line: string): string[] | string => {
  if (!line.includes('"')) return line.split(",").map((f) => f.trim())
  const fields: string[] = []
  let i = 0
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++
    if (line[i] === '"') {
      let value = ""
      let j = i + 1
      for (;;) {
        const q = line.indexOf('"', j)
        if (q < 0) return `expected a closing quote for the field starting at column ${i + 1}`
        value += line.slice(j, q)
        if (line[q + 1] === '"') {
          value += '"'
          j = q + 2
        } else {
          j = q + 1
          break
        }
      }
      while (line[j] === " " || line[j] === "\t") j++
      fields.push(value)
      if (j >= line.length) return fields
      if (line[j] !== ",") return `expected "," after the quoted field ending at column ${j}, got ${show(line[j])}`
      i = j + 1
    } else {
      const c = line.indexOf(",", i)
      fields.push((c < 0 ? line.slice(i) : line.slice(i, c)).trim())
      if (c < 0) return fields
      i = c + 1
    }
  }
}

/** An RFC 4180 field: quoted only when it has to be. */
export const csvField = (s: string): string => (/[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

const WHOLE = /^\d+$/
const DECIMAL = /^\d+(?:\.\d+)?$/

/** Whole ms from a cell in ms (integer) or seconds (decimal); an error message otherwise. */
const cellTime = (text: string, seconds: boolean, column: string): number | string => {
  if (seconds) {
    if (!DECIMAL.test(text)) return `expected seconds (like 12 or 12.5) in column "${column}", got ${show(text)}`
    return Math.round(Number(text) * 1000)
  }
  if (!WHOLE.test(text)) return `expected whole ms in column "${column}", got ${show(text)}`
  const ms = Number(text)
  return Number.isSafeInteger(ms) ? ms : `expected whole ms in column "${column}", got ${show(text)} (too large)`
}

/** One record in file order, before offsets; `t` in ms (audit: ms since the epoch). */
interface Rec {
  t: number
  readonly line: number
  /** The time as written, for order errors. */
  readonly timeText: string
  readonly kind: "create" | "delete" | "bind" | "row"
  readonly pod: string
  readonly node: string | undefined
  readonly windowsSelector: boolean
  readonly hostNetwork: boolean
  /** pod-table: the deletion time (ms, or undefined for never). */
  deleteAt: number | undefined
}

type Fail = (detail: string) => never

// ---------------------------------------------------------------------------------------------------------
// CSV and pod tables: a header names the columns.

const TIME_MS = ["time_ms", "t"]
const TIME_S = ["time_s", "time"]
const POD_NAMES = ["pod", "name", "instance", "pod_name", "instance_name"]
const CREATION = ["creation_time", "start_time", "create_time", "created"]
const DELETION = ["deletion_time", "end_time", "delete_time", "deleted"]

interface Columns {
  readonly count: number
  readonly index: ReadonlyMap<string, number>
  readonly names: readonly string[]
}

const readHeader = (line: string, fail: Fail): Columns => {
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
const pick = (cols: Columns, aliases: readonly string[], fail: Fail): string | undefined => {
  const found = aliases.filter((a) => cols.index.has(a))
  if (found.length > 1) fail(`expected one of the columns ${found.map((f) => `"${f}"`).join(", ")}, got all of them`)
  return found[0]
}

const hasAny = (cols: Columns, aliases: readonly string[]): boolean => aliases.some((a) => cols.index.has(a))

const isPodTableHeader = (cols: Columns): boolean =>
  hasAny(cols, CREATION) && hasAny(cols, DELETION) && !cols.index.has("event") && !cols.index.has("type")

const missing = (cols: Columns, what: string): string =>
  `expected ${what} in the header, got columns ${cols.names.map((n) => JSON.stringify(n)).join(", ")}`

/** The columns every row format shares: pod identity, node and what the webhook sees. */
const podColumns = (cols: Columns, fail: Fail) => {
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
    return {
      pod: ns === "" ? name : `${ns}/${name}`,
      node: node === "" ? undefined : node,
      windowsSelector: idx.os === undefined ? true : windowsValue(cells[idx.os]!),
      hostNetwork: hn === "true",
    }
  }
  return { read, idx }
}

const rowCells = (line: string, cols: Columns, fail: Fail): string[] => {
  const cells = splitCsvLine(line)
  if (typeof cells === "string") fail(cells)
  if (cells.length !== cols.count) fail(`expected ${cols.count} fields as in the header, got ${cells.length}`)
  return cells
}

interface CsvRowParser {
  readonly parse: (line: string, lineNo: number, fail: Fail) => Rec
  /** The byte-level reader of common rows, when times are whole ms. */
  readonly fast: CsvFastRow | undefined
}

const csvRowParser = (cols: Columns, fail: Fail): CsvRowParser => {
  const ms = pick(cols, TIME_MS, fail)
  const s = pick(cols, TIME_S, fail)
  if (ms !== undefined && s !== undefined) fail(`expected one time column, got "${ms}" and "${s}"`)
  const timeCol = ms ?? s
  if (timeCol === undefined) fail(missing(cols, 'a time column ("time_ms" or "t" in ms, "time_s" or "time" in s)'))
  const eventCol = pick(cols, ["event", "type"], fail)
  if (eventCol === undefined) fail(missing(cols, 'an "event" column'))
  const timeIdx = cols.index.get(timeCol)!
  const eventIdx = cols.index.get(eventCol)!
  const pod = podColumns(cols, fail)
  const parse = (line: string, lineNo: number, fail: Fail): Rec => {
    const cells = rowCells(line, cols, fail)
    const timeText = cells[timeIdx]!
    const t = cellTime(timeText, s !== undefined, timeCol)
    if (typeof t === "string") fail(t)
    const event = cells[eventIdx]!.toLowerCase()
    if (event !== "create" && event !== "delete")
      fail(`expected event "create" or "delete", got ${show(cells[eventIdx])}`)
    return { t, line: lineNo, timeText, kind: event, deleteAt: undefined, ...pod.read(cells, fail) }
  }
  const fast =
    s === undefined ? new CsvFastRow({ count: cols.count, time: timeIdx, event: eventIdx, ...pod.idx }) : undefined
  return { parse, fast }
}

const podTableRowParser = (cols: Columns, fail: Fail): ((line: string, lineNo: number, fail: Fail) => Rec) => {
  const created = pick(cols, CREATION, fail)
  const deleted = pick(cols, DELETION, fail)
  if (created === undefined || deleted === undefined)
    fail(
      missing(
        cols,
        `a creation time column (${CREATION.join(", ")}) and a deletion time column (${DELETION.join(", ")})`,
      ),
    )
  const cIdx = cols.index.get(created)!
  const dIdx = cols.index.get(deleted)!
  const pod = podColumns(cols, fail).read
  return (line: string, lineNo: number, fail: Fail): Rec => {
    const cells = rowCells(line, cols, fail)
    const timeText = cells[cIdx]!
    const t = cellTime(timeText, true, created)
    if (typeof t === "string") fail(t)
    const dText = cells[dIdx]!
    let deleteAt: number | undefined
    if (dText !== "") {
      const d = cellTime(dText, true, deleted)
      if (typeof d === "string") fail(d)
      if (d < t) fail(`expected a deletion time at or after the creation time ${timeText}, got ${dText}`)
      deleteAt = d
    }
    return { t, line: lineNo, timeText, kind: "row", deleteAt, ...pod(cells, fail) }
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON Lines and audit logs.

const parseJson = (line: string, fail: Fail): Record<string, unknown> => {
  let v: unknown
  try {
    v = JSON.parse(line)
  } catch (e) {
    return fail(`expected a JSON object, got invalid JSON (${(e as Error).message})`)
  }
  if (!isRecord(v)) fail(`expected a JSON object, got ${show(v)}`)
  return v as Record<string, unknown>
}

const isAuditEvent = (o: Record<string, unknown>): boolean =>
  o.kind === "Event" && typeof o.apiVersion === "string" && o.apiVersion.startsWith("audit.k8s.io/")

const optionalString = (o: Record<string, unknown>, key: string, fail: Fail): string | undefined => {
  const v = o[key]
  if (v === undefined || v === null || v === "") return undefined
  if (typeof v !== "string") fail(`expected "${key}" to be a string, got ${show(v)}`)
  return v as string
}

const jsonWindows = (o: Record<string, unknown>, fail: Fail): boolean => {
  const given = ["windowsSelector", "os", "nodeSelector"].filter((k) => o[k] !== undefined && o[k] !== null)
  if (given.length > 1) fail(`expected one of "windowsSelector", "os", "nodeSelector", got ${given.join(" and ")}`)
  if (given.length === 0) return true
  const v = o[given[0]!]
  if (given[0] === "windowsSelector") {
    if (typeof v !== "boolean") fail(`expected "windowsSelector" to be true or false, got ${show(v)}`)
    return v as boolean
  }
  if (typeof v === "string") return windowsValue(v)
  if (given[0] === "nodeSelector" && isRecord(v)) return v["kubernetes.io/os"] === "windows"
  return fail(
    `expected "${given[0]}" to be a string${given[0] === "nodeSelector" ? " or an object" : ""}, got ${show(v)}`,
  )
}

const jsonRec = (o: Record<string, unknown>, lineNo: number, fail: Fail): Rec => {
  const timeKeys = ["t", "time", "time_ms", "time_s"].filter((k) => o[k] !== undefined)
  if (timeKeys.length !== 1)
    fail(
      timeKeys.length === 0
        ? 'expected a time ("t", "time" or "time_ms" in ms, "time_s" in seconds), got none'
        : `expected one time field, got ${timeKeys.map((k) => `"${k}"`).join(" and ")}`,
    )
  const key = timeKeys[0]!
  const raw = o[key]
  const seconds = key === "time_s"
  if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0 || (!seconds && !Number.isSafeInteger(raw)))
    fail(`expected "${key}" to be ${seconds ? "seconds ≥ 0" : "whole ms ≥ 0"}, got ${show(raw)}`)
  const t = seconds ? Math.round((raw as number) * 1000) : (raw as number)
  if (o.event !== undefined && o.type !== undefined) fail('expected one of "event" and "type", got both')
  const event = o.event ?? o.type
  if (event !== "create" && event !== "delete") fail(`expected event "create" or "delete", got ${show(event)}`)
  if (o.pod !== undefined && o.name !== undefined) fail('expected one of "pod" and "name", got both')
  const name = o.pod ?? o.name
  if (typeof name !== "string" || name === "") fail(`expected "pod" to be a pod name, got ${show(name)}`)
  const ns = optionalString(o, "namespace", fail)
  const hn = o.hostNetwork ?? false
  if (typeof hn !== "boolean") fail(`expected "hostNetwork" to be true or false, got ${show(hn)}`)
  return {
    t,
    line: lineNo,
    timeText: String(raw),
    kind: event as "create" | "delete",
    pod: ns === undefined ? (name as string) : `${ns}/${name as string}`,
    node: optionalString(o, "node", fail),
    windowsSelector: jsonWindows(o, fail),
    hostNetwork: hn as boolean,
    deleteAt: undefined,
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** ms since the epoch, truncated to the ms (audit timestamps carry microseconds). */
export const parseRfc3339 = (s: string): number | undefined => {
  const m = RFC3339.exec(s)
  if (m === null) return undefined
  const [, y, mo, d, h, mi, sec, frac = "", , sign, oh, om] = m
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec))
  const offset = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000
  return ms + Number(frac.slice(0, 3).padEnd(3, "0")) - offset
}

const get = (o: unknown, ...path: string[]): unknown => {
  let v = o
  for (const k of path) v = isRecord(v) ? v[k] : undefined
  return v
}

/** Audit record → Rec (t in ms since the epoch), or undefined for records that are no pod event. */
const auditRec = (o: Record<string, unknown>, t: number, timeText: string, lineNo: number): Rec | undefined => {
  if (o.stage !== "ResponseComplete") return undefined
  const ref = o.objectRef
  if (!isRecord(ref) || ref.resource !== "pods" || (ref.apiGroup !== undefined && ref.apiGroup !== "")) return undefined
  const code = get(o, "responseStatus", "code")
  if (typeof code !== "number" || code < 200 || code > 299) return undefined
  if (typeof o.requestURI === "string" && /[?&]dryRun=/.test(o.requestURI)) return undefined
  const sub = ref.subresource ?? ""
  const create = o.verb === "create" && sub === ""
  const bind = o.verb === "create" && sub === "binding"
  const del = o.verb === "delete" && sub === ""
  if (!create && !bind && !del) return undefined
  const name = [
    ref.name,
    get(o, "responseObject", "metadata", "name"),
    get(o, "requestObject", "metadata", "name"),
  ].find((n): n is string => typeof n === "string" && n !== "")
  if (name === undefined) return undefined
  const pod = typeof ref.namespace === "string" && ref.namespace !== "" ? `${ref.namespace}/${name}` : name
  const base = { t, line: lineNo, timeText, pod, deleteAt: undefined }
  if (bind) {
    const target = get(o, "requestObject", "target", "name")
    const node = typeof target === "string" && target !== "" ? target : undefined
    return { ...base, kind: "bind", node, windowsSelector: true, hostNetwork: false }
  }
  if (del) return { ...base, kind: "delete", node: undefined, windowsSelector: true, hostNetwork: false }
  // The admitted pod (responseObject) when the log has it: webhooks may have added a nodeSelector.
  const spec = get(o, "responseObject", "spec") ?? get(o, "requestObject", "spec")
  const nodeName = get(spec, "nodeName")
  return {
    ...base,
    kind: "create",
    node: typeof nodeName === "string" && nodeName !== "" ? nodeName : undefined,
    windowsSelector: isRecord(spec) ? get(spec, "nodeSelector", "kubernetes.io/os") === "windows" : true,
    hostNetwork: get(spec, "hostNetwork") === true,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Assembling records (in time order) into events.

interface Assembler {
  add(rec: Rec): void
  /** The next event that nothing still unread can precede, or undefined (read more, or the end). */
  take(eof: boolean): PodEvent | undefined
}

const event = (t: number, type: "create" | "delete", r: Rec, node = r.node): PodEvent =>
  node === undefined
    ? { t, type, pod: r.pod, windowsSelector: r.windowsSelector, hostNetwork: r.hostNetwork }
    : { t, type, pod: r.pod, node, windowsSelector: r.windowsSelector, hostNetwork: r.hostNetwork }

/** csv, jsonl: one row, one event. */
class RowEvents implements Assembler {
  private held: PodEvent | undefined
  add(rec: Rec): void {
    this.held = event(rec.t, rec.kind as "create" | "delete", rec)
  }
  take(): PodEvent | undefined {
    const e = this.held
    this.held = undefined
    return e
  }
}

/** pod-table: creates in row order, deletes from a heap of live pods; a delete goes first at equal times. */
class PodTableEvents implements Assembler {
  private held: Rec | undefined
  private readonly deletes = new TimeHeap<PodEvent>()
  add(rec: Rec): void {
    this.held = rec
  }
  take(eof: boolean): PodEvent | undefined {
    const r = this.held
    if (r === undefined) return eof ? this.deletes.pop() : undefined
    if (this.deletes.peekTime() <= r.t) return this.deletes.pop()
    this.held = undefined
    if (r.deleteAt !== undefined) this.deletes.push(r.deleteAt, event(r.deleteAt, "delete", r))
    return event(r.t, "create", r)
  }
}

interface Ready {
  readonly event: PodEvent
  dropped: boolean
}

/** audit: creates wait for their binding, deletes for a later delete of the same pod, both within the lookahead. */
class AuditEvents implements Assembler {
  private readonly ready = new TimeHeap<Ready>()
  private readonly unbound = new Map<string, Rec>()
  private readonly unboundByTime = new TimeHeap<Rec>()
  private readonly lastDelete = new Map<string, Ready>()
  /** Creates of live pods: a delete record has no pod spec, its event repeats the create's. */
  private readonly live = new Map<string, Rec>()
  private seen = Number.NEGATIVE_INFINITY
  private flushed = false
  skipped = 0

  constructor(private readonly lookahead: number) {}

  add(r: Rec): void {
    this.seen = Math.max(this.seen, r.t)
    this.expire(this.seen - this.lookahead)
    const waiting = this.unbound.get(r.pod)
    if (r.kind === "create") {
      if (waiting !== undefined) this.release(waiting)
      // A pod made again under the same name: the earlier delete is final.
      this.lastDelete.delete(r.pod)
      this.live.set(r.pod, r)
      if (r.node !== undefined) this.push(event(r.t, "create", r))
      else {
        this.unbound.set(r.pod, r)
        this.unboundByTime.push(r.t, r)
      }
    } else if (r.kind === "bind") {
      if (waiting === undefined) this.skipped++
      else {
        this.unbound.delete(r.pod)
        this.push(event(r.t, "create", waiting, r.node))
      }
    } else {
      if (waiting !== undefined) this.release(waiting)
      const earlier = this.lastDelete.get(r.pod)
      if (earlier !== undefined) {
        earlier.dropped = true
        this.skipped++
      }
      const created = this.live.get(r.pod)
      this.live.delete(r.pod)
      const shape = created ?? r
      const del = { ...r, windowsSelector: shape.windowsSelector, hostNetwork: shape.hostNetwork }
      this.lastDelete.set(r.pod, this.push(event(r.t, "delete", del)))
    }
  }

  take(eof: boolean): PodEvent | undefined {
    if (eof && !this.flushed) {
      this.flushed = true
      this.expire(Number.POSITIVE_INFINITY)
    }
    for (;;) {
      if (!eof && this.ready.peekTime() >= this.seen - this.lookahead) return undefined
      const r = this.ready.pop()
      if (r === undefined) return undefined
      if (this.lastDelete.get(r.event.pod) === r) this.lastDelete.delete(r.event.pod)
      if (!r.dropped) return r.event
    }
  }

  /** Creates that waited past `before` go out unbound at their own time. */
  private expire(before: number): void {
    while (this.unboundByTime.peekTime() < before) {
      const r = this.unboundByTime.pop()!
      if (this.unbound.get(r.pod) === r) this.release(r)
    }
  }

  private release(r: Rec): void {
    this.unbound.delete(r.pod)
    this.push(event(r.t, "create", r, undefined))
  }

  private push(e: PodEvent): Ready {
    const r = { event: e, dropped: false }
    this.ready.push(e.t, r)
    return r
  }
}

// ---------------------------------------------------------------------------------------------------------

const formatFromExtension = (file: string): "csv" | "json-lines" | "audit-only" | undefined => {
  const ext = extname(file).toLowerCase()
  if (ext === ".csv") return "csv"
  if (ext === ".jsonl" || ext === ".ndjson") return "json-lines"
  if (ext === ".json" || ext === ".log") return "audit-only"
  return undefined
}

class FileTraceReader implements TraceReader {
  private readonly lines: ByteLines
  /** csv rows with whole-ms times, not sorted: the byte-level path for common rows. */
  private fast: CsvFastRow | undefined
  /** With the fast path and `podIds`: the live pods' ids. */
  private ids: PodIdTable | undefined
  private readonly reused: ReusedEvent | undefined
  private readonly fail: (line: number | undefined) => Fail
  private format: TraceFormat | undefined
  private parse: ((line: string, lineNo: number) => Rec | undefined) | undefined
  private assembler: Assembler | undefined
  private audit: AuditEvents | undefined
  private sorted: Rec[] | undefined
  private sortedAt = 0
  private eof = false
  private closed = false
  private events = 0
  private skipped = 0
  /** The latest record so far (file order): its time before offsets, as written (undefined: String(t)), its line (0: none yet). */
  private lastT = 0
  private lastText: string | undefined
  private lastLine = 0
  /** audit: the first record's time (or the earliest, sorted), which becomes 0. */
  private firstAbs: number | undefined
  private minAbs = Number.POSITIVE_INFINITY
  private readonly offset: number
  private readonly lookahead: number

  constructor(
    private readonly file: string,
    private readonly options: OpenTraceOptions,
  ) {
    this.fail = (line) => (detail) => {
      this.close()
      throw new TraceError(file, line, detail)
    }
    const offset = options.offsetMs ?? 0
    if (!Number.isSafeInteger(offset))
      throw new TraceError(file, undefined, `expected offsetMs to be whole ms, got ${show(offset)}`)
    const lookahead = options.auditLookaheadMs ?? DEFAULT_AUDIT_LOOKAHEAD_MS
    if (!Number.isSafeInteger(lookahead) || lookahead < 0)
      throw new TraceError(file, undefined, `expected auditLookaheadMs to be whole ms ≥ 0, got ${show(lookahead)}`)
    this.offset = offset
    this.lookahead = lookahead
    this.reused = options.reuseEvents ? new ReusedEvent() : undefined
    if (options.format === undefined && formatFromExtension(file) === undefined)
      throw new TraceError(
        file,
        undefined,
        `cannot tell the trace format from the extension ${show(extname(file))}: expected .csv, .jsonl, .ndjson, .json or .log, or a format (csv, jsonl, audit, pod-table)`,
      )
    try {
      this.lines = new ByteLines(file)
    } catch (e) {
      throw new TraceError(file, undefined, `cannot open the trace (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
    }
  }

  /** The next line; false at the end of the file. */
  private nextLine(): boolean {
    try {
      return this.lines.next()
    } catch (e) {
      this.close()
      throw new TraceError(
        this.file,
        this.lines.lineNo + 1,
        `cannot read the trace (${(e as NodeJS.ErrnoException).code})`,
      )
    }
  }

  stats(): TraceStats {
    return { lines: this.lines.lineNo, events: this.events, skipped: this.skipped + (this.audit?.skipped ?? 0) }
  }

  close(): void {
    this.closed = true
    this.lines.close()
    this.sorted = undefined
  }

  next(): PodEvent | undefined {
    if (this.closed) return undefined
    if (this.fast !== undefined) return this.nextFast(this.fast)
    for (;;) {
      const e = this.assembler?.take(this.eof)
      if (e !== undefined) {
        this.events++
        return e
      }
      if (this.eof) {
        this.close()
        return undefined
      }
      const r = this.options.sort ? this.nextSorted() : this.nextInOrder()
      // After a csv header the byte-level path takes over.
      if (r === undefined && this.fast !== undefined) return this.nextFast(this.fast)
      if (r === undefined) this.eof = true
      else this.assembler!.add(this.place(r))
    }
  }

  /** Applies the audit time base and the offset; times must not land before 0. */
  private place(r: Rec): Rec {
    if (this.audit !== undefined) {
      const base = this.options.sort ? this.minAbs : this.firstAbs!
      // Records up to a lookahead earlier than the first one (written out of order) count as time 0.
      r.t = Math.max(0, r.t - base)
    }
    r.t = this.shifted(r.t, r.line)
    if (r.deleteAt !== undefined) r.deleteAt += this.offset
    return r
  }

  private nextInOrder(): Rec | undefined {
    const r = this.nextRecord()
    if (r === undefined) return undefined
    this.checkOrder(r.t, r.timeText, r.line)
    return r
  }

  /** Times must not go back (audit: by more than the lookahead); remembers the latest. */
  private checkOrder(t: number, text: string | undefined, line: number): void {
    const slack = this.audit !== undefined ? this.lookahead : 0
    if (this.lastLine > 0 && t < this.lastT - slack) {
      const rule = this.format === "pod-table" ? "rows must be sorted by creation time: creation " : ""
      const beyond = this.audit !== undefined ? ` by more than the ${this.lookahead} ms lookahead` : ""
      this.fail(line)(
        `${rule}time ${text ?? String(t)} is earlier than ${this.lastText ?? String(this.lastT)} on line ${this.lastLine}${beyond}; pass --sort-trace to sort`,
      )
    }
    if (this.lastLine === 0 || t >= this.lastT) {
      this.lastT = t
      this.lastText = text
      this.lastLine = line
    }
  }

  /** csv: common rows straight from bytes, the rest through the general parser (same events, same errors). */
  private nextFast(fast: CsvFastRow): PodEvent | undefined {
    const lines = this.lines
    for (;;) {
      if (!this.nextLine()) {
        this.close()
        return undefined
      }
      if (lines.end === lines.start) continue
      let e: PodEvent
      if (fast.parse(lines.buf, lines.start, lines.end)) {
        this.checkOrder(fast.t, fast.timeText, lines.lineNo)
        const t = this.shifted(fast.t, lines.lineNo)
        const type = fast.create ? "create" : "delete"
        const ids = this.ids
        const podId =
          ids === undefined
            ? undefined
            : fast.create
              ? ids.create(fast.key, fast.keyStart, fast.keyEnd)
              : ids.remove(fast.key, fast.keyStart, fast.keyEnd)
        const pod = ids === undefined ? fast.pod : ""
        const node = fast.node
        const windowsSelector = fast.windowsSelector
        const hostNetwork = fast.hostNetwork
        if (this.reused !== undefined) e = fill(this.reused, t, type, pod, podId, node, windowsSelector, hostNetwork)
        // Literal shapes, as the general path makes them (no node key without a node).
        else if (podId === undefined)
          e =
            node === undefined
              ? { t, type, pod, windowsSelector, hostNetwork }
              : { t, type, pod, node, windowsSelector, hostNetwork }
        else
          e =
            node === undefined
              ? { t, type, pod, windowsSelector, hostNetwork, podId }
              : { t, type, pod, node, windowsSelector, hostNetwork, podId }
      } else {
        const text = lines.text()
        if (text.trim() === "") continue
        const r = this.parse!(text, lines.lineNo)!
        this.checkOrder(r.t, r.timeText, r.line)
        this.place(r)
        const ev = event(r.t, r.kind as "create" | "delete", r)
        const ids = this.ids
        if (ids === undefined) e = ev
        else {
          const key = Buffer.from(r.pod, "utf8")
          const podId = r.kind === "create" ? ids.create(key, 0, key.length) : ids.remove(key, 0, key.length)
          e = { ...ev, pod: "", podId }
        }
        // A rare row: still handed out in the one object when events are reused.
        if (this.reused !== undefined)
          e = fill(this.reused, e.t, e.type, e.pod, e.podId, e.node, e.windowsSelector, e.hostNetwork)
      }
      this.events++
      return e
    }
  }

  /** A time after the offset, which must not land before 0. */
  private shifted(t: number, line: number): number {
    const shifted = t + this.offset
    if (shifted < 0)
      this.fail(line)(`expected a time at or after 0 after the offset of ${this.offset} ms, got ${shifted} ms`)
    return shifted
  }

  /** Loads every record, sorts them stably by time, then hands them out. */
  private nextSorted(): Rec | undefined {
    if (this.sorted === undefined) {
      const all: Rec[] = []
      for (let r = this.nextRecord(); r !== undefined; r = this.nextRecord()) all.push(r)
      all.sort((a, b) => a.t - b.t)
      this.sorted = all
    }
    const r = this.sorted[this.sortedAt]
    if (r === undefined) return undefined
    this.sorted[this.sortedAt++] = undefined as unknown as Rec
    return r
  }

  /** The next record in file order, skipping blank lines and lines that carry no event. */
  private nextRecord(): Rec | undefined {
    for (;;) {
      if (!this.nextLine()) return undefined
      const line = this.lines.text()
      if (line.trim() === "") continue
      const lineNo = this.lines.lineNo
      if (this.parse === undefined) {
        this.start(line, lineNo)
        if (this.format !== "jsonl" && this.format !== "audit") {
          // A header; csv rows in order go by the byte-level path from here on.
          if (this.fast !== undefined) return undefined
          continue
        }
      }
      const r = this.parse!(line, lineNo)
      if (r !== undefined) return r
      if (this.audit === undefined) this.skipped++
    }
  }

  /** Chooses the format from the options, the extension and the first line; sets up the parser. */
  private start(first: string, lineNo: number): void {
    const fail = this.fail(lineNo)
    const byExt = formatFromExtension(this.file)
    let format = this.options.format
    if (format === undefined) {
      if (byExt === "csv") format = isPodTableHeader(readHeader(first, fail)) ? "pod-table" : "csv"
      else {
        const looksAudit = (() => {
          try {
            const v: unknown = JSON.parse(first)
            return isRecord(v) && isAuditEvent(v)
          } catch {
            return false
          }
        })()
        if (byExt === "audit-only" && !looksAudit)
          fail(
            `expected a Kubernetes audit event (audit.k8s.io) as .json and .log traces are read as audit logs, got ${show(first)}; give a format for other content`,
          )
        format = looksAudit ? "audit" : "jsonl"
      }
    }
    this.format = format
    const at = (n: number): Fail => this.fail(n)
    switch (format) {
      case "csv": {
        const row = csvRowParser(readHeader(first, fail), fail)
        this.parse = (line, n) => row.parse(line, n, at(n))
        this.assembler = new RowEvents()
        if (!this.options.sort) {
          this.fast = row.fast
          if (this.fast !== undefined && this.options.podIds) {
            this.ids = new PodIdTable()
            this.fast.names = false
          }
        }
        break
      }
      case "pod-table": {
        const row = podTableRowParser(readHeader(first, fail), fail)
        this.parse = (line, n) => row(line, n, at(n))
        this.assembler = new PodTableEvents()
        break
      }
      case "jsonl":
        this.parse = (line, n) => jsonRec(parseJson(line, at(n)), n, at(n))
        this.assembler = new RowEvents()
        break
      case "audit": {
        this.audit = new AuditEvents(this.lookahead)
        this.assembler = this.audit
        this.parse = (line, n) => {
          const o = parseJson(line, at(n))
          if (!isAuditEvent(o))
            at(n)(`expected a Kubernetes audit event (kind "Event", apiVersion audit.k8s.io/...), got ${show(line)}`)
          const text = o.stageTimestamp ?? o.requestReceivedTimestamp
          const abs = typeof text === "string" ? parseRfc3339(text) : undefined
          if (abs === undefined)
            return at(n)(`expected an RFC 3339 stageTimestamp or requestReceivedTimestamp, got ${show(text)}`)
          this.firstAbs ??= abs
          this.minAbs = Math.min(this.minAbs, abs)
          const r = auditRec(o, abs, text as string, n)
          if (r === undefined) this.audit!.skipped++
          return r
        }
        break
      }
      default:
        fail(`expected a format "csv", "jsonl", "audit" or "pod-table", got ${show(format)}`)
    }
  }
}

/**
 * Opens a trace file for streaming. Fails at once (TraceError) when the file cannot be opened or its format
 * cannot be told from the extension; malformed content fails from next(), naming the line.
 */
export const openTrace = (path: string, options: OpenTraceOptions = {}): TraceReader => {
  const reader = new FileTraceReader(path, options)
  const parallel = options.parallel ?? false
  // Sorting loads the whole file: that belongs in this thread's full-size heap, not the reader's small one.
  if (parallel === false || options.sort) return reader
  // Opening here first reports a missing file or an unknown format at once, as the in-thread reader does.
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0
  if (parallel === "auto" && size < PARALLEL_MIN_BYTES) return reader
  reader.close()
  return new ParallelTrace(path, { ...options, parallel: false })
}
