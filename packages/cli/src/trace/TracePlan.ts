// What `ipamsim trace generate` writes, planned from its flags: one of the scenario generators, seeded, and
// where to stop. The flags come as plain values (durations still as typed), so planning is testable. They
// map one to one onto a GeneratorSpec; a flag that does not apply to the chosen kind is an error rather than
// silently ignored.

import type { LatencySpec } from "@ipamsim/core/ec2/Latency"
import { type GeneratorSpec, generatorSource } from "@ipamsim/core/workload/TraceGenerators"
import { generatorLimits } from "../Limits.ts"
import { parseDuration } from "../scenario/Duration.ts"
import { UserFacingError } from "../UserFacingError.ts"

export type GeneratorKind = GeneratorSpec["kind"]

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

export const KINDS = ["poisson", "diurnal", "rollout", "cronjob"] as const
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

/** The scenario's field names that generatorLimits uses, as flags. */
const FLAG_OF_SCENARIO_FIELD: Readonly<Record<string, string>> = { every: "--every" }

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
  // Sizes beyond the limits (docs/scenarios.md), named by flag, before anything is generated.
  const tooMuch = generatorLimits(spec).map(
    (l) => `${FLAG_OF_FIELD[l.field] ?? FLAG_OF_SCENARIO_FIELD[l.field]}: ${l.message}`,
  )
  if (tooMuch.length > 0) throw new UserFacingError(tooMuch.join("\n"))
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
