// The aws-node DaemonSet's environment as users write it (strings, as `kubectl get ds -n kube-system aws-node
// -o yaml` prints them), read the way ipamd reads it (aws/amazon-vpc-cni-k8s b52188387f, pkg/ipamd/ipamd.go
// ~1405–1455 and ~1997–2110, pkg/ipamd/datastore/data_store.go ~243–249, utils/utils.go ~12–38): a value
// ipamd cannot parse silently becomes the default, so the reading also says what it did with each value.

/** What ipamd takes from its environment for the IPv4 pool. */
export interface AwsNodeConfig {
  readonly prefixDelegation: boolean
  readonly warmENITarget: number
  readonly warmIPTarget: number
  readonly minimumIPTarget: number
  readonly warmPrefixTarget: number
  readonly cooldownMs: number
  /** MAX_ENI when ≥ 1 (else the instance's limit). */
  readonly maxENI: number | undefined
  readonly subnetDiscovery: boolean
  readonly customNetworking: boolean
  /** ENABLE_POD_ENI: one ENI slot stays for the trunk ENI. */
  readonly podEni: boolean
}

/** A value ipamd reads differently from what the user probably meant. */
export interface EnvWarning {
  readonly key: string
  readonly message: string
}

/** strconv.Atoi: an optional sign and decimal digits, within int64; anything else (spaces, "3.0", "0x3") fails. */
export const goAtoi = (s: string): number | undefined => {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  // Go's int is 64-bit; a value outside it is a range error.
  const big = BigInt(s)
  if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined
  return Number(big)
}

/** strconv.ParseBool. */
export const goParseBool = (s: string): boolean | undefined => {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false
  return undefined
}

const DEFAULTS = {
  warmENITarget: 1,
  warmPrefixTarget: 0,
  cooldownSeconds: 30,
}

/** Reads the environment; `warnings` receives one entry per value ipamd would not take as written. */
export const readAwsNodeEnv = (env: Readonly<Record<string, string>>, warnings: EnvWarning[] = []): AwsNodeConfig => {
  const has = (k: string): boolean => Object.hasOwn(env, k)
  const warn = (key: string, message: string): void => {
    warnings.push({ key, message })
  }
  // getWarmENITarget / getWarmPrefixTarget: unparsable or negative → the default.
  const intOr = (key: string, fallback: number, what: string): number => {
    if (!has(key)) return fallback
    const v = goAtoi(env[key]!)
    if (v === undefined || v < 0) {
      warn(key, `"${env[key]}" is not a non-negative integer: ipamd uses ${what}`)
      return fallback
    }
    return v
  }
  // os.LookupEnv + ParseBool; an unparsable value → the default.
  const lookupBool = (key: string, fallback: boolean): boolean => {
    if (!has(key)) return fallback
    const v = goParseBool(env[key]!)
    if (v === undefined) {
      warn(key, `"${env[key]}" is not a Go boolean (true/false/1/0/t/f): ipamd uses ${fallback}`)
      return fallback
    }
    return v
  }
  // parseBoolEnvVar: os.Getenv, so an empty value is the default too.
  const getenvBool = (key: string, fallback: boolean): boolean =>
    !has(key) || env[key] === "" ? fallback : lookupBool(key, fallback)
  let cooldownMs = DEFAULTS.cooldownSeconds * 1000
  if (has("IP_COOLDOWN_PERIOD")) {
    const v = goAtoi(env.IP_COOLDOWN_PERIOD!)
    if (v === undefined) warn("IP_COOLDOWN_PERIOD", `"${env.IP_COOLDOWN_PERIOD}" is not an integer: ipamd uses 30 s`)
    else cooldownMs = v * 1000
  }
  let maxENI: number | undefined
  if (has("MAX_ENI")) {
    const v = goAtoi(env.MAX_ENI!)
    if (v !== undefined && v >= 1) maxENI = v
    else warn("MAX_ENI", `"${env.MAX_ENI}" is not an integer ≥ 1: ipamd uses the instance's ENI limit`)
  }
  return {
    prefixDelegation: lookupBool("ENABLE_PREFIX_DELEGATION", false),
    warmENITarget: intOr("WARM_ENI_TARGET", DEFAULTS.warmENITarget, "1"),
    warmIPTarget: intOr("WARM_IP_TARGET", 0, "no warm IP target"),
    minimumIPTarget: intOr("MINIMUM_IP_TARGET", 0, "no minimum IP target"),
    warmPrefixTarget: intOr("WARM_PREFIX_TARGET", DEFAULTS.warmPrefixTarget, "0"),
    cooldownMs,
    maxENI,
    subnetDiscovery: getenvBool("ENABLE_SUBNET_DISCOVERY", true),
    customNetworking: getenvBool("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", false),
    podEni: lookupBool("ENABLE_POD_ENI", false),
  }
}

/** The aws-node manifest's and Helm chart's shipped values (cni-ipamd.md §4). */
export const SHIPPED_AWS_NODE_ENV: Readonly<Record<string, string>> = {
  WARM_ENI_TARGET: "1",
  WARM_PREFIX_TARGET: "1",
  ENABLE_PREFIX_DELEGATION: "false",
  ENABLE_SUBNET_DISCOVERY: "true",
}
