// The EC2Client `ipamsim import` talks to a real account with: the SDK's standard credential chain
// (environment, shared config and credentials files with --profile, SSO, web identity, container and
// instance metadata), the standard retryer with 5 attempts so throttling is ridden out, and a guard at
// the top of the stack that refuses any command that is not one of the four read-only Describe calls,
// so a bug here can never change an account.

import { EC2Client, type EC2ClientConfig } from "@aws-sdk/client-ec2"
import { ImportError } from "./AwsErrors.ts"

/** The only commands the import may send. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set([
  "DescribeSubnetsCommand",
  "DescribeNetworkInterfacesCommand",
  "DescribeInstancesCommand",
  "DescribeInstanceTypesCommand",
])

export const IMPORT_MAX_ATTEMPTS = 5

export interface AwsConnection {
  readonly region?: string | undefined
  readonly profile?: string | undefined
  /** An EC2-compatible endpoint such as an emulator on loopback (http://127.0.0.1:5000). */
  readonly endpoint?: string | undefined
}

export const createReadOnlyEc2Client = (connection: AwsConnection, config: EC2ClientConfig = {}): EC2Client => {
  // The SDK warns on Node < 22 about its releases after January 2027; this pinned release runs fine.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"
  const client = new EC2Client({
    maxAttempts: IMPORT_MAX_ATTEMPTS,
    retryMode: "standard",
    ...(connection.region !== undefined ? { region: connection.region } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    ...(connection.endpoint !== undefined ? { endpoint: connection.endpoint } : {}),
    ...config,
  })
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!READ_ONLY_COMMANDS.has(context.commandName ?? ""))
        throw new ImportError(`internal error: ipamsim import tried to send ${context.commandName}; it only reads`)
      return next(args)
    },
    { step: "initialize", priority: "high", name: "ipamsimReadOnlyGuard" },
  )
  return client
}
