// A capacity claim as a property: "for every scenario this arbitrary makes, the simulation meets these
// expectations". As a vitest test (capacityProperty) or as a plain fast-check run (checkCapacity) for claims
// that are expected to fail and whose counterexample is the point.

import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { type CapacityExpectations, expectCapacity } from "./ExpectCapacity.ts"
import type { CapacityScenario } from "./Scenario.ts"
import { simulate } from "./Simulate.ts"

export type ExpectationsFor<S> = CapacityExpectations | ((scenario: S) => CapacityExpectations)

/** The property's body: simulate the scenario, then expectCapacity. */
export const capacityPredicate =
  <S extends CapacityScenario>(expectations: ExpectationsFor<S>) =>
  (scenario: S): void => {
    expectCapacity(simulate(scenario), typeof expectations === "function" ? expectations(scenario) : expectations)
  }

/**
 * Registers a vitest test (via @fast-check/vitest's test.prop) that checks the expectations on every scenario.
 * A failure reports fast-check's shrunk counterexample and the CapacityAssertionError of that scenario.
 */
export const capacityProperty = <S extends CapacityScenario>(
  name: string,
  scenarios: fc.Arbitrary<S>,
  expectations: ExpectationsFor<S>,
  params?: fc.Parameters<[S]>,
): void => {
  const check = capacityPredicate(expectations)
  test.prop([scenarios], params)(name, (scenario) => {
    check(scenario)
  })
}

/** Runs the property without throwing; the details hold `failed`, the shrunk `counterexample` and its error. */
export const checkCapacity = <S extends CapacityScenario>(
  scenarios: fc.Arbitrary<S>,
  expectations: ExpectationsFor<S>,
  params?: fc.Parameters<[S]>,
): fc.RunDetails<[S]> => fc.check(fc.property(scenarios, capacityPredicate(expectations)), params)

/** What fast-check would print for a failed run (seed, counterexample, shrinks), then the assertion's message. */
export const failureReport = <S>(details: fc.RunDetails<[S]>): string =>
  details.failed ? `${fc.defaultReportMessage(details)}\n${details.errorInstance}` : "the property held"
