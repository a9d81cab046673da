// A capacity claim as a property: "for every scenario this arbitrary makes, the simulation meets these
// expectations". As a vitest test (capacityProperty) or as a plain fast-check run (checkCapacity) for claims
// that are expected to fail and whose counterexample is the point.

import { join } from "node:path"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { type CapacityExpectations, expectCapacity } from "./ExpectCapacity.ts"
import type { CapacityScenario } from "./Scenario.ts"
import { writeScenarioFile } from "./ScenarioFile.ts"
import { simulate } from "./Simulate.ts"

export type ExpectationsFor<S> = CapacityExpectations | ((scenario: S) => CapacityExpectations)

export interface CapacityOptions {
  /**
   * Where a failing scenario is written as an ipamsim scenario file (and its trace next to it), for
   * `ipamsim run <file> --html report.html`. Each failure overwrites it, so after shrinking it holds the shrunk
   * counterexample. Default: `$IPAMSIM_COUNTEREXAMPLE_DIR/<property name>.yaml` when that variable is set.
   */
  readonly counterexampleFile?: string | undefined
}

const fileFor = (name: string | undefined, options: CapacityOptions): string | undefined => {
  if (options.counterexampleFile !== undefined) return options.counterexampleFile
  const dir = process.env.IPAMSIM_COUNTEREXAMPLE_DIR
  if (dir === undefined || dir === "" || name === undefined) return undefined
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 80) || "property"
  return join(dir, `${slug}.yaml`)
}

/** The property's body: simulate the scenario, then expectCapacity (writing a failing scenario if asked). */
export const capacityPredicate =
  <S extends CapacityScenario>(expectations: ExpectationsFor<S>, options: CapacityOptions = {}, name?: string) =>
  (scenario: S): void => {
    const e = typeof expectations === "function" ? expectations(scenario) : expectations
    try {
      expectCapacity(simulate(scenario), e)
    } catch (error) {
      const file = fileFor(name, options)
      if (file !== undefined)
        writeScenarioFile(scenario, file, {
          expectations: e,
          description: `The shrunk counterexample of the capacity property${name !== undefined ? ` "${name}"` : ""}.`,
        })
      throw error
    }
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
  options: CapacityOptions = {},
): void => {
  const check = capacityPredicate(expectations, options, name)
  test.prop([scenarios], params)(name, (scenario) => {
    check(scenario)
  })
}

/** Runs the property without throwing; the details hold `failed`, the shrunk `counterexample` and its error. */
export const checkCapacity = <S extends CapacityScenario>(
  scenarios: fc.Arbitrary<S>,
  expectations: ExpectationsFor<S>,
  params?: fc.Parameters<[S]>,
  options: CapacityOptions = {},
): fc.RunDetails<[S]> => fc.check(fc.property(scenarios, capacityPredicate(expectations, options)), params)

/** What fast-check would print for a failed run (seed, counterexample, shrinks), then the assertion's message. */
export const failureReport = <S>(details: fc.RunDetails<[S]>): string =>
  details.failed ? `${fc.defaultReportMessage(details)}\n${details.errorInstance}` : "the property held"
