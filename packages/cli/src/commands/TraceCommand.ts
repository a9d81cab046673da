// `ipamsim trace generate`: writes a synthetic pod-churn trace (one of the scenario generators, seeded) as CSV
// or JSON Lines that TraceReaders reads back event for event. The trace is streamed to the file, so long
// traces need no memory. Flags map one to one onto a GeneratorSpec; a flag that does not apply to the chosen
// kind is an error rather than silently ignored.

import { closeSync, openSync, unlinkSync, writeSync } from "node:fs"
import { extname } from "node:path"
import type { LatencySpec } from "@ipamsim/core/ec2/Latency"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { type GeneratorSpec, generatorSource, limitSource } from "@ipamsim/core/workload/TraceGenerators"
import { Option } from "effect"
import { Command, Flag } from "effect/cli"
import { formatDuration, parseDuration } from "./Duration.ts"
import { csvField } from "./TraceReaders.ts"
import { runUserCommand, UserFacingError } from "./UserFacingError.ts"

export type GeneratorKind = GeneratorSpec["kind"]
export type TraceFileFormat = "csv" | "jsonl"

/** The flags of `trace generate` as plain values (durations still as typed), so planning is testable. */
export interface GenerateOptions {
  readonly kind: GeneratorKind
  readonly seed?: number | undefined
  /** Horizon: events at or after it are left out (deletes of pods still alive included). */
  readonly duration?: string | undefined
  readonly rate?: number | undefined
  readonly amplitude?: number | undefined
  readonly period?: string | undefined
  readonly peakAt?: string | undefined
  readonly start?: string | undefined
  readonly end?: string | undefined
  readonly lifetime?: string | undefined
  readonly lifetimeMedian?: string | undefined
  readonly lifetimeP99?: string | undefined
  readonly lifetimeMin?: string | undefined
  readonly lifetimeMax?: string | undefined
  readonly every?: string | undefined
  readonly parallelism?: number | undefined
  readonly at?: string | undefined
  readonly replicas?: number | undefined
  readonly mode?: string | undefined
  readonly maxSurge?: number | undefined
  readonly stepEvery?: string | undefined
  readonly spread?: string | undefined
  readonly namePrefix?: string | undefined
  readonly node?: string | undefined
  readonly hostNetwork?: boolean | undefined
  readonly windowsSelector?: boolean | undefined
}

/** What to generate: one generator, its seed, and where to stop (undefined = when the generator ends). */
export interface TracePlan {
  readonly spec: GeneratorSpec
  readonly seed: number
  readonly untilMs: number | undefined
}

const KINDS = ["poisson", "diurnal", "rollout", "cronjob"] as const
const CHURN: readonly GeneratorKind[] = ["poisson", "diurnal", "cronjob"]

/** Kind-specific options, their flag names, and the kinds they apply to. */
const ONLY: readonly [keyof GenerateOptions, string, readonly GeneratorKind[]][] = [
  ["rate", "--rate", ["poisson", "diurnal"]],
  ["amplitude", "--amplitude", ["diurnal"]],
  ["period", "--period", ["diurnal"]],
  ["peakAt", "--peak-at", ["diurnal"]],
  ["start", "--start", CHURN],
  ["end", "--end", CHURN],
  ["lifetime", "--lifetime", CHURN],
  ["lifetimeMedian", "--lifetime-median", CHURN],
  ["lifetimeP99", "--lifetime-p99", CHURN],
  ["lifetimeMin", "--lifetime-min", CHURN],
  ["lifetimeMax", "--lifetime-max", CHURN],
  ["every", "--every", ["cronjob"]],
  ["parallelism", "--parallelism", ["cronjob"]],
  ["at", "--at", ["rollout"]],
  ["replicas", "--replicas", ["rollout"]],
  ["mode", "--mode", ["rollout"]],
  ["maxSurge", "--max-surge", ["rollout"]],
  ["stepEvery", "--step-every", ["rollout"]],
  ["spread", "--spread", ["rollout"]],
]

/** GeneratorSpec fields as the flags that set them, for the generator's error messages. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  ratePerSecond: "--rate",
  meanPerSecond: "--rate",
  amplitude: "--amplitude",
  periodMs: "--period",
  peakAtMs: "--peak-at",
  startMs: "--start",
  endMs: "--end",
  lifetime: "lifetime flags",
  runMs: "lifetime flags",
  everyMs: "--every",
  parallelism: "--parallelism",
  atMs: "--at",
  replicas: "--replicas",
  maxSurge: "--max-surge",
  stepEveryMs: "--step-every",
  spreadMs: "--spread",
  namePrefix: "--name-prefix",
  node: "--node",
}

const durationFlag = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const ms = parseDuration(text)
  if (typeof ms === "string") throw new UserFacingError(`${flag}: ${ms}`)
  return ms
}

const need = <A>(flag: string, kind: string, v: A | undefined): A => {
  if (v === undefined) throw new UserFacingError(`--kind ${kind} needs ${flag}`)
  return v
}

/** The lifetime flags as a distribution: --lifetime (fixed or "forever"), median + p99, or min + max. */
const lifetimeOf = (o: GenerateOptions): LatencySpec | "forever" => {
  const given = [
    o.lifetime !== undefined ? "--lifetime" : undefined,
    o.lifetimeMedian !== undefined || o.lifetimeP99 !== undefined ? "--lifetime-median/--lifetime-p99" : undefined,
    o.lifetimeMin !== undefined || o.lifetimeMax !== undefined ? "--lifetime-min/--lifetime-max" : undefined,
  ].filter((g) => g !== undefined)
  if (given.length === 0)
    throw new UserFacingError(
      `--kind ${o.kind} needs a lifetime: --lifetime <duration|forever>, --lifetime-median with --lifetime-p99, or --lifetime-min with --lifetime-max`,
    )
  if (given.length > 1) throw new UserFacingError(`give one lifetime: ${given.join(" or ")}, not both`)
  if (o.lifetime !== undefined) {
    if (o.lifetime.trim() === "forever") return "forever"
    return { fixed: durationFlag("--lifetime", o.lifetime)! }
  }
  if (given[0] === "--lifetime-median/--lifetime-p99") {
    const median = need(
      "--lifetime-p99 with --lifetime-median",
      o.kind,
      durationFlag("--lifetime-median", o.lifetimeMedian),
    )
    const p99 = need("--lifetime-median with --lifetime-p99", o.kind, durationFlag("--lifetime-p99", o.lifetimeP99))
    if (median === 0) throw new UserFacingError("--lifetime-median: expected more than 0")
    if (p99 < median)
      throw new UserFacingError(
        `--lifetime-p99: expected at least --lifetime-median (${o.lifetimeMedian}), got ${o.lifetimeP99}`,
      )
    return { lognormal: { median, p99 } }
  }
  const min = need("--lifetime-max with --lifetime-min", o.kind, durationFlag("--lifetime-min", o.lifetimeMin))
  const max = need("--lifetime-min with --lifetime-max", o.kind, durationFlag("--lifetime-max", o.lifetimeMax))
  if (max < min)
    throw new UserFacingError(
      `--lifetime-max: expected at least --lifetime-min (${o.lifetimeMin}), got ${o.lifetimeMax}`,
    )
  return { uniform: { min, max } }
}

const optionalKeys = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

/** Flags → generator spec and horizon; throws a one-line UserFacingError naming the flag at fault. */
export const planTrace = (o: GenerateOptions): TracePlan => {
  if (!KINDS.includes(o.kind)) throw new UserFacingError(`--kind: expected one of ${KINDS.join(", ")}, got ${o.kind}`)
  for (const [key, flag, kinds] of ONLY)
    if (o[key] !== undefined && !kinds.includes(o.kind))
      throw new UserFacingError(`${flag} applies to --kind ${kinds.join(" or ")}, not ${o.kind}`)
  const untilMs = durationFlag("--duration", o.duration)
  const startMs = durationFlag("--start", o.start)
  const endMs = durationFlag("--end", o.end)
  if (o.kind !== "rollout" && untilMs === undefined && endMs === undefined)
    throw new UserFacingError(`--kind ${o.kind} never stops by itself: give --duration (or --end)`)
  const shape = optionalKeys({
    namePrefix: o.namePrefix,
    node: o.node,
    hostNetwork: o.hostNetwork,
    windowsSelector: o.windowsSelector,
  })
  const seed = o.seed ?? 1
  let spec: GeneratorSpec
  switch (o.kind) {
    case "poisson":
      spec = {
        kind: "poisson",
        ratePerSecond: need("--rate", o.kind, o.rate),
        ...optionalKeys({ startMs, endMs }),
        lifetime: lifetimeOf(o),
        ...shape,
      }
      break
    case "diurnal":
      spec = {
        kind: "diurnal",
        meanPerSecond: need("--rate", o.kind, o.rate),
        amplitude: o.amplitude ?? 0.5,
        ...optionalKeys({
          periodMs: durationFlag("--period", o.period),
          peakAtMs: durationFlag("--peak-at", o.peakAt),
          startMs,
          endMs,
        }),
        lifetime: lifetimeOf(o),
        ...shape,
      }
      break
    case "rollout": {
      const mode = need("--mode", o.kind, o.mode)
      if (mode !== "scale-up" && mode !== "rolling-replace")
        throw new UserFacingError(`--mode: expected scale-up or rolling-replace, got ${mode}`)
      if (mode === "scale-up" && (o.maxSurge !== undefined || o.stepEvery !== undefined))
        throw new UserFacingError("--max-surge and --step-every apply to --mode rolling-replace only")
      if (mode === "rolling-replace" && o.spread !== undefined)
        throw new UserFacingError("--spread applies to --mode scale-up only")
      spec = {
        kind: "rollout",
        mode,
        atMs: durationFlag("--at", o.at) ?? 0,
        replicas: need("--replicas", o.kind, o.replicas),
        ...optionalKeys({
          maxSurge: o.maxSurge,
          stepEveryMs: durationFlag("--step-every", o.stepEvery),
          spreadMs: durationFlag("--spread", o.spread),
        }),
        ...shape,
      }
      break
    }
    case "cronjob": {
      const run = lifetimeOf(o)
      if (run === "forever")
        throw new UserFacingError("--lifetime: a cronjob's pods must end; expected a duration, got forever")
      spec = {
        kind: "cronjob",
        everyMs: need("--every", o.kind, durationFlag("--every", o.every)),
        parallelism: o.parallelism ?? 1,
        ...optionalKeys({ startMs, endMs }),
        runMs: run,
        ...shape,
      }
      break
    }
  }
  // The generator's own checks (negative rate, amplitude above 1, ...), named by flag.
  try {
    generatorSource(spec, seed, 0)
  } catch (e) {
    const message = (e as Error).message.replace(
      /^generator 0 \([a-z]+\): ([A-Za-z]+)(\.[a-z.]+)?:/,
      (all, field: string) => {
        const flag = FLAG_OF_FIELD[field]
        return flag === undefined ? all : `${flag}:`
      },
    )
    throw new UserFacingError(message)
  }
  return { spec, seed, untilMs }
}

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

const opt = <A>(flag: Flag.Flag<A>, description: string) => flag.pipe(Flag.withDescription(description), Flag.optional)

const generateCommand = Command.make(
  "generate",
  {
    kind: Flag.Literals("kind", KINDS).pipe(Flag.withDescription("Which generator")),
    out: Flag.String("out").pipe(Flag.withDescription("Trace file to write (- for stdout)")),
    format: opt(
      Flag.Literals("format", ["csv", "jsonl"]),
      "csv or jsonl (default: from --out; .jsonl/.ndjson → jsonl, else csv)",
    ),
    force: Flag.Boolean("force").pipe(Flag.withDescription("Overwrite --out if it exists"), Flag.withDefault(false)),
    seed: Flag.Int("seed").pipe(Flag.withDescription("Random seed"), Flag.withDefault(1)),
    duration: opt(Flag.String("duration"), "Stop here (e.g. 2h); needed unless the generator ends by itself"),
    rate: opt(Flag.Finite("rate"), "poisson: pods per second; diurnal: mean pods per second"),
    amplitude: opt(Flag.Finite("amplitude"), "diurnal: 0 (flat) to 1 (nothing at the trough); default 0.5"),
    period: opt(Flag.String("period"), "diurnal: period (default 1d)"),
    peakAt: opt(Flag.String("peak-at"), "diurnal: time of the peak within the period (default 14h)"),
    start: opt(Flag.String("start"), "poisson, diurnal, cronjob: first creates at (default 0)"),
    end: opt(Flag.String("end"), "poisson, diurnal, cronjob: no creates from here on"),
    lifetime: opt(Flag.String("lifetime"), "Pod lifetime (cronjob: run time): a fixed duration, or forever"),
    lifetimeMedian: opt(Flag.String("lifetime-median"), "Lognormal lifetime: median (with --lifetime-p99)"),
    lifetimeP99: opt(Flag.String("lifetime-p99"), "Lognormal lifetime: 99th percentile"),
    lifetimeMin: opt(Flag.String("lifetime-min"), "Uniform lifetime: shortest (with --lifetime-max)"),
    lifetimeMax: opt(Flag.String("lifetime-max"), "Uniform lifetime: longest"),
    every: opt(Flag.String("every"), "cronjob: schedule interval"),
    parallelism: opt(Flag.Int("parallelism"), "cronjob: pods per run (default 1)"),
    at: opt(Flag.String("at"), "rollout: when it starts (default 0)"),
    replicas: opt(Flag.Int("replicas"), "rollout: pods in the Deployment"),
    mode: opt(Flag.Literals("mode", ["scale-up", "rolling-replace"]), "rollout: scale-up or rolling-replace"),
    maxSurge: opt(Flag.Int("max-surge"), "rolling-replace: pods per step (default 25% of replicas, rounded up)"),
    stepEvery: opt(Flag.String("step-every"), "rolling-replace: time per step (default 30s)"),
    spread: opt(Flag.String("spread"), "scale-up: spread the creates over this long (default 0)"),
    namePrefix: opt(Flag.String("name-prefix"), "Pods are named <prefix>-<n> (default <kind>-0)"),
    node: opt(Flag.String("node"), "Bind every pod to this node"),
    hostNetwork: Flag.Boolean("host-network").pipe(Flag.withDescription("hostNetwork pods"), Flag.withDefault(false)),
    windowsSelector: Flag.Boolean("windows-selector").pipe(
      Flag.withDescription("Pods carry nodeSelector kubernetes.io/os: windows (--no-windows-selector for none)"),
      Flag.withDefault(true),
    ),
  },
  (f) =>
    runUserCommand(() => {
      const u = Option.getOrUndefined
      const plan = planTrace({
        kind: f.kind,
        seed: f.seed,
        duration: u(f.duration),
        rate: u(f.rate),
        amplitude: u(f.amplitude),
        period: u(f.period),
        peakAt: u(f.peakAt),
        start: u(f.start),
        end: u(f.end),
        lifetime: u(f.lifetime),
        lifetimeMedian: u(f.lifetimeMedian),
        lifetimeP99: u(f.lifetimeP99),
        lifetimeMin: u(f.lifetimeMin),
        lifetimeMax: u(f.lifetimeMax),
        every: u(f.every),
        parallelism: u(f.parallelism),
        at: u(f.at),
        replicas: u(f.replicas),
        mode: u(f.mode),
        maxSurge: u(f.maxSurge),
        stepEvery: u(f.stepEvery),
        spread: u(f.spread),
        namePrefix: u(f.namePrefix),
        node: u(f.node),
        hostNetwork: f.hostNetwork,
        windowsSelector: f.windowsSelector,
      })
      const format = u(f.format) ?? formatForPath(f.out)
      const lines = writeTraceFile(f.out, traceLines(plan, format), f.force)
      if (f.out !== "-") {
        const events = format === "csv" ? lines - 1 : lines
        const horizon = plan.untilMs === undefined ? "" : ` up to ${formatDuration(plan.untilMs)}`
        process.stdout.write(`${f.out}: ${events} events${horizon} (${format}, seed ${plan.seed})\n`)
      }
    }),
).pipe(
  Command.withDescription(
    "Write a synthetic pod-churn trace (poisson, diurnal, rollout or cronjob) as CSV or JSON Lines, for a scenario's workload.traces",
  ),
)

export const traceCommand = Command.make("trace").pipe(
  Command.withDescription("Work with pod-event traces"),
  Command.withSubcommands([generateCommand]),
)
