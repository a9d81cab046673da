// `ipamsim tune` on Linux settings: the aws-node env swept alone on the bundled mixed-shared-subnet scenario
// (the shipped default starves Windows pods, a WARM_IP_TARGET fixes it), crossed with the Windows targets on
// a small mixed cluster (the grid is the product, each point's run is the kernel's with that ConfigMap and
// env), and refused on a scenario without Linux nodes.

import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Cluster } from "@ipamsim/core/Cluster"
import type { SimResult } from "@ipamsim/core/metrics/SimResult"
import { describe, expect, it } from "vitest"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import type { Scenario } from "../scenario/ScenarioSchema.ts"
import { tune } from "./Tune.ts"
import { runMetrics } from "./TuneJob.ts"
import { tuneText } from "./TuneText.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-tune-linux-"))
const bin = fileURLToPath(new URL("../../bin/ipamsim.mjs", import.meta.url))
const mixedShared = fileURLToPath(new URL("../../../../simulations/mixed-shared-subnet.yaml", import.meta.url))

const scenario = (file: string, body: string): string => {
  const path = join(dir, `${file}.yaml`)
  writeFileSync(path, body)
  return path
}

/** One run with the kernel, no tune code involved: ConfigMap data and aws-node env written by hand. */
const runDirect = (
  file: string,
  over: { data?: Record<string, string>; env?: Record<string, string> },
  seed: number,
): SimResult => {
  const loaded = loadScenario(file)
  const s: Scenario = {
    ...loaded.scenario,
    ...(over.data !== undefined ? { configMap: { ...loaded.scenario.configMap, data: over.data } } : {}),
    ...(over.env !== undefined ? { awsNode: { ...loaded.scenario.awsNode, env: over.env } } : {}),
  }
  return new Cluster(buildSimSpec({ ...loaded, scenario: s }, { seed })).run()
}

describe("a Linux sweep on mixed-shared-subnet", () => {
  it("finds a WARM_IP_TARGET that gives every pod an address where the shipped default does not", async () => {
    const report = await tune(
      mixedShared,
      { linuxWarmIpTarget: "0..2", allPodsGetIp: true },
      { workers: 1, rolloutCheck: true },
    )
    expect(report.points.map((p) => p.label)).toEqual(["WARM_IP_TARGET=0", "WARM_IP_TARGET=1", "WARM_IP_TARGET=2"])
    expect(report.sweep.seeds).toEqual([11])
    // WARM_IP_TARGET=0 is ipamd's "unset": the scenario as shipped, whose Windows pods starve.
    const shipped = runMetrics(runDirect(mixedShared, {}, 11))
    const [unset, ...others] = report.points
    expect(unset!.runs).toEqual([shipped])
    expect(shipped.neverGotIp).toBeGreaterThan(0)
    expect(unset!.feasible).toBe(false)
    expect(unset!.failures).toEqual([{ seed: 11, constraint: "allPodsGetIp", actual: false, limit: true }])
    // Any warm IP target frees the subnet: every Windows and Linux pod gets an address.
    for (const p of others) {
      expect(p.feasible).toBe(true)
      expect(p.runs[0]!.neverGotIp).toBe(0)
      expect(p.runs[0]!.linux!.windowsNeverGotIp + p.runs[0]!.linux!.linuxNeverGotIp).toBe(0)
    }
    // The sweep's numbers for the recommended point are the kernel's with that env.
    const rec = report.points.find((p) => p.recommended)!
    expect(rec.awsNodeSet).toEqual({ WARM_IP_TARGET: "1" })
    const direct = runDirect(mixedShared, { env: { ...report.sweep.baseAwsNodeEnv, WARM_IP_TARGET: "1" } }, 11)
    expect(rec.runs).toEqual([runMetrics(direct)])
    expect(direct.pods.neverGotIp + direct.linux!.pods.neverGotIp).toBe(0)
    // The p99 judged is the worse of the two OSes'.
    const l = rec.runs[0]!.linux!
    expect(rec.runs[0]!.p99WaitMs).toBe(Math.max(l.windowsP99WaitMs, l.linuxP99WaitMs))
    // The recommendation: the aws-node env, no ConfigMap (the sweep leaves it alone).
    expect(report.recommendation!.snippet).toBeNull()
    expect(report.recommendation!.kubectlSetEnv).toBe(
      "kubectl set env daemonset aws-node -n kube-system WARM_IP_TARGET=1",
    )
    const text = tuneText(report, { rollout: true })
    expect(text).toContain("  kubectl set env daemonset aws-node -n kube-system WARM_IP_TARGET=1\n")
    expect(text).not.toContain("ConfigMap to apply")
    expect(text).toContain("every pod gets an address (Windows and Linux)")
    // Switching the running cluster to it releases the Linux nodes' spare addresses.
    const check = report.rolloutCheck!
    expect(check.awsNodeSet).toEqual({ WARM_IP_TARGET: "1" })
    expect(check.set).toEqual({})
    expect(check.seeds[0]!.bySwitch).toBeLessThan(0)
  }, 60_000)
})

// One Linux and one Windows node group in a /24: Linux pods first, Windows pods later; an aws-node change at
// 8 min raises MINIMUM_IP_TARGET on top of whatever the point set.
const small = scenario(
  "small-mixed",
  `name: small-mixed
seed: 3
duration: 10m
subnets: [{ id: s, cidr: 10.3.0.0/24 }]
awsNode:
  env: { WARM_ENI_TARGET: "1" }
  changes: [{ at: 8m, set: { MINIMUM_IP_TARGET: "12" } }]
nodeGroups:
  - { name: lin, os: linux, instanceType: m5.large, count: 2, subnet: s }
  - { name: win, instanceType: c5.xlarge, count: 1, subnet: s }
workload:
  generators:
    - { kind: rollout, at: 1m, replicas: 16, mode: scale-up, stepEvery: 1s, namePrefix: l, os: linux }
    - { kind: rollout, at: 3m, replicas: 6, mode: scale-up, namePrefix: w }
`,
)

describe("Linux crossed with Windows", () => {
  it("sweeps the product of both grids, each point the kernel's run with its ConfigMap and env", async () => {
    const report = await tune(
      small,
      { warmIpTarget: "1,3", linuxWarmIpTarget: "0..2", linuxMinimumIpTarget: "0,5", seeds: "1" },
      { workers: 2 },
    )
    expect(report.points).toHaveLength(2 * 3 * 2)
    expect(report.sweep.runs).toBe(12)
    // Windows settings outermost, then the Linux targets ascending.
    const pairs = report.points.map((p) => [
      p.configMap["windows-warm-ip-target"],
      p.awsNodeSet.WARM_IP_TARGET,
      p.awsNodeSet.MINIMUM_IP_TARGET,
    ])
    const expected: string[][] = []
    for (const w of ["1", "3"]) for (const i of ["0", "1", "2"]) for (const m of ["0", "5"]) expected.push([w, i, m])
    expect(pairs).toEqual(expected)
    expect(report.points.map((p) => p.id)).toEqual(expected.map((_, i) => i + 1))
    expect(report.points[3]!.label).toBe("secondary-ip warm 1 min 0 · WARM_IP_TARGET=1 MINIMUM_IP_TARGET=5")
    expect(report.points[3]!.awsNodeEnv).toEqual({ WARM_ENI_TARGET: "1", WARM_IP_TARGET: "1", MINIMUM_IP_TARGET: "5" })
    // The scenario's aws-node change still applies on top of the swept env (as ConfigMap changes do), and a
    // note says it overrides a swept variable from then on.
    expect(report.notes).toContain(
      "the scenario's aws-node env change at 8m sets MINIMUM_IP_TARGET, overriding the swept setting from then on (--ignore-changes sweeps the whole run)",
    )
    const p = report.points[9]!
    const direct = runDirect(
      small,
      { data: p.configMap as Record<string, string>, env: p.awsNodeEnv as Record<string, string> },
      1,
    )
    expect(p.runs).toEqual([runMetrics(direct)])
    // The recommendation names both: the ConfigMap for Windows nodes and the env for Linux nodes.
    const rec = report.recommendation!
    expect(rec.snippet).toContain(`windows-warm-ip-target: "${rec.configMap["windows-warm-ip-target"]}"`)
    expect(rec.kubectlSetEnv).toBe(
      `kubectl set env daemonset aws-node -n kube-system WARM_IP_TARGET=${rec.awsNodeSet.WARM_IP_TARGET} MINIMUM_IP_TARGET=${rec.awsNodeSet.MINIMUM_IP_TARGET}`,
    )
    const text = tuneText(report, { rollout: false })
    expect(text).toContain("ConfigMap to apply (kubectl apply -f):")
    expect(text).toContain(`  ${rec.kubectlSetEnv}\n`)
  }, 60_000)
})

describe("Linux sweeps need Linux nodes", () => {
  const windowsOnly = scenario(
    "windows-only",
    `name: windows-only
duration: 5m
subnets: [{ id: s, cidr: 10.0.0.0/24 }]
nodeGroups: [{ name: g, instanceType: m5.xlarge, count: 1, subnet: s }]
workload: { generators: [{ kind: rollout, at: 1m, replicas: 4, mode: scale-up }] }
tune: { linuxWarmEniTarget: [0, 1] }
`,
  )

  it("refuses a Linux flag in one line, exit 1", () => {
    const r = spawnSync(process.execPath, [bin, "tune", windowsOnly, "--linux-warm-ip-target", "1..3"], {
      encoding: "utf8",
    })
    expect(r.status).toBe(1)
    expect(r.stdout).toBe("")
    expect(r.stderr).toBe(
      `ipamsim: ${windowsOnly}: --linux-warm-ip-target sweeps the aws-node env of Linux nodes, but the scenario has no Linux node groups (os: linux)\n`,
    )
  })

  it("names the tune section's key when the sweep comes from the file", async () => {
    await expect(tune(windowsOnly, {}, { workers: 1 })).rejects.toThrow(
      `${windowsOnly}: tune.linuxWarmEniTarget sweeps the aws-node env of Linux nodes, but the scenario has no Linux node groups (os: linux)`,
    )
  })
})
