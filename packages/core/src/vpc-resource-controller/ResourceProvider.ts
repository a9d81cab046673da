// A node's resource provider as the controller keeps it (ResourceProviderAndPool, pkg/provider/{ip,prefix}):
// per mode, the pool, its ENI manager (entries and their counts of free ENI slots), isPrevPDEnabled and the
// ENI mutex; and the per-provider line of typed state pod events read.

import type { Ipv4 } from "../ec2/Ipv4.ts"
import type { WarmPoolConfig } from "./WarmPoolConfig.ts"
import type { WarmPool } from "./warm-pool/WarmPool.ts"

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).
export enum Mode {
  SecondaryIp = 0,
  Prefix = 1,
}

/**
 * A provider's ENI manager (pkg/provider/ip/eni/eni.go): its list of ENI entries, each with its own count
 * of free slots (remainingCapacity), and the entry each resource belongs to (resourceToENIMap).
 * InitResource makes a new manager whose InitResources lists the node's one ENI; every ReSync calls
 * InitResources again, which appends a fresh entry for the same ENI, keeps the old ones with their counts
 * and maps every resource EC2 shows to the new entry (~70–117).
 */
export class EniManager {
  /** remainingCapacity of each entry, in list order (the order CreateIPV4Resource asks them in). */
  readonly remaining: number[] = []
  /** Bumped by every new manager (InitResource): a job started on an older manager leaves this one alone. */
  generation = 0
  /**
   * resourceToENIMap for the provider's own resources (addresses, or prefixes by their first address):
   * parallel lists, kept only while there are two entries or more (with one, everything belongs to it).
   * At most the ENI's slots long: a resource leaves it when it is unassigned.
   */
  private readonly resources: Ipv4[] = []
  private readonly entries: number[] = []

  /** NewENIManager and its InitResources (InitResource): one entry with the ENI's free slots. */
  reset(remaining: number): void {
    this.generation++
    this.remaining.length = 0
    this.remaining.push(remaining)
    this.resources.length = 0
    this.entries.length = 0
  }

  /** A ReSync's InitResources: a new entry with the ENI's free slots; every resource EC2 shows is now its. */
  append(remaining: number, present: readonly Ipv4[]): void {
    const e = this.remaining.length
    this.remaining.push(remaining)
    for (let i = 0; i < present.length; i++) this.claim(present[i]!, e)
  }

  /** Entry `e` gave `created[from..]` (they showed in DescribeNetworkInterfaces): its count drops by them. */
  granted(e: number, created: readonly Ipv4[], from: number): void {
    this.remaining[e]! -= created.length - from
    if (this.remaining.length > 1) for (let i = from; i < created.length; i++) this.claim(created[i]!, e)
  }

  /** Entry `e`'s resources were unassigned: its count grows by them and they leave the map. */
  released(e: number, batch: readonly Ipv4[]): void {
    if (e >= 0) this.remaining[e]! += batch.length
    if (this.remaining.length > 1) for (let i = 0; i < batch.length; i++) this.unclaim(batch[i]!)
  }

  /** The entry a resource belongs to, or -1 when the map does not have it. */
  entryOf(r: Ipv4): number {
    if (this.remaining.length === 1) return 0
    const i = this.resources.indexOf(r)
    return i < 0 ? -1 : this.entries[i]!
  }

  private claim(r: Ipv4, e: number): void {
    const i = this.resources.indexOf(r)
    if (i >= 0) this.entries[i] = e
    else {
      this.resources.push(r)
      this.entries.push(e)
    }
  }

  private unclaim(r: Ipv4): void {
    const i = this.resources.indexOf(r)
    if (i < 0) return
    const last = this.resources.length - 1
    this.resources[i] = this.resources[last]!
    this.entries[i] = this.entries[last]!
    this.resources.length = last
    this.entries.length = last
  }
}

/**
 * One ResourceProviderAndPool: what a provider keeps for a node under its name (provider.go ~378–392), made
 * by InitResource and forgotten by DeInitResource. A worker's job takes it when it starts (~316–321) and
 * uses it to the end: a job running when it is forgotten goes on with it (`orphan`), its pool out of the
 * kernel's reach (moved to an id of its own) until its last running job ends.
 */
export class ProviderState {
  pool: WarmPool | undefined = undefined
  /** The ENI manager: its entries' counts of free ENI slots and which entry each resource belongs to. */
  readonly eni = new EniManager()
  isPrevPdEnabled = false
  /** The ENI manager's mutex: jobs of one node and provider run one at a time. */
  locked = false
  readonly lockWaiters: number[] = []
  /** Forgotten by its provider while jobs held it: no pod, loop or Node update reaches it any more. */
  orphan = false
  /**
   * The config the pool was last given (InitResource, SetToActive, SetToDraining), as given: the pool's
   * own copy carries the deviation functions' write-backs. A Node update that would give it the same
   * config changes nothing.
   */
  readonly applied: WarmPoolConfig = {
    desiredSize: 0,
    warmIpTarget: 0,
    minIpTarget: 0,
    warmPrefixTarget: 0,
    maxDeviation: 0,
    reservedSize: 0,
  }

  /** Notes the config the pool is given. */
  apply(config: WarmPoolConfig): WarmPoolConfig {
    const a = this.applied
    a.desiredSize = config.desiredSize
    a.warmIpTarget = config.warmIpTarget
    a.minIpTarget = config.minIpTarget
    a.warmPrefixTarget = config.warmPrefixTarget
    a.maxDeviation = config.maxDeviation
    return config
  }

  /** Whether `config` is the one the pool was last given. */
  hasConfig(config: WarmPoolConfig): boolean {
    const a = this.applied
    return (
      a.desiredSize === config.desiredSize &&
      a.warmIpTarget === config.warmIpTarget &&
      a.minIpTarget === config.minIpTarget &&
      a.warmPrefixTarget === config.warmPrefixTarget &&
      a.maxDeviation === config.maxDeviation
    )
  }
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
   * Carried by the loop events of the provider's own chain; bumped for every new one, so that only the
   * latest counts (a skipped loop's deadline is dropped when the loop is put back earlier, and a leaving
   * node's loop stops).
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
