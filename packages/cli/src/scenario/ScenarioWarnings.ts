// Values the controller or ipamd read differently from what was probably meant. The model reads them as
// they do (a ConfigMap's `"true "` leaves Windows IPAM off, `"3.0"` is no target at all), so runs stay
// faithful; these warnings say, per key, what the controller or ipamd will do with the value.
// `validate --strict` fails on them.

import { goAtoi, goParseBool } from "@ipamsim/core/go/GoText"
import { type EnvWarning, readAwsNodeEnv } from "@ipamsim/core/ipamd/AwsNodeEnv"
import {
  type ConfigMapData,
  isWindowsIpamEnabled,
  Keys,
  parseWinIpTargetConfigs,
} from "@ipamsim/core/vpc-resource-controller/ConfigMap"
import type { Path, Problem } from "./Problem.ts"
import type { Scenario } from "./ScenarioSchema.ts"

const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.values(Keys))
const TARGET_KEYS = [
  Keys.warmIpTarget,
  Keys.minimumIpTarget,
  Keys.warmPrefixTarget,
  Keys.windowsWarmIpTarget,
  Keys.windowsMinimumIpTarget,
  Keys.windowsWarmPrefixTarget,
]
/** Each windows- key and the legacy key that hides it when both are set (ParseWinIPTargetConfigs). */
const LEGACY_OF: Readonly<Record<string, string>> = {
  [Keys.windowsWarmIpTarget]: Keys.warmIpTarget,
  [Keys.windowsMinimumIpTarget]: Keys.minimumIpTarget,
  [Keys.windowsWarmPrefixTarget]: Keys.warmPrefixTarget,
}
const BOOL_KEYS = [Keys.enableWindowsIpam, Keys.enableWindowsPrefixDelegation]

/** What the controller runs with for this data, in its own words. */
const outcome = (data: ConfigMapData): string => {
  if (!isWindowsIpamEnabled(data)) return "with this ConfigMap Windows IPAM is off"
  const t = parseWinIpTargetConfigs(data)
  return t.isPdEnabled
    ? `with this ConfigMap the controller runs prefix delegation with warm-prefix-target ${t.warmPrefixTarget}, warm-ip-target ${t.warmIpTarget}, minimum-ip-target ${t.minIpTarget}`
    : `with this ConfigMap the controller runs with warm-ip-target ${t.warmIpTarget}, minimum-ip-target ${t.minIpTarget}`
}

const GO_BOOLS = "exactly true, True, TRUE, t, T, 1 or false, False, FALSE, f, F, 0"

/**
 * Warnings for the keys `keys` of `data` (the ConfigMap as it stands after a change), at `path` + key.
 * `data` undefined is no ConfigMap, which is not a mistake.
 */
const dataWarnings = (data: ConfigMapData, keys: readonly string[], path: Path): Problem[] => {
  if (data === undefined) return []
  const out: Problem[] = []
  const at = (key: string, message: string) => out.push({ path: [...path, key], message })
  for (const key of keys) {
    const value = data[key]
    if (value === undefined) continue
    if ((BOOL_KEYS as readonly string[]).includes(key)) {
      if (goParseBool(value) === undefined)
        at(
          key,
          `${JSON.stringify(value)} is not a boolean to the controller (Go's strconv.ParseBool: ${GO_BOOLS}): it reads false, so ${key === Keys.enableWindowsIpam ? "Windows IPAM is off" : "prefix delegation is off"}`,
        )
    } else if ((TARGET_KEYS as readonly string[]).includes(key)) {
      const parsed = goAtoi(value)
      const hiddenBy = LEGACY_OF[key]
      if (hiddenBy !== undefined && Object.hasOwn(data, hiddenBy))
        at(
          key,
          `ignored: the controller reads ${hiddenBy} (${JSON.stringify(data[hiddenBy])}) when both are set; ${outcome(data)}`,
        )
      else if (!parsed.ok)
        at(
          key,
          `${JSON.stringify(value)} is not a whole number to the controller (Go's strconv.Atoi: digits with an optional sign; no spaces, decimals or hex): it reads 0; ${outcome(data)}`,
        )
      else if (parsed.value < 0) at(key, `${JSON.stringify(value)} is negative; ${outcome(data)}`)
    } else if (!KNOWN_KEYS.has(key) && (key.includes("windows") || key.endsWith("-target")))
      at(key, `not a key the controller reads (it reads ${[...KNOWN_KEYS].join(", ")}); the key has no effect`)
  }
  const setsTargets = keys.some((k) => (TARGET_KEYS as readonly string[]).includes(k) && data[k] !== undefined)
  if (setsTargets && data[Keys.enableWindowsIpam] === undefined)
    out.push({
      path,
      message: `no ${Keys.enableWindowsIpam} key: the controller leaves Windows IPAM off, so the targets have no effect (add ${Keys.enableWindowsIpam}: "true")`,
    })
  return out
}

/** Warnings for the ConfigMap's data and for each change, at the keys each one writes. */
export const configMapWarnings = (s: Scenario): Problem[] => {
  const c = s.configMap
  if (c === undefined) return []
  const out: Problem[] = []
  let data: ConfigMapData =
    c.data === undefined ? { [Keys.enableWindowsIpam]: "true" } : c.data === null ? undefined : c.data
  if (c.data !== undefined && c.data !== null)
    out.push(...dataWarnings(data, Object.keys(c.data), ["configMap", "data"]))
  ;(c.changes ?? []).forEach((ch, i) => {
    const path = ["configMap", "changes", i]
    if (ch.data !== undefined) {
      data = ch.data === null ? undefined : ch.data
      if (ch.data !== null) out.push(...dataWarnings(data, Object.keys(ch.data), [...path, "data"]))
      return
    }
    const next: Record<string, string> = { ...(data ?? {}), ...(ch.set ?? {}) }
    for (const k of ch.remove ?? []) delete next[k]
    data = next
    if (ch.set !== undefined) out.push(...dataWarnings(data, Object.keys(ch.set), [...path, "set"]))
  })
  return out
}

type EnvInput = Record<string, string> | ReadonlyArray<{ readonly name: string; readonly value?: string }>

/** Where a variable is written in an env as the scenario gives it: a map's key, or a list entry's value. */
const envPath = (env: EnvInput, key: string, path: Path): Path => {
  if (!Array.isArray(env)) return [...path, key]
  const i = (env as ReadonlyArray<{ name: string }>).findIndex((e) => e.name === key)
  return i < 0 ? path : [...path, i, "value"]
}

const envMapOf = (env: EnvInput): Record<string, string> => {
  if (!Array.isArray(env)) return { ...(env as Record<string, string>) }
  const out: Record<string, string> = {}
  for (const e of env as ReadonlyArray<{ name: string; value?: string }>) out[e.name] = e.value ?? ""
  return out
}

/**
 * ipamd's reading of the aws-node env (readAwsNodeEnv's warnings), for the env the scenario gives and for the
 * variables each change writes; and an env that no node reads.
 */
export const awsNodeEnvWarnings = (s: Scenario, hasLinuxNodes: boolean): Problem[] => {
  const a = s.awsNode
  if (a === undefined) return []
  if (!hasLinuxNodes) {
    if (a.env === undefined) return []
    return [
      {
        path: ["awsNode", "env"],
        message: "no node group has os: linux, so no ipamd reads the aws-node env; it has no effect",
      },
    ]
  }
  const out: Problem[] = []
  const read = (env: Record<string, string>, keys: ReadonlySet<string>, where: (key: string) => Path): void => {
    const found: EnvWarning[] = []
    readAwsNodeEnv(env, found)
    for (const w of found) if (keys.has(w.key)) out.push({ path: where(w.key), message: w.message })
  }
  let env: Record<string, string> | undefined
  if (a.env !== undefined) {
    const given = a.env as EnvInput
    env = envMapOf(given)
    read(env, new Set(Object.keys(env)), (k) => envPath(given, k, ["awsNode", "env"]))
  }
  ;(a.changes ?? []).forEach((c, i) => {
    const path = ["awsNode", "changes", i]
    let next: Record<string, string> = { ...(env ?? {}) }
    const written = new Map<string, Path>()
    if (c.env !== undefined) {
      const given = c.env as EnvInput
      next = envMapOf(given)
      for (const k of Object.keys(next)) written.set(k, envPath(given, k, [...path, "env"]))
    }
    for (const [k, v] of Object.entries(c.set ?? {})) {
      next[k] = v
      written.set(k, [...path, "set", k])
    }
    for (const k of c.remove ?? []) delete next[k]
    env = next
    read(next, new Set(written.keys()), (k) => written.get(k) ?? path)
  })
  return out
}
