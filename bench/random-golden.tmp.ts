import { createHash } from "node:crypto"
import { Cluster } from "@ipamsim/core/Cluster"
import { Rng } from "@ipamsim/core/Rng"
import type { PodEvent } from "@ipamsim/core/SimSpec"
import { createPod, deletePod, simSpec } from "@ipamsim/core/SpecBuilder"

const TYPES = ["t3.medium", "m5.large", "c5.xlarge", "m4.large"]

/** A random small cluster with churn, mode switches, target changes and faults, from one seed. */
const randomSpec = (seed: number, wakeIdleLoops: boolean) => {
  const rng = new Rng(seed)
  const groups = 1 + rng.int(3)
  const trace: PodEvent[] = []
  const pods = 50 + rng.int(250)
  const span = (5 + rng.int(40)) * 60_000
  for (let i = 0; i < pods; i++) {
    const t = 10_000 + rng.int(span)
    trace.push(createPod(t, `p${i}`))
    // Round times make ties with the loops' own instants likely.
    if (rng.float() < 0.9) trace.push(deletePod(t + 1000 * (1 + rng.int(900)), `p${i}`))
  }
  const pd = rng.float() < 0.5
  const cm = (w: number, m: number) => ({
    "enable-windows-ipam": "true",
    ...(pd ? { "enable-windows-prefix-delegation": "true" } : {}),
    "windows-warm-ip-target": String(w),
    "windows-minimum-ip-target": String(m),
  })
  const lat = rng.float() < 0.5 ? { fixed: 100 * (1 + rng.int(10)) } : { lognormal: { median: 400, p99: 3000 } }
  return simSpec({
    seed,
    subnets: [
      { id: "a", cidr: rng.float() < 0.3 ? "10.0.0.0/26" : "10.0.0.0/22", usedByOthers: { count: rng.int(20) } },
    ],
    nodeGroups: Array.from({ length: groups }, (_, g) => ({
      name: `g${g}`,
      instanceType: TYPES[rng.int(TYPES.length)]!,
      count: 1 + rng.int(4),
      joinAtMs: rng.int(4) * 1000,
      joinEveryMs: rng.int(3) * 10_000,
      ...(rng.float() < 0.2 ? { leaveAtMs: span / 2 } : {}),
    })),
    configMap: cm(rng.int(5), rng.int(6)),
    configMapChanges: rng.float() < 0.5 ? [{ atMs: span / 3, data: cm(rng.int(4), rng.int(4)) }] : [],
    ec2: {
      latency: {
        AssignPrivateIpAddresses: lat,
        UnassignPrivateIpAddresses: lat,
        DescribeNetworkInterfaces: lat,
        DescribeInstances: lat,
        DescribeSubnets: lat,
      },
      faults: rng.float() < 0.3 ? [{ action: "AssignPrivateIpAddresses", error: "RequestTimeout", rate: 0.05 }] : [],
    },
    visibility: { fixed: rng.int(3) * 500 },
    trace,
    timelineEveryMs: 30_000,
    wakeIdleLoops,
  })
}

const lines: string[] = []
for (let seed = 1; seed <= 400; seed++) {
  for (const wake of [false, true]) {
    const r = new Cluster(randomSpec(seed, wake)).run()
    const s = JSON.stringify({ ...r, events: 0 })
    lines.push(`${seed} ${wake} ${createHash("sha256").update(s).digest("hex").slice(0, 16)}`)
  }
}
process.stdout.write(lines.join("\n") + "\n")
