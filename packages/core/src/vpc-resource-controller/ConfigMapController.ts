// The ConfigMap controller (controllers/core/configmap_controller.go): on a change of amazon-vpc-cni, when
// the IPAM flag, the PD flag or the parsed targets differ from what it remembers, UpdateNode for every node
// the manager's data store holds (UpdateNodesOnConfigMapChanges, ~171–190), in the informer's order: each
// submits its async job (an Init for a node now managed, a Delete for one no longer managed, else an
// Update) to the node manager's workers.

import {
  type ConfigMapData,
  isWindowsIpamEnabled,
  isWindowsPrefixDelegationEnabled,
  parseWinIpTargetConfigs,
} from "./ConfigMap.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import type { ConfigMapChange } from "./ControllerSettings.ts"
import type { NodeManager } from "./NodeManager.ts"

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
    private readonly manager: Pick<NodeManager, "listNodes" | "updateNode">,
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
    // ListNodes, then GetNode: only nodes in the data store (one out of it after a failed Init is not).
    const nodes = this.manager.listNodes()
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.current !== undefined) this.manager.updateNode(nodes[i]!)
  }
}
