// The terminal summary of a run: what a platform engineer reads first.

import type { Report } from "./Report.ts"

const dur = (ms: number): string => {
  if (ms < 1000) return `${ms} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`
  return `${(ms / 3_600_000).toFixed(2)} h`
}
const num = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 1 })

export const summaryText = (r: Report): string => {
  const lines: string[] = []
  const p = r.pods
  lines.push(`ipamsim: ${r.scenario} (seed ${r.seed}), ${dur(r.simulatedMs)} simulated, ${num(r.events)} events`)
  lines.push("")
  lines.push("Pods")
  lines.push(
    `  created ${num(p.created)}, asked for an address ${num(p.requestingAddress)}, got one ${num(p.withIp)}, never got one ${num(p.neverGotIp)}`,
  )
  if (p.unscheduled > 0)
    lines.push(`  ${num(p.unscheduled)} still Pending: Insufficient vpc.amazonaws.com/PrivateIPv4Address`)
  if (p.hostNetwork + p.withoutResourceRequest + p.ignoredNonWindows + p.unknownDeletes > 0)
    lines.push(
      `  hostNetwork ${p.hostNetwork}, without the resource request ${p.withoutResourceRequest}, non-Windows ignored ${p.ignoredNonWindows}, deletes of unknown pods ${p.unknownDeletes}`,
    )
  lines.push(
    `  wait for an address: p50 ${dur(p.waitMs.p50)}, p90 ${dur(p.waitMs.p90)}, p99 ${dur(p.waitMs.p99)}, max ${dur(p.waitMs.max)}`,
  )
  const retries = Object.entries(p.retries)
  if (retries.length > 0) lines.push(`  controller requeues: ${retries.map(([k, v]) => `${k} ${num(v)}`).join(", ")}`)
  lines.push("")
  const a = r.addresses
  lines.push("Addresses")
  lines.push(
    `  IP-hours used ${num(a.ipSeconds.used / 3600)}, warm ${num(a.ipSeconds.warm / 3600)}, cooling ${num(a.ipSeconds.cooling / 3600)}, allocated ${num(a.ipSeconds.allocated / 3600)}`,
  )
  lines.push(
    `  waste ratio ${(a.wasteRatio * 100).toFixed(1)} % of allocated address-time unused; peak allocated ${a.peakAllocated}`,
  )
  lines.push("")
  lines.push("Subnets")
  for (const s of r.subnets) {
    const ex =
      s.firstExhaustedAtMs === null
        ? "never exhausted"
        : `exhausted first at ${dur(s.firstExhaustedAtMs)}, ${dur(s.exhaustedMs)} in all`
    lines.push(
      `  ${s.id} ${s.cidr}: min free ${s.minFree}, final free ${s.finalFree}, ${ex}; insufficient-address errors ${s.insufficientErrors}, InsufficientCidrBlocks ${s.insufficientCidrBlocksErrors}; free /28 blocks min ${s.minFreeAlignedBlocks}`,
    )
  }
  lines.push("")
  const sum = (o: Record<string, number>): number => Object.values(o).reduce((x, y) => x + y, 0)
  lines.push(
    `EC2: ${num(sum(r.ec2.calls))} calls (assign ${num(r.ec2.calls.AssignPrivateIpAddresses ?? 0)}, unassign ${num(r.ec2.calls.UnassignPrivateIpAddresses ?? 0)}), throttled ${num(sum(r.ec2.throttled))}, failed ${num(sum(r.ec2.failed))}; ReSync jobs ${r.controller.resyncJobs}`,
  )
  if (r.expectations.length > 0) {
    lines.push("")
    lines.push("Expectations")
    for (const e of r.expectations)
      lines.push(`  ${e.ok ? "ok  " : "FAIL"} ${e.name}: actual ${e.actual}, limit ${e.limit}`)
  }
  return `${lines.join("\n")}\n`
}
