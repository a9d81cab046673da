// The JSON report of `ipamsim tune` (docs/tuning.md): versioned, and a function of the input only (no
// worker count, no times), so the same sweep always gives the same bytes.

import type { Analysis, ConstraintFailure, Margin, Spread } from "./Analysis.ts"
import type { RolloutTransient, WindowObservation } from "./RolloutTransient.ts"
import type { RunMetrics } from "./TuneJob.ts"
import type { Constraints, Objective, TuneMode } from "./TunePlan.ts"
import { envText, pointLabel, type TunePoint } from "./TunePoints.ts"

/** Bump on any incompatible change of the fields below. */
export const TUNE_SCHEMA_VERSION = 1

export interface ReportPoint
  extends Pick<
    TunePoint,
    "id" | "mode" | "set" | "remove" | "effective" | "aliases" | "awsNodeSet" | "awsNodeEnv" | "linuxTargets"
  > {
  readonly label: string
  readonly configMap: Readonly<Record<string, string>>
  readonly feasible: boolean
  readonly onFrontier: boolean
  readonly recommended: boolean
  readonly stats: {
    readonly objective: Spread
    readonly p99WaitMs: Spread
    readonly peakAllocated: Spread
    readonly neverGotIp: Spread
  }
  readonly failures: readonly ConstraintFailure[]
  readonly runs: readonly RunMetrics[]
}

export interface RolloutCheck {
  /** ConfigMap data the run starts on, and what the switch applies on top of it. */
  readonly from: Readonly<Record<string, string>>
  readonly set: Readonly<Record<string, string>>
  readonly remove: readonly string[]
  /** The aws-node env the run starts on (null without Linux nodes), and the variables the switch sets. */
  readonly awsNodeFrom: Readonly<Record<string, string>> | null
  readonly awsNodeSet: Readonly<Record<string, string>>
  readonly atMs: number
  readonly windowMs: number
  readonly seeds: readonly RolloutTransient[]
  /** The worst seed for each measure. */
  readonly worst: Pick<
    WindowObservation,
    "claimed" | "released" | "podsWaited" | "maxWaitMs" | "neverGotIp" | "ec2Calls" | "throttled"
  > & {
    /** Most addresses the switch itself claimed (+) and released, against the same run without it. */
    readonly claimedBySwitch: number
    readonly releasedBySwitch: number
  }
}

export interface TuneReport {
  readonly schemaVersion: number
  readonly kind: "ipamsim-tune"
  readonly scenario: string
  readonly description: string
  readonly objective: Objective
  readonly constraints: Constraints
  readonly sweep: {
    readonly modes: readonly TuneMode[]
    readonly warmIpTarget: readonly number[] | null
    readonly minimumIpTarget: readonly number[] | null
    readonly warmPrefixTarget: readonly number[] | null
    readonly linuxWarmEniTarget: readonly number[] | null
    readonly linuxWarmIpTarget: readonly number[] | null
    readonly linuxMinimumIpTarget: readonly number[] | null
    readonly linuxWarmPrefixTarget: readonly number[] | null
    readonly seeds: readonly number[]
    readonly ignoreChanges: boolean
    readonly mergedAliases: boolean
    readonly baseConfigMap: Readonly<Record<string, string>>
    /** The scenario's aws-node env; null when the cluster has no Linux nodes. */
    readonly baseAwsNodeEnv: Readonly<Record<string, string>> | null
    readonly runs: number
  }
  readonly notes: readonly string[]
  readonly points: readonly ReportPoint[]
  readonly frontier: readonly number[]
  readonly recommendation: {
    readonly pointId: number
    readonly label: string
    readonly configMap: Readonly<Record<string, string>>
    /** The ConfigMap as YAML for `kubectl apply -f`; null when the sweep leaves the ConfigMap alone (Linux only). */
    readonly snippet: string | null
    /** The aws-node env variables to set, and the command that sets them; {} and null without a Linux sweep. */
    readonly awsNodeSet: Readonly<Record<string, string>>
    readonly kubectlSetEnv: string | null
    readonly margins: readonly Margin[]
  } | null
  readonly closest: {
    readonly pointId: number
    readonly label: string
    readonly failures: readonly ConstraintFailure[]
  } | null
  readonly rolloutCheck: RolloutCheck | null
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000
const rounded = (s: Spread): Spread => ({ mean: r3(s.mean), min: r3(s.min), max: r3(s.max), sd: r3(s.sd) })

const KEY = /^[A-Za-z0-9._-]+$/

/** The amazon-vpc-cni ConfigMap with this data, as YAML for `kubectl apply -f` (keys sorted, values quoted). */
export const configMapYaml = (data: Readonly<Record<string, string>>): string =>
  [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: amazon-vpc-cni",
    "  namespace: kube-system",
    "data:",
    ...Object.keys(data)
      .sort()
      .map((k) => `  ${KEY.test(k) ? k : JSON.stringify(k)}: ${JSON.stringify(data[k])}`),
  ].join("\n") + "\n"

/** The command that sets these aws-node env variables (the DaemonSet rolls its pods, so every ipamd restarts). */
export const kubectlSetEnv = (set: Readonly<Record<string, string>>): string | null => {
  const text = envText(set)
  return text === "" ? null : `kubectl set env daemonset aws-node -n kube-system ${text}`
}

export const worstOf = (seeds: readonly RolloutTransient[]): RolloutCheck["worst"] => {
  const max = (f: (t: RolloutTransient) => number): number => Math.max(0, ...seeds.map(f))
  return {
    claimedBySwitch: max((t) => t.bySwitch),
    releasedBySwitch: max((t) => -t.bySwitch),
    claimed: max((t) => t.claimed),
    released: max((t) => t.released),
    podsWaited: max((t) => t.podsWaited),
    maxWaitMs: max((t) => t.maxWaitMs),
    neverGotIp: max((t) => t.neverGotIp),
    ec2Calls: max((t) => t.ec2Calls),
    throttled: max((t) => t.throttled),
  }
}

export interface ReportInput {
  readonly scenario: string
  readonly description: string
  readonly objective: Objective
  readonly constraints: Constraints
  readonly sweep: TuneReport["sweep"]
  readonly notes: readonly string[]
  readonly analysis: Analysis
  readonly rolloutCheck: RolloutCheck | null
}

export const buildTuneReport = (i: ReportInput): TuneReport => {
  const a = i.analysis
  const byId = new Map<number, TunePoint>(a.results.map((r) => [r.point.id, r.point]))
  const rec = a.recommended === null ? undefined : byId.get(a.recommended)
  const closest = a.closest === null ? undefined : a.results.find((r) => r.point.id === a.closest)
  return {
    schemaVersion: TUNE_SCHEMA_VERSION,
    kind: "ipamsim-tune",
    scenario: i.scenario,
    description: i.description,
    objective: i.objective,
    constraints: i.constraints,
    sweep: i.sweep,
    notes: i.notes,
    points: a.results.map((r) => ({
      id: r.point.id,
      label: pointLabel(r.point),
      mode: r.point.mode,
      set: r.point.set,
      remove: r.point.remove,
      configMap: r.point.data,
      effective: r.point.effective,
      aliases: r.point.aliases,
      awsNodeSet: r.point.awsNodeSet,
      awsNodeEnv: r.point.awsNodeEnv,
      linuxTargets: r.point.linuxTargets,
      feasible: r.feasible,
      onFrontier: r.onFrontier,
      recommended: r.point.id === a.recommended,
      stats: {
        objective: rounded(r.objective),
        p99WaitMs: rounded(r.p99WaitMs),
        peakAllocated: rounded(r.peakAllocated),
        neverGotIp: rounded(r.neverGotIp),
      },
      failures: r.failures,
      runs: r.runs,
    })),
    frontier: a.frontier,
    recommendation:
      rec === undefined
        ? null
        : {
            pointId: rec.id,
            label: pointLabel(rec),
            configMap: rec.data,
            snippet: rec.windows ? configMapYaml(rec.data) : null,
            awsNodeSet: rec.awsNodeSet,
            kubectlSetEnv: kubectlSetEnv(rec.awsNodeSet),
            margins: a.margins,
          },
    closest:
      closest === undefined
        ? null
        : { pointId: closest.point.id, label: pointLabel(closest.point), failures: closest.failures },
    rolloutCheck: i.rolloutCheck,
  }
}

/** Stable JSON text: same sweep, same bytes; starts with `{\n  "schemaVersion"` as OutputFile expects. */
export const tuneReportJson = (r: TuneReport): string => `${JSON.stringify(r, null, 2)}\n`
