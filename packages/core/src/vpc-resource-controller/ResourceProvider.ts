// A node's resource provider as the controller keeps it (ResourceProviderAndPool, pkg/provider/{ip,prefix}):
// per mode, the pool, the ENI manager's own count of free ENI slots, isPrevPDEnabled, the ENI mutex and
// whether its 30 s loop is scheduled; and the per-provider line of typed state pod events read.

import type { WarmPool } from "./warm-pool/WarmPool.ts"

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).
export enum Mode {
  SecondaryIp = 0,
  Prefix = 1,
}

export class ProviderState {
  pool: WarmPool | undefined = undefined
  /** ENI manager's remainingCapacity for the primary ENI (its own bookkeeping, refreshed at init and ReSync). */
  eniRemaining = 0
  isPrevPdEnabled = false
  /** The ENI manager's mutex: jobs of one node and provider run one at a time. */
  locked = false
  readonly lockWaiters: number[] = []
  /** Whether this provider's 30 s ProcessDeleteQueue loop is scheduled. */
  loopActive = false
}

/**
 * The controller's per-provider line (key = node index × 2 + mode) in one Float64Array, K.STRIDE numbers
 * each: what a pod event reads and writes besides the pool. One typed array rather than fields of
 * ProviderState: a pod event over thousands of nodes reaches them in one cache line, at an offset computed
 * from the key, and no time becomes a boxed heap number.
 */
export enum K {
  STRIDE = 8,
  /**
   * Carried by the provider's loop events; bumped for every new one, so that only the latest counts (a
   * skipped loop's deadline is dropped when the loop is put back earlier, and an old pool's loop stops).
   */
  TOKEN = 0,
  /** The pool's counts as last reported to the metrics. */
  USED = 1,
  WARM = 2,
  COOLING = 3,
  PENDING = 4,
  /** When its loop would run next while it is skipped (DormantLoops says whether it is). */
  NEXT_LOOP_AT = 5,
  /**
   * While dormant, the loop time at which the skipped loop would return every cooling address to warm and
   * then find nothing to do (poolCoolDownSettles), or -1: applied when the pool is next touched, at a
   * timeline sample or at the end, at this time (DeleteQueueLoops.settle).
   */
  MATURE_AT = 6,
  /** 1 while the provider is listed in DeleteQueueLoops' `maturing`. */
  LISTED = 7,
}
