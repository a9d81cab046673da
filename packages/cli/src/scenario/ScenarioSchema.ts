// The scenario file format (docs/scenarios.md), as one effect Schema: it decodes YAML/JSON into typed
// configuration and generates the JSON Schema editors use (`ipamsim schema`).

import { Schema } from "effect"

const described = <S extends Schema.Top>(schema: S, description: string): S =>
  schema.annotate({ description }) as unknown as S

/** A duration: integer milliseconds, or text such as "500ms", "30s", "5m", "2h", "1d". */
export const Duration = described(
  Schema.Union([Schema.Finite, Schema.String]),
  'A duration: milliseconds as a number, or text like "500ms", "30s", "5m", "2h", "1d"',
)

const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))
const Positive = Schema.Finite.check(Schema.isGreaterThan(0))
const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

export const LatencySpec = described(
  Schema.Union([
    Schema.Struct({ fixed: Duration }),
    Schema.Struct({ uniform: Schema.Struct({ min: Duration, max: Duration }) }),
    Schema.Struct({ lognormal: Schema.Struct({ median: Duration, p99: Duration }) }),
  ]),
  "A latency distribution: { fixed }, { uniform: { min, max } } or { lognormal: { median, p99 } }",
)

export const Ec2ActionName = Schema.Literals([
  "AssignPrivateIpAddresses",
  "UnassignPrivateIpAddresses",
  "DescribeNetworkInterfaces",
  "DescribeInstances",
  "DescribeSubnets",
  "CreateNetworkInterface",
  "AttachNetworkInterface",
  "ModifyNetworkInterfaceAttribute",
  "DetachNetworkInterface",
  "DeleteNetworkInterface",
])

const PerAction = <S extends Schema.Top>(value: S) =>
  Schema.Struct({
    AssignPrivateIpAddresses: Schema.optionalKey(value),
    UnassignPrivateIpAddresses: Schema.optionalKey(value),
    DescribeNetworkInterfaces: Schema.optionalKey(value),
    DescribeInstances: Schema.optionalKey(value),
    DescribeSubnets: Schema.optionalKey(value),
    CreateNetworkInterface: Schema.optionalKey(value),
    AttachNetworkInterface: Schema.optionalKey(value),
    ModifyNetworkInterfaceAttribute: Schema.optionalKey(value),
    DetachNetworkInterface: Schema.optionalKey(value),
    DeleteNetworkInterface: Schema.optionalKey(value),
  })

const Fault = Schema.Struct({
  action: Ec2ActionName,
  error: Schema.Literals([
    "InsufficientFreeAddressesInSubnet",
    "InsufficientCidrBlocks",
    "RequestLimitExceeded",
    "RequestTimeout",
  ]),
  rate: Schema.optionalKey(
    described(Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 })), "Probability per attempt (0..1)"),
  ),
  from: Schema.optionalKey(Duration),
  until: Schema.optionalKey(Duration),
})

const Ec2 = Schema.Struct({
  latency: Schema.optionalKey(PerAction(LatencySpec)),
  visibility: Schema.optionalKey(
    described(LatencySpec, "Time after AssignPrivateIpAddresses until DescribeNetworkInterfaces shows the addresses"),
  ),
  clientLimiter: Schema.optionalKey(Schema.Struct({ qps: Positive, burst: PositiveInt })),
  accountBuckets: Schema.optionalKey(PerAction(Schema.Struct({ capacity: PositiveInt, refillPerSecond: Positive }))),
  maxAttempts: Schema.optionalKey(PositiveInt),
  httpTimeout: Schema.optionalKey(Duration),
  faults: Schema.optionalKey(Schema.Array(Fault)),
})

const Controller = Schema.Struct({
  prefixDelegationFlag: Schema.optionalKey(
    described(Schema.Boolean, "The controller's --enable-windows-prefix-delegation flag (default true)"),
  ),
  profile: Schema.optionalKey(
    described(
      Schema.Literals(["current", "sdk-v1-icb", "pre-v1.6.0"]),
      "Controller behaviour profile (docs/fidelity.md)",
    ),
  ),
  ec2: Schema.optionalKey(Ec2),
})

/** amazon-vpc-cni ConfigMap data: strings, exactly as written in Kubernetes. */
const ConfigMapData = described(
  Schema.Record(Schema.String, Schema.String),
  'kube-system/amazon-vpc-cni data; values are strings as in Kubernetes (quote numbers: "3")',
)

const ConfigMapChange = Schema.Struct({
  at: Duration,
  data: Schema.optionalKey(
    described(Schema.NullOr(ConfigMapData), "Replace the whole data (null deletes the ConfigMap)"),
  ),
  set: Schema.optionalKey(described(ConfigMapData, "Keys to set on top of the current data")),
  remove: Schema.optionalKey(described(Schema.Array(Schema.String), "Keys to remove from the current data")),
})

const Subnet = Schema.Struct({
  id: Schema.NonEmptyString,
  cidr: described(Schema.String, "IPv4 CIDR, /16 to /28, e.g. 10.0.0.0/24"),
  usedByOthers: Schema.optionalKey(
    Schema.Struct({
      count: Schema.optionalKey(described(NonNegativeInt, "Addresses held by other consumers, placed at random")),
      ranges: Schema.optionalKey(described(Schema.Array(Schema.String), "CIDR ranges held by other consumers")),
    }),
  ),
  prefixReservations: Schema.optionalKey(
    described(Schema.Array(Schema.String), "Subnet CIDR reservations of type prefix (aligned, /28 or larger)"),
  ),
  tags: Schema.optionalKey(
    described(
      Schema.Record(Schema.String, Schema.String),
      'EC2 tags; ipamd\'s subnet discovery reads kubernetes.io/role/cni ("1": the CNI may use it, "0": it may not)',
    ),
  ),
})

const NodeGroup = Schema.Struct({
  name: Schema.NonEmptyString,
  instanceType: Schema.NonEmptyString,
  count: NonNegativeInt,
  subnet: Schema.NonEmptyString,
  joinAt: Schema.optionalKey(described(Duration, "When the first node registers (default 0)")),
  joinEvery: Schema.optionalKey(described(Duration, "Gap between nodes of the group registering (default 0)")),
  leaveAt: Schema.optionalKey(described(Duration, "When the group's nodes leave, if ever")),
  // kubelet's MaxPods is an int32 (KubeletConfiguration), and the kernel keeps it in an Int32Array.
  maxPods: Schema.optionalKey(
    described(
      PositiveInt.check(Schema.isLessThanOrEqualTo(2147483647)),
      "kubelet --max-pods (default: 110 on Windows; on Linux the VPC CNI's eni-max-pods.txt row)",
    ),
  ),
  os: Schema.optionalKey(
    described(
      Schema.Literals(["windows", "linux"]),
      "windows (default): the VPC Resource Controller's nodes; linux: nodes whose VPC CNI ipamd keeps warm ENIs",
    ),
  ),
  eniConfigSubnet: Schema.optionalKey(
    described(
      Schema.NonEmptyString,
      "Linux with custom networking: the ENIConfig's subnet (pods' addresses come from it; the primary ENI gets none)",
    ),
  ),
})

/** The aws-node DaemonSet's env as kubectl prints it (a list of name/value) or as a map; values are strings. */
const AwsNodeEnv = Schema.Union([
  Schema.Record(Schema.String, Schema.String),
  Schema.Array(
    Schema.Struct({
      name: Schema.NonEmptyString,
      value: Schema.optionalKey(Schema.String),
      // Set from a field or a secret at run time (MY_NODE_NAME and the like): not an IPAM setting, skipped.
      valueFrom: Schema.optionalKey(Schema.Unknown),
    }),
  ),
])

/** One vpc.Limits entry, as the controller's limits.go spells it. */
const InstanceLimits = Schema.Struct({
  Interface: PositiveInt,
  // At most 2²⁷ (EC2's largest is 50): a prefix pool's capacity, 16 per slot, must fit the kernel's int32 header.
  IPv4PerInterface: Schema.Int.check(Schema.isGreaterThanOrEqualTo(2), Schema.isLessThanOrEqualTo(134217728)),
  IsTrunkingCompatible: Schema.Boolean,
  BranchInterface: NonNegativeInt,
  DefaultNetworkCardIndex: NonNegativeInt,
  NetworkCards: Schema.Array(
    Schema.Struct({ MaximumNetworkInterfaces: PositiveInt, NetworkCardIndex: NonNegativeInt }),
  ),
  Hypervisor: Schema.Literals(["nitro", "xen", ""]),
  IsBareMetal: Schema.Boolean,
})

const Lifetime = Schema.Union([LatencySpec, Schema.Literal("forever")])

const PodShape = {
  namePrefix: Schema.optionalKey(Schema.NonEmptyString),
  os: Schema.optionalKey(
    described(Schema.Literals(["windows", "linux"]), "The pods' nodeSelector kubernetes.io/os (default windows)"),
  ),
  windowsSelector: Schema.optionalKey(
    described(Schema.Boolean, "Pods carry nodeSelector kubernetes.io/os: windows (default true)"),
  ),
  hostNetwork: Schema.optionalKey(Schema.Boolean),
}

const Generator = Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("poisson"),
    ratePerSecond: Positive,
    start: Schema.optionalKey(Duration),
    end: Schema.optionalKey(Duration),
    lifetime: Lifetime,
    node: Schema.optionalKey(Schema.NonEmptyString),
    ...PodShape,
  }),
  Schema.Struct({
    kind: Schema.Literal("diurnal"),
    meanPerSecond: Positive,
    amplitude: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 })),
    period: Schema.optionalKey(Duration),
    peakAt: Schema.optionalKey(Duration),
    start: Schema.optionalKey(Duration),
    end: Schema.optionalKey(Duration),
    lifetime: Lifetime,
    ...PodShape,
  }),
  Schema.Struct({
    kind: Schema.Literal("rollout"),
    at: Duration,
    replicas: PositiveInt,
    mode: Schema.Literals(["scale-up", "rolling-replace"]),
    maxSurge: Schema.optionalKey(PositiveInt),
    stepEvery: Schema.optionalKey(Duration),
    spread: Schema.optionalKey(Duration),
    ...PodShape,
  }),
  Schema.Struct({
    kind: Schema.Literal("cronjob"),
    every: Duration,
    start: Schema.optionalKey(Duration),
    end: Schema.optionalKey(Duration),
    parallelism: PositiveInt,
    run: LatencySpec,
    ...PodShape,
  }),
])

const TraceFile = Schema.Struct({
  file: described(Schema.NonEmptyString, "Path relative to the scenario file"),
  format: Schema.optionalKey(Schema.Literals(["csv", "jsonl", "audit", "pod-table"])),
  offset: Schema.optionalKey(described(Duration, "Shift every event of the trace by this much")),
  sort: Schema.optionalKey(described(Schema.Boolean, "Sort out-of-order events instead of rejecting them")),
})

const Expectations = Schema.Struct({
  maxP99WaitMs: Schema.optionalKey(NonNegative),
  maxP90WaitMs: Schema.optionalKey(NonNegative),
  maxWaitMs: Schema.optionalKey(NonNegative),
  allPodsGetIp: Schema.optionalKey(described(Schema.Boolean, "Every pod that asked for an address got one")),
  maxNeverGotIp: Schema.optionalKey(NonNegativeInt),
  noSubnetExhaustion: Schema.optionalKey(Schema.Boolean),
  maxWasteRatio: Schema.optionalKey(Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
  maxPeakAllocated: Schema.optionalKey(NonNegativeInt),
  maxThrottled: Schema.optionalKey(NonNegativeInt),
})

/** A swept target: a list of values, or an inclusive integer range. */
const TargetSweep = described(
  Schema.Union([Schema.Array(NonNegativeInt), Schema.Struct({ from: NonNegativeInt, to: NonNegativeInt })]),
  "Values to try: a list such as [1, 2, 3, 5], or an inclusive range { from: 0, to: 6 }",
)

/** Defaults for `ipamsim tune` (docs/tuning.md); command-line flags override them. */
const Tune = Schema.Struct({
  warmIpTarget: Schema.optionalKey(TargetSweep),
  minimumIpTarget: Schema.optionalKey(TargetSweep),
  warmPrefixTarget: Schema.optionalKey(TargetSweep),
  linuxWarmEniTarget: Schema.optionalKey(described(TargetSweep, "aws-node WARM_ENI_TARGET values (Linux nodes)")),
  linuxWarmIpTarget: Schema.optionalKey(described(TargetSweep, "aws-node WARM_IP_TARGET values (Linux nodes)")),
  linuxMinimumIpTarget: Schema.optionalKey(described(TargetSweep, "aws-node MINIMUM_IP_TARGET values (Linux nodes)")),
  linuxWarmPrefixTarget: Schema.optionalKey(
    described(TargetSweep, "aws-node WARM_PREFIX_TARGET values (Linux nodes, prefix delegation)"),
  ),
  mode: Schema.optionalKey(Schema.Literals(["secondary-ip", "prefix", "both"])),
  seeds: Schema.optionalKey(
    described(
      Schema.Union([PositiveInt, Schema.Array(NonNegativeInt)]),
      "A count n (seeds 1..n) or a list of seeds; every point runs once per seed",
    ),
  ),
  constraints: Schema.optionalKey(
    Schema.Struct({
      maxP99WaitMs: Schema.optionalKey(NonNegative),
      noExhaustion: Schema.optionalKey(described(Schema.Boolean, "No subnet runs out of addresses")),
      allPodsGetIp: Schema.optionalKey(described(Schema.Boolean, "Every pod that asked for an address got one")),
    }),
  ),
  objective: Schema.optionalKey(Schema.Literals(["waste", "peak-allocated", "warm-ip-seconds"])),
})

export const ScenarioSchema = Schema.Struct({
  $schema: Schema.optionalKey(Schema.String),
  name: Schema.NonEmptyString,
  description: Schema.optionalKey(Schema.String),
  seed: Schema.optionalKey(described(NonNegativeInt, "Seed of every random choice (default 1)")),
  duration: Schema.optionalKey(described(Duration, "Stop here; default: the end of the workload plus drain")),
  drain: Schema.optionalKey(described(Duration, "Run on after the last workload event (default 2m)")),
  timelineEvery: Schema.optionalKey(described(Duration, "Timeline sample interval (default: 400 samples)")),
  controller: Schema.optionalKey(Controller),
  configMap: Schema.optionalKey(
    Schema.Struct({
      data: Schema.optionalKey(Schema.NullOr(ConfigMapData)),
      changes: Schema.optionalKey(Schema.Array(ConfigMapChange)),
    }),
  ),
  awsNode: Schema.optionalKey(
    described(
      Schema.Struct({
        env: Schema.optionalKey(AwsNodeEnv),
        changes: Schema.optionalKey(
          Schema.Array(
            Schema.Struct({
              at: Duration,
              env: Schema.optionalKey(described(AwsNodeEnv, "Replace the whole env")),
              set: Schema.optionalKey(
                described(Schema.Record(Schema.String, Schema.String), "Variables to set on top of the current env"),
              ),
              remove: Schema.optionalKey(described(Schema.Array(Schema.String), "Variables to remove")),
            }),
          ),
        ),
      }),
      "The aws-node DaemonSet's container env on Linux nodes (kubectl get ds -n kube-system aws-node -o yaml)",
    ),
  ),
  subnets: Schema.Array(Subnet),
  nodeGroups: Schema.Array(NodeGroup),
  workload: Schema.Struct({
    traces: Schema.optionalKey(Schema.Array(TraceFile)),
    generators: Schema.optionalKey(Schema.Array(Generator)),
  }),
  expectations: Schema.optionalKey(Expectations),
  instanceLimits: Schema.optionalKey(
    described(
      Schema.Record(Schema.String, InstanceLimits),
      "vpc.Limits entries for instance types missing from the controller's table (written by ipamsim import)",
    ),
  ),
  tune: Schema.optionalKey(described(Tune, "Defaults for `ipamsim tune`: what to sweep, constraints, objective")),
}).annotate({
  title: "ipamsim scenario",
  description:
    "A cluster of Windows and Linux nodes, its subnets, the amazon-vpc-cni ConfigMap, the aws-node env and a pod workload",
})

export type Scenario = typeof ScenarioSchema.Type
export type GeneratorInput = typeof Generator.Type
export type LatencyInput = typeof LatencySpec.Type
export type TuneInput = typeof Tune.Type

/** A whole ConfigMap as kubectl prints it; metadata is ignored but for its name and namespace. */
const ConfigMapObject = {
  apiVersion: Schema.optionalKey(Schema.Literal("v1")),
  kind: Schema.optionalKey(Schema.Literal("ConfigMap")),
  metadata: Schema.optionalKey(
    described(
      Schema.Record(Schema.String, Schema.Unknown),
      "Ignored, except that name, if given, is amazon-vpc-cni and namespace, if given, is kube-system",
    ),
  ),
  data: Schema.optionalKey(ConfigMapData),
}

const ConfigMapFile = Schema.Struct({
  file: described(
    Schema.NonEmptyString,
    "A ConfigMap file (kubectl -o yaml or -o json), relative to the scenario file",
  ),
})

/** A change in the file's forms: the bare one, or the whole ConfigMap (inline or a file) after the change. */
const ConfigMapChangeInput = Schema.Union([
  ConfigMapChange,
  Schema.Struct({
    at: Duration,
    configMap: described(
      Schema.Union([Schema.Struct(ConfigMapObject), ConfigMapFile]),
      "The whole ConfigMap after the change (its data replaces the current data)",
    ),
  }),
])
const ChangesInput = Schema.optionalKey(Schema.Array(ConfigMapChangeInput))

/** The scenario as written in files: ScenarioSchema, with the ConfigMap's other forms (ScenarioConfigMap). */
const ScenarioFileSchema = Schema.Struct({
  ...ScenarioSchema.fields,
  configMap: Schema.optionalKey(
    described(
      Schema.Union([
        Schema.Struct({ data: Schema.optionalKey(Schema.NullOr(ConfigMapData)), changes: ChangesInput }),
        Schema.Struct({ ...ConfigMapObject, changes: ChangesInput }),
        Schema.Struct({ file: ConfigMapFile.fields.file, changes: ChangesInput }),
      ]),
      "kube-system/amazon-vpc-cni: { data, changes }, the whole ConfigMap as kubectl prints it, or { file }",
    ),
  ),
}).annotate({
  title: "ipamsim scenario",
  description:
    "A cluster of Windows and Linux nodes, its subnets, the amazon-vpc-cni ConfigMap, the aws-node env and a pod workload",
})

/** JSON Schema (draft 2020-12) of the scenario format, for editors. */
export const scenarioJsonSchema = (): unknown => {
  const doc = Schema.toJsonSchemaDocument(ScenarioFileSchema, { onExcessProperty: "error" })
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://ipamsim.dev/scenario.schema.json",
    ...doc.schema,
    ...(Object.keys(doc.definitions ?? {}).length > 0 ? { $defs: doc.definitions } : {}),
  }
}
