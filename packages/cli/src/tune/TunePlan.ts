// What `ipamsim tune` sweeps and how it judges a setting: the flags and the scenario's `tune` section turned
// into one plan. Flags override the file field by field. Every mistake is one line naming the flag and value.

import { formatDuration, parseDuration } from "../scenario/Duration.ts"
import type { TuneInput } from "../scenario/ScenarioSchema.ts"
import { UserFacingError } from "../UserFacingError.ts"

export type TuneMode = "secondary-ip" | "prefix"
export type ModeChoice = TuneMode | "both"
export type Objective = "waste" | "peak-allocated" | "warm-ip-seconds"

export const OBJECTIVES: readonly Objective[] = ["waste", "peak-allocated", "warm-ip-seconds"]
const MODE_CHOICES: readonly ModeChoice[] = ["secondary-ip", "prefix", "both"]

export interface Constraints {
  readonly maxP99WaitMs?: number
  readonly noExhaustion?: boolean
  readonly allPodsGetIp?: boolean
}

/** The flags as typed (strings for everything the user spells), so parsing is testable without the CLI. */
export interface TuneFlags {
  readonly warmIpTarget?: string | undefined
  readonly minimumIpTarget?: string | undefined
  readonly warmPrefixTarget?: string | undefined
  readonly linuxWarmEniTarget?: string | undefined
  readonly linuxWarmIpTarget?: string | undefined
  readonly linuxMinimumIpTarget?: string | undefined
  readonly linuxWarmPrefixTarget?: string | undefined
  readonly mode?: string | undefined
  readonly seeds?: string | undefined
  readonly maxP99Wait?: string | undefined
  readonly noExhaustion?: boolean | undefined
  readonly allPodsGetIp?: boolean | undefined
  readonly objective?: string | undefined
  readonly ignoreChanges?: boolean | undefined
  readonly rolloutAt?: string | undefined
  readonly rolloutWindow?: string | undefined
}

export interface TunePlan {
  /** undefined: the base scenario's mode. */
  readonly mode: ModeChoice | undefined
  /** undefined: not swept, the base ConfigMap's value stays. */
  readonly warmIpTarget: readonly number[] | undefined
  readonly minimumIpTarget: readonly number[] | undefined
  readonly warmPrefixTarget: readonly number[] | undefined
  /** The aws-node env of Linux nodes; undefined: not swept, the scenario's env value stays. */
  readonly linuxWarmEniTarget: readonly number[] | undefined
  readonly linuxWarmIpTarget: readonly number[] | undefined
  readonly linuxMinimumIpTarget: readonly number[] | undefined
  readonly linuxWarmPrefixTarget: readonly number[] | undefined
  /** undefined: the scenario's own seed. */
  readonly seeds: readonly number[] | undefined
  readonly constraints: Constraints
  readonly objective: Objective
  /** Drop the scenario's own changes of what is swept: configMap.changes (Windows), awsNode.changes (Linux). */
  readonly ignoreChanges: boolean
  /** undefined: half the simulated time. */
  readonly rolloutAtMs: number | undefined
  readonly rolloutWindowMs: number
}

/** A target above this is certainly a typo, and a sweep to it would run for hours. */
const MAX_TARGET = 10_000
export const DEFAULT_ROLLOUT_WINDOW_MS = 120_000

const fail = (message: string): never => {
  throw new UserFacingError(message)
}

const INT = /^\d+$/
const RANGE = /^(\d+)\.\.(\d+)$/

/** "0..6", "1,2,3,5" or a mix ("0..3,8"): sorted, without repeats. */
export const parseIntSet = (flag: string, text: string, max = MAX_TARGET): number[] => {
  const what = `${flag} ${text}`
  const items = text.split(",").map((s) => s.trim())
  if (text.trim() === "" || items.some((s) => s === ""))
    fail(`${what}: expected an inclusive range like 0..6 or a list like 1,2,3,5`)
  const out = new Set<number>()
  for (const item of items) {
    const range = RANGE.exec(item)
    if (range !== null) {
      const from = Number(range[1])
      const to = Number(range[2])
      if (from > to) fail(`${what}: the range starts above its end (write ${to}..${from})`)
      if (to > max) fail(`${what}: ${to} is above the largest allowed value ${max}`)
      for (let v = from; v <= to; v++) out.add(v)
    } else if (INT.test(item)) {
      const v = Number(item)
      if (v > max) fail(`${what}: ${v} is above the largest allowed value ${max}`)
      out.add(v)
    } else {
      fail(
        `${what}: "${item}" is not a non-negative integer or a range; expected a range like 0..6 or a list like 1,2,3,5`,
      )
    }
  }
  return [...out].sort((a, b) => a - b)
}

/** "5" means seeds 1..5; "3,8,13" and "1..4" name the seeds. */
export const parseSeeds = (text: string): number[] => {
  const t = text.trim()
  if (INT.test(t)) {
    const n = Number(t)
    if (n < 1) fail(`--seeds ${text}: give a count of at least 1, or a list of seeds like 3,8,13`)
    if (n > 1000) fail(`--seeds ${text}: at most 1000 seeds`)
    return Array.from({ length: n }, (_, i) => i + 1)
  }
  return parseIntSet("--seeds", text, 2 ** 31 - 1)
}

const parseChoice = <T extends string>(flag: string, text: string, choices: readonly T[]): T => {
  const t = text.trim() as T
  if (!choices.includes(t)) fail(`${flag} ${text}: expected one of ${choices.join(", ")}`)
  return t
}

const parseMs = (flag: string, text: string): number => {
  const r = parseDuration(text)
  if (typeof r === "string") fail(`${flag}: ${r}`)
  return r as number
}

const WINDOWS_SWEEPS = ["warmIpTarget", "minimumIpTarget", "warmPrefixTarget"] as const

/** The Linux sweeps: plan and file field, flag, and the aws-node env variable each sets. */
export const LINUX_SWEEPS = [
  { field: "linuxWarmEniTarget", flag: "--linux-warm-eni-target", env: "WARM_ENI_TARGET" },
  { field: "linuxWarmIpTarget", flag: "--linux-warm-ip-target", env: "WARM_IP_TARGET" },
  { field: "linuxMinimumIpTarget", flag: "--linux-minimum-ip-target", env: "MINIMUM_IP_TARGET" },
  { field: "linuxWarmPrefixTarget", flag: "--linux-warm-prefix-target", env: "WARM_PREFIX_TARGET" },
] as const
export type LinuxSweepField = (typeof LINUX_SWEEPS)[number]["field"]

const SWEEPS = [...WINDOWS_SWEEPS, ...LINUX_SWEEPS.map((s) => s.field)] as const

/** Problems of a scenario's `tune` section, by field: the loader reports them with the file and line. */
export const tuneSectionProblems = (t: TuneInput): Array<{ field: string; message: string }> => {
  const out: Array<{ field: string; message: string }> = []
  for (const field of SWEEPS) {
    const sweep = t[field]
    if (sweep === undefined) continue
    if ("from" in sweep) {
      if (sweep.from > sweep.to) out.push({ field, message: `from ${sweep.from} is above to ${sweep.to}` })
      if (sweep.to > MAX_TARGET)
        out.push({ field, message: `${sweep.to} is above the largest allowed value ${MAX_TARGET}` })
    } else if (sweep.length === 0) out.push({ field, message: "the list is empty" })
  }
  if (Array.isArray(t.seeds) && t.seeds.length === 0) out.push({ field: "seeds", message: "the list is empty" })
  return out
}

// The section was checked when the scenario was loaded (tuneSectionProblems).
const fromFile = (sweep: TuneInput["warmIpTarget"]): number[] | undefined => {
  if (sweep === undefined) return undefined
  if ("from" in sweep) return Array.from({ length: sweep.to - sweep.from + 1 }, (_, i) => sweep.from + i)
  return [...new Set(sweep)].sort((a, b) => a - b)
}

const seedsFromFile = (seeds: TuneInput["seeds"]): number[] | undefined => {
  if (seeds === undefined) return undefined
  if (typeof seeds === "number") return Array.from({ length: seeds }, (_, i) => i + 1)
  return [...new Set(seeds)].sort((a, b) => a - b)
}

/** Flags over the file's `tune` section, field by field. */
export const buildPlan = (flags: TuneFlags, file: TuneInput | undefined): TunePlan => {
  const f = file ?? {}
  const sweep = (text: string | undefined, flag: string, field: (typeof SWEEPS)[number]) =>
    text !== undefined ? parseIntSet(flag, text) : fromFile(f[field])
  const fc = f.constraints ?? {}
  const maxP99 = flags.maxP99Wait !== undefined ? parseMs("--max-p99-wait", flags.maxP99Wait) : fc.maxP99WaitMs
  const noExhaustion = flags.noExhaustion === true ? true : fc.noExhaustion
  const allPodsGetIp = flags.allPodsGetIp === true ? true : fc.allPodsGetIp
  const constraints: Constraints = {
    ...(maxP99 !== undefined ? { maxP99WaitMs: maxP99 } : {}),
    ...(noExhaustion === true ? { noExhaustion: true } : {}),
    ...(allPodsGetIp === true ? { allPodsGetIp: true } : {}),
  }
  const rolloutWindowMs =
    flags.rolloutWindow !== undefined ? parseMs("--rollout-window", flags.rolloutWindow) : DEFAULT_ROLLOUT_WINDOW_MS
  if (rolloutWindowMs <= 0) fail(`--rollout-window ${flags.rolloutWindow}: must be longer than 0`)
  return {
    mode: flags.mode !== undefined ? parseChoice("--mode", flags.mode, MODE_CHOICES) : f.mode,
    warmIpTarget: sweep(flags.warmIpTarget, "--warm-ip-target", "warmIpTarget"),
    minimumIpTarget: sweep(flags.minimumIpTarget, "--minimum-ip-target", "minimumIpTarget"),
    warmPrefixTarget: sweep(flags.warmPrefixTarget, "--warm-prefix-target", "warmPrefixTarget"),
    linuxWarmEniTarget: sweep(flags.linuxWarmEniTarget, "--linux-warm-eni-target", "linuxWarmEniTarget"),
    linuxWarmIpTarget: sweep(flags.linuxWarmIpTarget, "--linux-warm-ip-target", "linuxWarmIpTarget"),
    linuxMinimumIpTarget: sweep(flags.linuxMinimumIpTarget, "--linux-minimum-ip-target", "linuxMinimumIpTarget"),
    linuxWarmPrefixTarget: sweep(flags.linuxWarmPrefixTarget, "--linux-warm-prefix-target", "linuxWarmPrefixTarget"),
    seeds: flags.seeds !== undefined ? parseSeeds(flags.seeds) : seedsFromFile(f.seeds),
    constraints,
    objective:
      flags.objective !== undefined
        ? parseChoice("--objective", flags.objective, OBJECTIVES)
        : (f.objective ?? "waste"),
    ignoreChanges: flags.ignoreChanges === true,
    rolloutAtMs: flags.rolloutAt !== undefined ? parseMs("--rollout-at", flags.rolloutAt) : undefined,
    rolloutWindowMs,
  }
}

/** Whether the plan sweeps the Windows side (a target or the mode) or the Linux side (an aws-node variable). */
export const sweepsWindows = (p: TunePlan): boolean =>
  p.warmIpTarget !== undefined ||
  p.minimumIpTarget !== undefined ||
  p.warmPrefixTarget !== undefined ||
  p.mode !== undefined
export const sweepsLinux = (p: TunePlan): boolean => LINUX_SWEEPS.some((s) => p[s.field] !== undefined)

/** The constraints in words, for the terminal and the HTML page; `linux`: the cluster has Linux nodes. */
export const describeConstraints = (c: Constraints, linux = false): string[] => [
  ...(c.maxP99WaitMs !== undefined
    ? [`p99 wait ≤ ${formatDuration(Math.round(c.maxP99WaitMs))}${linux ? " (Windows and Linux pods each)" : ""}`]
    : []),
  ...(c.noExhaustion ? ["no subnet exhaustion"] : []),
  ...(c.allPodsGetIp ? [`every pod gets an address${linux ? " (Windows and Linux)" : ""}`] : []),
]
