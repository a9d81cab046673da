// `ipamsim import`: a scenario file from a real AWS account (or an EC2 emulator), read-only (Import).

import { IMPORT_IAM_ACTIONS } from "@ipamsim/aws/AwsErrors"
import { Option } from "effect"
import { Command, Flag } from "effect/cli"
import { runImport } from "../import/Import.ts"
import { runUserCommand } from "../UserFacingError.ts"

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
