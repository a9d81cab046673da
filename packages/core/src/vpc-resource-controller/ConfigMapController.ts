// The ConfigMap controller (controllers/core/configmap_controller.go): on a change of amazon-vpc-cni, when
// the IPAM flag, the PD flag or the parsed targets differ from what it remembers, every node the manager
// knows is updated: unmanaged when IPAM turned off, managed when it turned on, else its capacity and
// pools updated (UpdateResourceCapacity).

import { NodeStatus } from "../kubernetes/Nodes.ts"
import { isWindowsPrefixDelegationEnabled, parseWinIpTargetConfigs } from "./ConfigMap.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import type { ConfigMapChange } from "./ControllerSettings.ts"
import type { NodeManager } from "./NodeManager.ts"
import type { ResourceProviders } from "./ResourceProviders.ts"
import type { WindowsNode } from "./WindowsNode.ts"

export class ConfigMapController {
  private remembered = { ipam: false, pd: false, w: 0, m: 0, wpt: 0 }

  constructor(
    private readonly config: ControllerConfig,
    private readonly changes: readonly ConfigMapChange[],
    private readonly nodes: readonly WindowsNode[],
    private readonly manager: NodeManager,
    private readonly providers: ResourceProviders,
  ) {}

  /** The ConfigMap's change at `index` happened. */
  onChange(index: number): void {
    const data = this.changes[index]!.data
    const config = this.config
    config.apply(data)
    const t = parseWinIpTargetConfigs(data)
    const next = {
      ipam: config.ipamEnabled,
      pd: isWindowsPrefixDelegationEnabled(data, config.settings.prefixDelegationFlag),
      w: t.warmIpTarget,
      m: t.minIpTarget,
      wpt: t.warmPrefixTarget,
    }
    const r = this.remembered
    const changed =
      r.ipam !== next.ipam ||
      r.pd !== next.pd ||
      r.w !== next.w ||
      r.m !== next.m ||
      (t.isPdEnabled && r.wpt !== next.wpt)
    this.remembered = next
    if (!changed) return
    for (const node of this.nodes) {
      const n = node.node
      if (n.status !== NodeStatus.Registered && n.status !== NodeStatus.Ready) continue
      if (n.managed && !config.ipamEnabled) this.manager.unmanage(node)
      else if (!n.managed && config.ipamEnabled) this.manager.maybeManage(node)
      else if (n.managed) this.providers.updateResourceCapacity(node)
    }
  }
}
