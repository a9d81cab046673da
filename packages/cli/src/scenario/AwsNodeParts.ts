// The aws-node DaemonSet's env of a scenario's Linux nodes: as kubectl prints it or as a map, at the start
// and after each timed change.

import { SHIPPED_AWS_NODE_ENV } from "@ipamsim/core/ipamd/AwsNodeEnv"
import { ms, type Problem } from "./Problem.ts"
import type { Scenario } from "./ScenarioSchema.ts"

type EnvEntry = { readonly name: string; readonly value?: string; readonly valueFrom?: unknown }
type EnvInput = Record<string, string> | ReadonlyArray<EnvEntry>

/**
 * An env as a map: kubectl's list of {name, value} (a missing value is ""; an entry set from a field or a
 * secret, valueFrom, is not an IPAM setting and is skipped), or a map as given.
 */
const envMap = (env: EnvInput): Record<string, string> => {
  if (!Array.isArray(env)) return { ...(env as Record<string, string>) }
  const out: Record<string, string> = {}
  for (const e of env as ReadonlyArray<EnvEntry>) if (e.valueFrom === undefined) out[e.name] = e.value ?? ""
  return out
}

/** The aws-node env at the start (the shipped manifest's when the scenario gives none). */
export const awsNodeEnv = (s: Scenario): Record<string, string> =>
  s.awsNode?.env === undefined ? { ...SHIPPED_AWS_NODE_ENV } : envMap(s.awsNode.env as EnvInput)

/** The env after each timed change, in time order as written. */
export const awsNodeEnvChanges = (
  s: Scenario,
  problems: Problem[],
): Array<{ atMs: number; env: Record<string, string> }> => {
  let env = awsNodeEnv(s)
  let last = -1
  return (s.awsNode?.changes ?? []).map((c, i) => {
    const path = ["awsNode", "changes", i]
    const atMs = ms(c.at, [...path, "at"], problems)
    if (atMs < last) problems.push({ path: [...path, "at"], message: "changes must be in time order" })
    last = atMs
    if (c.env === undefined && c.set === undefined && c.remove === undefined)
      problems.push({ path, message: "a change needs env, set or remove" })
    env = { ...(c.env !== undefined ? envMap(c.env as EnvInput) : env), ...(c.set ?? {}) }
    for (const k of c.remove ?? []) delete env[k]
    return { atMs, env: { ...env } }
  })
}
