// Arbitraries for Windows node groups: instance types drawn from a list, node counts, and how fast nodes join.

import { limitsOf } from "@ipamsim/core/ec2/InstanceLimits"
import type { SpecInput } from "@ipamsim/core/spec/SpecBuilder"
import fc from "fast-check"
import { integerIn, maxOf, type Range } from "./Range.ts"

/** A node group as SpecBuilder takes it (defaults filled in there). */
export type NodeGroupInput = SpecInput["nodeGroups"][number]

export interface NodeGroupOptions {
  /** Instance types to choose from (default m5.large); each must be in the controller's limits table. */
  readonly instanceTypes?: readonly string[]
  /** Nodes per group (default 1–3). */
  readonly count?: Range
  /** Number of groups (default 1). */
  readonly groups?: Range
  /** Gap between successive nodes of a group joining (default 0: all at once). */
  readonly joinEveryMs?: Range
}

/** Node groups that know the most nodes they can hold (for churn drawn per node, see `scenarios`). */
export type NodeGroupsArbitrary = fc.Arbitrary<NodeGroupInput[]> & { readonly maxNodes: number }

/** Node groups named g0, g1, …; shrinks toward fewer groups, fewer nodes, and the first instance type. */
export const nodeGroups = (o: NodeGroupOptions = {}): NodeGroupsArbitrary => {
  const types = o.instanceTypes ?? ["m5.large"]
  if (types.length === 0) throw new Error("nodeGroups: instanceTypes is empty")
  // Fail at definition time, not inside a property run, when a type is unknown.
  for (const t of types) limitsOf(t)
  const groups = o.groups ?? 1
  const count = o.count ?? { min: 1, max: 3 }
  const group = fc.record({
    instanceType: fc.constantFrom(...types),
    count: integerIn(count),
    joinEveryMs: integerIn(o.joinEveryMs ?? 0),
  })
  const arb = fc
    .array(group, { minLength: typeof groups === "number" ? groups : groups.min, maxLength: maxOf(groups) })
    .map((gs) => gs.map((g, i) => ({ name: `g${i}`, ...g })))
  return Object.assign(arb, { maxNodes: maxOf(groups) * maxOf(count) })
}

/** Total nodes over all groups. */
export const nodeCount = (groups: readonly NodeGroupInput[]): number => groups.reduce((n, g) => n + (g.count ?? 1), 0)
