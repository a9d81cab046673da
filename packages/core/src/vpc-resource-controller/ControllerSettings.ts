// How the controller is deployed and what it talks to: its flags, its behaviour profile, EC2's timing as
// its calls see it, and the ConfigMap's timed changes.

import type { Ec2CallsSpec } from "../ec2/Ec2Calls.ts"
import type { LatencySpec } from "../ec2/Latency.ts"
import type { ConfigMapData } from "./ConfigMap.ts"

/**
 * Controller behaviour profiles (docs/fidelity.md):
 * - `current`: HEAD (b8d42511, v1.7.19 for this code): SDK v2 error strings, so InsufficientCidrBlocks is
 *   an ordinary failure (ReSync path).
 * - `sdk-v1-icb`: v1.1.8–v1.6.x InsufficientCidrBlocks handling: no ReSync, prefixAvailable false, pods
 *   on an empty pool wait 2 minutes.
 * - `pre-v1.6.0`: secondary-IP pools with a fixed warm pool of 3 and a dead band of 1 (no warm/minimum
 *   targets), plus the v1 InsufficientCidrBlocks handling.
 */
export type Profile = "current" | "sdk-v1-icb" | "pre-v1.6.0"

export interface ControllerSettings {
  /** --enable-windows-prefix-delegation on the controller. */
  readonly prefixDelegationFlag: boolean
  readonly profile: Profile
  readonly ec2: Ec2CallsSpec
  /** Time from a successful AssignPrivateIpAddresses until DescribeNetworkInterfaces shows the addresses. */
  readonly visibility: LatencySpec
}

export interface ConfigMapChange {
  readonly atMs: number
  /** The whole `data` of amazon-vpc-cni after the change; undefined = ConfigMap deleted. */
  readonly data: ConfigMapData
}
