// Latency distributions as scenario files spell them, compiled to samplers of whole non-negative ms.
// Lognormal is given by median and p99 because those are the numbers people quote and read off dashboards.

import type { Rng } from "../kernel/Rng.ts"

export type LatencySpec =
  | { readonly fixed: number }
  | { readonly uniform: { readonly min: number; readonly max: number } }
  | { readonly lognormal: { readonly median: number; readonly p99: number } }

/** The standard normal's 99th percentile: p99 = median · e^(σ·Z99). */
export const Z99 = 2.3263478740408408

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const show = (v: unknown): string => (typeof v === "string" || isRecord(v) ? JSON.stringify(v) : String(v))

const badNumber = (field: string, v: unknown): string | undefined =>
  typeof v !== "number" || !Number.isFinite(v) || v < 0
    ? `${field}: expected a finite non-negative number of ms, got ${show(v)}`
    : undefined

/**
 * Checks plain data (e.g. parsed YAML) against LatencySpec; returns an error message naming the offending
 * field, relative to the spec ("lognormal.p99"), or undefined when it is valid.
 */
export const checkLatency = (spec: unknown): string | undefined => {
  if (!isRecord(spec)) return "expected one of { fixed }, { uniform: { min, max } }, { lognormal: { median, p99 } }"
  const keys = Object.keys(spec)
  if (keys.length !== 1) {
    const got = keys.length === 0 ? "none" : keys.map((k) => `"${k}"`).join(", ")
    return `expected exactly one of "fixed", "uniform", "lognormal", got ${got}`
  }
  const kind = keys[0]!
  const body = spec[kind]
  switch (kind) {
    case "fixed":
      return badNumber("fixed", body)
    case "uniform": {
      if (!isRecord(body)) return "uniform: expected { min, max }"
      const err = badNumber("uniform.min", body.min) ?? badNumber("uniform.max", body.max)
      if (err !== undefined) return err
      const min = body.min as number
      const max = body.max as number
      if (min > max) return `uniform.min: must be at most uniform.max (${max}), got ${min}`
      if (Math.ceil(min) > Math.floor(max)) return `uniform: [${min}, ${max}] holds no whole millisecond`
      return undefined
    }
    case "lognormal": {
      if (!isRecord(body)) return "lognormal: expected { median, p99 }"
      const err = badNumber("lognormal.median", body.median) ?? badNumber("lognormal.p99", body.p99)
      if (err !== undefined) return err
      const median = body.median as number
      const p99 = body.p99 as number
      if (median <= 0) return `lognormal.median: must be greater than 0, got ${median}`
      if (p99 < median) return `lognormal.p99: must be at least lognormal.median (${median}), got ${p99}`
      return undefined
    }
    default:
      return `unknown latency kind "${kind}"; expected "fixed", "uniform" or "lognormal"`
  }
}

/** A compiled distribution. sample() draws 0 (fixed), 1 (uniform) or on average 1 (lognormal) numbers from rng. */
export class Latency {
  private readonly kind: 0 | 1 | 2
  private readonly a: number
  private readonly b: number
  /** Box–Muller makes normals in pairs; the spare belongs to the rng that produced it. */
  private spare = 0
  private spareRng: Rng | undefined = undefined

  constructor(readonly spec: LatencySpec) {
    const err = checkLatency(spec)
    if (err !== undefined) throw new Error(err)
    if ("fixed" in spec) {
      this.kind = 0
      this.a = Math.max(0, Math.round(spec.fixed))
      this.b = 0
    } else if ("uniform" in spec) {
      // Whole ms in [ceil(min), floor(max)], each equally likely.
      this.kind = 1
      this.a = Math.ceil(spec.uniform.min)
      this.b = Math.floor(spec.uniform.max) - this.a + 1
    } else {
      this.kind = 2
      this.a = Math.log(spec.lognormal.median)
      this.b = (Math.log(spec.lognormal.p99) - this.a) / Z99
    }
  }

  sample(rng: Rng): number {
    if (this.kind === 0) return this.a
    if (this.kind === 1) return this.a + rng.int(this.b)
    const ms = Math.round(Math.exp(this.a + this.b * this.normal(rng)))
    return Math.max(ms, 0)
  }

  private normal(rng: Rng): number {
    if (this.spareRng === rng) {
      this.spareRng = undefined
      return this.spare
    }
    // 1 − u keeps the log argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - rng.float()))
    const theta = 2 * Math.PI * rng.float()
    this.spare = r * Math.sin(theta)
    this.spareRng = rng
    return r * Math.cos(theta)
  }
}

/** A spec as a sampler function; throws an Error naming the offending field when the spec is invalid. */
export const compileLatency = (spec: LatencySpec): ((rng: Rng) => number) => {
  const latency = new Latency(spec)
  return (rng) => latency.sample(rng)
}

/**
 * Defaults. EC2 publishes no latency figures; these follow research/peers-and-users.md §3.2 and the
 * controller's own comment (vpc-resource-controller.md §4.7). Every one is a scenario parameter.
 */
export const DEFAULT_LATENCIES = {
  // PR aws/amazon-vpc-cni-k8s#648: 400–600 ms added to node readiness; pool.go: "600 ms" average create.
  AssignPrivateIpAddresses: { lognormal: { median: 500, p99: 1500 } },
  // §3.2 suggests 0.3–1 s for assign/unassign (guess); unassign does less work than assign.
  UnassignPrivateIpAddresses: { lognormal: { median: 300, p99: 1000 } },
  // Guess: a filtered describe of one ENI is a light read.
  DescribeNetworkInterfaces: { lognormal: { median: 150, p99: 600 } },
  // Guess: filtered by instance id, a little heavier than one ENI.
  DescribeInstances: { lognormal: { median: 200, p99: 800 } },
  // Guess: time after an assign returns until DescribeNetworkInterfaces shows the new addresses (EC2 is
  // eventually consistent; the controller polls at 0, 0.25, 0.75, 1.75, ... s, §4.7). No measurement found.
  AssignVisibility: { lognormal: { median: 300, p99: 2000 } },
  // Guesses for ipamd's ENI calls: aws/amazon-vpc-cni-k8s docs/eni-and-ip-target.md says a new ENI "can
  // take up to 10 seconds" from create to usable; create and attach are the heavy parts.
  CreateNetworkInterface: { lognormal: { median: 600, p99: 2000 } },
  AttachNetworkInterface: { lognormal: { median: 800, p99: 3000 } },
  ModifyNetworkInterfaceAttribute: { lognormal: { median: 200, p99: 800 } },
  DetachNetworkInterface: { lognormal: { median: 500, p99: 2000 } },
  DeleteNetworkInterface: { lognormal: { median: 300, p99: 1000 } },
  // Time after the attach until instance metadata shows the ENI and its addresses (ipamd polls it).
  EniVisibility: { lognormal: { median: 2000, p99: 6000 } },
} as const satisfies Record<string, LatencySpec>
