// A pod churn trace as compact data: when each pod is created and how long it lives. It prints as one short line
// per run, so the counterexample fast-check reports after shrinking can be read at a glance.

import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { createPod, deletePod } from "@ipamsim/core/spec/SpecBuilder"
import fc from "fast-check"

export interface PodLife {
  /** Creation time, ms from the start of the simulation. */
  readonly atMs: number
  /** How long the pod lives; null = until the end of the simulation. */
  readonly lifetimeMs: number | null
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))}s`

export class Churn {
  /** Pods sorted by creation time; pod i is named `p<i>` in the trace. */
  readonly pods: readonly PodLife[]

  constructor(pods: readonly PodLife[]) {
    this.pods = [...pods].sort((a, b) => a.atMs - b.atMs)
  }

  /** The pod events the simulator reads (creates with the Windows nodeSelector, deletes at the end of a lifetime). */
  events(): PodEvent[] {
    return this.pods.flatMap((p, i) => [
      createPod(p.atMs, `p${i}`),
      ...(p.lifetimeMs === null ? [] : [deletePod(p.atMs + p.lifetimeMs, `p${i}`)]),
    ])
  }

  /** Both traces together (pods renumbered by creation time). */
  merge(other: Churn): Churn {
    return new Churn([...this.pods, ...other.pods])
  }

  get size(): number {
    return this.pods.length
  }

  /** Time of the last create or delete, or 0 for an empty trace. */
  get lastEventMs(): number {
    return Math.max(0, ...this.pods.map((p) => p.atMs + (p.lifetimeMs ?? 0)))
  }

  /** "churn(3 pods: p0 at 60s for 30s, p1 at 60.4s, …)": a pod without "for" lives to the end. */
  toString(): string {
    const list = this.pods.map(
      (p, i) => `p${i} at ${seconds(p.atMs)}${p.lifetimeMs === null ? "" : ` for ${seconds(p.lifetimeMs)}`}`,
    )
    return `churn(${this.pods.length} pods${list.length > 0 ? `: ${list.join(", ")}` : ""})`
  }

  [fc.toStringMethod](): string {
    return this.toString()
  }
}
