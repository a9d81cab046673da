import { describe, expect, it } from "vitest"
import { splitCsvLine } from "./CsvLine.ts"

describe("splitCsvLine", () => {
  it("splits plain and RFC 4180 quoted fields", () => {
    expect(splitCsvLine("a, b ,c")).toEqual(["a", "b", "c"])
    expect(splitCsvLine('1,"x, y","say ""hi""",')).toEqual(["1", "x, y", 'say "hi"', ""])
    expect(splitCsvLine('"",""')).toEqual(["", ""])
    expect(splitCsvLine('"a" ,b')).toEqual(["a", "b"])
  })

  it("reports broken quoting", () => {
    expect(splitCsvLine('1,"abc')).toBe("expected a closing quote for the field starting at column 3")
    expect(splitCsvLine('"a"b,c')).toMatch(/expected "," after the quoted field/)
  })
})
