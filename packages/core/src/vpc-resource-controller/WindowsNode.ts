// A Windows node as the controller sees it: its capacity per mode (research/vpc-resource-controller.md
// §1.4) and its two resource providers, secondary-IP and prefix.

import type { SimNode } from "../kubernetes/Nodes.ts"
import { Mode, ProviderState } from "./ResourceProvider.ts"

export class WindowsNode {
  /** The two providers (pod events reach their pools by key, in PoolMemory, not through these). */
  readonly sip = new ProviderState()
  readonly pd = new ProviderState()
  /** The Init job's progress: calls answered so far, and the order its providers initialise in. */
  initStep = 0
  readonly initOrder: Mode[] = []
  /** Removed from the node manager after a failed Init, until its next Node update. */
  outOfManager = false

  constructor(
    readonly node: SimNode,
    readonly capacitySecondaryIp: number,
    /** Undefined on instances that cannot hold prefixes (not Nitro). */
    readonly capacityPrefix: number | undefined,
  ) {
    node.nitro = capacityPrefix !== undefined
  }

  get index(): number {
    return this.node.index
  }

  provider(mode: Mode): ProviderState {
    return mode === Mode.Prefix ? this.pd : this.sip
  }

  get isNitro(): boolean {
    return this.capacityPrefix !== undefined
  }
}
