// Oracles for the Go standard-library text parsing the controller relies on (research §2.1, §2.5, §6.7).
import { describe, expect, it } from "vitest"
import { ceilDivision, goAtoi, goParseBool } from "./GoText.ts"

const INT64_MAX = Number(9223372036854775807n)
const INT64_MIN = Number(-9223372036854775808n)

// §2.1: strconv.ParseBool accepts exactly "1,t,T,TRUE,true,True,0,f,F,FALSE,false,False".
describe("goParseBool (strconv.ParseBool)", () => {
  it.each([
    ["1", true],
    ["t", true],
    ["T", true],
    ["TRUE", true],
    ["true", true],
    ["True", true],
    ["0", false],
    ["f", false],
    ["F", false],
    ["FALSE", false],
    ["false", false],
    ["False", false],
  ])("accepts %j as %j", (text, expected) => {
    expect(goParseBool(text)).toBe(expected)
  })

  it.each([
    "yes",
    "no",
    "y",
    "on",
    "off",
    " true",
    "true ",
    "",
    "tRUE",
    "TrUe",
    "fALSE",
    "2",
    "01",
    "wrongVal",
  ])("rejects %j (syntax error → undefined)", (text) => {
    expect(goParseBool(text)).toBeUndefined()
  })
})

// §2.1, §2.5: strconv.Atoi on 64-bit Go — optional sign, ASCII decimal digits, nothing else.
describe("goAtoi (strconv.Atoi)", () => {
  it.each([
    ["0", 0],
    ["3", 3],
    ["+3", 3],
    ["-3", -3],
    ["007", 7],
    ["-007", -7],
    ["+0", 0],
    ["-0", 0],
    ["1000000", 1000000],
    ["9223372036854775807", INT64_MAX],
    ["-9223372036854775808", INT64_MIN],
  ])("parses %j as %j", (text, expected) => {
    const r = goAtoi(text)
    expect(r.ok).toBe(true)
    expect(r.value).toBe(expected)
  })

  it("normalises -0 to +0 (Go ints have no negative zero)", () => {
    expect(Object.is(goAtoi("-0").value, 0)).toBe(true)
  })

  // Syntax errors give (0, false); the loader then treats the key as 0 (§2.2 steps 3–5).
  it.each([
    "",
    " ",
    " 3",
    "3 ",
    "\t3",
    "3\n",
    "+",
    "-",
    "+-3",
    "--3",
    "0x10",
    "0X10",
    "0b1",
    "0o7",
    "1_000",
    "1e3",
    "3.0",
    "1,000",
    "Invalid string",
    "random",
    "３", // fullwidth digit: not ASCII
  ])("rejects %j with (0, false)", (text) => {
    expect(goAtoi(text)).toEqual({ value: 0, ok: false })
  })

  // Out of range: Go returns the clamped extreme together with a range error.
  it.each([
    ["9223372036854775808", INT64_MAX],
    ["99999999999999999999999", INT64_MAX],
    ["+9223372036854775808", INT64_MAX],
    ["-9223372036854775809", INT64_MIN],
    ["-99999999999999999999999", INT64_MIN],
  ])("clamps out-of-range %j to %j with ok=false", (text, expected) => {
    expect(goAtoi(text)).toEqual({ value: expected, ok: false })
  })
})

// §6.7 CeilDivision oracle (pkg/utils/math_test.go), plus the Go truncation it relies on (§3.5).
describe("ceilDivision (utils.CeilDivision)", () => {
  it.each([
    [0, 16, 0],
    [32, 1, 32],
    [32, 16, 2],
    [32, 30, 2],
    [50, 16, 4],
    // further values the prefix deviation uses (§3.5)
    [1, 16, 1],
    [15, 16, 1],
    [16, 16, 1],
    [17, 16, 2],
    [22, 16, 2],
    [33, 16, 3],
  ])("ceilDivision(%j, %j) = %j", (x, y, expected) => {
    expect(ceilDivision(x, y)).toBe(expected)
  })
})
