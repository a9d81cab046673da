import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { formatDuration, parseDuration, parseDurationOrThrow } from "./Duration.ts"

describe("parseDuration", () => {
  it("reads each unit", () => {
    expect(parseDuration("500ms")).toBe(500)
    expect(parseDuration("30s")).toBe(30_000)
    expect(parseDuration("5m")).toBe(300_000)
    expect(parseDuration("2h")).toBe(7_200_000)
    expect(parseDuration("1d")).toBe(86_400_000)
  })

  it("reads plain integers as ms", () => {
    expect(parseDuration("0")).toBe(0)
    expect(parseDuration("1500")).toBe(1500)
    expect(parseDuration(" 42 ")).toBe(42)
  })

  it("reads sums and decimals exactly", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000)
    expect(parseDuration("1m30s250ms")).toBe(90_250)
    expect(parseDuration("1.5s")).toBe(1500)
    expect(parseDuration("1.1h")).toBe(3_960_000)
    expect(parseDuration("0.001s")).toBe(1)
  })

  it("rejects fractions of a ms", () => {
    expect(parseDuration("0.0005s")).toBe('duration "0.0005s" is not a whole number of ms')
    expect(parseDuration("1.5ms")).toMatch(/not a whole number of ms/)
  })

  it("rejects malformed text with one line naming it", () => {
    for (const bad of ["", "abc", "-5s", "5 s", "5x", "1.5", "s", ".5s", "5s-", "1e3", "5S"]) {
      const r = parseDuration(bad)
      expect(typeof r, bad).toBe("string")
      expect(r as string).not.toContain("\n")
    }
    expect(parseDuration("5x")).toBe(
      'expected a duration like "500ms", "30s", "5m", "2h", "1d", "1h30m" or whole ms, got "5x"',
    )
  })

  it("rejects durations beyond safe integers", () => {
    expect(parseDuration("99999999999999999999")).toMatch(/too large/)
    expect(parseDuration("9999999999999999d")).toMatch(/too large/)
  })

  it("parseDurationOrThrow throws the message", () => {
    expect(parseDurationOrThrow("2m")).toBe(120_000)
    expect(() => parseDurationOrThrow("soon")).toThrow(/got "soon"/)
  })
})

describe("formatDuration", () => {
  it("spells durations shortly", () => {
    expect(formatDuration(0)).toBe("0s")
    expect(formatDuration(5_400_000)).toBe("1h30m")
    expect(formatDuration(1500)).toBe("1s500ms")
    expect(formatDuration(86_400_000)).toBe("1d")
  })

  test.prop([fc.integer({ min: 0, max: 10 ** 12 })])("round-trips through parseDuration", (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms)
  })
})
