// One setting of a sweep as a variant of the decoded scenario, built with immer so the base scenario (shared
// by every run of a worker) is never touched. Only the ConfigMap and the aws-node env differ between variants.

import { Keys } from "@ipamsim/core/vpc-resource-controller/ConfigMap"
import { produce } from "immer"
import { parseDuration } from "../scenario/Duration.ts"
import { awsNodeEnv } from "../scenario/ScenarioParts.ts"
import type { Scenario } from "../scenario/ScenarioSchema.ts"

/** What a run changes in the scenario; plain data, so it crosses to worker threads as a message. */
export interface VariantOverrides {
  /** Keys written over the base ConfigMap data at the start. */
  readonly set: Readonly<Record<string, string>>
  /** Keys removed from the base ConfigMap data at the start (legacy twins that would hide `set` keys). */
  readonly remove: readonly string[]
  /** Drop the scenario's own configMap.changes, so the setting holds for the whole run. */
  readonly ignoreChanges: boolean
  /** aws-node env variables written over the base env at the start (Linux nodes); absent or {}: none. */
  readonly awsNodeSet?: Readonly<Record<string, string>>
  /** Drop the scenario's own awsNode.changes. */
  readonly ignoreAwsNodeChanges?: boolean
  /** A change applied during the run (the rollout check), after the scenario's own changes at the same time. */
  readonly change?: {
    readonly atMs: number
    readonly set: Readonly<Record<string, string>>
    readonly remove: readonly string[]
    /** aws-node env variables the change sets (an awsNode change at the same time); absent or {}: none. */
    readonly awsNodeSet?: Readonly<Record<string, string>>
  }
}

// Scenario changes carry durations as text or ms; the loader has checked they read.
const at = (c: { at: number | string }): number => {
  const ms = typeof c.at === "number" ? c.at : parseDuration(c.at)
  return typeof ms === "number" ? ms : Number.NaN
}

/** `change` inserted after the scenario's own changes up to its time, so it applies last at that time. */
const insertAt = <C extends { at: number | string }>(changes: C[], atMs: number, change: C): C[] => {
  let index = changes.findIndex((c) => at(c) > atMs)
  if (index < 0) index = changes.length
  changes.splice(index, 0, change)
  return changes
}

export const applyVariant = (scenario: Scenario, o: VariantOverrides): Scenario =>
  produce(scenario, (d) => {
    d.configMap ??= {}
    const cm = d.configMap
    if (Object.keys(o.set).length > 0 || o.remove.length > 0) {
      // No data means the loader's default ConfigMap (IPAM on); null (deleted) is refused before a sweep starts.
      const data: Record<string, string> = { ...(cm.data ?? { [Keys.enableWindowsIpam]: "true" }), ...o.set }
      for (const k of o.remove) delete data[k]
      cm.data = data
    }
    if (o.ignoreChanges) delete cm.changes
    const envSet = o.awsNodeSet ?? {}
    if (Object.keys(envSet).length > 0) {
      // The scenario's env (the shipped one when it gives none) with the point's variables over it; the
      // scenario's timed changes apply on top of it as they would on the original.
      d.awsNode ??= {}
      d.awsNode.env = { ...awsNodeEnv(scenario), ...envSet }
    }
    if (o.ignoreAwsNodeChanges === true && d.awsNode !== undefined) delete d.awsNode.changes
    if (o.change !== undefined) {
      const atMs = o.change.atMs
      const changeEnv = o.change.awsNodeSet ?? {}
      // A switch of the aws-node env alone leaves the ConfigMap as it is.
      if (Object.keys(changeEnv).length === 0 || Object.keys(o.change.set).length > 0 || o.change.remove.length > 0)
        cm.changes = insertAt(cm.changes ?? [], atMs, {
          at: atMs,
          set: { ...o.change.set },
          ...(o.change.remove.length > 0 ? { remove: [...o.change.remove] } : {}),
        })
      if (Object.keys(changeEnv).length > 0) {
        d.awsNode ??= {}
        d.awsNode.changes = insertAt(d.awsNode.changes ?? [], atMs, { at: atMs, set: { ...changeEnv } })
      }
    }
  })
