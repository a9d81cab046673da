// The body of `ipamsim import`: a scenario file from a real AWS account (or an EC2 emulator), read-only.
// The options are checked before the AWS SDK is loaded; the scenario itself is written by ImportedScenario.

import type { EC2Client } from "@aws-sdk/client-ec2"
import { writeOutput } from "../OutputFile.ts"
import { parseDuration } from "../scenario/Duration.ts"
import { UserFacingError } from "../UserFacingError.ts"
import type { ImportedScenario } from "./ImportedScenario.ts"

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
  // The AWS SDK loads here, not when the CLI starts: loading it at start would cost every command half a second.
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
