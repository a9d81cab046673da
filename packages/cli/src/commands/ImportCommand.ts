// `ipamsim import`: a scenario file from a real AWS account (or an EC2 emulator), read-only.

import type { EC2Client } from "@aws-sdk/client-ec2"
import { IMPORT_IAM_ACTIONS } from "@ipamsim/aws/AwsErrors"
import { Option } from "effect"
import { Command, Flag } from "effect/cli"
import { parseDuration } from "./Duration.ts"
import type { ImportedScenario } from "./ImportedScenario.ts"
import { writeOutput } from "./OutputFile.ts"
import { runUserCommand, UserFacingError } from "./UserFacingError.ts"

export interface ImportCommandOptions {
  readonly region?: string | undefined
  readonly profile?: string | undefined
  readonly cluster?: string | undefined
  /** Subnet ids; each entry may hold several, comma-separated. */
  readonly subnets?: readonly string[] | undefined
  readonly endpoint?: string | undefined
  /** File to write, or "-" for stdout. */
  readonly out: string
  readonly duration?: string | undefined
  readonly force?: boolean | undefined
  readonly now?: Date | undefined
}

/** The body of `ipamsim import`; tests pass their own client (a mock or an emulator's). */
export const runImport = async (options: ImportCommandOptions, client?: EC2Client): Promise<ImportedScenario> => {
  const subnets = (options.subnets ?? [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "")
  if (options.cluster === undefined && subnets.length === 0)
    throw new UserFacingError("say what to import: --cluster <name>, --subnet <id>, or both")
  const duration = options.duration ?? "1h"
  const ms = parseDuration(duration)
  if (typeof ms === "string") throw new UserFacingError(`--duration: ${ms}`)
  if (ms <= 0) throw new UserFacingError(`--duration: must be positive, got ${duration}`)
  if (options.endpoint !== undefined) {
    let url: URL | undefined
    try {
      url = new URL(options.endpoint)
    } catch {
      url = undefined
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:"))
      throw new UserFacingError(`--endpoint: expected a URL such as http://127.0.0.1:5000, got "${options.endpoint}"`)
  }
  const connection = { region: options.region, profile: options.profile, endpoint: options.endpoint }
  // The AWS SDK loads here, not when the CLI starts: loading it took half a second off every command.
  const { importScenario } = await import("./ImportedScenario.ts")
  const { createReadOnlyEc2Client } = await import("@ipamsim/aws/ReadOnlyEc2Client")
  const ec2 = client ?? createReadOnlyEc2Client(connection)
  try {
    const result = await importScenario(ec2, {
      ...connection,
      cluster: options.cluster,
      subnets,
      duration,
      // Types missing from the bundled table get their limits from DescribeInstanceTypes.
      instanceLimitsField: true,
      ...(options.now !== undefined ? { now: options.now } : {}),
    })
    writeOutput(options.out, result.yaml, "yaml", options.force ?? false)
    return result
  } finally {
    if (client === undefined) ec2.destroy()
  }
}

const optional = (name: string, description: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.optional)

export const importCommand = Command.make(
  "import",
  {
    region: optional("region", "AWS region (default: AWS_REGION, or the profile's region)"),
    profile: optional("profile", "Named profile from ~/.aws/config (default: AWS_PROFILE, or the default chain)"),
    cluster: optional(
      "cluster",
      "EKS cluster: its running Windows instances (tagged kubernetes.io/cluster/<name> or eks:cluster-name=<name>) are the nodes",
    ),
    subnet: Flag.String("subnet").pipe(
      Flag.withDescription(
        "Subnet id to import (repeat, or comma-separate); limits the import to these subnets. Without --cluster every running Windows instance in them is a node",
      ),
      Flag.atLeast(0),
    ),
    endpoint: optional("endpoint", "EC2 endpoint URL, for an emulator such as moto_server"),
    out: Flag.String("out").pipe(Flag.withDescription("Scenario file to write (- for stdout)"), Flag.withDefault("-")),
    duration: Flag.String("duration").pipe(
      Flag.withDescription("The scenario's duration (default 1h)"),
      Flag.withDefault("1h"),
    ),
    force: Flag.Boolean("force").pipe(
      Flag.withDescription("Overwrite --out even if ipamsim did not write it"),
      Flag.withDefault(false),
    ),
  },
  (f) =>
    runUserCommand(async () => {
      const result = await runImport({
        region: Option.getOrUndefined(f.region),
        profile: Option.getOrUndefined(f.profile),
        cluster: Option.getOrUndefined(f.cluster),
        subnets: f.subnet,
        endpoint: Option.getOrUndefined(f.endpoint),
        out: f.out,
        duration: f.duration,
        force: f.force,
      })
      process.stderr.write(`ipamsim: ${result.summary}${f.out === "-" ? "" : ` -> ${f.out}`}\n`)
    }),
).pipe(
  Command.withDescription(
    `Write a scenario from a real AWS account's subnets and Windows nodes. Read-only: it calls only ${IMPORT_IAM_ACTIONS.slice(0, -1).join(", ")} and ${IMPORT_IAM_ACTIONS.at(-1)}, and never changes anything.`,
  ),
)
