// The settings of one node's ipamd (aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go, IPAMContext's fields read from
// the aws-node environment) and its fixed timing constants.

/** ENABLE_PREFIX_DELEGATION off (secondary IPs, /32 CIDRs count) or on (/28 prefixes count). */
export enum IpamMode {
  SIP = 0,
  PD = 1,
}

/** ipamd's constants (ipamd.go:64, :167; data_store.go:38, :1552 GetPrefixDelegationDefaults). */
export enum Ipamd {
  IPS_PER_PREFIX = 16,
  PREFIX_LENGTH = 28,
  /** decreaseIPPoolInterval: a decrease is skipped while now − lastDecrease ≤ this. */
  DECREASE_INTERVAL_MS = 30_000,
  /** insufficientCidrErrorCooldown: no growth while now − lastInsufficient ≤ this. */
  INSUFFICIENT_COOLDOWN_MS = 120_000,
  /** minENILifeTime: an ENI is too young to free while now − created < this. */
  MIN_ENI_LIFETIME_MS = 60_000,
  /** The pool manager's cycle (two sleeps of 2.5 s). */
  CYCLE_MS = 5_000,
}

/** IP_COOLDOWN_PERIOD when unset (data_store.go:243). */
export const DEFAULT_COOLDOWN_MS = 30_000

export interface IpamdSettings {
  readonly mode: IpamMode
  readonly maxENI: number
  /** SIP: the limit per ENI; PD: 16 × maxPrefixesPerENI. */
  readonly maxIPsPerENI: number
  /** SIP: 0. */
  readonly maxPrefixesPerENI: number
  readonly maxPods: number
  readonly warmENITarget: number
  readonly warmIPTarget: number
  readonly minimumIPTarget: number
  readonly warmPrefixTarget: number
  /** IP_COOLDOWN_PERIOD in ms; 0 and negative values are taken as given (negative: never cooling). */
  readonly cooldownMs: number
  readonly subnetDiscovery: boolean
  /** AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: the primary ENI takes no addresses for pods (not in the conformance protocol). */
  readonly customNetworking?: boolean
}

/** warmIPTargetsDefined (ipamd.go:1941): WARM_IP_TARGET or MINIMUM_IP_TARGET non-zero. */
export const targetsDefined = (s: IpamdSettings): boolean => s.warmIPTarget !== 0 || s.minimumIPTarget !== 0

/** What the environment gives, before ipamd's defaults; a missing value is an unset variable. */
export interface IpamdInput {
  readonly mode: IpamMode
  readonly maxENI: number
  /** SIP: maxIPsPerENI; PD: maxPrefixesPerENI (IPv4Limit − 1 in both). */
  readonly perEni: number
  readonly maxPods: number
  readonly warmENITarget?: number | undefined
  readonly warmIPTarget?: number | undefined
  readonly minimumIPTarget?: number | undefined
  readonly warmPrefixTarget?: number | undefined
  readonly cooldownMs?: number | undefined
  readonly subnetDiscovery?: boolean | undefined
}

/**
 * ipamd's effective settings: getWarmENITarget (missing or negative → 1, ipamd.go:1424), getWarmIPTarget and
 * getMinimumIPTarget (→ 0, :2029, :2044), getWarmPrefixTarget (→ 0, :1441), IP_COOLDOWN_PERIOD (missing → 30 s,
 * data_store.go:243), GetIPv4Limit (ipamd.go:2570: PD has 16 addresses per prefix).
 */
export const ipamdSettings = (i: IpamdInput): IpamdSettings => {
  const orDefault = (v: number | undefined, d: number): number => (v === undefined || v < 0 ? d : v)
  const pd = i.mode === IpamMode.PD
  return {
    mode: i.mode,
    maxENI: i.maxENI,
    maxIPsPerENI: pd ? i.perEni * Ipamd.IPS_PER_PREFIX : i.perEni,
    maxPrefixesPerENI: pd ? i.perEni : 0,
    maxPods: i.maxPods,
    warmENITarget: orDefault(i.warmENITarget, 1),
    warmIPTarget: orDefault(i.warmIPTarget, 0),
    minimumIPTarget: orDefault(i.minimumIPTarget, 0),
    warmPrefixTarget: orDefault(i.warmPrefixTarget, 0),
    cooldownMs: i.cooldownMs ?? DEFAULT_COOLDOWN_MS,
    subnetDiscovery: i.subnetDiscovery ?? true,
  }
}
