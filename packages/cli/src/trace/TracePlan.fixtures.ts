// The generator options the trace tests share: Poisson churn, half a pod a second for two hours.
import type { GenerateOptions } from "./TracePlan.ts"

export const POISSON: GenerateOptions = {
  kind: "poisson",
  rate: 0.5,
  lifetimeMedian: "300s",
  lifetimeP99: "1h",
  duration: "2h",
  seed: 7,
}
