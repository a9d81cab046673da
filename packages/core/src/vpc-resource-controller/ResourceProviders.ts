// The providers' side of a node (pkg/provider/{ip,prefix}): InitResource builds a pool from what EC2 holds
// and the running pods' annotations (research/vpc-resource-controller.md §4.5); UpdateResourceCapacity
// sets each pool active or draining and the capacity the node advertises (§2.6 tables).

import type { Ipv4 } from "../ec2/Ipv4.ts"
import { prefixOf } from "../ec2/Ipv4.ts"
import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import type { MapOrder } from "../go/MapOrder.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import { P, PF, PodState, type Pods } from "../kubernetes/Pods.ts"
import type { Scheduler } from "../kubernetes/Scheduler.ts"
import type { ControllerConfig } from "./ControllerConfig.ts"
import type { DeleteQueueLoops } from "./DeleteQueueLoops.ts"
import type { PoolCounts } from "./PoolCounts.ts"
import { Mode } from "./ResourceProvider.ts"
import { drainingConfig, type WarmPoolConfig } from "./WarmPoolConfig.ts"
import type { WindowsNode } from "./WindowsNode.ts"
import { JobKind, type Workers } from "./Workers.ts"
import { Pool } from "./warm-pool/Pool.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"
import { WarmPool } from "./warm-pool/WarmPool.ts"

export class ResourceProviders {
  private readonly scratchIps: Ipv4[] = []
  private readonly scratchPrefixes: Ipv4[] = []

  constructor(
    private readonly config: ControllerConfig,
    private readonly pools: PoolMemory,
    private readonly order: MapOrder,
    private readonly ec2: SimulatedEc2,
    private readonly pods: Pods,
    private readonly scheduler: Scheduler,
    private readonly workers: Workers,
    private readonly loops: DeleteQueueLoops,
    private readonly counts: PoolCounts,
  ) {}

  /** InitResource: a pool built from what EC2 holds and the running pods' annotations (§4.5). */
  init(node: WindowsNode, mode: Mode): void {
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
    const config: WarmPoolConfig = active ? this.config.poolConfig(isPd) : drainingConfig()
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

  /** UpdateResourceCapacity of both providers (§2.6 tables). */
  updateResourceCapacity(node: WindowsNode): void {
    const n = node.node
    if (n.status !== NodeStatus.Ready) return
    const index = node.index
    const loops = this.loops
    const workers = this.workers
    const job = workers.poolJob
    loops.wake(index, Mode.SecondaryIp)
    loops.wake(index, Mode.Prefix)
    const curr = this.config.pdActive()
    const flag = this.config.settings.prefixDelegationFlag
    const sip = node.provider(Mode.SecondaryIp)
    if (sip.pool !== undefined) {
      if (!node.isNitro || !flag) {
        sip.isPrevPdEnabled = false
        workers.applyJob(index, Mode.SecondaryIp, sip.pool.setToActive(this.config.poolConfig(false), job))
        n.advertised = node.capacitySecondaryIp
      } else if (sip.isPrevPdEnabled && curr) {
        // PD provider handles the node.
      } else if (!sip.isPrevPdEnabled && curr) {
        sip.isPrevPdEnabled = true
        workers.applyJob(index, Mode.SecondaryIp, sip.pool.setToDraining(job))
      } else {
        sip.isPrevPdEnabled = false
        workers.applyJob(index, Mode.SecondaryIp, sip.pool.setToActive(this.config.poolConfig(false), job))
        n.advertised = node.capacitySecondaryIp
      }
    }
    const pd = node.provider(Mode.Prefix)
    if (pd.pool !== undefined) {
      if (!curr) {
        if (pd.isPrevPdEnabled) {
          pd.isPrevPdEnabled = false
          workers.applyJob(index, Mode.Prefix, pd.pool.setToDraining(job))
        }
      } else {
        pd.isPrevPdEnabled = true
        workers.applyJob(index, Mode.Prefix, pd.pool.setToActive(this.config.poolConfig(true), job))
        n.advertised = node.capacityPrefix!
      }
    }
    this.counts.touchNode(index)
    this.scheduler.reindex(index)
    this.scheduler.requestSchedule()
  }
}
