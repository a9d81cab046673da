// The controller's pod webhook (webhooks/core/pod_webhook.go): it injects the address resource request
// into pods with the Windows nodeSelector that are not hostNetwork, while Windows IPAM is enabled.

import type { PodEvent } from "../workload/PodEvent.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"

export const requestsAddress = (e: PodEvent, config: ControllerConfig): boolean =>
  e.windowsSelector && !e.hostNetwork && config.ipamEnabled
