// A generated trace written as CSV or JSON Lines that the trace readers (openTrace) read back event for
// event. The trace is streamed to the file, so long traces need no memory.

import { extname } from "node:path"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { generatorSource, limitSource } from "@ipamsim/core/workload/TraceGenerators"
import { shouldYield, yieldNow } from "../Interrupt.ts"
import { type OutputSink, planOutputs } from "../OutputFile.ts"
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

const FLAG = "--out"
const CHUNK = 65_536

/** Appends lines to a sink in 64 KiB writes; returns how many. */
const pump = (sink: OutputSink, lines: Iterator<string>, max: number): { n: number; done: boolean } => {
  let n = 0
  let buffer = ""
  while (buffer.length < max) {
    const r = lines.next()
    if (r.done) {
      if (buffer !== "") sink.write(buffer)
      return { n, done: true }
    }
    buffer += `${r.value}\n`
    n++
  }
  sink.write(buffer)
  return { n, done: false }
}

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e)
const failure = (path: string, e: unknown): unknown =>
  e instanceof UserFacingError ? e : new UserFacingError(`${path}: cannot write (${codeOf(e)})`)

/**
 * Streams lines to `path` ("-" = stdout) in 64 KiB writes, under a temporary name renamed when complete
 * (OutputFile): an existing file is an error unless `force`; a failed write leaves nothing. Returns the
 * number of lines written.
 */
export const writeTraceFile = (path: string, lines: Iterable<string>, force: boolean): number => {
  const plan = planOutputs([{ flag: FLAG, path, kind: "trace" }], { force })
  try {
    const sink = plan.open(FLAG, { streamStdout: true })
    const it = lines[Symbol.iterator]()
    let total = 0
    for (;;) {
      const { n, done } = pump(sink, it, CHUNK)
      total += n
      if (done) break
    }
    plan.close(FLAG)
    plan.commit()
    return total
  } catch (e) {
    plan.abort()
    throw failure(path, e)
  }
}

/** writeTraceFile that lets a signal in a few times a second (Interrupt.ts): `trace generate`. */
export const writeTraceFileInterruptible = async (
  path: string,
  lines: Iterable<string>,
  force: boolean,
): Promise<number> => {
  const plan = planOutputs([{ flag: FLAG, path, kind: "trace" }], { force })
  try {
    const sink = plan.open(FLAG, { streamStdout: true })
    const it = lines[Symbol.iterator]()
    let total = 0
    for (;;) {
      const { n, done } = pump(sink, it, CHUNK)
      total += n
      if (done) break
      if (shouldYield()) await yieldNow()
    }
    plan.close(FLAG)
    plan.commit()
    return total
  } catch (e) {
    plan.abort()
    throw failure(path, e)
  }
}
