// A Windows node as the controller sees it: its capacity per mode (research/vpc-resource-controller.md
// §1.4), its two resource providers' entries (secondary-IP and prefix) and what the node manager holds for it.

import type { SimNode } from "../kubernetes/Nodes.ts"
import type { NodeObject } from "./NodeWorkers.ts"
import { Mode, ProviderState } from "./ResourceProvider.ts"

export class WindowsNode {
  /**
   * Each provider's entry under the node's name (pod events reach the pools by key, in PoolMemory, not
   * through these). An entry forgotten while jobs held it is replaced by a new, empty one.
   */
  sip = new ProviderState()
  pd = new ProviderState()
  /** The node manager's data store entry for the node (manager.go ~51): undefined while it holds none. */
  current: NodeObject | undefined = undefined
  /** Not in the node manager's data store (before its AddNode, after a failed Init): pods on it are requeued. */
  outOfManager = true
  /** Its CNINode exists (AddNode creates it the first time, manager.go ~189, ~227–244). */
  cniNode = false
  /** Its first AddNode waits for the CNINode's create to get through the client's bucket. */
  adding = false

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

  /** A new, empty entry for the provider (the old one stays with the jobs that hold it). */
  replaceProvider(mode: Mode): ProviderState {
    const fresh = new ProviderState()
    if (mode === Mode.Prefix) this.pd = fresh
    else this.sip = fresh
    return fresh
  }

  get isNitro(): boolean {
    return this.capacityPrefix !== undefined
  }
}
