import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AssignPrivateIpAddressesCommand, DescribeSubnetsCommand } from "@aws-sdk/client-ec2"
import { afterAll, afterEach, describe, expect, it, vi } from "vitest"
import { explainAwsError, ImportError } from "./AwsErrors.ts"
import { readAccount } from "./Import.ts"
import { createReadOnlyEc2Client } from "./ReadOnlyEc2Client.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-aws-client-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const THROTTLED = `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>`
const SUBNETS = `<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId>
<subnetSet><item><subnetId>subnet-1</subnetId><cidrBlock>10.0.0.0/24</cidrBlock><availableIpAddressCount>12</availableIpAddressCount></item></subnetSet></DescribeSubnetsResponse>`

/** An HTTP handler answering EC2 XML: throttles the first `throttles` requests, then succeeds. */
const fakeEc2 = (throttles: number) => {
  const state = { requests: 0 }
  const handler = {
    handle: async () => {
      state.requests++
      const throttled = state.requests <= throttles
      return {
        response: {
          statusCode: throttled ? 503 : 200,
          headers: { "content-type": "text/xml" },
          body: new TextEncoder().encode(throttled ? THROTTLED : SUBNETS),
        },
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  }
  const client = createReadOnlyEc2Client(
    { region: "us-east-1" },
    { credentials: { accessKeyId: "AKID", secretAccessKey: "secret" }, requestHandler: handler },
  )
  return { client, state }
}

/**
 * Runs a call whose retries wait on timers, advancing fake time until it settles. Only setTimeout is faked:
 * the SDK also does real asynchronous work (lazy imports, stream reads) that must get to run in between.
 */
const withFakeTime = async <A>(call: () => Promise<A>): Promise<A> => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] })
  try {
    let settled = false
    const p = call().finally(() => {
      settled = true
    })
    p.catch(() => {})
    const deadline = Date.now() + 60_000
    while (!settled && Date.now() < deadline) {
      await vi.advanceTimersByTimeAsync(1_000)
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (!settled) throw new Error("the call did not settle within 60 s of real time")
    return await p
  } finally {
    vi.useRealTimers()
  }
}

const ENV_KEYS = [
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
] as const
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]))

/** An environment with no AWS configuration at all: empty config files, no metadata service. */
const bareEnvironment = (): void => {
  for (const k of ENV_KEYS) delete process.env[k]
  const empty = join(dir, "empty")
  writeFileSync(empty, "")
  process.env.AWS_CONFIG_FILE = empty
  process.env.AWS_SHARED_CREDENTIALS_FILE = empty
  process.env.AWS_EC2_METADATA_DISABLED = "true"
}

afterEach(() => {
  for (const k of ENV_KEYS) {
    const v = saved[k]
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

describe("the import's EC2 client", () => {
  it("refuses any command but the four read-only Describe calls, before anything is sent", async () => {
    const { client, state } = fakeEc2(0)
    await expect(
      client.send(
        new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: "eni-1", SecondaryPrivateIpAddressCount: 1 }),
      ),
    ).rejects.toThrow("internal error: ipamsim import tried to send AssignPrivateIpAddressesCommand; it only reads")
    expect(state.requests).toBe(0)
  })

  it("rides out throttling with the SDK's standard retryer", async () => {
    const { client, state } = fakeEc2(3)
    const r = await withFakeTime(() => client.send(new DescribeSubnetsCommand({})))
    expect(r.Subnets?.[0]?.CidrBlock).toBe("10.0.0.0/24")
    expect(state.requests).toBe(4)
    expect(r.$metadata.attempts).toBe(4)
  })

  it("gives up after 5 attempts, and the error says so in one line", async () => {
    const { client, state } = fakeEc2(1000)
    const err = await withFakeTime(() =>
      client.send(new DescribeSubnetsCommand({})).then(
        () => undefined,
        (e) => e,
      ),
    )
    expect(state.requests).toBe(5)
    expect(err.name).toBe("RequestLimitExceeded")
    expect(explainAwsError(err, { action: "DescribeSubnets" }).message).toBe(
      "EC2 throttled DescribeSubnets (RequestLimitExceeded) on all 5 attempts; the account's request rate is in use elsewhere, try again later",
    )
  })

  it("fails in one line with no region anywhere", async () => {
    bareEnvironment()
    const client = createReadOnlyEc2Client({})
    const err = await readAccount(client, { cluster: "demo" }).then(
      () => undefined,
      (e) => e,
    )
    expect(err).toBeInstanceOf(ImportError)
    expect(err.message).toBe("no AWS region: pass --region, set AWS_REGION, or give the profile a region")
  })

  it("fails in one line with no credentials anywhere (the SDK's default chain)", async () => {
    bareEnvironment()
    const client = createReadOnlyEc2Client({ region: "us-east-1", endpoint: "http://127.0.0.1:9" })
    const err = await readAccount(client, { cluster: "demo", region: "us-east-1" }).then(
      () => undefined,
      (e) => e,
    )
    expect(err).toBeInstanceOf(ImportError)
    expect(err.message).toMatch(/^no AWS credentials found: /)
    expect(err.message).not.toContain("\n")
  })

  it("names the profile when it does not exist", async () => {
    bareEnvironment()
    const client = createReadOnlyEc2Client({ region: "us-east-1", profile: "nope", endpoint: "http://127.0.0.1:9" })
    const err = await readAccount(client, { cluster: "demo", region: "us-east-1", profile: "nope" }).then(
      () => undefined,
      (e) => e,
    )
    expect(err).toBeInstanceOf(ImportError)
    expect(err.message).toMatch(/^no AWS credentials found \(profile "nope"\): /)
    expect(err.message).not.toContain("\n")
  })
})
