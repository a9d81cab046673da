// Who holds each subnet's addresses at an instant: pods, warm and cooling addresses of the Windows pools and
// of ipamd's datastores, the ENIs' primary addresses, other users of the subnet, AWS's reserved five, and
// what is free. Addresses EC2 has handed out that neither manager counts at that instant (a release on
// its way, a create not yet in the datastore) are "in flight".

import type { SimulatedEc2 } from "./ec2/SimulatedEc2.ts"
import type { Subnet } from "./ec2/Subnet.ts"
import type { IpamdController } from "./ipamd/IpamdController.ts"
import { IpamMode } from "./ipamd/IpamdSettings.ts"
import { NodeStatus, type SimNode } from "./kubernetes/Nodes.ts"
import { K } from "./vpc-resource-controller/ResourceProvider.ts"
import type { WindowsController } from "./vpc-resource-controller/WindowsController.ts"

export interface SubnetHolderCounts {
  windowsPods: number
  windowsWarm: number
  windowsCooling: number
  linuxPods: number
  linuxWarm: number
  linuxCooling: number
  /** Primary addresses of the nodes' own ENIs and of the ENIs ipamd created. */
  eniPrimaries: number
  inFlight: number
  others: number
  awsReserved: number
  free: number
}

export const HOLDERS: ReadonlyArray<keyof SubnetHolderCounts> = [
  "windowsPods",
  "windowsWarm",
  "windowsCooling",
  "linuxPods",
  "linuxWarm",
  "linuxCooling",
  "eniPrimaries",
  "inFlight",
  "others",
  "awsReserved",
  "free",
]

/** The parts the count reads. */
export interface HolderParts {
  readonly subnets: readonly Subnet[]
  readonly nodes: readonly SimNode[]
  readonly ec2: SimulatedEc2
  readonly windows: WindowsController
  readonly ipamd: IpamdController | undefined
}

/** Every subnet's holders at `now`; the managers' lazy state must be brought up to now first (catchUp). */
export const subnetHolders = (c: HolderParts, now: number): SubnetHolderCounts[] => {
  const out = c.subnets.map(() => ({
    windowsPods: 0,
    windowsWarm: 0,
    windowsCooling: 0,
    linuxPods: 0,
    linuxWarm: 0,
    linuxCooling: 0,
    eniPrimaries: 0,
    inFlight: 0,
    others: 0,
    awsReserved: 0,
    free: 0,
  }))
  const index = new Map(c.subnets.map((s, i) => [s, i]))
  for (const n of c.nodes) {
    if (n.status === NodeStatus.Absent || n.status === NodeStatus.Gone || n.eni < 0) continue
    const h = out[n.subnetIndex]!
    h.eniPrimaries++
    if (c.ipamd?.isLinux(n.index)) continue
    h.windowsPods += c.windows.counts.lastCount(n.index, K.USED)
    h.windowsWarm += c.windows.counts.lastCount(n.index, K.WARM)
    h.windowsCooling += c.windows.counts.lastCount(n.index, K.COOLING)
  }
  for (const ln of c.ipamd?.nodes ?? []) {
    if (ln === undefined) continue
    const ds = ln.ds
    if (!ln.otherSubnets) {
      // Every ENI in the node's own subnet: its counts as last brought up to date (catchUp ran first).
      const h = out[ln.node.subnetIndex]!
      const pods = ds.assigned + ds.assignedOther
      h.eniPrimaries += ds.eniCount - 1
      h.linuxPods += pods
      h.linuxCooling += ln.cooling
      h.linuxWarm += ds.total + ds.totalOther - pods - ln.cooling
      continue
    }
    const cooldown = ds.settings.cooldownMs
    for (const e of ds.enis) {
      const subnet = c.ec2.subnetOf(e.key)
      const si = subnet === undefined ? undefined : index.get(subnet)
      if (si === undefined) continue
      const h = out[si]!
      if (!e.primary) h.eniPrimaries++
      for (const cidr of e.cidrs) {
        let cooling = 0
        if (cidr.records > cidr.assigned)
          for (let i = 0; i < cidr.size; i++) if (now - cidr.releasedAt[i]! <= cooldown) cooling++
        // The other mode's leftovers hold addresses no pod can get: warm for this count.
        const current = cidr.prefix === (ds.settings.mode === IpamMode.PD)
        h.linuxPods += cidr.assigned
        h.linuxCooling += current ? cooling : 0
        h.linuxWarm += cidr.size - cidr.assigned - (current ? cooling : 0)
      }
    }
  }
  c.subnets.forEach((s, i) => {
    const h = out[i]!
    h.others = s.usedByOthers
    h.awsReserved = s.awsReserved
    h.free = s.free
    const handedOut = s.allocatedIps + 16 * s.allocatedPrefixes
    const counted =
      h.windowsPods + h.windowsWarm + h.windowsCooling + h.linuxPods + h.linuxWarm + h.linuxCooling + h.eniPrimaries
    h.inFlight = handedOut - counted
  })
  return out
}
