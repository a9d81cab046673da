// The door between the kernel plus the Kubernetes side and a node's IP address manager (the VPC Resource
// Controller for Windows nodes). The Kubernetes side tells it what happens to its nodes, its pods and the
// configuration; it answers by writing its node's advertised capacity and status in the node table and by
// calling Pods.gotAddress when a pod has an address, and it keeps its own timers as event kinds it owns.
// docs/architecture.md shows the path of one pod event through it.

import type { EventHandler } from "../kernel/Simulation.ts"
import type { PodEvent } from "../workload/PodEvent.ts"

export interface IpAddressManager extends EventHandler {
  /** The event kinds it owns (its timers, retries and calls): the kernel hands those events to onEvent. */
  readonly eventKinds: readonly number[]
  /** The webhook's answer: does a pod created from `e` request the address resource? */
  requestsAddress(e: PodEvent): boolean
  /** The node's instance is up and the node registered (status Registered, nothing advertised). */
  nodeJoined(node: number): void
  /** The node is leaving: its manager forgets it. The Kubernetes side evicts its pods next. */
  nodeLeaving(node: number): void
  /**
   * A pod that requests an address was bound to the node (status WAITING). The manager assigns one now
   * (Pods.gotAddress) or keeps retrying on its own timers until the pod has one or is gone.
   */
  podBound(pod: number, node: number): void
  /** A running pod holding `ip` on the node was deleted: the address goes back to the manager. */
  podDeleted(pod: number, node: number, ip: number): void
  /** The configuration it reads changed (the ConfigMap's change at `index`). */
  configChanged(index: number): void
  /** Applies state it keeps lazily up to now (before a timeline sample, the result or a state query). */
  catchUp(): void
}
