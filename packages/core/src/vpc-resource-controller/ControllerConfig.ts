// What the controller reads from the amazon-vpc-cni ConfigMap right now, with its own flags: whether Windows
// IPAM and prefix delegation are on, and each pool's warm/minimum targets (GetWinWarmPoolConfig).

import {
  type ConfigMapData,
  getWinWarmPoolConfig,
  isWindowsIpamEnabled,
  isWindowsPrefixDelegationEnabled,
} from "./ConfigMap.ts"
import type { ControllerSettings } from "./ControllerSettings.ts"
import { sipLegacyConfig, type WarmPoolConfig } from "./WarmPoolConfig.ts"

export class ControllerConfig {
  data: ConfigMapData = undefined
  ipamEnabled = false
  pdEnabled = false
  /** GetWinWarmPoolConfig's answers for the ConfigMap as it is, kept unmodified (poolConfig hands out copies). */
  private sip!: WarmPoolConfig
  private pd!: WarmPoolConfig

  constructor(
    readonly settings: ControllerSettings,
    data: ConfigMapData,
  ) {
    this.apply(data)
  }

  apply(data: ConfigMapData): void {
    this.data = data
    this.ipamEnabled = isWindowsIpamEnabled(data)
    this.pdEnabled = isWindowsPrefixDelegationEnabled(data, true)
    this.sip = this.settings.profile === "pre-v1.6.0" ? sipLegacyConfig() : getWinWarmPoolConfig(data, false)
    this.pd = getWinWarmPoolConfig(data, true)
  }

  /** Prefix delegation in force: the controller's flag and the ConfigMap's. */
  pdActive(): boolean {
    return this.settings.prefixDelegationFlag && this.pdEnabled
  }

  /**
   * GetWinWarmPoolConfig for the caller's mode, or the pre-v1.6.0 fixed config for secondary IPs: a new
   * object, as the controller reads one for each pool (its deviation functions write defaults into it).
   */
  poolConfig(isPd: boolean): WarmPoolConfig {
    return { ...(isPd ? this.pd : this.sip) }
  }

  /** The same config, not to be changed (for comparisons). */
  currentPoolConfig(isPd: boolean): Readonly<WarmPoolConfig> {
    return isPd ? this.pd : this.sip
  }
}
