// The ConfigMap controller (controllers/core/configmap_controller.go): on a change of amazon-vpc-cni, when
// the IPAM flag, the PD flag or the parsed targets differ from what it remembers, every node the manager
// knows is updated: unmanaged when IPAM turned off, managed when it turned on, else its capacity and
// pools updated (UpdateResourceCapacity).

import { NodeStatus } from "../kubernetes/Nodes.ts"
import {
  type ConfigMapData,
  isWindowsIpamEnabled,
  isWindowsPrefixDelegationEnabled,
  parseWinIpTargetConfigs,
} from "./ConfigMap.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import type { ConfigMapChange } from "./ControllerSettings.ts"
import type { NodeManager } from "./NodeManager.ts"
import type { ResourceProviders } from "./ResourceProviders.ts"
import type { WindowsNode } from "./WindowsNode.ts"

export class ConfigMapController {
  // What the reconciler remembers (ConfigMapReconciler's cur* fields, zero values at start).
  private ipam = false
  private pd = false
  private warmIpTarget = 0
  private minIpTarget = 0
  private warmPrefixTarget = 0

  constructor(
    private readonly config: ControllerConfig,
    private readonly changes: readonly ConfigMapChange[],
    private readonly nodes: readonly WindowsNode[],
    private readonly manager: NodeManager,
    private readonly providers: ResourceProviders,
  ) {
    // The reconciler's first reconcile, at the controller's start, for the ConfigMap as it is: it fills
    // the memory (no node is managed yet, so its node updates do nothing).
    this.remember(config.data)
  }

  /**
   * Updates the memory field by field as Reconcile does (configmap_controller.go ~96–141): the flags
   * each on their own, warm and minimum targets together when either differs, the warm prefix target only
   * while the parsed config has PD on. True when anything changed.
   */
  private remember(data: ConfigMapData): boolean {
    let changed = false
    const ipam = isWindowsIpamEnabled(data)
    if (ipam !== this.ipam) {
      this.ipam = ipam
      changed = true
    }
    const pd = isWindowsPrefixDelegationEnabled(data, this.config.settings.prefixDelegationFlag)
    if (pd !== this.pd) {
      this.pd = pd
      changed = true
    }
    const t = parseWinIpTargetConfigs(data)
    if (t.warmIpTarget !== this.warmIpTarget || t.minIpTarget !== this.minIpTarget) {
      this.warmIpTarget = t.warmIpTarget
      this.minIpTarget = t.minIpTarget
      changed = true
    }
    if (t.isPdEnabled && t.warmPrefixTarget !== this.warmPrefixTarget) {
      this.warmPrefixTarget = t.warmPrefixTarget
      changed = true
    }
    return changed
  }

  /** The ConfigMap's change at `index` happened. */
  onChange(index: number): void {
    const data = this.changes[index]!.data
    const config = this.config
    config.apply(data)
    if (!this.remember(data)) return
    for (const node of this.nodes) {
      if (node === undefined) continue
      const n = node.node
      if (n.status !== NodeStatus.Registered && n.status !== NodeStatus.Ready) continue
      if (n.managed && !config.ipamEnabled) this.manager.unmanage(node)
      else if (!n.managed && config.ipamEnabled) this.manager.maybeManage(node)
      else if (n.managed) this.providers.updateResourceCapacity(node)
    }
  }
}
