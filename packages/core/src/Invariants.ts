// The model's invariants, checked after every event when a spec asks (tests; slow): no address held twice,
// everything a pool tracks on its ENI, no waiting pod holding an address, subnet accounting conserved.

import type { Ipv4 } from "./ec2/Ipv4.ts"
import { prefixOf } from "./ec2/Ipv4.ts"
import type { SimulatedEc2 } from "./ec2/SimulatedEc2.ts"
import type { Subnet } from "./ec2/Subnet.ts"
import type { IpamdController } from "./ipamd/IpamdController.ts"
import type { Simulation } from "./kernel/Simulation.ts"
import { Flag, P, PF, PodState, type Pods } from "./kubernetes/Pods.ts"
import { Mode } from "./vpc-resource-controller/ResourceProvider.ts"
import type { WindowsController } from "./vpc-resource-controller/WindowsController.ts"
import { Pool } from "./vpc-resource-controller/warm-pool/Pool.ts"
import { poolAssigned } from "./vpc-resource-controller/warm-pool/PoolOperations.ts"

/** The parts of a cluster the invariants read. */
export interface CheckedParts {
  readonly sim: Simulation
  readonly ec2: SimulatedEc2
  readonly subnets: readonly Subnet[]
  readonly pods: Pods
  readonly windows: WindowsController
  readonly ipamd: IpamdController | undefined
}

const rec0 = (pods: Pods): Int32Array => pods.rec

/** Throws when an invariant breaks: addresses held twice, accounting not conserved, negative counters. */
export const checkInvariants = (c: CheckedParts): void => {
  const now = c.sim.now
  const owner = new Map<Ipv4, string>()
  const claim = (ip: Ipv4, who: string): void => {
    const prev = owner.get(ip)
    if (prev !== undefined) throw new Error(`t=${now}: address ${ip} held twice (${prev} and ${who})`)
    owner.set(ip, who)
  }
  const holdings = new Map<number, { ips: Set<Ipv4>; prefixes: Set<Ipv4> }>()
  for (const h of c.ec2.allHoldings()) {
    holdings.set(h.eni, { ips: new Set(h.ips), prefixes: new Set(h.prefixes) })
    for (const ip of h.ips)
      if (!h.subnet.isAllocatedIp(ip)) throw new Error(`t=${now}: ENI ${h.eni} holds ${ip} the subnet thinks free`)
    for (const p of h.prefixes)
      if (!h.subnet.isAllocatedPrefix(p))
        throw new Error(`t=${now}: ENI ${h.eni} holds prefix ${p} the subnet thinks free`)
  }
  for (const node of c.windows.nodes) {
    if (node === undefined) continue
    for (const m of [Mode.SecondaryIp, Mode.Prefix]) {
      const pool = node.provider(m).pool
      if (pool === undefined) continue
      const name = node.node.name
      if (pool.pendingCreate < 0 || pool.pendingDelete < 0)
        throw new Error(`t=${now}: ${name} pending counters negative (${pool.pendingCreate}, ${pool.pendingDelete})`)
      const h = holdings.get(node.node.eni)
      const tracked = pool.trackedAddresses()
      for (const list of [tracked.used, tracked.warm, tracked.cooling]) {
        for (const ip of list) {
          claim(ip, `${name}/${m === Mode.SecondaryIp ? "sip" : "pd"}`)
          const inEc2 = m === Mode.SecondaryIp ? h?.ips.has(ip) : h?.prefixes.has(prefixOf(ip))
          // ReSync never drops used addresses; everything else a pool tracks must be on the ENI.
          if (!inEc2 && !tracked.used.includes(ip))
            throw new Error(`t=${now}: ${name} pool tracks ${ip} that its ENI does not hold`)
        }
      }
    }
  }
  // ipamd's datastores: every address of every CIDR once, each on the ENI EC2 says holds it; a running
  // Linux pod's address is the one its node's datastore assigned it.
  for (const ln of c.ipamd?.nodes ?? []) {
    if (ln === undefined) continue
    const name = ln.node.name
    ln.ds.forEachCidr((eni, base, len, prefix) => {
      const h = holdings.get(eni)
      const held = prefix ? h?.prefixes.has(base) : h?.ips.has(base)
      if (!held) throw new Error(`t=${now}: ${name} datastore has ${base}/${len} that ENI ${eni} does not hold`)
      for (let k = 0; k < 2 ** (32 - len); k++) claim(base + k, `${name}/ipamd`)
    })
  }
  for (let slot = 0; slot < c.pods.slots; slot++) {
    const at = slot * P.STRIDE
    if (rec0(c.pods)[at + P.STATE] !== PodState.RUNNING || (rec0(c.pods)[at + P.FLAGS]! & Flag.LINUX) === 0) continue
    const ln = c.ipamd?.nodes[rec0(c.pods)[at + P.NODE]!]
    const ip = c.pods.f[4 * slot + PF.IP]!
    if (ln === undefined || ln.ds.addressOf(slot) !== ip)
      throw new Error(`t=${now}: Linux pod slot ${slot} runs with ${ip}, which its node's datastore does not assign it`)
  }
  // What poolAssignUnheld relies on: a pod waiting for an address holds none in its node's pools.
  const pools = c.windows.pools
  const rec = c.pods.rec
  for (let slot = 0; slot < c.pods.slots; slot++) {
    if (rec[slot * P.STRIDE + P.STATE] !== PodState.WAITING) continue
    const key = rec[slot * P.STRIDE + P.NODE]! * 2
    for (let m = 0; m < 2; m++)
      if (pools.has(key + m) && poolAssigned(pools, key + m, slot) >= 0)
        throw new Error(`t=${now}: pod slot ${slot} waits for an address but holds one`)
  }
  for (const s of c.subnets) {
    const accounted =
      s.free + s.allocatedIps + s.allocatedPrefixes * Pool.IPS_PER_PREFIX + s.usedByOthers + s.awsReserved
    const reservedFree = s.free - s.freeOutsideReservations
    if (accounted !== s.size && accounted - reservedFree !== s.size)
      throw new Error(`t=${now}: subnet ${s.id} accounting ${accounted} ≠ size ${s.size}`)
  }
}
