// The terminal summary of a run: what a platform engineer reads first.

import type { LinuxResult, SubnetHolders } from "@ipamsim/core/metrics/SimResult"
import type { Report } from "./Report.ts"

const dur = (ms: number): string => {
  if (ms < 1000) return `${ms} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`
  return `${(ms / 3_600_000).toFixed(2)} h`
}
const num = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 1 })
const sum = (o: Record<string, number>): number => Object.values(o).reduce((x, y) => x + y, 0)
const waits = (w: { p50: number; p90: number; p99: number; max: number }): string =>
  `p50 ${dur(w.p50)}, p90 ${dur(w.p90)}, p99 ${dur(w.p99)}, max ${dur(w.max)}`
const ipHours = (s: { used: number; warm: number; cooling: number }): string =>
  `IP-hours used ${num(s.used / 3600)}, warm ${num(s.warm / 3600)}, cooling ${num(s.cooling / 3600)}`

/** Who holds a subnet's addresses (a run with Linux nodes). */
const holders = (h: SubnetHolders): string =>
  `Windows pods ${num(h.windowsPods)}, warm ${num(h.windowsWarm)}, cooling ${num(h.windowsCooling)}; ` +
  `Linux pods ${num(h.linuxPods)}, warm ${num(h.linuxWarm)}, cooling ${num(h.linuxCooling)}; ` +
  `ENI primaries ${num(h.eniPrimaries)}, in flight ${num(h.inFlight)}, others ${num(h.others)}, AWS-reserved ${num(h.awsReserved)}, free ${num(h.free)}`

/** The Linux nodes' pods and ipamd (a run with Linux nodes only). */
const linuxLines = (l: LinuxResult): string[] => {
  const p = l.pods
  const e = l.ec2
  return [
    "Linux pods",
    `  created ${num(p.created)}, needing an address ${num(p.needingAddress)}, got one ${num(p.withIp)}, never got one ${num(p.neverGotIp)}`,
    `  still waiting ${num(p.stillWaiting)}, unscheduled ${num(p.unscheduled)}, hostNetwork ${num(p.hostNetwork)}, evicted ${num(p.evicted)}, CNI ADD retries ${num(p.cniRetries)}`,
    `  wait for an address: ${waits(p.waitMs)}`,
    `  ipamd on ${num(l.nodes)} nodes: ENIs created ${num(l.ipamd.enisCreated)}, deleted ${num(l.ipamd.enisDeleted)}, at end ${num(l.ipamd.enisAtEnd)}; EC2 calls ${num(sum(e.calls))}, throttled ${num(sum(e.throttled))}, failed ${num(sum(e.failed))}`,
  ]
}

export const summaryText = (r: Report): string => {
  const lines: string[] = []
  const p = r.pods
  const linux = r.linux
  lines.push(`ipamsim: ${r.scenario} (seed ${r.seed}), ${dur(r.simulatedMs)} simulated, ${num(r.events)} events`)
  lines.push("")
  lines.push(linux === undefined ? "Pods" : "Windows pods")
  lines.push(
    `  created ${num(p.created)}, asked for an address ${num(p.requestingAddress)}, got one ${num(p.withIp)}, never got one ${num(p.neverGotIp)}`,
  )
  if (p.unscheduled > 0)
    lines.push(`  ${num(p.unscheduled)} still Pending: Insufficient vpc.amazonaws.com/PrivateIPv4Address`)
  if (p.hostNetwork + p.withoutResourceRequest + p.ignoredNonWindows + p.unknownDeletes > 0)
    lines.push(
      `  hostNetwork ${p.hostNetwork}, without the resource request ${p.withoutResourceRequest}, non-Windows ignored ${p.ignoredNonWindows}, deletes of unknown pods ${p.unknownDeletes}`,
    )
  lines.push(`  wait for an address: ${waits(p.waitMs)}`)
  const retries = Object.entries(p.retries)
  if (retries.length > 0) lines.push(`  controller requeues: ${retries.map(([k, v]) => `${k} ${num(v)}`).join(", ")}`)
  if (linux !== undefined) lines.push("", ...linuxLines(linux))
  lines.push("")
  const a = r.addresses
  lines.push("Addresses")
  lines.push(
    `  ${linux === undefined ? "" : "all nodes: "}${ipHours(a.ipSeconds)}, allocated ${num(a.ipSeconds.allocated / 3600)}`,
  )
  if (linux !== undefined) {
    const l = linux.addresses.ipSeconds
    lines.push(`  Linux nodes: ${ipHours(l)}, pending ${num(l.pending / 3600)}`)
  }
  lines.push(
    `  waste ratio ${(a.wasteRatio * 100).toFixed(1)} % of allocated address-time unused; peak allocated ${a.peakAllocated}`,
  )
  lines.push("")
  lines.push("Subnets")
  for (const s of r.subnets) {
    const held = linux?.subnets[s.id]
    const ex =
      s.firstExhaustedAtMs === null
        ? "never exhausted"
        : `exhausted first at ${dur(s.firstExhaustedAtMs)}, ${dur(s.exhaustedMs)} in all`
    lines.push(
      `  ${s.id} ${s.cidr}: min free ${s.minFree}, final free ${s.finalFree}, ${ex}; insufficient-address errors ${s.insufficientErrors}, InsufficientCidrBlocks ${s.insufficientCidrBlocksErrors}; free /28 blocks min ${s.minFreeAlignedBlocks}`,
    )
    if (held !== undefined) lines.push(`    held at the end: ${holders(held)}`)
  }
  lines.push("")
  const byIpamd = linux === undefined ? "" : `, ${num(sum(linux.ec2.calls))} of them by ipamd`
  lines.push(
    `EC2: ${num(sum(r.ec2.calls))} calls (assign ${num(r.ec2.calls.AssignPrivateIpAddresses ?? 0)}, unassign ${num(r.ec2.calls.UnassignPrivateIpAddresses ?? 0)})${byIpamd}, throttled ${num(sum(r.ec2.throttled))}, failed ${num(sum(r.ec2.failed))}; ReSync jobs ${r.controller.resyncJobs}`,
  )
  if (r.expectations.length > 0) {
    lines.push("")
    lines.push("Expectations")
    for (const e of r.expectations)
      lines.push(`  ${e.ok ? "ok  " : "FAIL"} ${e.name}: actual ${e.actual}, limit ${e.limit}`)
  }
  return `${lines.join("\n")}\n`
}
