// Churn: the trace it produces, merging, and the one-line form a counterexample prints.

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Churn } from "../src/Churn.ts"

describe("Churn", () => {
  const churn = new Churn([
    { atMs: 60_400, lifetimeMs: null },
    { atMs: 60_000, lifetimeMs: 30_000 },
  ])

  it("sorts pods by creation time and names them p0, p1, … in that order", () => {
    expect(churn.events().map((e) => [e.t, e.type, e.pod])).toEqual([
      [60_000, "create", "p0"],
      [90_000, "delete", "p0"],
      [60_400, "create", "p1"],
    ])
    expect(churn.events().every((e) => e.windowsSelector && !e.hostNetwork)).toBe(true)
  })

  it("knows its size and last event", () => {
    expect(churn.size).toBe(2)
    expect(churn.lastEventMs).toBe(90_000)
    expect(new Churn([]).lastEventMs).toBe(0)
  })

  it("merges two traces into one, renumbered by time", () => {
    const merged = churn.merge(new Churn([{ atMs: 1_000, lifetimeMs: 500 }]))
    expect(merged.pods.map((p) => p.atMs)).toEqual([1_000, 60_000, 60_400])
  })

  it("prints as one line, which is what fast-check shows in a counterexample", () => {
    expect(churn.toString()).toBe("churn(2 pods: p0 at 60s for 30s, p1 at 60.4s)")
    expect(fc.stringify({ churn })).toBe('{"churn":churn(2 pods: p0 at 60s for 30s, p1 at 60.4s)}')
    expect(new Churn([]).toString()).toBe("churn(0 pods)")
  })
})
