// The kube-system/amazon-vpc-cni ConfigMap as the controller reads it (pkg/config/loader.go,
// pkg/condition/conditions.go, pkg/pool/utils.go): research/vpc-resource-controller.md §2.1–§2.5.

import { goAtoi, goParseBool } from "../go/GoText.ts"
import {
  PD_DEFAULT_MIN_IP_TARGET,
  PD_DEFAULT_WARM_IP_TARGET,
  PD_DEFAULT_WARM_PREFIX_TARGET,
  pdDefaultConfig,
  SIP_DEFAULT_MIN_IP_TARGET,
  SIP_DEFAULT_WARM_IP_TARGET,
  sipDefaultConfig,
  type WarmPoolConfig,
} from "./WarmPoolConfig.ts"

/** ConfigMap `data`; undefined stands for "no ConfigMap, or one without data" (Go: Data == nil). */
export type ConfigMapData = Readonly<Record<string, string>> | undefined

export const Keys = {
  enableWindowsIpam: "enable-windows-ipam",
  enableWindowsPrefixDelegation: "enable-windows-prefix-delegation",
  warmIpTarget: "warm-ip-target",
  minimumIpTarget: "minimum-ip-target",
  warmPrefixTarget: "warm-prefix-target",
  windowsWarmIpTarget: "windows-warm-ip-target",
  windowsMinimumIpTarget: "windows-minimum-ip-target",
  windowsWarmPrefixTarget: "windows-warm-prefix-target",
} as const

export interface ParsedTargets {
  readonly warmIpTarget: number
  readonly minIpTarget: number
  readonly warmPrefixTarget: number
  /** The ConfigMap's own prefix-delegation flag (not the node's condition). */
  readonly isPdEnabled: boolean
}

const lookup = (data: Readonly<Record<string, string>>, legacy: string, windows: string): string | undefined =>
  Object.hasOwn(data, legacy) ? data[legacy] : Object.hasOwn(data, windows) ? data[windows] : undefined

/** ParseWinIPTargetConfigs, step for step (§2.2). A legacy key, even empty, hides its windows- twin. */
export const parseWinIpTargetConfigs = (data: ConfigMapData): ParsedTargets => {
  if (data === undefined) {
    return {
      warmIpTarget: SIP_DEFAULT_WARM_IP_TARGET,
      minIpTarget: SIP_DEFAULT_MIN_IP_TARGET,
      warmPrefixTarget: 0,
      isPdEnabled: false,
    }
  }
  const isPdEnabled = goParseBool(data[Keys.enableWindowsPrefixDelegation] ?? "") === true
  const warmText = lookup(data, Keys.warmIpTarget, Keys.windowsWarmIpTarget)
  const minText = lookup(data, Keys.minimumIpTarget, Keys.windowsMinimumIpTarget)
  const prefixText = lookup(data, Keys.warmPrefixTarget, Keys.windowsWarmPrefixTarget)

  let warmIpTarget = 0
  if (warmText !== undefined) {
    const parsed = goAtoi(warmText)
    warmIpTarget = parsed.value
    // Go keeps Atoi's value on error (0 for bad syntax, the clamped extreme when out of range).
    if (parsed.ok && !isPdEnabled && warmIpTarget === 0) warmIpTarget = 1
  }
  let minIpTarget = 0
  if (minText !== undefined) minIpTarget = goAtoi(minText).value
  let warmPrefixTarget = 0
  if (isPdEnabled && prefixText !== undefined) warmPrefixTarget = goAtoi(prefixText).value

  if (warmIpTarget === 0 && minIpTarget === 0) {
    if (isPdEnabled && warmPrefixTarget === 0) {
      minIpTarget = PD_DEFAULT_MIN_IP_TARGET
      warmIpTarget = PD_DEFAULT_WARM_IP_TARGET
      warmPrefixTarget = PD_DEFAULT_WARM_PREFIX_TARGET
    } else if (!isPdEnabled) {
      minIpTarget = SIP_DEFAULT_MIN_IP_TARGET
      warmIpTarget = SIP_DEFAULT_WARM_IP_TARGET
    }
  }
  return { warmIpTarget, minIpTarget, warmPrefixTarget, isPdEnabled }
}

/** LoadResourceConfigFromConfigMap: both pools' configs, the user's targets written into one of them. */
export const loadResourceConfig = (data: ConfigMapData): { sip: WarmPoolConfig; pd: WarmPoolConfig } => {
  const sip = sipDefaultConfig()
  const pd = pdDefaultConfig()
  const t = parseWinIpTargetConfigs(data)
  if (t.warmIpTarget === 0 && t.minIpTarget === 0 && t.warmPrefixTarget === 0) return { sip, pd }
  if (t.isPdEnabled) {
    pd.warmIpTarget = t.warmIpTarget
    pd.minIpTarget = t.minIpTarget
    pd.warmPrefixTarget = t.warmPrefixTarget
  } else {
    sip.warmIpTarget = t.warmIpTarget
    sip.minIpTarget = t.minIpTarget
  }
  return { sip, pd }
}

/**
 * pool.GetWinWarmPoolConfig: the config for the caller's mode (the node's condition, not the ConfigMap's
 * flag). `"unreadable"` stands for a failed ConfigMap read, which falls back to the defaults.
 */
export const getWinWarmPoolConfig = (data: ConfigMapData | "unreadable", isPdEnabled: boolean): WarmPoolConfig => {
  const configs = data === "unreadable" ? { sip: sipDefaultConfig(), pd: pdDefaultConfig() } : loadResourceConfig(data)
  return isPdEnabled ? configs.pd : configs.sip
}

/** condition.IsWindowsIPAMEnabled; `oldControllerPresent` is the kube-system/vpc-resource-controller Deployment check. */
export const isWindowsIpamEnabled = (data: ConfigMapData, oldControllerPresent = false): boolean => {
  if (oldControllerPresent || data === undefined) return false
  const value = data[Keys.enableWindowsIpam]
  return value !== undefined && goParseBool(value) === true
}

/** condition.IsWindowsPrefixDelegationEnabled: needs the controller flag, IPAM on, and the ConfigMap's PD flag. */
export const isWindowsPrefixDelegationEnabled = (
  data: ConfigMapData,
  controllerFlag: boolean,
  oldControllerPresent = false,
): boolean => {
  if (oldControllerPresent || !controllerFlag || !isWindowsIpamEnabled(data)) return false
  const value = data![Keys.enableWindowsPrefixDelegation]
  return value !== undefined && goParseBool(value) === true
}
