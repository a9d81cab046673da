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

  it("refuses a row whose pod is still alive at its creation time, naming the earlier row", () => {
    const header = "name,namespace,start_time,end_time"
    const open = [header, "a,x,0,10", "b,x,1,", "a,x,5,20"].join("\n")
    expect(errorOf("twice.csv", open)).toBe(
      'twice.csv:4: pod "x/a" is created again while it is alive: line 2 creates it at 0 and deletes it at 10 (expected a creation time at or after 10, or another name: the API server refuses a second create of a live pod; give pods of different namespaces a namespace column)',
    )
    const forever = [header, "a,x,0,", "a,x,7,9"].join("\n")
    expect(errorOf("forever.csv", forever)).toBe(
      'forever.csv:3: pod "x/a" is created again while it is alive: line 2 creates it at 0 and never deletes it (expected a deletion time on line 2 at or before 7, or another name: the API server refuses a second create of a live pod; give pods of different namespaces a namespace column)',
    )
    // Sorted first, the rows are checked in time order: the error still names the rows' lines.
    expect(errorOf("sorted.csv", [header, "a,x,5,20", "a,x,0,10"].join("\n"), { sort: true })).toMatch(
      /^sorted\.csv:2: pod "x\/a" is created again while it is alive: line 3 creates it at 0 and deletes it at 10 /,
    )
  })

  it("takes a name again once its earlier row is deleted (a delete goes first at equal times), or in another namespace", () => {
    const content = ["name,namespace,start_time,end_time", "a,x,0,10", "a,y,1,2", "a,x,10,12", "a,x,12,"].join("\n")
    expect(read("again.csv", content).map((e) => `${e.t}:${e.type}:${e.pod}`)).toEqual([
      "0:create:x/a",
      "1000:create:y/a",
      "2000:delete:y/a",
      "10000:delete:x/a",
      "10000:create:x/a",
      "12000:delete:x/a",
      "12000:create:x/a",
    ])
  })

  it("needs both time columns when asked for explicitly", () => {
    expect(errorOf("x.csv", "pod,creation_time\n", { format: "pod-table" })).toMatch(
      /^x\.csv:1: expected a creation time column \(.*\) and a deletion time column \(.*\) in the header, got columns "pod", "creation_time"$/,
    )
  })
})
