import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { PodEvent, TraceSource } from "@ipamsim/core/spec/SimSpec"
import { generatorSource, limitSource } from "@ipamsim/core/workload/TraceGenerators"
import { afterAll, describe, expect, it } from "vitest"
import { UserFacingError } from "../UserFacingError.ts"
import { openTrace } from "./OpenTrace.ts"
import { POISSON } from "./TracePlan.fixtures.ts"
import { type GenerateOptions, planTrace, type TracePlan } from "./TracePlan.ts"
import { formatForPath, generateTraceText, traceLines, writeTraceFile } from "./TraceWriter.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-trace-writer-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const drain = (s: TraceSource): PodEvent[] => {
  const out: PodEvent[] = []
  for (let e = s.next(); e !== undefined; e = s.next()) out.push(e)
  return out
}

const direct = (plan: TracePlan): PodEvent[] => {
  const g = generatorSource(plan.spec, plan.seed, 0)
  return drain(plan.untilMs === undefined ? g : limitSource(g, plan.untilMs))
}

describe("generated text", () => {
  it("is a CSV with a header, deterministic per seed", () => {
    const plan = planTrace(POISSON)
    const text = generateTraceText(plan, "csv")
    expect(text.split("\n")[0]).toBe("time_ms,event,pod,node,os,hostNetwork")
    expect(text).toBe(generateTraceText(plan, "csv"))
    expect(text).not.toBe(generateTraceText({ ...plan, seed: 8 }, "csv"))
    const events = direct(plan)
    expect(text.trimEnd().split("\n")).toHaveLength(events.length + 1)
    expect(events.every((e) => e.t < 7_200_000)).toBe(true)
  })

  it("writes JSON Lines starting with the time", () => {
    const lines = [...traceLines(planTrace({ kind: "rollout", mode: "scale-up", replicas: 2, node: "n1" }), "jsonl")]
    expect(lines).toEqual([
      '{"t":0,"event":"create","pod":"rollout-0-0","node":"n1","os":"windows","hostNetwork":false}',
      '{"t":0,"event":"create","pod":"rollout-0-1","node":"n1","os":"windows","hostNetwork":false}',
    ])
  })

  it("picks the format from the file name", () => {
    expect(formatForPath("a.jsonl")).toBe("jsonl")
    expect(formatForPath("a.NDJSON")).toBe("jsonl")
    expect(formatForPath("a.csv")).toBe("csv")
    expect(formatForPath("-")).toBe("csv")
  })
})

describe("round trip through the trace readers", () => {
  const plans: [string, GenerateOptions][] = [
    ["poisson", POISSON],
    ["diurnal", { kind: "diurnal", rate: 0.2, amplitude: 0.9, lifetimeMin: "1m", lifetimeMax: "30m", duration: "1d" }],
    ["rollout", { kind: "rollout", mode: "rolling-replace", replicas: 30, at: "5m", namePrefix: 'web "blue", v2' }],
    [
      "cronjob",
      {
        kind: "cronjob",
        every: "10m",
        parallelism: 5,
        lifetime: "3m",
        duration: "6h",
        node: "node,1",
        hostNetwork: true,
        windowsSelector: false,
      },
    ],
  ]
  for (const format of ["csv", "jsonl"] as const)
    it.each(plans)(`%s as ${format} reads back as the same events`, (name, options) => {
      const plan = planTrace(options)
      const path = join(dir, `${name}.${format}`)
      writeTraceFile(path, traceLines(plan, format), false)
      const back = drain(openTrace(path))
      const expected = direct(plan)
      expect(expected.length).toBeGreaterThan(10)
      expect(back).toEqual(expected)
    })
})

describe("writeTraceFile", () => {
  it("refuses to overwrite an existing file unless forced", () => {
    const path = join(dir, "existing.csv")
    writeFileSync(path, "keep me\n")
    expect(() => writeTraceFile(path, ["a"], false)).toThrow(`${path}: exists; refusing to overwrite it (use --force)`)
    expect(readFileSync(path, "utf8")).toBe("keep me\n")
    expect(writeTraceFile(path, ["a", "b"], true)).toBe(2)
    expect(readFileSync(path, "utf8")).toBe("a\nb\n")
  })

  it("reports a directory that does not exist in one line", () => {
    const path = join(dir, "no", "such", "dir.csv")
    expect(() => writeTraceFile(path, ["a"], false)).toThrow(
      `${path}: --out: no such directory ${join(dir, "no", "such")}`,
    )
  })

  it("removes the partial file when generation fails", () => {
    const path = join(dir, "partial.csv")
    function* failing(): Generator<string> {
      yield "x".repeat(70_000)
      throw new UserFacingError("boom")
    }
    expect(() => writeTraceFile(path, failing(), false)).toThrow("boom")
    expect(existsSync(path)).toBe(false)
    // Nor its temporary file.
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([])
  })
})
