// A capacity scenario: the cluster (node groups in one subnet, a ConfigMap), the pod churn, and the seed of
// everything random inside the simulation. `scenarios` combines the arbitraries of this package into one.

import type { Ec2CallsSpec } from "@ipamsim/core/ec2/Ec2Calls"
import type { SubnetSpec } from "@ipamsim/core/spec/SimSpec"
import type { SpecInput } from "@ipamsim/core/spec/SpecBuilder"
import fc from "fast-check"
import { Churn } from "./Churn.ts"
import { type NodeGroupInput, type NodeGroupsArbitrary, nodeCount } from "./NodeGroupArbitrary.ts"

export interface CapacityScenario {
  /** Seed of the simulation's own randomness (EC2 latencies, address picks, Go map order). */
  readonly seed: number
  readonly configMap: Readonly<Record<string, string>>
  readonly subnet: SubnetSpec
  readonly nodeGroups: readonly NodeGroupInput[]
  readonly churn: Churn
  /** EC2 overrides: latencies, faults, throttling (default: the documented defaults). */
  readonly ec2?: Partial<Ec2CallsSpec>
  /** Simulated time after the last pod event (default 2 min, so cool-downs and jobs settle). */
  readonly drainMs?: number
}

interface CommonParts {
  /** Default: a roomy 10.0.0.0/20 used by nobody else. */
  readonly subnet?: fc.Arbitrary<SubnetSpec>
  /** Default: IPAM on, no targets (secondary-IP mode, warm 3, minimum 3). */
  readonly configMap?: fc.Arbitrary<Record<string, string>>
  /** Default: 0–1000. */
  readonly seed?: fc.Arbitrary<number>
  readonly ec2?: Partial<Ec2CallsSpec>
  readonly drainMs?: number
}

export type ScenarioParts = CommonParts &
  (
    | {
        readonly nodeGroups: fc.Arbitrary<NodeGroupInput[]>
        /** The churn of the whole cluster (the scheduler spreads it over the nodes). */
        readonly churn: fc.Arbitrary<Churn>
      }
    | {
        readonly nodeGroups: NodeGroupsArbitrary
        /**
         * Churn "per node": one independent draw per node, merged (the scheduler still places the pods). Rates in
         * it are per node. Drawn without chaining on the node count, so both shrink independently and a
         * counterexample shrinks to few nodes and few pods.
         */
        readonly churnPerNode: fc.Arbitrary<Churn>
      }
  )

/** Every node group placed in the scenario's subnet. */
export const scenarios = (parts: ScenarioParts): fc.Arbitrary<CapacityScenario> => {
  const churns: fc.Arbitrary<Churn[]> =
    "churn" in parts
      ? parts.churn.map((c) => [c])
      : fc.array(parts.churnPerNode, { minLength: parts.nodeGroups.maxNodes, maxLength: parts.nodeGroups.maxNodes })
  return fc
    .record({
      seed: parts.seed ?? fc.nat(1000),
      configMap: parts.configMap ?? fc.constant({ "enable-windows-ipam": "true" }),
      subnet: parts.subnet ?? fc.constant<SubnetSpec>({ id: "subnet-a", cidr: "10.0.0.0/20" }),
      nodeGroups: parts.nodeGroups,
      churns,
    })
    .map(({ churns, ...s }): CapacityScenario => {
      const used = "churn" in parts ? churns : churns.slice(0, nodeCount(s.nodeGroups))
      return {
        ...s,
        nodeGroups: s.nodeGroups.map((g) => ({ ...g, subnet: s.subnet.id })),
        churn: used.reduce((a, b) => a.merge(b), new Churn([])),
        ...(parts.ec2 !== undefined ? { ec2: parts.ec2 } : {}),
        ...(parts.drainMs !== undefined ? { drainMs: parts.drainMs } : {}),
      }
    })
}

/** The scenario as SpecBuilder input. */
export const toSpecInput = (s: CapacityScenario): SpecInput => ({
  seed: s.seed,
  configMap: s.configMap,
  subnets: [s.subnet],
  nodeGroups: s.nodeGroups,
  trace: s.churn.events(),
  ...(s.ec2 !== undefined ? { ec2: s.ec2 } : {}),
  ...(s.drainMs !== undefined ? { drainMs: s.drainMs } : {}),
})
