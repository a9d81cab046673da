// Fixtures for the trace readers' tests: trace files written to a temporary directory (removed after the
// tests), read to the end or to their error.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { afterAll, expect } from "vitest"
import { openTrace } from "./OpenTrace.ts"
import { type OpenTraceOptions, TraceError, type TraceReader } from "./TraceReader.ts"

export const dir = mkdtempSync(join(tmpdir(), "ipamsim-traces-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileNo = 0
export const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, `${fileNo++}-${name}`)
  writeFileSync(path, content)
  return path
}

export const drain = (r: TraceReader): PodEvent[] => {
  const out: PodEvent[] = []
  for (let e = r.next(); e !== undefined; e = r.next()) out.push(e)
  return out
}

export const read = (name: string, content: string, options: OpenTraceOptions = {}): PodEvent[] =>
  drain(openTrace(file(name, content), options))

/** The error message with the temporary directory taken out. */
export const errorOf = (name: string, content: string, options: OpenTraceOptions = {}): string => {
  try {
    read(name, content, options)
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError)
    return (e as Error).message.replace(`${dir}/`, "").replace(/^\d+-/, "")
  }
  throw new Error("expected a TraceError")
}

export const pod = (t: number, type: "create" | "delete", name: string, extra: Partial<PodEvent> = {}): PodEvent => ({
  t,
  type,
  pod: name,
  windowsSelector: true,
  hostNetwork: false,
  ...extra,
})
