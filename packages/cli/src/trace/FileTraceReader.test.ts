import { statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { describe, expect, it } from "vitest"
import { openTrace } from "./OpenTrace.ts"
import { dir, errorOf, file, read } from "./TraceReader.fixtures.ts"

describe("out-of-order times", () => {
  const content = "time_ms,event,pod\n0,create,a\n1500,create,b\n1200,create,c\n1500,create,d\n"

  it("are rejected naming both lines", () => {
    expect(errorOf("order.csv", content)).toBe(
      "order.csv:4: time 1200 is earlier than 1500 on line 3; pass --sort-trace to sort",
    )
  })

  it("are sorted stably with sort: true", () => {
    expect(read("sorted.csv", content, { sort: true }).map((e) => e.pod)).toEqual(["a", "c", "b", "d"])
  })

  it("show the times as written", () => {
    expect(errorOf("secs.csv", "time_s,event,pod\n2.5,create,a\n1.25,create,b\n")).toBe(
      "secs.csv:3: time 1.25 is earlier than 2.5 on line 2; pass --sort-trace to sort",
    )
  })
})

describe("malformed input names the file and line", () => {
  const cases: [string, string, string][] = [
    [
      "event.csv",
      "t,event,pod\n0,create,a\n17,start,b\n",
      'event.csv:3: expected event "create" or "delete", got "start"',
    ],
    ["time.csv", "t,event,pod\nsoon,create,a\n", 'time.csv:2: expected whole ms in column "t", got "soon"'],
    ["frac.csv", "time_ms,event,pod\n1.5,create,a\n", 'frac.csv:2: expected whole ms in column "time_ms", got "1.5"'],
    [
      "neg.csv",
      "time_s,event,pod\n-1,create,a\n",
      'neg.csv:2: expected seconds (like 12 or 12.5) in column "time_s", got "-1"',
    ],
    ["fields.csv", "t,event,pod\n0,create\n", "fields.csv:2: expected 3 fields as in the header, got 2"],
    ["pod.csv", "t,event,pod\n0,create,\n", 'pod.csv:2: expected a pod name in column "pod", got an empty field'],
    [
      "hn.csv",
      "t,event,pod,hostNetwork\n0,create,a,yes\n",
      'hn.csv:2: expected hostNetwork "true", "false" or empty, got "yes"',
    ],
    [
      "quote.csv",
      't,event,pod\n0,create,"a\n',
      "quote.csv:2: expected a closing quote for the field starting at column 10",
    ],
    [
      "nopod.csv",
      "\nt,event\n0,create\n",
      'nopod.csv:2: expected a pod name column ("pod", "name", "instance", "pod_name", "instance_name") in the header, got columns "t", "event"',
    ],
    ["twotimes.csv", "t,time_s,event,pod\n", 'twotimes.csv:1: expected one time column, got "t" and "time_s"'],
    ["dup.csv", "t,event,pod,Pod\n", 'dup.csv:1: expected each column once, got "Pod" twice'],
    [
      "json.jsonl",
      '{"t":0,"event":"create","pod":"a"}\n{"t":1,\n',
      "json.jsonl:2: expected a JSON object, got invalid JSON",
    ],
    ["arr.jsonl", "[1,2]\n", "arr.jsonl:1: expected a JSON object, got [1,2]"],
    ["jt.jsonl", '{"t":-1,"event":"create","pod":"a"}\n', 'jt.jsonl:1: expected "t" to be whole ms ≥ 0, got -1'],
    ["jev.jsonl", '{"t":1,"event":"add","pod":"a"}\n', 'jev.jsonl:1: expected event "create" or "delete", got "add"'],
    ["jpod.jsonl", '{"t":1,"event":"create"}\n', 'jpod.jsonl:1: expected "pod" to be a pod name, got nothing'],
    [
      "jnotime.jsonl",
      '{"event":"create","pod":"a"}\n',
      'jnotime.jsonl:1: expected a time ("t", "time" or "time_ms" in ms, "time_s" in seconds), got none',
    ],
    [
      "jhn.jsonl",
      '{"t":1,"event":"create","pod":"a","hostNetwork":"no"}\n',
      'jhn.jsonl:1: expected "hostNetwork" to be true or false, got "no"',
    ],
    [
      "audit.log",
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","stage":"ResponseComplete","stageTimestamp":"yesterday"}\n',
      'audit.log:1: expected an RFC 3339 stageTimestamp or requestReceivedTimestamp, got "yesterday"',
    ],
    [
      "notaudit.json",
      '{"t":0,"event":"create","pod":"a"}\n',
      'notaudit.json:1: expected a Kubernetes audit event (audit.k8s.io) as .json and .log traces are read as audit logs, got "{\\"t\\":0,\\"event\\":\\"create\\",\\"pod\\":\\"a\\"}"; give a format for other content',
    ],
    [
      "table.csv",
      "name,start_time,end_time\na,10,5\n",
      "table.csv:2: expected a deletion time at or after the creation time 10, got 5",
    ],
  ]

  it.each(cases)("%s", (name, content, message) => {
    const got = errorOf(name, content)
    if (name === "json.jsonl") expect(got.startsWith(message)).toBe(true)
    else expect(got).toBe(message)
    expect(got).not.toContain("\n")
  })

  it("cannot open or cannot tell the format", () => {
    expect(() => openTrace(join(dir, "missing.csv"))).toThrow(/missing\.csv: cannot open the trace \(ENOENT\)/)
    expect(() => openTrace(file("trace.txt", ""))).toThrow(/cannot tell the trace format from the extension "\.txt"/)
    expect(read("trace.txt", "time_ms,event,pod\n0,create,a\n", { format: "csv" })).toHaveLength(1)
  })
})

describe("streaming", () => {
  it("reads a 200k-line file with heap growth far below the file size", () => {
    const path = join(dir, "big.csv")
    const rows = ["time_ms,event,pod,node,os,hostNetwork"]
    for (let i = 0; i < 100_000; i++) {
      rows.push(`${i * 10},create,default/some-fairly-long-pod-name-${i},node-${i % 50},windows,false`)
      rows.push(`${i * 10 + 5},delete,default/some-fairly-long-pod-name-${i},node-${i % 50},windows,false`)
    }
    writeFileSync(path, `${rows.join("\n")}\n`)
    rows.length = 0
    const size = statSync(path).size
    expect(size).toBeGreaterThan(15_000_000)

    setFlagsFromString("--expose-gc")
    const gc = runInNewContext("gc") as () => void
    gc()
    const before = process.memoryUsage().heapUsed
    const r = openTrace(path)
    let n = 0
    let mid = 0
    for (let e = r.next(); e !== undefined; e = r.next()) {
      if (++n === 150_000) {
        gc()
        mid = process.memoryUsage().heapUsed
      }
    }
    expect(n).toBe(200_000)
    expect(r.stats()).toEqual({ lines: 200_001, events: 200_000, skipped: 0 })
    // A reader holding the file would hold ≥ size bytes (strings are larger still); this one holds a chunk.
    expect(mid - before).toBeLessThan(size / 20)
  })
})
