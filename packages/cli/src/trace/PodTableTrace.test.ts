import { describe, expect, it } from "vitest"
import { errorOf, pod, read } from "./TraceReader.fixtures.ts"

describe("pod-table", () => {
  it("expands rows into creates and deletes in time order (deletes first at equal times)", () => {
    const events = read(
      "table.csv",
      ["name,namespace,start_time,end_time,os", "a,x,0,10,windows", "b,x,5,,linux", "c,x,10,12.5,windows"].join("\n"),
    )
    expect(events).toEqual([
      pod(0, "create", "x/a"),
      pod(5000, "create", "x/b", { windowsSelector: false }),
      pod(10_000, "delete", "x/a"),
      pod(10_000, "create", "x/c"),
      pod(12_500, "delete", "x/c"),
    ])
  })

  it("accepts the column aliases and an explicit format", () => {
    const content = "instance,creation_time,deletion_time\ni1,1,2\ni2,1.5,1.5\n"
    expect(read("t.txt", content, { format: "pod-table" }).map((e) => `${e.t}:${e.type}:${e.pod}`)).toEqual([
      "1000:create:i1",
      "1500:create:i2",
      "1500:delete:i2",
      "2000:delete:i1",
    ])
  })

  it("demands rows sorted by creation time unless sort: true", () => {
    const content = "pod,creation_time,deletion_time\na,10,20\nb,5,6\n"
    expect(errorOf("unsorted.csv", content)).toBe(
      "unsorted.csv:3: rows must be sorted by creation time: creation time 5 is earlier than 10 on line 2; pass --sort-trace to sort",
    )
    expect(read("unsorted.csv", content, { sort: true }).map((e) => `${e.t}:${e.type}:${e.pod}`)).toEqual([
      "5000:create:b",
      "6000:delete:b",
      "10000:create:a",
      "20000:delete:a",
    ])
  })

  it("applies offsets to deletions too", () => {
    expect(read("o.csv", "pod,start_time,end_time\na,1,2\n", { offsetMs: 100 }).map((e) => e.t)).toEqual([1100, 2100])
  })

  it("needs both time columns when asked for explicitly", () => {
    expect(errorOf("x.csv", "pod,creation_time\n", { format: "pod-table" })).toMatch(
      /^x\.csv:1: expected a creation time column \(.*\) and a deletion time column \(.*\) in the header, got columns "pod", "creation_time"$/,
    )
  })
})
