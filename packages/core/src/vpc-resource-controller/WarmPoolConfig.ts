// config.WarmPoolConfig and the controller's defaults (pkg/config/loader.go).

/** Mutable on purpose: the pool's deviation functions write defaults back into it, as the controller does. */
export interface WarmPoolConfig {
  /** Only a switch: 0 means draining, anything else active. */
  desiredSize: number
  warmIpTarget: number
  minIpTarget: number
  warmPrefixTarget: number
  /** Dead band: create iff deviation > maxDeviation, delete iff -deviation > maxDeviation. */
  maxDeviation: number
  /** Never read by the controller; kept for a faithful config object. */
  reservedSize: number
}

export const SIP_DEFAULT_WARM_IP_TARGET = 3
export const SIP_DEFAULT_MIN_IP_TARGET = 3
export const PD_DEFAULT_WARM_IP_TARGET = 1
export const PD_DEFAULT_MIN_IP_TARGET = 3
export const PD_DEFAULT_WARM_PREFIX_TARGET = 0

/** The secondary-IP pool's default config (DesiredSize 3, W 3, M 3). */
export const sipDefaultConfig = (): WarmPoolConfig => ({
  desiredSize: SIP_DEFAULT_WARM_IP_TARGET,
  warmIpTarget: SIP_DEFAULT_WARM_IP_TARGET,
  minIpTarget: SIP_DEFAULT_MIN_IP_TARGET,
  warmPrefixTarget: 0,
  maxDeviation: 0,
  reservedSize: 0,
})

/** The prefix pool's default config (DesiredSize 1, W 1, M 3, WPT 0). */
export const pdDefaultConfig = (): WarmPoolConfig => ({
  desiredSize: 1,
  warmIpTarget: PD_DEFAULT_WARM_IP_TARGET,
  minIpTarget: PD_DEFAULT_MIN_IP_TARGET,
  warmPrefixTarget: PD_DEFAULT_WARM_PREFIX_TARGET,
  maxDeviation: 0,
  reservedSize: 0,
})

/** SetToDraining replaces the config with an all-zero one. */
export const drainingConfig = (): WarmPoolConfig => ({
  desiredSize: 0,
  warmIpTarget: 0,
  minIpTarget: 0,
  warmPrefixTarget: 0,
  maxDeviation: 0,
  reservedSize: 0,
})

/** Before v1.6.0: DesiredSize 3 warm with MaxDeviation 1 (create when ≤ 1 warm, delete when ≥ 5); no targets. */
export const sipLegacyConfig = (): WarmPoolConfig => ({
  desiredSize: 3,
  warmIpTarget: 0,
  minIpTarget: 0,
  warmPrefixTarget: 0,
  maxDeviation: 1,
  reservedSize: 0,
})
