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
  }

  /** Prefix delegation in force: the controller's flag and the ConfigMap's. */
  pdActive(): boolean {
    return this.settings.prefixDelegationFlag && this.pdEnabled
  }

  /** GetWinWarmPoolConfig for the caller's mode, or the pre-v1.6.0 fixed config for secondary IPs. */
  poolConfig(isPd: boolean): WarmPoolConfig {
    if (!isPd && this.settings.profile === "pre-v1.6.0") return sipLegacyConfig()
    return getWinWarmPoolConfig(this.data, isPd)
  }
}
