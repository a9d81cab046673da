// A trace file read in this thread, synchronously and pull-based (the kernel calls next()): the file is
// read in 1 MiB chunks and split into lines (ByteLines), so memory does not grow with the file, except with
// `sort: true`, which loads the whole file, sorts it (stably) and then replays it. The format comes from the
// options, the extension or the first line; its parser (CsvTrace, PodTableTrace, JsonlTrace, AuditTrace)
// makes records and its assembler events. Here times are checked for order and shifted by the offset.
// Common csv rows are parsed straight from bytes (CsvFastRow); `podIds` numbers pods from their names'
// bytes (PodIdTable).

import { closeSync, openSync, readSync } from "node:fs"
import { extname } from "node:path"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { headEncodingProblem, lineAndColumn } from "../Encoding.ts"
import { bytesText, MAX_TRACE_LINE_BYTES } from "../Limits.ts"
import { AuditEvents, auditRec, isAuditEvent, parseRfc3339 } from "./AuditTrace.ts"
import { ByteLines, LineEncodingError, LineTooLongError } from "./ByteLines.ts"
import { readHeader } from "./CsvColumns.ts"
import type { CsvFastRow } from "./CsvFastRow.ts"
import { csvRowParser } from "./CsvTrace.ts"
import { jsonRec, parseJson } from "./JsonlTrace.ts"
import { PodIdTable } from "./PodIdTable.ts"
import { isPodTableHeader, PodTableEvents, podTableRowParser } from "./PodTableTrace.ts"
import { fill, ReusedEvent } from "./ReusedEvent.ts"
import {
  DEFAULT_AUDIT_LOOKAHEAD_MS,
  type OpenTraceOptions,
  TraceError,
  type TraceFormat,
  type TraceReader,
  type TraceStats,
} from "./TraceReader.ts"
import { type Assembler, event, type Fail, isRecord, type Rec, RowEvents, show } from "./TraceRecord.ts"

const formatFromExtension = (file: string): "csv" | "json-lines" | "audit-only" | undefined => {
  const ext = extname(file).toLowerCase()
  if (ext === ".csv") return "csv"
  if (ext === ".jsonl" || ext === ".ndjson") return "json-lines"
  if (ext === ".json" || ext === ".log") return "audit-only"
  return undefined
}

export class FileTraceReader implements TraceReader {
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
  /** The line of the record last handed to the assembler. */
  private recLine = 0
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
    // UTF-16 (with or without a byte order mark) and binary files, said as such rather than as bad rows.
    const head = headOf(file)
    const bad = head === undefined ? undefined : headEncodingProblem(head)
    if (bad !== undefined) {
      this.close()
      const at = lineAndColumn(head!, bad.offset)
      throw new TraceError(file, at.line, `encoding: ${bad.message}`)
    }
  }

  /** The next line; false at the end of the file. */
  private nextLine(): boolean {
    try {
      return this.lines.next()
    } catch (e) {
      this.close()
      if (e instanceof LineTooLongError)
        throw new TraceError(
          this.file,
          e.line,
          `the line is longer than ${bytesText(MAX_TRACE_LINE_BYTES)}, the limit of a trace line`,
        )
      throw new TraceError(
        this.file,
        this.lines.lineNo + 1,
        `cannot read the trace (${(e as NodeJS.ErrnoException).code})`,
      )
    }
  }

  /** The current line as text; a line that is not UTF-8 is an error naming the byte. */
  private lineText(): string {
    try {
      return this.lines.text()
    } catch (e) {
      if (!(e instanceof LineEncodingError)) throw e
      return this.fail(this.lines.lineNo)(`encoding: ${e.message}; save the file as UTF-8`)
    }
  }

  /** The end of the file: a trace that gave no event is an error (an empty file, a header alone). */
  private atEnd(): undefined {
    this.close()
    if (this.events === 0)
      throw new TraceError(
        this.file,
        undefined,
        this.lines.lineNo === 0
          ? "the trace is empty: expected pod events (csv: a header, then one create or delete per row)"
          : `no pod events in ${this.lines.lineNo} line${this.lines.lineNo === 1 ? "" : "s"}: expected at least one create or delete`,
      )
    return undefined
  }

  /**
   * csv and jsonl without pod ids: the pods alive, by name, to refuse a second create of a live pod (a table
   * over the names' bytes, as for pod ids: a Set of strings would double the time of reading common rows).
   */
  private live: PodIdTable | undefined

  /** A pod created while it is alive: the API server refuses such a create, and so does the trace. */
  private createdTwice(pod: string, line: number): never {
    return this.fail(line)(
      `pod ${show(pod)} is created again while it is alive (the API server refuses a second create of a live pod; give pods of different namespaces a namespace column)`,
    )
  }

  /** Follows a csv or jsonl event's pod (its name's bytes key[s, e)) in and out of life. */
  private follow(create: boolean, key: Uint8Array, s: number, e: number, line: number): void {
    const live = this.live!
    if (!create) live.remove(key, s, e)
    else {
      live.create(key, s, e)
      if (live.existed) this.createdTwice(Buffer.from(key).toString("utf8", s, e), line)
    }
  }

  /** follow() for a pod known by its name. */
  private followNamed(type: "create" | "delete", pod: string, line: number): void {
    const key = Buffer.from(pod, "utf8")
    this.follow(type === "create", key, 0, key.length, line)
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
        if (this.live !== undefined) this.followNamed(e.type, e.pod, this.recLine)
        this.events++
        return e
      }
      if (this.eof) return this.atEnd()
      const r = this.options.sort ? this.nextSorted() : this.nextInOrder()
      // After a csv header the byte-level path takes over.
      if (r === undefined && this.fast !== undefined) return this.nextFast(this.fast)
      if (r === undefined) this.eof = true
      else {
        this.recLine = r.line
        this.assembler!.add(this.place(r))
      }
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
      if (!this.nextLine()) return this.atEnd()
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
        if (ids === undefined) this.follow(fast.create, fast.key, fast.keyStart, fast.keyEnd, lines.lineNo)
        else if (fast.create && ids.existed)
          this.createdTwice(Buffer.from(fast.key).toString("utf8", fast.keyStart, fast.keyEnd), lines.lineNo)
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
        const text = this.lineText()
        if (text.trim() === "") continue
        const r = this.parse!(text, lines.lineNo)!
        this.checkOrder(r.t, r.timeText, r.line)
        this.place(r)
        const ev = event(r.t, r.kind as "create" | "delete", r)
        const ids = this.ids
        if (ids === undefined) {
          this.followNamed(ev.type, ev.pod, r.line)
          e = ev
        } else {
          const key = Buffer.from(r.pod, "utf8")
          const podId = r.kind === "create" ? ids.create(key, 0, key.length) : ids.remove(key, 0, key.length)
          if (r.kind === "create" && ids.existed) this.createdTwice(r.pod, r.line)
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
      const line = this.lineText()
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
        this.live = new PodIdTable()
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
        this.assembler = new PodTableEvents(at)
        break
      }
      case "jsonl":
        this.parse = (line, n) => jsonRec(parseJson(line, at(n)), n, at(n))
        this.assembler = new RowEvents()
        this.live = new PodIdTable()
        break
      case "audit": {
        this.audit = new AuditEvents(this.lookahead, at)
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

/** The first 4 KiB of a file, or undefined when it cannot be read (reading it reports that). */
const headOf = (file: string): Buffer | undefined => {
  let fd: number | undefined
  try {
    fd = openSync(file, "r")
    const buf = Buffer.alloc(4096)
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0))
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
