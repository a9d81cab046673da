import { ImportError } from "@ipamsim/aws/AwsErrors"
import { describe, expect, it } from "vitest"
import { ScenarioError } from "./scenario/ScenarioLoader.ts"
import { TraceError } from "./trace/TraceReader.ts"
import { isUserError, UserFacingError } from "./UserFacingError.ts"

describe("isUserError", () => {
  it("is true for bad input and false for bugs, whatever their class", () => {
    expect(isUserError(new UserFacingError("refused"))).toBe(true)
    expect(isUserError(new ScenarioError(["f.yaml:1: name: Missing key"]))).toBe(true)
    expect(isUserError(new TraceError("t.csv", 3, "expected ..."))).toBe(true)
    expect(isUserError(new ImportError("no AWS region: pass --region"))).toBe(true)
    expect(isUserError(new TypeError("x is undefined"))).toBe(false)
    expect(isUserError(new RangeError("Maximum call stack size exceeded"))).toBe(false)
    expect(isUserError(new Error("bug"))).toBe(false)
    expect(isUserError("a string")).toBe(false)
  })
})
