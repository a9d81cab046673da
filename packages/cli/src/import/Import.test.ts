import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type Filter,
  type Instance,
  type NetworkInterface,
} from "@aws-sdk/client-ec2"
import { ec2Error } from "@ipamsim/aws/Ec2Errors"
import { READ_ONLY_COMMANDS } from "@ipamsim/aws/ReadOnlyEc2Client"
import { Cluster } from "@ipamsim/core/Cluster"
import { mockClient } from "aws-sdk-client-mock"
import { afterAll, beforeEach, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { buildSimSpec } from "../scenario/BuildSimSpec.ts"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import { isUserError } from "../UserFacingError.ts"
import { runImport } from "./Import.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-import-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const NOW = new Date("2026-01-02T03:04:05Z")
const A = "subnet-0aaaaaaaaaaaaaaaa"
const B = "subnet-0bbbbbbbbbbbbbbbb"

const instance = (id: string, type: string, subnet: string, ip: string, tags: Record<string, string>, windows = true) =>
  ({
    InstanceId: id,
    InstanceType: type,
    SubnetId: subnet,
    PrivateIpAddress: ip,
    State: { Code: 16, Name: "running" },
    ...(windows ? { Platform: "windows" } : {}),
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  }) as unknown as Instance

const eni = (
  id: string,
  subnet: string,
  ips: readonly string[],
  options: { instance?: string; device?: number; prefixes?: readonly string[]; type?: string } = {},
): NetworkInterface => ({
  NetworkInterfaceId: id,
  SubnetId: subnet,
  InterfaceType: (options.type ?? "interface") as NetworkInterface["InterfaceType"],
  PrivateIpAddress: ips[0],
  PrivateIpAddresses: ips.map((PrivateIpAddress, i) => ({ PrivateIpAddress, Primary: i === 0 })),
  Ipv4Prefixes: (options.prefixes ?? []).map((Ipv4Prefix) => ({ Ipv4Prefix })),
  ...(options.instance !== undefined
    ? { Attachment: { InstanceId: options.instance, DeviceIndex: options.device ?? 0, NetworkCardIndex: 0 } }
    : {}),
})

const cluster = { "kubernetes.io/cluster/demo": "owned" }
const INSTANCES = [
  instance("i-01", "m5.large", A, "10.0.1.20", cluster),
  instance("i-02", "m5.large", A, "10.0.1.21", cluster),
  instance("i-03", "c5.xlarge", B, "10.0.2.30", { "eks:cluster-name": "demo" }),
  // A Linux node of the same cluster: its addresses belong to "others".
  instance("i-04", "m5.large", A, "10.0.1.10", cluster, false),
]
const ENIS = [
  eni("eni-01", A, ["10.0.1.20", "10.0.1.200", "10.0.1.201"], { instance: "i-01" }),
  eni("eni-02", A, ["10.0.1.21"], { instance: "i-02", prefixes: ["10.0.1.160/28"] }),
  // A second ENI on a Windows node: the controller never uses it, so it is someone else's.
  eni("eni-02b", A, ["10.0.1.22"], { instance: "i-02", device: 1 }),
  eni("eni-03", B, ["10.0.2.30", "10.0.2.31"], { instance: "i-03" }),
  eni("eni-04", A, ["10.0.1.10"], { instance: "i-04", prefixes: ["10.0.1.64/28", "10.0.1.80/28"] }),
  eni("eni-lb", A, ["10.0.1.100", "10.0.1.101", "10.0.1.102", "10.0.1.103", "10.0.1.104"], {
    type: "network_load_balancer",
  }),
]
// EC2's own count: usable (251) minus what the ENIs above hold, minus 3 held by ENIs we cannot see in A.
const AVAILABLE: Record<string, number> = { [A]: 251 - (3 + 17 + 1 + 33 + 5) - 3, [B]: 251 - 2 }

const filterValues = (filters: readonly Filter[] | undefined, name: string): string[] | undefined =>
  filters?.find((f) => f.Name === name)?.Values

// The SDK warns on Node < 22 about its releases after January 2027; the pinned release runs fine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"
const ec2 = new EC2Client({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } })
const mock = mockClient(ec2)

const account = (instances = INSTANCES, enis = ENIS) => {
  mock.on(DescribeInstancesCommand).callsFake((input: { Filters?: Filter[] }) => {
    const tagKey = filterValues(input.Filters, "tag-key")
    const eksName = filterValues(input.Filters, "tag:eks:cluster-name")
    const subnets = filterValues(input.Filters, "subnet-id")
    const hits = instances.filter((i) => {
      const tags = new Map((i.Tags ?? []).map((t) => [t.Key, t.Value]))
      if (tagKey !== undefined) return tagKey.some((k) => tags.has(k))
      if (eksName !== undefined) return eksName.includes(tags.get("eks:cluster-name") ?? "")
      return subnets?.includes(i.SubnetId ?? "") ?? true
    })
    return { Reservations: hits.map((i) => ({ Instances: [i] })) }
  })
  mock.on(DescribeSubnetsCommand).callsFake((input: { SubnetIds?: string[] }) => ({
    Subnets: (input.SubnetIds ?? []).map((id) => ({
      SubnetId: id,
      CidrBlock: id === A ? "10.0.1.0/24" : "10.0.2.0/24",
      AvailabilityZone: "us-east-1a",
      AvailableIpAddressCount: AVAILABLE[id],
    })),
  }))
  // Paginated in two pages, to check NextToken is followed.
  mock.on(DescribeNetworkInterfacesCommand).callsFake((input: { Filters?: Filter[]; NextToken?: string }) => {
    const hits = enis.filter((n) => filterValues(input.Filters, "subnet-id")?.includes(n.SubnetId ?? ""))
    const half = Math.ceil(hits.length / 2)
    return input.NextToken === undefined
      ? { NetworkInterfaces: hits.slice(0, half), NextToken: "page-2" }
      : { NetworkInterfaces: hits.slice(half) }
  })
}

beforeEach(() => {
  mock.reset()
  process.exitCode = 0
})

const sentCommands = (): string[] => mock.calls().map((c) => (c.args[0] as object).constructor.name)

const importTo = async (name: string, options: Partial<Parameters<typeof runImport>[0]> = {}) => {
  const out = join(dir, name)
  const result = await runImport(
    { region: "us-east-1", cluster: "demo", out, now: NOW, duration: "10m", ...options },
    ec2,
  )
  return { out, result, text: readFileSync(out, "utf8") }
}

/**
 * The rejection of a promise as an error for the user (the CLI's UserFacingError or @ipamsim/aws's
 * ImportError), failing the test if it resolves or fails otherwise.
 */
const failure = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p
  } catch (e) {
    expect(isUserError(e)).toBe(true)
    const message = (e as Error).message
    expect(message).not.toContain("\n")
    return message
  }
  throw new Error("expected the import to fail")
}

describe("ipamsim import (EC2 mocked with aws-sdk-client-mock)", () => {
  it("writes a scenario of the cluster's Windows nodes, with everything else as usedByOthers", async () => {
    account()
    const { text, result } = await importTo("cluster.yaml")
    expect(text.startsWith("# ipamsim scenario imported from EC2 by `ipamsim import` at 2026-01-02T03:04:05Z\n")).toBe(
      true,
    )
    const s = parse(text)
    expect(s).toEqual(result.scenario)
    expect(s.name).toBe("imported-demo")
    expect(s.nodeGroups).toEqual([
      { name: `windows-m5-large-${A}`, instanceType: "m5.large", count: 2, subnet: A },
      { name: `windows-c5-xlarge-${B}`, instanceType: "c5.xlarge", count: 1, subnet: B },
    ])
    expect(s.subnets[0]).toEqual({
      id: A,
      cidr: "10.0.1.0/24",
      usedByOthers: {
        count: 3,
        // Linux node .10 + its two prefixes (.64/27 merged), the second ENI .22, the load balancer .100-.104.
        ranges: ["10.0.1.10/32", "10.0.1.22/32", "10.0.1.64/27", "10.0.1.100/30", "10.0.1.104/32"],
      },
    })
    // Subnet B holds only the Windows node's ENI.
    expect(s.subnets[1]).toEqual({ id: B, cidr: "10.0.2.0/24" })
    // A node holds a prefix, so prefix delegation is on in the real ConfigMap, most likely.
    expect(s.configMap).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
      data: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
    })
    expect(s.workload.generators[0]).toMatchObject({ kind: "poisson", namePrefix: "placeholder" })
    expect(text).toContain("# The real ConfigMap (kube-system/amazon-vpc-cni) lives in Kubernetes")
    expect(text).toContain("# PLACEHOLDER: a Poisson stream")
    expect(text).toContain("Free aligned /28 blocks:")
    expect(text).toContain("inferred: the Windows nodes hold 1 /28 prefix")
    expect(result.summary).toContain("imported 3 Windows nodes (2 node groups) in 2 subnets")
    // Only read-only calls, and the paginated listing was followed to its second page.
    expect(new Set(sentCommands())).toEqual(
      new Set(["DescribeInstancesCommand", "DescribeSubnetsCommand", "DescribeNetworkInterfacesCommand"]),
    )
    for (const c of sentCommands()) expect(READ_ONLY_COMMANDS.has(c)).toBe(true)
    expect(mock.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(2)
  })

  it("writes a scenario that validates and runs", async () => {
    account()
    const { out } = await importTo("runs.yaml")
    const loaded = loadScenario(out)
    const result = new Cluster(buildSimSpec(loaded)).run()
    expect(result.pods.created).toBeGreaterThan(0)
    expect(result.pods.withIp).toBeGreaterThan(0)
  })

  it("--subnet alone: every running Windows instance in the subnets is a node", async () => {
    account()
    const { result } = await importTo("subnet.yaml", { cluster: undefined, subnets: [`${A}, ${B}`] })
    expect(result.scenario.nodeGroups.map((g) => g.count)).toEqual([2, 1])
    expect(mock.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: "subnet-id", Values: [A, B] },
      { Name: "instance-state-name", Values: ["pending", "running"] },
    ])
  })

  it("--cluster with --subnet limits the import to those subnets", async () => {
    account()
    const { result, text } = await importTo("limited.yaml", { subnets: [A] })
    expect(result.scenario.subnets.map((s) => s.id)).toEqual([A])
    expect(result.scenario.nodeGroups).toHaveLength(1)
    expect(text).toContain("1 Windows node of the cluster outside the chosen subnets left out")
  })

  it("refuses to overwrite a file ipamsim did not write, unless --force", async () => {
    account()
    const out = join(dir, "mine.yaml")
    writeFileSync(out, "name: hand written\n")
    expect(await failure(runImport({ cluster: "demo", out, now: NOW }, ec2))).toBe(
      `${out}: exists and was not written by ipamsim; refusing to overwrite it (use --force)`,
    )
    await runImport({ cluster: "demo", out, now: NOW, force: true }, ec2)
    // A file the import wrote may be replaced without --force.
    await runImport({ cluster: "demo", out, now: NOW }, ec2)
    expect(readFileSync(out, "utf8").startsWith("# ipamsim scenario imported")).toBe(true)
  })

  it("fails in one line, naming the IAM action, when EC2 denies a call", async () => {
    account()
    mock
      .on(DescribeNetworkInterfacesCommand)
      .rejects(ec2Error("UnauthorizedOperation", "You are not authorized to perform this operation."))
    const message = await failure(importTo("denied.yaml"))
    expect(message).toBe(
      "AWS denied ec2:DescribeNetworkInterfaces (UnauthorizedOperation); ipamsim import needs only ec2:DescribeSubnets, ec2:DescribeNetworkInterfaces, ec2:DescribeInstances, ec2:DescribeInstanceTypes",
    )
    mock.on(DescribeInstancesCommand).rejects(ec2Error("AccessDenied", "denied"))
    expect(await failure(importTo("denied.yaml", { profile: "ro" }))).toContain(
      'AWS denied ec2:DescribeInstances (AccessDenied) (profile "ro")',
    )
  })

  it("fails in one line when there are no credentials", async () => {
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    })
    mock.on(DescribeInstancesCommand).rejects(noCredentials)
    const message = await failure(importTo("nocreds.yaml"))
    expect(message).toMatch(
      /^no AWS credentials found: Could not load credentials from any providers\. Set AWS_PROFILE /,
    )
    expect(message).toContain("--profile")
  })

  it("fails in one line when throttling outlasts the retries", async () => {
    account()
    mock.on(DescribeSubnetsCommand).rejects(ec2Error("RequestLimitExceeded", undefined, { attempts: 5 }))
    expect(await failure(importTo("throttled.yaml"))).toBe(
      "EC2 throttled DescribeSubnets (RequestLimitExceeded) on all 5 attempts; the account's request rate is in use elsewhere, try again later",
    )
  })

  it("fails in one line for a subnet that does not exist", async () => {
    account()
    mock
      .on(DescribeSubnetsCommand)
      .rejects(ec2Error("InvalidSubnetID.NotFound", "The subnet ID 'subnet-0nope' does not exist"))
    expect(await failure(importTo("nosubnet.yaml", { cluster: undefined, subnets: ["subnet-0nope"] }))).toBe(
      "The subnet ID 'subnet-0nope' does not exist in us-east-1 (InvalidSubnetID.NotFound)",
    )
  })

  it("fails when the selection is empty or finds no Windows nodes", async () => {
    account()
    expect(await failure(runImport({ out: join(dir, "x.yaml") }, ec2))).toBe(
      "say what to import: --cluster <name>, --subnet <id>, or both",
    )
    expect(await failure(importTo("none.yaml", { cluster: "other" }))).toBe(
      "no running Windows instances tagged kubernetes.io/cluster/other or eks:cluster-name=other in us-east-1",
    )
    expect(await failure(importTo("baddur.yaml", { duration: "soon" }))).toMatch(/^--duration: expected a duration/)
    expect(await failure(importTo("badurl.yaml", { endpoint: "localhost:5000" }))).toMatch(
      /^--endpoint: expected a URL/,
    )
    expect(sentCommands().every((c) => READ_ONLY_COMMANDS.has(c))).toBe(true)
  })

  describe("instance types missing from the controller's table", () => {
    const odd = [instance("i-09", "m99.large", A, "10.0.1.20", cluster)]
    const oddEnis = [eni("eni-09", A, ["10.0.1.20"], { instance: "i-09" })]
    const describeTypes = () =>
      mock.on(DescribeInstanceTypesCommand).resolves({
        InstanceTypes: [
          {
            InstanceType: "m99.large" as never,
            Hypervisor: "nitro",
            BareMetal: false,
            NetworkInfo: {
              MaximumNetworkInterfaces: 4,
              Ipv4AddressesPerInterface: 15,
              DefaultNetworkCardIndex: 0,
              NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 4 }],
            },
          },
        ],
      })

    it("a code caller that does not ask for the field gets one line naming the type and EC2's limits", async () => {
      account(odd, oddEnis)
      describeTypes()
      const { importScenario } = await import("./ImportedScenario.ts")
      expect(await failure(importScenario(ec2, { cluster: "demo", now: NOW }))).toBe(
        "instance type not in the controller's limits table (vpc-limits.json), so the controller would leave its nodes Unsupported and ipamsim cannot model them yet: m99.large (1 node; EC2 says IPv4PerInterface 15, Interface 4, hypervisor nitro)",
      )
      expect(mock.commandCalls(DescribeInstanceTypesCommand)[0]!.args[0].input).toEqual({
        InstanceTypes: ["m99.large"],
      })
    })

    it("ipamsim import writes the instanceLimits field, and the scenario validates and runs", async () => {
      account(odd, oddEnis)
      describeTypes()
      const { out, text } = await importTo("odd-limits.yaml")
      expect(text).toContain("instanceLimits:")
      const report = new Cluster(buildSimSpec(loadScenario(out))).run()
      expect(report.nodes.map((n) => n.instanceType)).toContain("m99.large")
      expect(report.nodes.find((n) => n.instanceType === "m99.large")!.capacity).toBe(14)
    })

    it("importScenario with instanceLimitsField writes vpc.Limits entries", async () => {
      account(odd, oddEnis)
      describeTypes()
      const { importScenario } = await import("./ImportedScenario.ts")
      const result = await importScenario(ec2, { cluster: "demo", now: NOW, instanceLimitsField: true })
      expect(result.scenario.instanceLimits).toEqual({
        "m99.large": {
          Interface: 4,
          IPv4PerInterface: 15,
          IsTrunkingCompatible: false,
          BranchInterface: 0,
          DefaultNetworkCardIndex: 0,
          NetworkCards: [{ MaximumNetworkInterfaces: 4, NetworkCardIndex: 0 }],
          Hypervisor: "nitro",
          IsBareMetal: false,
        },
      })
      expect(new Set(sentCommands())).toContain("DescribeInstanceTypesCommand")
      expect(sentCommands().every((c) => READ_ONLY_COMMANDS.has(c))).toBe(true)
    })
  })
})
