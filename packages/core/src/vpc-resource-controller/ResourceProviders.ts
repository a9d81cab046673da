// The providers' side of a node (pkg/provider/{ip,prefix}): InitResource builds a pool from what EC2 holds
// and the running pods' annotations (research/vpc-resource-controller.md §4.5) and puts it under the node's
// name; DeInitResource forgets it; UpdateResourceCapacity sets each pool active or draining and says the
// capacity the node advertises (§2.6 tables).

import type { Ipv4 } from "../ec2/Ipv4.ts"
import { prefixOf } from "../ec2/Ipv4.ts"
import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import type { MapOrder } from "../go/MapOrder.ts"
import { P, PF, PodState, type Pods } from "../kubernetes/Pods.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import type { DeleteQueueLoops } from "./DeleteQueueLoops.ts"
import type { PoolCounts } from "./PoolCounts.ts"
import { Mode, type ProviderState } from "./ResourceProvider.ts"
import { drainingConfig, type WarmPoolConfig } from "./WarmPoolConfig.ts"
import type { WindowsNode } from "./WindowsNode.ts"
import { JobKind, type Workers } from "./Workers.ts"
import { Pool } from "./warm-pool/Pool.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"
import { poolNeedsJob } from "./warm-pool/PoolOperations.ts"
import { WarmPool } from "./warm-pool/WarmPool.ts"

export class ResourceProviders {
  private readonly scratchIps: Ipv4[] = []
  private readonly scratchPrefixes: Ipv4[] = []
  /** Pool ids for forgotten pools that running jobs still hold (after the providers' keys); ids freed for reuse. */
  private nextOrphanId: number
  private readonly freeOrphanIds: number[] = []

  constructor(
    private readonly config: ControllerConfig,
    private readonly pools: PoolMemory,
    private readonly order: MapOrder,
    private readonly ec2: SimulatedEc2,
    private readonly pods: Pods,
    private readonly workers: Workers,
    private readonly loops: DeleteQueueLoops,
    private readonly counts: PoolCounts,
    /** The providers' keys: node index × 2 + mode below it. */
    keyCount: number,
  ) {
    this.nextOrphanId = keyCount
  }

  /**
   * InitResource: a pool built from what EC2 holds and the running pods' annotations (§4.5), put under the
   * node's name (putInstanceProviderAndPool, provider.go ~378–392), replacing an entry already there.
   */
  init(node: WindowsNode, mode: Mode): void {
    if (node.provider(mode).pool !== undefined) this.dropPool(node, mode, true)
    const prov = node.provider(mode)
    const ips = this.scratchIps
    const prefixes = this.scratchPrefixes
    ips.length = 0
    prefixes.length = 0
    this.ec2.describeEni(node.node.eni, ips, prefixes)
    const isPd = mode === Mode.Prefix
    const pdOn = this.config.pdActive()
    prov.isPrevPdEnabled = pdOn
    const active = isPd ? pdOn : !pdOn
    const config: WarmPoolConfig = prov.apply(active ? this.config.poolConfig(isPd) : drainingConfig())
    const capacity = isPd ? node.capacityPrefix! : node.capacitySecondaryIp
    const pool = new WarmPool({
      capacity,
      isPrefixPool: isPd,
      config,
      order: this.order,
      legacySecondaryIp: !isPd && this.config.settings.profile === "pre-v1.6.0",
      memory: this.pools,
      id: node.index * 2 + mode,
    })
    // Running pods whose annotation matches a present address become used; the rest is warm.
    const present = new Set<Ipv4>(isPd ? [] : ips)
    const presentPrefixes = new Set<Ipv4>(isPd ? prefixes : [])
    const usedIps = new Set<Ipv4>()
    const rec = this.pods.rec
    // A node with no pod bound has no running pod to adopt: skip the scan of every pod.
    for (let slot = 0; node.node.podsBound > 0 && slot < this.pods.slots; slot++) {
      if (rec[slot * P.STRIDE + P.STATE] !== PodState.RUNNING || rec[slot * P.STRIDE + P.NODE] !== node.index) continue
      const ip = this.pods.f[4 * slot + PF.IP]!
      if (isPd ? presentPrefixes.has(prefixOf(ip)) : present.has(ip)) {
        usedIps.add(ip)
        pool.adoptUsed(slot, ip)
      }
    }
    const warm: Ipv4[] = []
    if (isPd) {
      for (const p of prefixes) for (let i = 0; i < Pool.IPS_PER_PREFIX; i++) if (!usedIps.has(p + i)) warm.push(p + i)
    } else {
      for (const ip of ips) if (!usedIps.has(ip)) warm.push(ip)
    }
    pool.adoptWarm(warm)
    prov.pool = pool
    // A new ENI manager: one entry with the ENI's free slots (eni.go ~70–117).
    prov.eni.reset(this.ec2.remainingSlots(node.node.eni))
    // The ProcessDeleteQueue job it submits (provider.go ~189–190): a chain of loops of its own.
    const chain = this.loops.newChain(node.index, mode)
    this.workers.reconcileAndSubmit(node.index, mode)
    this.workers.submit(JobKind.LOOP, node.index, mode, chain)
  }

  /** DeInitResource of both providers (provider.go ~194–199): whatever entries the node's name has. */
  dropPools(node: WindowsNode, keepChains: boolean): void {
    this.dropPool(node, Mode.SecondaryIp, keepChains)
    this.dropPool(node, Mode.Prefix, keepChains)
  }

  /**
   * DeInitResource: the entry is deleted from the provider's map; nothing is unassigned in EC2. The
   * provider's loop chains go on to their next run (`keepChains`) unless the node is leaving. Jobs running
   * with the entry keep it (they took it when they started, provider.go ~316–321): its pool moves to an id
   * of its own, out of the kernel's reach, and the node gets an empty entry.
   */
  dropPool(node: WindowsNode, mode: Mode, keepChains: boolean): void {
    const prov = node.provider(mode)
    // A maturation that happened before the pool is forgotten counts in the metrics until now.
    this.loops.forget(node.index, mode, keepChains)
    const pool = prov.pool
    if (pool === undefined) return
    if (!prov.locked) {
      prov.pool = undefined
      this.pools.drop(node.index * 2 + mode)
      return
    }
    let id = this.freeOrphanIds.pop()
    if (id === undefined) id = this.nextOrphanId++
    pool.moveTo(id)
    prov.orphan = true
    node.replaceProvider(mode)
  }

  /** The last running job of a forgotten entry ended: its pool goes. */
  releaseOrphan(prov: ProviderState): void {
    const pool = prov.pool!
    this.pools.drop(pool.id)
    this.freeOrphanIds.push(pool.id)
    prov.pool = undefined
  }

  /**
   * UpdateResourceCapacity of both providers (§2.6 tables; ip/provider.go ~202–266, prefix/provider.go
   * ~202–260), secondary-IP first: each pool set active or draining. Returns the capacity the active
   * provider advertises (AdvertiseCapacityIfNotSet), or -1 when neither does.
   */
  updateResourceCapacity(node: WindowsNode): number {
    const index = node.index
    const loops = this.loops
    const workers = this.workers
    const job = workers.poolJob
    loops.wake(index, Mode.SecondaryIp)
    loops.wake(index, Mode.Prefix)
    const curr = this.config.pdActive()
    const flag = this.config.settings.prefixDelegationFlag
    let capacity = -1
    const sip = node.sip
    if (sip.pool !== undefined) {
      if (node.isNitro && flag && curr) {
        if (!sip.isPrevPdEnabled) {
          sip.isPrevPdEnabled = true
          sip.apply(drainingConfig())
          workers.applyJob(index, Mode.SecondaryIp, sip.pool.setToDraining(job))
        }
        // Else the PD provider handles the node.
      } else {
        sip.isPrevPdEnabled = false
        workers.applyJob(index, Mode.SecondaryIp, sip.pool.setToActive(sip.apply(this.config.poolConfig(false)), job))
        capacity = node.capacitySecondaryIp
      }
    }
    const pd = node.pd
    if (pd.pool !== undefined) {
      if (!curr) {
        if (pd.isPrevPdEnabled) {
          pd.isPrevPdEnabled = false
          pd.apply(drainingConfig())
          workers.applyJob(index, Mode.Prefix, pd.pool.setToDraining(job))
        }
      } else {
        pd.isPrevPdEnabled = true
        workers.applyJob(index, Mode.Prefix, pd.pool.setToActive(pd.apply(this.config.poolConfig(true)), job))
        capacity = node.capacityPrefix!
      }
    }
    this.counts.touchNode(index)
    return capacity
  }

  /**
   * Whether UpdateResourceCapacity now would change nothing: no pool changes state, each active pool
   * already has the config it would be given and nothing to reconcile, and the capacity it would advertise
   * is advertised. Ers on "something": a pool's isPrevPDEnabled about to be written counts as a change.
   */
  updateChangesNothing(node: WindowsNode): boolean {
    const curr = this.config.pdActive()
    const flag = this.config.settings.prefixDelegationFlag
    let capacity = -1
    const sip = node.sip
    if (sip.pool !== undefined) {
      if (node.isNitro && flag && curr) {
        if (!sip.isPrevPdEnabled) return false
      } else {
        if (sip.isPrevPdEnabled || !this.activeSettled(sip, false)) return false
        capacity = node.capacitySecondaryIp
      }
    }
    const pd = node.pd
    if (pd.pool !== undefined) {
      if (!curr) {
        if (pd.isPrevPdEnabled) return false
      } else {
        if (!pd.isPrevPdEnabled || !this.activeSettled(pd, true)) return false
        capacity = node.capacityPrefix!
      }
    }
    return capacity < 0 || capacity === node.node.advertised
  }

  /** SetToActive would give the pool the config it has, and its reconcile would return no job. */
  private activeSettled(prov: ProviderState, isPd: boolean): boolean {
    return prov.hasConfig(this.config.currentPoolConfig(isPd)) && !poolNeedsJob(this.pools, prov.pool!.id)
  }
}
