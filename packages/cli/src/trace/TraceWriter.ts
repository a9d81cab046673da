// A generated trace written as CSV or JSON Lines that the trace readers (openTrace) read back event for
// event. The trace is streamed to the file, so long traces need no memory.

import { closeSync, openSync, unlinkSync, writeSync } from "node:fs"
import { extname } from "node:path"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { generatorSource, limitSource } from "@ipamsim/core/workload/TraceGenerators"
import { UserFacingError } from "../UserFacingError.ts"
import { csvField } from "./CsvLine.ts"
import type { TracePlan } from "./TracePlan.ts"

export type TraceFileFormat = "csv" | "jsonl"

export const TRACE_CSV_HEADER = "time_ms,event,pod,node,os,hostNetwork"

/** One event as a line (no newline) of the given format; both read back to the same PodEvent. */
export const traceLine = (e: PodEvent, format: TraceFileFormat): string => {
  const os = e.windowsSelector ? "windows" : "linux"
  if (format === "jsonl")
    return JSON.stringify({
      t: e.t,
      event: e.type,
      pod: e.pod,
      ...(e.node === undefined ? {} : { node: e.node }),
      os,
      hostNetwork: e.hostNetwork,
    })
  return `${e.t},${e.type},${csvField(e.pod)},${csvField(e.node ?? "")},${os},${e.hostNetwork}`
}

/** The trace's lines, header first for CSV, generated lazily (memory: the generator's live pods). */
export function* traceLines(plan: TracePlan, format: TraceFileFormat): Generator<string> {
  const generated = generatorSource(plan.spec, plan.seed, 0)
  const source = plan.untilMs === undefined ? generated : limitSource(generated, plan.untilMs)
  if (format === "csv") yield TRACE_CSV_HEADER
  for (let e = source.next(); e !== undefined; e = source.next()) yield traceLine(e, format)
}

/** The whole trace as text, for tests and small traces. */
export const generateTraceText = (plan: TracePlan, format: TraceFileFormat): string => {
  let text = ""
  for (const line of traceLines(plan, format)) text += `${line}\n`
  return text
}

/** CSV unless the file name says JSON Lines. */
export const formatForPath = (path: string): TraceFileFormat => {
  const ext = extname(path).toLowerCase()
  return ext === ".jsonl" || ext === ".ndjson" ? "jsonl" : "csv"
}

/**
 * Streams lines to `path` ("-" = stdout) in 64 KiB writes. An existing file is an error unless `force`; a
 * failed write removes the partial file. Returns the number of lines written.
 */
export const writeTraceFile = (path: string, lines: Iterable<string>, force: boolean): number => {
  const toStdout = path === "-"
  let fd: number
  try {
    fd = toStdout ? 1 : openSync(path, force ? "w" : "wx")
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === "EEXIST") throw new UserFacingError(`${path}: exists; refusing to overwrite it (use --force)`)
    throw new UserFacingError(`${path}: cannot write (${code ?? String(e)})`)
  }
  let n = 0
  let buffer = ""
  try {
    for (const line of lines) {
      buffer += `${line}\n`
      n++
      if (buffer.length >= 65_536) {
        writeSync(fd, buffer)
        buffer = ""
      }
    }
    if (buffer !== "") writeSync(fd, buffer)
  } catch (e) {
    if (!toStdout) {
      closeSync(fd)
      unlinkSync(path)
    }
    throw e instanceof UserFacingError
      ? e
      : new UserFacingError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  if (!toStdout) closeSync(fd)
  return n
}
