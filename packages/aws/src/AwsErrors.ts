// What went wrong talking to AWS, in one line a user can act on: no credentials, no region, a denied
// action (naming the IAM action to grant), throttling that outlasted the SDK's retries, an unreachable
// endpoint. Anything unrecognised keeps its EC2 code and message.

/**
 * An error of the import meant for the user: one line, no stack. The CLI prints it as it prints its own
 * UserFacingError (it recognises errors by name, across packages and worker threads alike).
 */
export class ImportError extends Error {
  override readonly name = "ImportError"
}

/** The IAM actions `ipamsim import` needs, all read-only. */
export const IMPORT_IAM_ACTIONS = [
  "ec2:DescribeSubnets",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeInstances",
  "ec2:DescribeInstanceTypes",
] as const

const DENIED = new Set(["UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "Blocked", "OptInRequired"])
const BAD_CREDENTIALS = new Set([
  "AuthFailure",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "IncompleteSignature",
])
const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"])
// The SDK's own list of throttling codes (@smithy/service-error-classification).
const THROTTLED = new Set([
  "RequestLimitExceeded",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  "BandwidthLimitExceeded",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
])
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH"])

export interface AwsContext {
  /** The EC2 action being called, e.g. "DescribeInstances". */
  readonly action: string
  readonly region?: string | undefined
  readonly profile?: string | undefined
  readonly endpoint?: string | undefined
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim()

/** An ImportError for a failed AWS call. */
export const explainAwsError = (e: unknown, ctx: AwsContext): ImportError => {
  if (e instanceof ImportError) return e
  const err = e as {
    name?: string
    message?: string
    code?: string
    $metadata?: { attempts?: number; httpStatusCode?: number }
  }
  const name = err?.name ?? ""
  const message = oneLine(err?.message ?? String(e))
  const where = ctx.endpoint ?? `EC2 in ${ctx.region ?? "the default region"}`
  const profile = ctx.profile === undefined ? "" : ` (profile "${ctx.profile}")`
  const action = `ec2:${ctx.action}`

  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message))
    return new ImportError(
      `no AWS credentials found${profile}: ${message.replace(/\.?$/, ".")} Set AWS_PROFILE or pass --profile, run "aws sso login" for an SSO profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    )
  if (/region is missing/i.test(message))
    return new ImportError("no AWS region: pass --region, set AWS_REGION, or give the profile a region")
  if (DENIED.has(name))
    return new ImportError(
      `AWS denied ${action} (${name})${profile}; ipamsim import needs only ${IMPORT_IAM_ACTIONS.join(", ")}`,
    )
  if (BAD_CREDENTIALS.has(name))
    return new ImportError(`AWS rejected the credentials${profile} on ${action} (${name}: ${message})`)
  if (EXPIRED.has(name))
    return new ImportError(
      `the AWS credentials${profile} have expired (${name}); refresh them (e.g. "aws sso login") and try again`,
    )
  if (THROTTLED.has(name)) {
    const attempts = err.$metadata?.attempts ?? 1
    return new ImportError(
      `EC2 throttled ${ctx.action} (${name}) on all ${attempts} attempts; the account's request rate is in use elsewhere, try again later`,
    )
  }
  const code = err?.code ?? (err as { cause?: { code?: string } })?.cause?.code
  if ((code !== undefined && UNREACHABLE.has(code)) || name === "TimeoutError")
    return new ImportError(`cannot reach ${where} (${code ?? name}) calling ${ctx.action}`)
  if (name === "InvalidSubnetID.NotFound" || name === "InvalidSubnetID.Malformed")
    return new ImportError(`${message} in ${ctx.region ?? "this region"} (${name})`)
  if (err?.$metadata !== undefined && name !== "")
    return new ImportError(`EC2 ${ctx.action} failed: ${name}: ${message}`)
  return new ImportError(
    `calling ${action} on ${where} failed: ${name !== "" && name !== "Error" ? `${name}: ` : ""}${message}`,
  )
}

/** Runs one AWS call, turning its failure into a one-line ImportError. */
export const awsCall = async <A>(ctx: AwsContext, call: () => Promise<A>): Promise<A> => {
  try {
    return await call()
  } catch (e) {
    throw explainAwsError(e, ctx)
  }
}
