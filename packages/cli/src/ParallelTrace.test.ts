// Reading on a second thread must hand out exactly what reading in this thread does: the same events in
// the same order, the same pod ids, and the same error after the same events.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { PodEvent } from "@ipamsim/core/SimSpec"
import { afterAll, describe, expect, it } from "vitest"
import { type OpenTraceOptions, openTrace } from "./TraceReaders.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-parallel-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const saved = (name: string, content: string): string => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const readAll = (path: string, options: OpenTraceOptions): { events: PodEvent[]; error?: string } => {
  const events: PodEvent[] = []
  try {
    const r = openTrace(path, options)
    for (let e = r.next(); e !== undefined; e = r.next()) events.push(e)
    return { events }
  } catch (e) {
    return { events, error: (e as Error).message }
  }
}

/** 40,000 rows (several batches): churn over 3,000 names, some bound to nodes, some Linux, one quoted. */
const csv = (bad?: number): string => {
  const rows = ["time_ms,event,pod,node,os,hostNetwork"]
  for (let i = 0; i < 40_000; i++) {
    const pod = `pod-${i % 3000}`
    const node = i % 17 === 0 ? "win-3" : ""
    const os = i % 11 === 0 ? "linux" : "windows"
    rows.push(
      i === bad
        ? `${i},explode,${pod},,,`
        : `${i * 10},${i % 2 === 0 ? "create" : "delete"},${pod},${node},${os},${i % 13 === 0}`,
    )
  }
  rows.push('400000,create,"quoted, pod",,windows,false')
  return `${rows.join("\n")}\n`
}

describe("ParallelTrace", () => {
  it("gives the same events and pod ids as reading in this thread", () => {
    const path = saved("churn.csv", csv())
    const here = readAll(path, { podIds: true, parallel: false })
    const there = readAll(path, { podIds: true, parallel: true })
    expect(here.events.length).toBe(40_001)
    expect(there).toEqual(here)
  })

  it("fails after the same events with the same message", () => {
    const path = saved("bad.csv", csv(30_000))
    const here = readAll(path, { parallel: false })
    const there = readAll(path, { parallel: true })
    expect(here.error).toMatch(/bad\.csv:30002: expected event "create" or "delete", got "explode"/)
    expect(there).toEqual(here)
  })

  it("reads other formats the same way, and a missing file fails at once", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ t: i, event: "create", pod: `p${i}` }))
    const path = saved("t.jsonl", `${lines.join("\n")}\n`)
    expect(readAll(path, { parallel: true })).toEqual(readAll(path, { parallel: false }))
    expect(() => openTrace(join(dir, "missing.csv"), { parallel: true })).toThrow(/missing\.csv: cannot open the trace/)
  })

  it("can be closed before the end", () => {
    const r = openTrace(saved("early.csv", csv()), { parallel: true })
    expect(r.next()?.pod).toBe("pod-0")
    r.close()
    expect(r.next()).toBeUndefined()
  })
})
