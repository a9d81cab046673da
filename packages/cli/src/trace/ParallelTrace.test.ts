// Reading on a second thread must hand out exactly what reading in this thread does: the same events in
// the same order, the same pod ids, and the same error after the same events.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Cluster } from "@ipamsim/core/Cluster"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { afterAll, describe, expect, it } from "vitest"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { openTrace } from "./OpenTrace.ts"
import type { OpenTraceOptions } from "./TraceReader.ts"

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

/**
 * 40,000 rows (several batches): churn over 3,000 names (each pod deleted 1,000 creates after its create,
 * its name used again 2,000 creates later), deletes of pods never created, some bound to nodes, some Linux,
 * one quoted.
 */
const csv = (bad?: number): string => {
  const rows = ["time_ms,event,pod,node,os,hostNetwork"]
  for (let i = 0; i < 40_000; i++) {
    const j = i >> 1
    const pod = i % 2 === 0 ? `pod-${j % 3000}` : j >= 1000 ? `pod-${(j - 1000) % 3000}` : `gone-${j}`
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

  it("refuses a pod-table row of a live pod after the same events with the same message", () => {
    // 20,000 pods, each alive for 100 rows; row 15,002 takes the name of the pod of row 14,952, still alive.
    const rows = ["pod,creation_time,deletion_time"]
    for (let i = 0; i < 20_000; i++) rows.push(`${i === 15_000 ? "p14950" : `p${i}`},${i},${i + 100}`)
    const path = saved("twice.csv", `${rows.join("\n")}\n`)
    const here = readAll(path, { parallel: false })
    const there = readAll(path, { parallel: true })
    expect(here.error).toMatch(
      /twice\.csv:15002: pod "p14950" is created again while it is alive: line 14952 creates it/,
    )
    expect(there).toEqual(here)
  })

  it("with reuseEvents, fills one object with the same events, ids and error", () => {
    // Copies each event, as a consumer that keeps events must (TraceSource).
    const copied = (path: string, options: OpenTraceOptions) => {
      const events: PodEvent[] = []
      const seen = new Set<PodEvent>()
      try {
        const r = openTrace(path, options)
        for (let e = r.next(); e !== undefined; e = r.next()) {
          seen.add(e)
          events.push({ ...e })
        }
        return { events, objects: seen.size }
      } catch (e) {
        return { events, objects: seen.size, error: (e as Error).message }
      }
    }
    const path = saved("reused.csv", csv())
    const here = readAll(path, { podIds: true, parallel: false })
    const there = copied(path, { podIds: true, parallel: true, reuseEvents: true })
    expect(there.objects).toBe(1)
    // The reused object has every key; the in-thread reader leaves out an absent node.
    expect(there.events).toEqual(here.events.map((e) => ({ node: undefined, ...e })))
    const bad = saved("reused-bad.csv", csv(30_000))
    const failed = copied(bad, { parallel: true, reuseEvents: true })
    expect(failed.error).toBe(readAll(bad, { parallel: false }).error)
    expect(failed.events).toHaveLength(30_000)
    // The reader in this thread reuses one object on its csv rows too, with the same events and error.
    const inThread = copied(path, { podIds: true, parallel: false, reuseEvents: true })
    expect(inThread.objects).toBe(1)
    expect(inThread.events).toEqual(there.events)
    const inThreadFailed = copied(bad, { parallel: false, reuseEvents: true })
    expect(inThreadFailed.error).toBe(failed.error)
    expect(inThreadFailed.events).toEqual(failed.events)
    // Without the option every event is an object of its own.
    expect(copied(path, { podIds: true, parallel: false }).objects).toBe(here.events.length)
  })

  it("a scenario simulates the same with its traces read on second threads, one trace or two merged", () => {
    // A lone trace reuses one event object; merged traces must not (the merge keeps one event of each).
    const a = saved("a.csv", csv())
    const b = saved("b.csv", csv().replaceAll("pod-", "other-"))
    const scenario = (traces: string[]): string =>
      saved(
        `s${traces.length}.yaml`,
        [
          "name: parallel",
          "subnets: [{ id: s, cidr: 10.0.0.0/20 }]",
          "nodeGroups: [{ name: g, instanceType: m5.large, count: 4, subnet: s }]",
          'configMap: { data: { enable-windows-ipam: "true" } }',
          `workload: { traces: [${traces.map((t) => `{ file: ${t} }`).join(", ")}] }`,
          "",
        ].join("\n"),
      )
    for (const traces of [[a], [a, b]]) {
      const loaded = loadScenario(scenario(traces))
      const run = (parallelTraces: boolean): string => {
        const spec = buildSimSpec(loaded, { parallelTraces })
        try {
          return JSON.stringify(new Cluster(spec).run())
        } finally {
          spec.trace.close?.()
        }
      }
      const here = run(false)
      expect(JSON.parse(here).pods.created).toBeGreaterThan(traces.length * 1000)
      expect(run(true)).toBe(here)
    }
  })

  it("can be closed before the end", () => {
    const r = openTrace(saved("early.csv", csv()), { parallel: true })
    expect(r.next()?.pod).toBe("pod-0")
    r.close()
    expect(r.next()).toBeUndefined()
  })
})
