import { describe, expect, it } from "vitest"
import { UserFacingError } from "../UserFacingError.ts"
import { POISSON } from "./TracePlan.fixtures.ts"
import { type GenerateOptions, planTrace } from "./TracePlan.ts"

const refusal = (o: GenerateOptions): string => {
  try {
    planTrace(o)
  } catch (e) {
    expect(e).toBeInstanceOf(UserFacingError)
    const message = (e as Error).message
    expect(message).not.toContain("\n")
    return message
  }
  throw new Error("expected a refusal")
}

describe("planTrace", () => {
  it("maps each kind's flags onto a generator spec", () => {
    expect(planTrace(POISSON)).toEqual({
      spec: { kind: "poisson", ratePerSecond: 0.5, lifetime: { lognormal: { median: 300_000, p99: 3_600_000 } } },
      seed: 7,
      untilMs: 7_200_000,
    })
    expect(
      planTrace({
        kind: "diurnal",
        rate: 2,
        amplitude: 0.8,
        period: "12h",
        peakAt: "3h",
        lifetime: "forever",
        end: "1d",
      }),
    ).toEqual({
      spec: {
        kind: "diurnal",
        meanPerSecond: 2,
        amplitude: 0.8,
        periodMs: 43_200_000,
        peakAtMs: 10_800_000,
        endMs: 86_400_000,
        lifetime: "forever",
      },
      seed: 1,
      untilMs: undefined,
    })
    expect(
      planTrace({ kind: "rollout", mode: "rolling-replace", replicas: 20, maxSurge: 5, stepEvery: "1m", at: "10m" })
        .spec,
    ).toEqual({
      kind: "rollout",
      mode: "rolling-replace",
      atMs: 600_000,
      replicas: 20,
      maxSurge: 5,
      stepEveryMs: 60_000,
    })
    expect(
      planTrace({
        kind: "cronjob",
        every: "15m",
        parallelism: 4,
        lifetimeMin: "30s",
        lifetimeMax: "2m",
        start: "1m",
        duration: "1d",
        namePrefix: "nightly",
        node: "win-1",
        hostNetwork: true,
        windowsSelector: false,
      }).spec,
    ).toEqual({
      kind: "cronjob",
      everyMs: 900_000,
      parallelism: 4,
      startMs: 60_000,
      runMs: { uniform: { min: 30_000, max: 120_000 } },
      namePrefix: "nightly",
      node: "win-1",
      hostNetwork: true,
      windowsSelector: false,
    })
    expect(planTrace({ kind: "poisson", rate: 1, lifetime: "90s", duration: "1h" }).spec).toMatchObject({
      lifetime: { fixed: 90_000 },
    })
  })

  it.each<[string, GenerateOptions, string]>([
    ["missing rate", { kind: "poisson", lifetime: "1m", duration: "1h" }, "--kind poisson needs --rate"],
    [
      "missing lifetime",
      { kind: "poisson", rate: 1, duration: "1h" },
      "--kind poisson needs a lifetime: --lifetime <duration|forever>, --lifetime-median with --lifetime-p99, or --lifetime-min with --lifetime-max",
    ],
    [
      "two lifetimes",
      { ...POISSON, lifetime: "5m" },
      "give one lifetime: --lifetime or --lifetime-median/--lifetime-p99, not both",
    ],
    [
      "half a lognormal",
      { ...POISSON, lifetimeP99: undefined },
      "--kind poisson needs --lifetime-median with --lifetime-p99",
    ],
    [
      "p99 below median",
      { ...POISSON, lifetimeP99: "1m" },
      "--lifetime-p99: expected at least --lifetime-median (300s), got 1m",
    ],
    [
      "bad duration",
      { ...POISSON, duration: "2 hours" },
      '--duration: expected a duration like "500ms", "30s", "5m", "2h", "1d", "1h30m" or whole ms, got "2 hours"',
    ],
    [
      "no horizon",
      { ...POISSON, duration: undefined },
      "--kind poisson never stops by itself: give --duration (or --end)",
    ],
    ["flag of another kind", { ...POISSON, amplitude: 0.5 }, "--amplitude applies to --kind diurnal, not poisson"],
    ["rollout flag", { ...POISSON, replicas: 3 }, "--replicas applies to --kind rollout, not poisson"],
    ["negative rate", { ...POISSON, rate: -1 }, "--rate: expected a finite number ≥ 0, got -1"],
    [
      "amplitude above 1",
      { kind: "diurnal", rate: 1, amplitude: 2, lifetime: "1m", duration: "1d" },
      "--amplitude: expected a number from 0 to 1, got 2",
    ],
    ["no mode", { kind: "rollout", replicas: 3 }, "--kind rollout needs --mode"],
    [
      "surge with scale-up",
      { kind: "rollout", mode: "scale-up", replicas: 3, maxSurge: 1 },
      "--max-surge and --step-every apply to --mode rolling-replace only",
    ],
    [
      "zero surge",
      { kind: "rollout", mode: "rolling-replace", replicas: 3, maxSurge: 0 },
      "--max-surge: expected a whole number ≥ 1, got 0",
    ],
    [
      "endless cronjob pods",
      { kind: "cronjob", every: "1m", lifetime: "forever", duration: "1h" },
      "--lifetime: a cronjob's pods must end; expected a duration, got forever",
    ],
    ["cronjob without every", { kind: "cronjob", lifetime: "1m", duration: "1h" }, "--kind cronjob needs --every"],
  ])("refuses %s", (_, options, message) => {
    expect(refusal(options)).toBe(message)
  })
})
