// EC2 errors as the AWS SDK for JavaScript v3 throws them: an EC2ServiceException whose `name` is the
// EC2 error code, with the decorations the SDK's query-protocol deserializer adds (Code, Error, $fault,
// $metadata with HTTP status 400). Code written against the SDK branches on `err.name`, so an adapter
// must reproduce exactly that. The Go controller sees a different text for the same error (smithy-go's
// OperationError); `goSdkV2ErrorString` reproduces it because the controller matches on its prefix
// (research/vpc-resource-controller.md §5.2).

import { EC2ServiceException } from "@aws-sdk/client-ec2"

/** EC2's own messages for the codes the simulation produces (as the real API and moto word them). */
export const EC2_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  InsufficientFreeAddressesInSubnet: "The specified subnet does not have enough free addresses to satisfy the request.",
  InsufficientCidrBlocks: "The specified subnet does not have enough free cidr blocks to satisfy the request.",
  PrivateIpAddressLimitExceeded: "Number of private addresses will exceed limit.",
  RequestLimitExceeded: "Request limit exceeded.",
  RequestTimeout: "The request timed out.",
  InternalError: "An internal error has occurred.",
}

export interface Ec2ErrorOptions {
  readonly requestId?: string
  /** Attempts the SDK made before giving up (1 unless a retryer ran). */
  readonly attempts?: number
}

/** An EC2ServiceException shaped like one the SDK's deserializer builds from an EC2 XML error response. */
export const ec2Error = (code: string, message?: string, options: Ec2ErrorOptions = {}): EC2ServiceException => {
  const text = message ?? EC2_ERROR_MESSAGES[code] ?? code
  const server = code === "InternalError" || code === "RequestTimeout"
  const err = new EC2ServiceException({
    name: code,
    $fault: server ? "server" : "client",
    message: text,
    $metadata: {
      httpStatusCode: server ? 500 : code === "RequestLimitExceeded" ? 503 : 400,
      ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
      attempts: options.attempts ?? 1,
      totalRetryDelay: 0,
    },
  })
  // The SDK copies the parsed <Error> element onto the exception as well.
  Object.assign(err, { Code: code, Error: { Type: undefined, Code: code, Message: text } })
  return err
}

/**
 * The text of the same error in aws-sdk-go-v2 (the controller since v1.7.0):
 * `operation error EC2: <Op>, https response error StatusCode: 400, RequestID: <id>, api error <Code>: <Message>`.
 * It does not start with the code, which is why the controller's `strings.HasPrefix(err.Error(),
 * "InsufficientCidrBlocks")` check no longer matches.
 */
export const goSdkV2ErrorString = (operation: string, err: EC2ServiceException): string =>
  `operation error EC2: ${operation}, https response error StatusCode: ${err.$metadata.httpStatusCode ?? 400}, ` +
  `RequestID: ${err.$metadata.requestId ?? ""}, api error ${err.name}: ${err.message}`

/** The same error as aws-sdk-go v1 printed it (controller v1.1.8 to v1.6.x): `<Code>: <Message>`. */
export const goSdkV1ErrorString = (err: EC2ServiceException): string =>
  `${err.name}: ${err.message}\n\tstatus code: ${err.$metadata.httpStatusCode ?? 400}, request id: ${err.$metadata.requestId ?? ""}`
