import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeServices from "@effect/platform-node/NodeServices"
import type { PodEvent, TraceSource } from "@ipamsim/core/spec/SimSpec"
import { generatorSource, limitSource } from "@ipamsim/core/workload/TraceGenerators"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { afterAll, describe, expect, it } from "vitest"
import {
  formatForPath,
  type GenerateOptions,
  generateTraceText,
  planTrace,
  type TracePlan,
  traceCommand,
  traceLines,
  writeTraceFile,
} from "./TraceCommand.ts"
import { openTrace } from "./TraceReaders.ts"
import { UserFacingError } from "./UserFacingError.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-trace-cmd-"))
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

const POISSON: GenerateOptions = {
  kind: "poisson",
  rate: 0.5,
  lifetimeMedian: "300s",
  lifetimeP99: "1h",
  duration: "2h",
  seed: 7,
}

const refusal = (o: GenerateOptions): string => {
  try {
    planTrace(o)
  } catch (e) {
    expect(e).toBeInstanceOf(UserFacingError)
    const message = (e as Error).message
    expect(message).not.toContain("\n")
    return message
  }
  throw new Error("expected a refusal")
}

describe("planTrace", () => {
  it("maps each kind's flags onto a generator spec", () => {
    expect(planTrace(POISSON)).toEqual({
      spec: { kind: "poisson", ratePerSecond: 0.5, lifetime: { lognormal: { median: 300_000, p99: 3_600_000 } } },
      seed: 7,
      untilMs: 7_200_000,
    })
    expect(
      planTrace({
        kind: "diurnal",
        rate: 2,
        amplitude: 0.8,
        period: "12h",
        peakAt: "3h",
        lifetime: "forever",
        end: "1d",
      }),
    ).toEqual({
      spec: {
        kind: "diurnal",
        meanPerSecond: 2,
        amplitude: 0.8,
        periodMs: 43_200_000,
        peakAtMs: 10_800_000,
        endMs: 86_400_000,
        lifetime: "forever",
      },
      seed: 1,
      untilMs: undefined,
    })
    expect(
      planTrace({ kind: "rollout", mode: "rolling-replace", replicas: 20, maxSurge: 5, stepEvery: "1m", at: "10m" })
        .spec,
    ).toEqual({
      kind: "rollout",
      mode: "rolling-replace",
      atMs: 600_000,
      replicas: 20,
      maxSurge: 5,
      stepEveryMs: 60_000,
    })
    expect(
      planTrace({
        kind: "cronjob",
        every: "15m",
        parallelism: 4,
        lifetimeMin: "30s",
        lifetimeMax: "2m",
        start: "1m",
        duration: "1d",
        namePrefix: "nightly",
        node: "win-1",
        hostNetwork: true,
        windowsSelector: false,
      }).spec,
    ).toEqual({
      kind: "cronjob",
      everyMs: 900_000,
      parallelism: 4,
      startMs: 60_000,
      runMs: { uniform: { min: 30_000, max: 120_000 } },
      namePrefix: "nightly",
      node: "win-1",
      hostNetwork: true,
      windowsSelector: false,
    })
    expect(planTrace({ kind: "poisson", rate: 1, lifetime: "90s", duration: "1h" }).spec).toMatchObject({
      lifetime: { fixed: 90_000 },
    })
  })

  it.each<[string, GenerateOptions, string]>([
    ["missing rate", { kind: "poisson", lifetime: "1m", duration: "1h" }, "--kind poisson needs --rate"],
    [
      "missing lifetime",
      { kind: "poisson", rate: 1, duration: "1h" },
      "--kind poisson needs a lifetime: --lifetime <duration|forever>, --lifetime-median with --lifetime-p99, or --lifetime-min with --lifetime-max",
    ],
    [
      "two lifetimes",
      { ...POISSON, lifetime: "5m" },
      "give one lifetime: --lifetime or --lifetime-median/--lifetime-p99, not both",
    ],
    [
      "half a lognormal",
      { ...POISSON, lifetimeP99: undefined },
      "--kind poisson needs --lifetime-median with --lifetime-p99",
    ],
    [
      "p99 below median",
      { ...POISSON, lifetimeP99: "1m" },
      "--lifetime-p99: expected at least --lifetime-median (300s), got 1m",
    ],
    [
      "bad duration",
      { ...POISSON, duration: "2 hours" },
      '--duration: expected a duration like "500ms", "30s", "5m", "2h", "1d", "1h30m" or whole ms, got "2 hours"',
    ],
    [
      "no horizon",
      { ...POISSON, duration: undefined },
      "--kind poisson never stops by itself: give --duration (or --end)",
    ],
    ["flag of another kind", { ...POISSON, amplitude: 0.5 }, "--amplitude applies to --kind diurnal, not poisson"],
    ["rollout flag", { ...POISSON, replicas: 3 }, "--replicas applies to --kind rollout, not poisson"],
    ["negative rate", { ...POISSON, rate: -1 }, "--rate: expected a finite number ≥ 0, got -1"],
    [
      "amplitude above 1",
      { kind: "diurnal", rate: 1, amplitude: 2, lifetime: "1m", duration: "1d" },
      "--amplitude: expected a number from 0 to 1, got 2",
    ],
    ["no mode", { kind: "rollout", replicas: 3 }, "--kind rollout needs --mode"],
    [
      "surge with scale-up",
      { kind: "rollout", mode: "scale-up", replicas: 3, maxSurge: 1 },
      "--max-surge and --step-every apply to --mode rolling-replace only",
    ],
    [
      "zero surge",
      { kind: "rollout", mode: "rolling-replace", replicas: 3, maxSurge: 0 },
      "--max-surge: expected a whole number ≥ 1, got 0",
    ],
    [
      "endless cronjob pods",
      { kind: "cronjob", every: "1m", lifetime: "forever", duration: "1h" },
      "--lifetime: a cronjob's pods must end; expected a duration, got forever",
    ],
    ["cronjob without every", { kind: "cronjob", lifetime: "1m", duration: "1h" }, "--kind cronjob needs --every"],
  ])("refuses %s", (_, options, message) => {
    expect(refusal(options)).toBe(message)
  })
})

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

describe("round trip through TraceReaders", () => {
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
    expect(() => writeTraceFile(path, ["a"], false)).toThrow(`${path}: cannot write (ENOENT)`)
  })

  it("removes the partial file when generation fails", () => {
    const path = join(dir, "partial.csv")
    function* failing(): Generator<string> {
      yield "x".repeat(70_000)
      throw new UserFacingError("boom")
    }
    expect(() => writeTraceFile(path, failing(), false)).toThrow("boom")
    expect(existsSync(path)).toBe(false)
  })
})

describe("ipamsim trace generate", () => {
  const run = (args: readonly string[]) =>
    Effect.runPromise(
      Command.runWith(traceCommand, { version: "test" })(["generate", ...args]).pipe(
        Effect.provide(NodeServices.layer),
      ),
    )

  it("writes the file the flags describe and refuses to overwrite it", async () => {
    const out = join(dir, "cli.csv")
    const args = ["--kind", "poisson", "--rate", "0.5", "--lifetime-median", "300s", "--lifetime-p99", "1h"]
    await run([...args, "--duration", "2h", "--seed", "7", "--out", out])
    expect(process.exitCode ?? 0).toBe(0)
    expect(readFileSync(out, "utf8")).toBe(generateTraceText(planTrace(POISSON), "csv"))
    const writes: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string) => writes.push(chunk) > 0) as typeof process.stderr.write
    try {
      await run([...args, "--duration", "1h", "--out", out])
    } finally {
      process.stderr.write = write
    }
    expect(process.exitCode).toBe(1)
    process.exitCode = 0
    expect(writes.join("")).toBe(`ipamsim: ${out}: exists; refusing to overwrite it (use --force)\n`)
    await run([...args, "--duration", "1h", "--out", out, "--force", "--format", "jsonl"])
    expect(readFileSync(out, "utf8").startsWith('{"t":')).toBe(true)
  })
})
