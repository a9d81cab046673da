// Importing a simulated account through the SDK adapter: the scenario must describe exactly what the
// account holds, so both halves of this package check each other.

import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AssignPrivateIpAddressesCommand, DescribeSubnetsCommand } from "@aws-sdk/client-ec2"
import { simulatedEc2Client } from "@ipamsim/aws/SdkEc2"
import { SimAccount } from "@ipamsim/aws/SimAccount"
import { Cluster } from "@ipamsim/core/Cluster"
import { type Ipv4, parseCidr } from "@ipamsim/core/ec2/Ipv4"
import { afterAll, describe, expect, it } from "vitest"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { runImport } from "./Import.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-roundtrip-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const expand = (ranges: readonly string[]): Ipv4[] =>
  ranges
    .flatMap((r) => {
      const c = parseCidr(r)
      if (typeof c === "string") throw new Error(c)
      return Array.from({ length: c.size }, (_, i) => c.base + i)
    })
    .sort((a, b) => a - b)

const build = () => {
  const account = new SimAccount({ seed: 11 })
  // 6 addresses held by consumers EC2 counts but the account does not show as ENIs.
  const a = account.createSubnet({ cidr: "10.8.0.0/25", usedByOthers: { count: 6 } })
  const b = account.createSubnet({ cidr: "10.8.0.128/26" })
  const tags = { "kubernetes.io/cluster/sim": "owned" }
  const nodes = [
    account.launchInstance({ subnetId: a.subnetId, instanceType: "m5.large", tags }),
    account.launchInstance({ subnetId: a.subnetId, instanceType: "m5.large", tags }),
    account.launchInstance({ subnetId: b.subnetId, instanceType: "c5.xlarge", tags }),
  ]
  const others = [
    account.launchInstance({ subnetId: a.subnetId, instanceType: "m5.large", platform: "linux", tags }),
    account.createNetworkInterface({ subnetId: a.subnetId, secondaryIpCount: 4, description: "ELB" }),
    account.createNetworkInterface({ subnetId: a.subnetId, prefixCount: 1, description: "Linux prefixes" }),
  ]
  return { account, a, b, nodes, others, client: simulatedEc2Client(account) }
}

describe("import of a SimAccount through the SdkEc2 adapter", () => {
  it("reproduces exactly what others hold, and what EC2 counts but cannot show", async () => {
    const { account, a, b, nodes, client } = build()
    // Warm pools as the controller would have left them: they must not count as others.
    await client.send(
      new AssignPrivateIpAddressesCommand({
        NetworkInterfaceId: nodes[0]!.networkInterfaceId,
        SecondaryPrivateIpAddressCount: 3,
      }),
    )
    await client.send(
      new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: nodes[2]!.networkInterfaceId, Ipv4PrefixCount: 1 }),
    )
    const out = join(dir, "sim.yaml")
    const { scenario, yaml } = await runImport({ cluster: "sim", out, now: new Date(0), duration: "15m" }, client)

    const nodeEnis = new Set(nodes.map((n) => account.networkInterface(n.networkInterfaceId)!.eni))
    const othersIn = (subnetId: string): Ipv4[] =>
      account.ec2
        .allHoldings()
        .filter((h) => h.subnet.id === subnetId && !nodeEnis.has(h.eni))
        .flatMap((h) => [
          h.primaryIp,
          ...h.ips,
          ...h.prefixes.flatMap((p) => Array.from({ length: 16 }, (_, i) => p + i)),
        ])
        .sort((x, y) => x - y)

    const [sa, sb] = scenario.subnets
    expect(sa?.id).toBe(a.subnetId)
    expect(expand(sa?.usedByOthers?.ranges ?? [])).toEqual(othersIn(a.subnetId))
    expect(sa?.usedByOthers?.count).toBe(6)
    expect(sb).toEqual({ id: b.subnetId, cidr: "10.8.0.128/26" })
    expect(scenario.nodeGroups).toEqual([
      { name: `windows-m5-large-${a.subnetId}`, instanceType: "m5.large", count: 2, subnet: a.subnetId },
      { name: `windows-c5-xlarge-${b.subnetId}`, instanceType: "c5.xlarge", count: 1, subnet: b.subnetId },
    ])
    expect(scenario.configMap?.data?.["enable-windows-prefix-delegation"]).toBe("true")
    expect(yaml).toContain("Windows nodes now: 2 primary addresses, 3 secondary, 0 prefixes")

    // The simulated subnet at start holds what the real one holds minus the nodes' addresses.
    const loaded = loadScenario(out)
    const cluster = new Cluster(buildSimSpec(loaded))
    const real = await client.send(new DescribeSubnetsCommand({ SubnetIds: [a.subnetId] }))
    const nodeAddresses = 2 + 3
    expect(cluster.subnets[0]!.free).toBe(real.Subnets![0]!.AvailableIpAddressCount! + nodeAddresses)
    const result = cluster.run()
    expect(result.pods.withIp).toBeGreaterThan(0)
  })

  it("--subnet alone takes every Windows instance in the subnet, and nothing else", async () => {
    const { a, client } = build()
    const { scenario } = await runImport(
      { subnets: [a.subnetId], out: join(dir, "subnet.yaml"), now: new Date(0) },
      client,
    )
    expect(scenario.subnets.map((s) => s.id)).toEqual([a.subnetId])
    expect(scenario.nodeGroups.map((g) => [g.instanceType, g.count])).toEqual([["m5.large", 2]])
    expect(scenario.name).toBe(`imported-${a.subnetId}`)
  })
})
