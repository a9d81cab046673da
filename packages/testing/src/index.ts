// @ipamsim/testing: property-based capacity tests against the ipamsim model (docs/capacity-testing.md).

export {
  type CapacityOptions,
  capacityPredicate,
  capacityProperty,
  checkCapacity,
  type ExpectationsFor,
  failureReport,
} from "./CapacityProperty.ts"
export { Churn, type PodLife } from "./Churn.ts"
export {
  type BurstChurnOptions,
  burstChurn,
  DEFAULT_START_MS,
  type Lifetime,
  type PoissonChurnOptions,
  poissonChurn,
} from "./ChurnArbitraries.ts"
export { type ConfigMapOptions, configMap, type TargetOption } from "./ConfigMapArbitrary.ts"
export { CapacityAssertionError, type CapacityExpectations, expectCapacity, summary } from "./ExpectCapacity.ts"
export {
  type NodeGroupInput,
  type NodeGroupOptions,
  type NodeGroupsArbitrary,
  nodeCount,
  nodeGroups,
} from "./NodeGroupArbitrary.ts"
export type { Range } from "./Range.ts"
export { type CapacityScenario, type ScenarioParts, scenarios, toSpecInput } from "./Scenario.ts"
export { type ScenarioFileOptions, scenarioFile, writeCounterexample, writeScenarioFile } from "./ScenarioFile.ts"
export { simulate } from "./Simulate.ts"
export { type SubnetOptions, subnet } from "./SubnetArbitrary.ts"
