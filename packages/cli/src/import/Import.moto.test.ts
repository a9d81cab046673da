// Integration: `ipamsim import` against moto's EC2 emulator on loopback. The account is seeded through
// the real SDK (VPC, subnets, Windows and Linux instances, loose ENIs standing for other consumers), the
// import runs as the CLI command with --endpoint, and the scenario it writes is validated and simulated.
// The last block pins the emulator's gaps that docs/aws.md records, so a moto upgrade that changes them
// shows up here. Skipped, visibly, where moto_server is not installed.

import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  AssignPrivateIpAddressesCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type Instance,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Cluster } from "@ipamsim/core/Cluster"
import { type Ipv4, parseCidr, parseIpv4 } from "@ipamsim/core/ec2/Ipv4"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { importCommand } from "../commands/ImportCommand.ts"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"

// The SDK warns on Node < 22 about its releases after January 2027; the pinned release runs fine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"
const motoServer = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" }).stdout.trim()
if (motoServer === "")
  console.warn(
    "SKIPPED: moto_server not found on PATH; the EC2 emulator integration test of `ipamsim import` did not run",
  )

const REGION = "us-east-1"
const CLUSTER = "moto-demo"
const dir = mkdtempSync(join(tmpdir(), "ipamsim-moto-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const waitUntilUp = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`)
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) })
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`moto_server did not answer at ${url} within ${timeoutMs} ms`)
}

const expand = (ranges: readonly string[]): Set<Ipv4> => {
  const out = new Set<Ipv4>()
  for (const r of ranges) {
    const c = parseCidr(r)
    if (typeof c === "string") throw new Error(c)
    for (let i = 0; i < c.size; i++) out.add(c.base + i)
  }
  return out
}

describe.skipIf(motoServer === "")("ipamsim import against moto_server", () => {
  let child: ChildProcess | undefined
  let endpoint = ""
  let ec2: EC2Client
  const seeded = {
    subnetA: "",
    subnetB: "",
    nodes: [] as Instance[],
    nodeAddresses: [] as string[],
    otherAddresses: [] as string[],
  }

  beforeAll(async () => {
    const port = await freePort()
    endpoint = `http://127.0.0.1:${port}`
    // Its own process group, so afterAll can stop the pyenv shim and the Python server together.
    child = spawn(motoServer, ["-H", "127.0.0.1", "-p", String(port)], { detached: true, stdio: "ignore" })
    await waitUntilUp(`${endpoint}/moto-api/`, child, 20_000)
    ec2 = new EC2Client({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      maxAttempts: 1,
    })
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }))
    const vpcId = vpc.Vpc!.VpcId!
    seeded.subnetA = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.20.1.0/24" }))).Subnet!
      .SubnetId!
    seeded.subnetB = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.20.2.0/26" }))).Subnet!
      .SubnetId!
    const images = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: "platform", Values: ["windows"] }] }))
    const windowsAmi = images.Images?.[0]?.ImageId ?? "ami-12c6146b"
    const linuxAmi = "ami-760aaa0f"
    const run = async (subnet: string, type: string, ami: string, tags: Record<string, string>) => {
      const r = await ec2.send(
        new RunInstancesCommand({
          ImageId: ami,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: type as never,
          SubnetId: subnet,
          TagSpecifications: [
            { ResourceType: "instance", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      )
      return r.Instances![0]!
    }
    const owned = { [`kubernetes.io/cluster/${CLUSTER}`]: "owned" }
    seeded.nodes = [
      await run(seeded.subnetA, "m5.large", windowsAmi, owned),
      await run(seeded.subnetA, "m5.large", windowsAmi, owned),
      await run(seeded.subnetB, "c5.xlarge", windowsAmi, { "eks:cluster-name": CLUSTER }),
    ]
    // Others in subnet A: a Linux node of the cluster, a Windows instance of another cluster, two loose ENIs.
    const linux = await run(seeded.subnetA, "m5.large", linuxAmi, owned)
    const foreign = await run(seeded.subnetA, "m5.large", windowsAmi, { "kubernetes.io/cluster/other": "owned" })
    // Explicit addresses from here on: moto picks "random" secondary addresses without checking other ENIs,
    // so counts could hand one address to two ENIs (a gap docs/aws.md records).
    // A warm pool on the first node, as the controller would have made it.
    await ec2.send(
      new AssignPrivateIpAddressesCommand({
        NetworkInterfaceId: seeded.nodes[0]!.NetworkInterfaces![0]!.NetworkInterfaceId!,
        PrivateIpAddresses: ["10.20.1.200", "10.20.1.201"],
      }),
    )
    const lb = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: seeded.subnetA,
        Description: "ELB",
        PrivateIpAddresses: ["10.20.1.150", "10.20.1.151", "10.20.1.152"].map((PrivateIpAddress, i) => ({
          PrivateIpAddress,
          Primary: i === 0,
        })),
      }),
    )
    const lambda = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: seeded.subnetA,
        Description: "AWS Lambda VPC ENI",
        PrivateIpAddresses: ["10.20.1.100", "10.20.1.101", "10.20.1.102", "10.20.1.103"].map((PrivateIpAddress, i) => ({
          PrivateIpAddress,
          Primary: i === 0,
        })),
      }),
    )
    const enis = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: "subnet-id", Values: [seeded.subnetA, seeded.subnetB] }],
      }),
    )
    const nodeIds = new Set(seeded.nodes.map((n) => n.InstanceId))
    for (const n of enis.NetworkInterfaces ?? []) {
      const list = (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress!)
      if (nodeIds.has(n.Attachment?.InstanceId)) seeded.nodeAddresses.push(...list)
      else seeded.otherAddresses.push(...list)
    }
    expect(seeded.otherAddresses).toEqual(
      expect.arrayContaining([
        linux.PrivateIpAddress!,
        foreign.PrivateIpAddress!,
        ...lb.NetworkInterface!.PrivateIpAddresses!.map((a) => a.PrivateIpAddress!),
        ...lambda.NetworkInterface!.PrivateIpAddresses!.map((a) => a.PrivateIpAddress!),
      ]),
    )
  }, 30_000)

  afterAll(async () => {
    ec2?.destroy()
    const c = child
    if (c?.pid !== undefined && c.exitCode === null) {
      const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()))
      process.kill(-c.pid, "SIGTERM")
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), 5_000)),
      ])
      if (timedOut) process.kill(-c.pid, "SIGKILL")
    }
  })

  it("imports the cluster through `ipamsim import --endpoint`, and the scenario validates and runs", async () => {
    const out = join(dir, "moto.yaml")
    // The command builds its own client: credentials come through the SDK's default chain (environment).
    const keys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] as const
    const saved = keys.map((k) => process.env[k])
    for (const k of keys) delete process.env[k]
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" })
    const stderr: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write
    try {
      await Effect.runPromise(
        Command.runWith(importCommand, { version: "test" })([
          "--region",
          REGION,
          "--cluster",
          CLUSTER,
          "--endpoint",
          endpoint,
          "--out",
          out,
          "--duration",
          "10m",
        ]).pipe(Effect.provide(NodeServices.layer)),
      )
    } finally {
      process.stderr.write = write
      keys.forEach((k, i) => {
        const v = saved[i]
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      })
    }
    expect(stderr.join("")).toMatch(/^ipamsim: imported 3 Windows nodes \(2 node groups\) in 2 subnets; /)
    expect(process.exitCode ?? 0).toBe(0)

    const text = readFileSync(out, "utf8")
    expect(text.startsWith("# ipamsim scenario imported from EC2")).toBe(true)
    const s = parse(text)
    // Subnets (and so node groups) come in subnet-id order, which moto draws at random.
    expect(s.nodeGroups).toHaveLength(2)
    expect(s.nodeGroups).toEqual(
      expect.arrayContaining([
        {
          name: `windows-m5-large-${seeded.subnetA}`,
          instanceType: "m5.large",
          count: 2,
          subnet: seeded.subnetA,
        },
        {
          name: `windows-c5-xlarge-${seeded.subnetB}`,
          instanceType: "c5.xlarge",
          count: 1,
          subnet: seeded.subnetB,
        },
      ]),
    )
    const a = s.subnets.find((x: { id: string }) => x.id === seeded.subnetA)
    expect(a.cidr).toBe("10.20.1.0/24")
    const used = expand(a.usedByOthers.ranges)
    expect([...used].sort((x, y) => x - y)).toEqual(seeded.otherAddresses.map(parseIpv4).sort((x, y) => x - y))
    for (const ip of seeded.nodeAddresses) expect(used.has(parseIpv4(ip))).toBe(false)
    // The four consecutive, aligned addresses of the "Lambda" ENI became one block.
    expect(a.usedByOthers.ranges).toEqual(
      expect.arrayContaining(["10.20.1.100/30", "10.20.1.150/31", "10.20.1.152/32"]),
    )
    // moto's AvailableIpAddressCount agrees with its ENIs, so nothing is hidden.
    expect(a.usedByOthers.count).toBeUndefined()
    expect(s.subnets.find((x: { id: string }) => x.id === seeded.subnetB)).toEqual({
      id: seeded.subnetB,
      cidr: "10.20.2.0/26",
    })

    // What `ipamsim validate` does, then a run.
    const loaded = loadScenario(out)
    const result = new Cluster(buildSimSpec(loaded)).run()
    expect(result.pods.created).toBeGreaterThan(0)
    expect(result.pods.withIp).toBeGreaterThan(0)
  }, 30_000)

  describe("the emulator's gaps recorded in docs/aws.md", () => {
    const nodeEni = () => seeded.nodes[1]!.NetworkInterfaces![0]!.NetworkInterfaceId!

    it("AssignPrivateIpAddresses with a count returns every address of the ENI, the primary included", async () => {
      const r = await ec2.send(
        new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: nodeEni(), SecondaryPrivateIpAddressCount: 2 }),
      )
      const listed = (r.AssignedPrivateIpAddresses ?? []).map((x) => x.PrivateIpAddress)
      expect(listed).toHaveLength(3)
      expect(listed).toContain(seeded.nodes[1]!.PrivateIpAddress)
    })

    it("Ipv4PrefixCount is accepted and ignored: no prefix is assigned or shown", async () => {
      const r = await ec2.send(
        new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: nodeEni(), Ipv4PrefixCount: 1 }),
      )
      expect(r.AssignedIpv4Prefixes ?? []).toEqual([])
      const d = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [nodeEni()] }))
      expect(d.NetworkInterfaces![0]!.Ipv4Prefixes ?? []).toEqual([])
    })

    it("the DescribeInstances platform filter fails (HTTP 500), so the import checks Platform itself", async () => {
      const err = await ec2
        .send(new DescribeInstancesCommand({ Filters: [{ Name: "platform", Values: ["windows"] }] }))
        .then(
          () => undefined,
          (e: Error) => e,
        )
      expect(err).toBeInstanceOf(Error)
    })

    it("never runs out: a /26 hands out more addresses than it has, and AvailableIpAddressCount goes negative", async () => {
      const eni = seeded.nodes[2]!.NetworkInterfaces![0]!.NetworkInterfaceId!
      // c5.xlarge allows 14 secondary addresses; EC2 would refuse the third call (PrivateIpAddressLimitExceeded).
      for (let i = 0; i < 5; i++)
        await ec2.send(
          new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 12 }),
        )
      const s = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [seeded.subnetB] }))
      expect(s.Subnets![0]!.AvailableIpAddressCount).toBeLessThan(0)
    })
  })
})
