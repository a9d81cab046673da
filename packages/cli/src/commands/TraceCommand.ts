// `ipamsim trace generate`: writes a synthetic pod-churn trace (one of the scenario generators, seeded,
// planned by TracePlan) as CSV or JSON Lines (TraceWriter).

import { Option } from "effect"
import { Command, Flag } from "effect/cli"
import { formatDuration } from "../scenario/Duration.ts"
import { KINDS, planTrace } from "../trace/TracePlan.ts"
import { formatForPath, traceLines, writeTraceFileInterruptible } from "../trace/TraceWriter.ts"
import { runUserCommand } from "../UserFacingError.ts"
import { seedFlagWithDefault } from "./Flags.ts"

const opt = <A>(flag: Flag.Flag<A>, description: string) => flag.pipe(Flag.withDescription(description), Flag.optional)

const generateCommand = Command.make(
  "generate",
  {
    kind: Flag.Literals("kind", KINDS).pipe(Flag.withDescription("Which generator")),
    out: Flag.String("out").pipe(Flag.withDescription("Trace file to write (- for stdout)")),
    format: opt(
      Flag.Literals("format", ["csv", "jsonl"]),
      "csv or jsonl (default: from --out; .jsonl/.ndjson → jsonl, else csv)",
    ),
    force: Flag.Boolean("force").pipe(
      Flag.withDescription("Replace --out if it exists (never a directory); without it an existing file is refused"),
      Flag.withDefault(false),
    ),
    seed: seedFlagWithDefault("Random seed", 1),
    duration: opt(Flag.String("duration"), "Stop here (e.g. 2h); needed unless the generator ends by itself"),
    rate: opt(Flag.Finite("rate"), "poisson: pods per second; diurnal: mean pods per second"),
    amplitude: opt(Flag.Finite("amplitude"), "diurnal: 0 (flat) to 1 (nothing at the trough); default 0.5"),
    period: opt(Flag.String("period"), "diurnal: period (default 1d)"),
    peakAt: opt(Flag.String("peak-at"), "diurnal: time of the peak within the period (default 14h)"),
    start: opt(Flag.String("start"), "poisson, diurnal, cronjob: first creates at (default 0)"),
    end: opt(Flag.String("end"), "poisson, diurnal, cronjob: no creates from here on"),
    lifetime: opt(Flag.String("lifetime"), "Pod lifetime (cronjob: run time): a fixed duration, or forever"),
    lifetimeMedian: opt(Flag.String("lifetime-median"), "Lognormal lifetime: median (with --lifetime-p99)"),
    lifetimeP99: opt(Flag.String("lifetime-p99"), "Lognormal lifetime: 99th percentile"),
    lifetimeMin: opt(Flag.String("lifetime-min"), "Uniform lifetime: shortest (with --lifetime-max)"),
    lifetimeMax: opt(Flag.String("lifetime-max"), "Uniform lifetime: longest"),
    every: opt(Flag.String("every"), "cronjob: schedule interval"),
    parallelism: opt(Flag.Int("parallelism"), "cronjob: pods per run (default 1)"),
    at: opt(Flag.String("at"), "rollout: when it starts (default 0)"),
    replicas: opt(Flag.Int("replicas"), "rollout: pods in the Deployment"),
    mode: opt(Flag.Literals("mode", ["scale-up", "rolling-replace"]), "rollout: scale-up or rolling-replace"),
    maxSurge: opt(Flag.Int("max-surge"), "rolling-replace: pods per step (default 25% of replicas, rounded up)"),
    stepEvery: opt(Flag.String("step-every"), "rolling-replace: time per step (default 30s)"),
    spread: opt(Flag.String("spread"), "scale-up: spread the creates over this long (default 0)"),
    namePrefix: opt(Flag.String("name-prefix"), "Pods are named <prefix>-<n> (default <kind>-0)"),
    node: opt(Flag.String("node"), "Bind every pod to this node"),
    hostNetwork: Flag.Boolean("host-network").pipe(Flag.withDescription("hostNetwork pods"), Flag.withDefault(false)),
    windowsSelector: Flag.Boolean("windows-selector").pipe(
      Flag.withDescription("Pods carry nodeSelector kubernetes.io/os: windows (--no-windows-selector for none)"),
      Flag.withDefault(true),
    ),
  },
  (f) =>
    runUserCommand(async () => {
      const u = Option.getOrUndefined
      const plan = planTrace({
        kind: f.kind,
        seed: f.seed,
        duration: u(f.duration),
        rate: u(f.rate),
        amplitude: u(f.amplitude),
        period: u(f.period),
        peakAt: u(f.peakAt),
        start: u(f.start),
        end: u(f.end),
        lifetime: u(f.lifetime),
        lifetimeMedian: u(f.lifetimeMedian),
        lifetimeP99: u(f.lifetimeP99),
        lifetimeMin: u(f.lifetimeMin),
        lifetimeMax: u(f.lifetimeMax),
        every: u(f.every),
        parallelism: u(f.parallelism),
        at: u(f.at),
        replicas: u(f.replicas),
        mode: u(f.mode),
        maxSurge: u(f.maxSurge),
        stepEvery: u(f.stepEvery),
        spread: u(f.spread),
        namePrefix: u(f.namePrefix),
        node: u(f.node),
        hostNetwork: f.hostNetwork,
        windowsSelector: f.windowsSelector,
      })
      const format = u(f.format) ?? formatForPath(f.out)
      const lines = await writeTraceFileInterruptible(f.out, traceLines(plan, format), f.force)
      if (f.out !== "-") {
        const events = format === "csv" ? lines - 1 : lines
        const horizon = plan.untilMs === undefined ? "" : ` up to ${formatDuration(plan.untilMs)}`
        process.stdout.write(`${f.out}: ${events} events${horizon} (${format}, seed ${plan.seed})\n`)
      }
    }),
).pipe(
  Command.withDescription(
    "Write a synthetic pod-churn trace (poisson, diurnal, rollout or cronjob) as CSV or JSON Lines, for a scenario's workload.traces",
  ),
)

export const traceCommand = Command.make("trace").pipe(
  Command.withDescription("Work with pod-event traces"),
  Command.withSubcommands([generateCommand]),
)
