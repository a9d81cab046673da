// The settings a sweep tries: one point per mode and combination of targets, each a set of amazon-vpc-cni
// keys written over the base ConfigMap (Windows nodes) crossed with a set of aws-node env variables written
// over the base env (Linux nodes). Windows spellings the controller cannot tell apart (research §2.2, §3.5: in
// secondary-IP mode warm 0 means 1; in prefix mode an unset/0 minimum means 3 once a warm target is set, and
// the prefix target only counts when both IP targets are unset/0) are run once; Linux spellings are all run.

import { readAwsNodeEnv } from "@ipamsim/core/ipamd/AwsNodeEnv"
import {
  type ConfigMapData,
  getWinWarmPoolConfig,
  isWindowsPrefixDelegationEnabled,
  Keys,
} from "@ipamsim/core/vpc-resource-controller/ConfigMap"
import {
  PD_DEFAULT_MIN_IP_TARGET,
  PD_DEFAULT_WARM_IP_TARGET,
  SIP_DEFAULT_MIN_IP_TARGET,
  SIP_DEFAULT_WARM_IP_TARGET,
  type WarmPoolConfig,
} from "@ipamsim/core/vpc-resource-controller/WarmPoolConfig"
import { LINUX_SWEEPS, sweepsWindows, type TuneMode, type TunePlan } from "./TunePlan.ts"

export interface Targets {
  readonly warmIpTarget: number
  readonly minimumIpTarget: number
  readonly warmPrefixTarget: number
}

/** The aws-node targets of a Linux point, as ipamd reads its whole env (swept or not). */
export interface LinuxTargets {
  readonly warmEniTarget: number
  readonly warmIpTarget: number
  readonly minimumIpTarget: number
  readonly warmPrefixTarget: number
}

export interface TunePoint {
  /** 1-based, in sweep order. */
  readonly id: number
  /** The Windows side is swept (a target or the mode): the label and the recommendation show it. */
  readonly windows: boolean
  readonly mode: TuneMode
  /** What the point writes: keys to set and legacy twins to remove. */
  readonly set: Readonly<Record<string, string>>
  readonly remove: readonly string[]
  /** The whole ConfigMap data of the point (base data, then `set`, without `remove`). */
  readonly data: Readonly<Record<string, string>>
  /** The targets the controller acts on, in the point's mode. */
  readonly effective: Targets
  /** Other swept spellings that behave exactly like this point, merged into it. */
  readonly aliases: readonly string[]
  /** aws-node env variables the point sets over the base env ({} when Linux is not swept). */
  readonly awsNodeSet: Readonly<Record<string, string>>
  /** The whole aws-node env of the point; null when the cluster has no Linux nodes. */
  readonly awsNodeEnv: Readonly<Record<string, string>> | null
  /** The targets ipamd reads from that env; null without Linux nodes. */
  readonly linuxTargets: LinuxTargets | null
}

/** The keys a sweep writes, and the legacy key that would hide each (a legacy key wins even when empty). */
const TARGET_KEYS = [
  ["warmIpTarget", Keys.windowsWarmIpTarget, Keys.warmIpTarget],
  ["minimumIpTarget", Keys.windowsMinimumIpTarget, Keys.minimumIpTarget],
  ["warmPrefixTarget", Keys.windowsWarmPrefixTarget, Keys.warmPrefixTarget],
] as const

/** Pool configs as the deviation functions end up using them (defaults written back, unused fields 0). */
const normalise = (cfg: WarmPoolConfig, prefix: boolean): Targets => {
  if (!prefix)
    return {
      warmIpTarget: cfg.warmIpTarget < 0 ? SIP_DEFAULT_WARM_IP_TARGET : cfg.warmIpTarget,
      minimumIpTarget: cfg.minIpTarget < 0 ? SIP_DEFAULT_MIN_IP_TARGET : cfg.minIpTarget,
      warmPrefixTarget: 0,
    }
  // WarmPool.pdDeviation: targets ≤ 0 are "undefined"; the prefix target only counts alone.
  const w = cfg.warmIpTarget > 0
  const m = cfg.minIpTarget > 0
  const p = cfg.warmPrefixTarget > 0
  if (!w && !m && p) return { warmIpTarget: 0, minimumIpTarget: 0, warmPrefixTarget: cfg.warmPrefixTarget }
  return {
    warmIpTarget: w ? cfg.warmIpTarget : PD_DEFAULT_WARM_IP_TARGET,
    minimumIpTarget: m ? cfg.minIpTarget : PD_DEFAULT_MIN_IP_TARGET,
    warmPrefixTarget: 0,
  }
}

/** What the controller does with this data: both pools' effective targets and which pool Nitro nodes use. */
export const behaviour = (
  data: ConfigMapData,
  prefixDelegationFlag: boolean,
): { prefix: boolean; sip: Targets; pd: Targets } => ({
  prefix: isWindowsPrefixDelegationEnabled(data, prefixDelegationFlag),
  sip: normalise(getWinWarmPoolConfig(data, false), false),
  pd: normalise(getWinWarmPoolConfig(data, true), true),
})

/** The aws-node variables a point sets, in the sweep's order: `WARM_IP_TARGET=2 MINIMUM_IP_TARGET=10`. */
export const envText = (set: Readonly<Record<string, string>>): string =>
  LINUX_SWEEPS.filter((l) => Object.hasOwn(set, l.env))
    .map((l) => `${l.env}=${set[l.env]}`)
    .join(" ")

const windowsLabel = (mode: TuneMode, e: Targets): string =>
  mode === "secondary-ip"
    ? `secondary-ip warm ${e.warmIpTarget} min ${e.minimumIpTarget}`
    : e.warmPrefixTarget > 0
      ? `prefix warm-prefix ${e.warmPrefixTarget}`
      : `prefix warm ${e.warmIpTarget} min ${e.minimumIpTarget}`

/** The Windows setting (when swept), then the aws-node variables (when swept), joined by " · ". */
export const pointLabel = (p: {
  mode: TuneMode
  effective: Targets
  windows?: boolean
  awsNodeSet?: Readonly<Record<string, string>>
}): string => {
  const linux = p.awsNodeSet === undefined ? "" : envText(p.awsNodeSet)
  const parts = [...(p.windows !== false ? [windowsLabel(p.mode, p.effective)] : []), ...(linux ? [linux] : [])]
  return parts.join(" · ")
}

const spelled = (mode: TuneMode, t: Partial<Targets>): string =>
  [
    mode,
    ...(t.warmIpTarget !== undefined ? [`warm ${t.warmIpTarget}`] : []),
    ...(t.minimumIpTarget !== undefined ? [`min ${t.minimumIpTarget}`] : []),
    ...(t.warmPrefixTarget !== undefined ? [`warm-prefix ${t.warmPrefixTarget}`] : []),
  ].join(" ")

export interface PointsInput {
  readonly base: Readonly<Record<string, string>>
  /** The base aws-node env; null when the cluster has no Linux nodes. */
  readonly awsNodeBase?: Readonly<Record<string, string>> | null
  readonly plan: TunePlan
  /** The scenario's mode when the plan names none. */
  readonly baseMode: TuneMode
  readonly prefixDelegationFlag: boolean
  /** Merge equivalent points only when no later ConfigMap change could tell them apart (it compares raw values). */
  readonly mergeAliases: boolean
}

type WindowsPoint = Pick<TunePoint, "mode" | "set" | "remove" | "data" | "effective" | "aliases">

/** The Linux combinations in order (WARM_ENI, WARM_IP, MINIMUM_IP, WARM_PREFIX targets ascending), as env variables. */
const linuxCombos = (plan: TunePlan): Array<Record<string, string>> => {
  let combos: Array<Record<string, string>> = [{}]
  for (const l of LINUX_SWEEPS) {
    const values = plan[l.field]
    if (values === undefined) continue
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [l.env]: String(v) })))
  }
  return combos
}

/**
 * Every point of the sweep in order: the Windows settings (mode, then warm, minimum and prefix targets
 * ascending; the base ConfigMap alone when the Windows side is not swept), each crossed with the Linux
 * combinations (the base env alone when the Linux side is not swept): the grid is the product.
 */
export const sweepPoints = (input: PointsInput): TunePoint[] => {
  const windows = sweepsWindows(input.plan)
  const win: WindowsPoint[] = windows
    ? windowsPoints(input)
    : [
        {
          mode: input.baseMode,
          set: {},
          remove: [],
          data: { ...input.base },
          effective: (() => {
            const b = behaviour(input.base, input.prefixDelegationFlag)
            return b.prefix ? b.pd : b.sip
          })(),
          aliases: [],
        },
      ]
  const envBase = input.awsNodeBase ?? null
  const combos = linuxCombos(input.plan)
  const out: TunePoint[] = []
  for (const w of win)
    for (const awsNodeSet of combos) {
      const awsNodeEnv = envBase === null ? null : { ...envBase, ...awsNodeSet }
      const linux = envBase === null ? "" : envText(awsNodeSet)
      const r = awsNodeEnv === null ? null : readAwsNodeEnv(awsNodeEnv)
      out.push({
        id: out.length + 1,
        windows,
        ...w,
        // A Windows spelling merged into this one stands for it with the same aws-node variables.
        aliases: linux === "" ? w.aliases : w.aliases.map((a) => `${a} · ${linux}`),
        awsNodeSet,
        awsNodeEnv,
        linuxTargets:
          r === null
            ? null
            : {
                warmEniTarget: r.warmENITarget,
                warmIpTarget: r.warmIPTarget,
                minimumIpTarget: r.minimumIPTarget,
                warmPrefixTarget: r.warmPrefixTarget,
              },
      })
    }
  return out
}

/** The Windows settings in order: mode, then warm, minimum and prefix targets ascending; equivalents merged. */
const windowsPoints = (input: PointsInput): WindowsPoint[] => {
  const { base, plan } = input
  const modes: TuneMode[] =
    plan.mode === undefined ? [input.baseMode] : plan.mode === "both" ? ["secondary-ip", "prefix"] : [plan.mode]
  const dim = (values: readonly number[] | undefined): Array<number | undefined> =>
    values === undefined ? [undefined] : [...values]
  const raw: Array<{ mode: TuneMode; targets: Partial<Targets>; set: Record<string, string>; remove: string[] }> = []
  for (const mode of modes) {
    // The prefix target is ignored in secondary-IP mode: sweeping it there would only repeat points.
    const prefixValues = mode === "prefix" ? dim(plan.warmPrefixTarget) : [undefined]
    for (const w of dim(plan.warmIpTarget))
      for (const m of dim(plan.minimumIpTarget))
        for (const p of prefixValues) {
          const targets: Partial<Targets> = {
            ...(w !== undefined ? { warmIpTarget: w } : {}),
            ...(m !== undefined ? { minimumIpTarget: m } : {}),
            ...(p !== undefined ? { warmPrefixTarget: p } : {}),
          }
          const set: Record<string, string> = {}
          const remove: string[] = []
          if (mode === "prefix") set[Keys.enableWindowsPrefixDelegation] = "true"
          else if (Object.hasOwn(base, Keys.enableWindowsPrefixDelegation))
            set[Keys.enableWindowsPrefixDelegation] = "false"
          for (const [field, key, legacy] of TARGET_KEYS) {
            const v = targets[field]
            if (v === undefined) continue
            set[key] = String(v)
            if (Object.hasOwn(base, legacy)) remove.push(legacy)
          }
          raw.push({ mode, targets, set, remove })
        }
  }
  // Group spellings by what the controller does, in order of first appearance.
  const groups = new Map<string, Array<(typeof raw)[number] & { data: Record<string, string>; effective: Targets }>>()
  raw.forEach((r, i) => {
    const data: Record<string, string> = { ...base, ...r.set }
    for (const k of r.remove) delete data[k]
    const b = behaviour(data, input.prefixDelegationFlag)
    const key = input.mergeAliases ? JSON.stringify(b) : String(i)
    const list = groups.get(key) ?? []
    list.push({ ...r, data, effective: b.prefix ? b.pd : b.sip })
    groups.set(key, list)
  })
  const chosen = [...groups.values()].map((list) => {
    // Keep the spelling that says what the controller does, if one was swept.
    const exact = (r: (typeof list)[number]): boolean =>
      (["warmIpTarget", "minimumIpTarget", "warmPrefixTarget"] as const).every(
        (f) => r.targets[f] === undefined || r.targets[f] === r.effective[f],
      )
    const kept = list.find(exact) ?? list[0]!
    return { kept, aliases: list.filter((r) => r !== kept).map((r) => spelled(r.mode, r.targets)) }
  })
  // Sweep order: mode as listed, then the effective targets ascending.
  const e = (c: (typeof chosen)[number]) => c.kept.effective
  chosen.sort(
    (a, b) =>
      modes.indexOf(a.kept.mode) - modes.indexOf(b.kept.mode) ||
      e(a).warmIpTarget - e(b).warmIpTarget ||
      e(a).minimumIpTarget - e(b).minimumIpTarget ||
      e(a).warmPrefixTarget - e(b).warmPrefixTarget,
  )
  return chosen.map(({ kept, aliases }) => ({
    mode: kept.mode,
    set: kept.set,
    remove: kept.remove,
    data: kept.data,
    effective: kept.effective,
    aliases,
  }))
}
