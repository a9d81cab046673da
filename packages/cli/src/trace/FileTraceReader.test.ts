import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { afterAll, describe, expect, it } from "vitest"
import {
  type OpenTraceOptions,
  openTrace,
  parseRfc3339,
  splitCsvLine,
  TraceError,
  type TraceReader,
} from "./TraceReaders.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-traces-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileNo = 0
const file = (name: string, content: string): string => {
  const path = join(dir, `${fileNo++}-${name}`)
  writeFileSync(path, content)
  return path
}

const drain = (r: TraceReader): PodEvent[] => {
  const out: PodEvent[] = []
  for (let e = r.next(); e !== undefined; e = r.next()) out.push(e)
  return out
}

const read = (name: string, content: string, options: OpenTraceOptions = {}): PodEvent[] =>
  drain(openTrace(file(name, content), options))

/** The error message with the temporary directory taken out. */
const errorOf = (name: string, content: string, options: OpenTraceOptions = {}): string => {
  try {
    read(name, content, options)
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError)
    return (e as Error).message.replace(`${dir}/`, "").replace(/^\d+-/, "")
  }
  throw new Error("expected a TraceError")
}

const pod = (t: number, type: "create" | "delete", name: string, extra: Partial<PodEvent> = {}): PodEvent => ({
  t,
  type,
  pod: name,
  windowsSelector: true,
  hostNetwork: false,
  ...extra,
})

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

describe("csv", () => {
  it("reads every column", () => {
    const events = read(
      "full.csv",
      [
        "time_ms,event,pod,node,namespace,os,hostNetwork",
        "0,create,a,n1,default,windows,false",
        "10,create,b,,kube-system,linux,true",
        "25,delete,a,n1,default,windows,",
      ].join("\n"),
    )
    expect(events).toEqual([
      pod(0, "create", "default/a", { node: "n1" }),
      pod(10, "create", "kube-system/b", { windowsSelector: false, hostNetwork: true }),
      pod(25, "delete", "default/a", { node: "n1" }),
    ])
  })

  it("takes column names case-insensitively, in any order, ignoring unknown ones", () => {
    const events = read("order.csv", "Pod,Extra,EVENT,T\nx,whatever,Create,5\nx,,DELETE,7\n")
    expect(events).toEqual([pod(5, "create", "x"), pod(7, "delete", "x")])
  })

  it("reads time_s and time as seconds, rounded to ms", () => {
    expect(read("s.csv", "time_s,event,pod\n1.5,create,a\n2.0004,create,b\n").map((e) => e.t)).toEqual([1500, 2000])
    expect(read("time.csv", "time,event,pod\n3,create,a\n").map((e) => e.t)).toEqual([3000])
  })

  it("reads quoted fields with commas", () => {
    const events = read("quoted.csv", 'time_ms,event,pod,node\n0,create,"web,1","node ""a"""\n')
    expect(events).toEqual([pod(0, "create", "web,1", { node: 'node "a"' })])
  })

  it("treats a missing os column as Windows and reads nodeSelector spellings", () => {
    expect(read("noos.csv", "t,event,pod\n0,create,a\n")[0]!.windowsSelector).toBe(true)
    const sel = read("sel.csv", 't,event,pod,nodeSelector\n0,create,a,kubernetes.io/os=windows\n0,create,b,""\n')
    expect(sel.map((e) => e.windowsSelector)).toEqual([true, false])
  })

  it("reads CRLF files with a byte order mark", () => {
    const events = read("crlf.csv", "\ufefftime_ms,event,pod\r\n0,create,a\r\n5,delete,a\r\n")
    expect(events).toEqual([pod(0, "create", "a"), pod(5, "delete", "a")])
  })

  it("reads empty, header-only and blank-line files", () => {
    expect(read("empty.csv", "")).toEqual([])
    expect(read("header.csv", "time_ms,event,pod\n")).toEqual([])
    expect(read("header-no-newline.csv", "time_ms,event,pod")).toEqual([])
    expect(read("blank.csv", "\n\ntime_ms,event,pod\n\n0,create,a\n\n")).toEqual([pod(0, "create", "a")])
    expect(read("no-final-newline.csv", "time_ms,event,pod\n0,create,a")).toEqual([pod(0, "create", "a")])
  })

  it("applies offsets", () => {
    const content = "time_ms,event,pod\n0,create,a\n100,delete,a\n"
    expect(read("off.csv", content, { offsetMs: 5000 }).map((e) => e.t)).toEqual([5000, 5100])
    expect(read("neg.csv", "time_ms,event,pod\n1000,create,a\n", { offsetMs: -400 }).map((e) => e.t)).toEqual([600])
    expect(errorOf("neg2.csv", content, { offsetMs: -50 })).toBe(
      "neg2.csv:2: expected a time at or after 0 after the offset of -50 ms, got -50 ms",
    )
  })

  it("counts lines and events", () => {
    const r = openTrace(file("stats.csv", "time_ms,event,pod\n0,create,a\n\n1,delete,a\n"))
    expect(r.next()).toBeDefined()
    expect(r.stats()).toEqual({ lines: 2, events: 1, skipped: 0 })
    drain(r)
    expect(r.stats()).toEqual({ lines: 4, events: 2, skipped: 0 })
  })

  it("close() stops reading", () => {
    const r = openTrace(file("close.csv", "time_ms,event,pod\n0,create,a\n1,create,b\n"))
    expect(r.next()!.pod).toBe("a")
    r.close()
    expect(r.next()).toBeUndefined()
    r.close()
  })
})

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

describe("jsonl", () => {
  it("reads the documented fields", () => {
    const lines = [
      { t: 0, event: "create", pod: "a", namespace: "ns", node: "n1", os: "windows" },
      { time: 5, type: "create", name: "b", nodeSelector: { "kubernetes.io/os": "linux" }, hostNetwork: true },
      { time_s: 0.01, event: "delete", pod: "a", namespace: "ns", windowsSelector: false },
      { time_ms: 20, event: "delete", pod: "b", node: null },
    ]
    expect(read("doc.ndjson", lines.map((l) => JSON.stringify(l)).join("\n"))).toEqual([
      pod(0, "create", "ns/a", { node: "n1" }),
      pod(5, "create", "b", { windowsSelector: false, hostNetwork: true }),
      pod(10, "delete", "ns/a", { windowsSelector: false }),
      pod(20, "delete", "b"),
    ])
  })

  it("reads PodEvents written with JSON.stringify as themselves", () => {
    const events = [pod(0, "create", "x", { node: "n" }), pod(3, "delete", "x", { windowsSelector: false })]
    expect(read("pe.jsonl", `${events.map((e) => JSON.stringify(e)).join("\r\n")}\r\n`)).toEqual(events)
  })

  it("applies offsets and rejects out-of-order lines", () => {
    expect(read("o.jsonl", '{"t":0,"event":"create","pod":"a"}', { offsetMs: 7 })[0]!.t).toBe(7)
    expect(errorOf("ooo.jsonl", '{"t":9,"event":"create","pod":"a"}\n{"t":8,"event":"create","pod":"b"}\n')).toBe(
      "ooo.jsonl:2: time 8 is earlier than 9 on line 1; pass --sort-trace to sort",
    )
  })
})

describe("audit", () => {
  const T0 = Date.UTC(2024, 4, 1, 12, 0, 0)
  const ts = (ms: number): string => new Date(T0 + ms).toISOString().replace("Z", "123Z")
  interface Rec {
    readonly at: number
    readonly verb: string
    readonly pod?: string
    readonly sub?: string
    readonly node?: string
    readonly code?: number
    readonly stage?: string
    readonly resource?: string
    readonly spec?: Record<string, unknown>
    readonly uri?: string
  }
  const line = (r: Rec): string =>
    JSON.stringify({
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      level: "Request",
      auditID: "x",
      stage: r.stage ?? "ResponseComplete",
      requestURI: r.uri ?? "/api/v1/namespaces/default/pods",
      verb: r.verb,
      objectRef: {
        resource: r.resource ?? "pods",
        namespace: "default",
        ...(r.pod === undefined ? {} : { name: r.pod }),
        apiVersion: "v1",
        ...(r.sub === undefined ? {} : { subresource: r.sub }),
      },
      responseStatus: { metadata: {}, code: r.code ?? (r.verb === "create" ? 201 : 200) },
      ...(r.sub === "binding" ? { requestObject: { kind: "Binding", target: { kind: "Node", name: r.node } } } : {}),
      ...(r.spec === undefined ? {} : { requestObject: { kind: "Pod", spec: r.spec } }),
      requestReceivedTimestamp: ts(r.at - 5),
      stageTimestamp: ts(r.at),
    })
  const audit = (recs: readonly Rec[], options: OpenTraceOptions = {}, name = "audit.log") => {
    const r = openTrace(file(name, `${recs.map(line).join("\n")}\n`), options)
    return { events: drain(r), stats: r.stats() }
  }
  const WIN = { nodeSelector: { "kubernetes.io/os": "windows" } }

  it("emits a create at its binding's time with the binding's node, times after the first record", () => {
    const { events, stats } = audit([
      { at: 1000, verb: "get", resource: "configmaps" },
      { at: 2000, verb: "create", pod: "a", spec: WIN },
      { at: 2500, verb: "create", pod: "a", sub: "binding", node: "win-1" },
      { at: 9000, verb: "delete", pod: "a" },
    ])
    expect(events).toEqual([pod(1500, "create", "default/a", { node: "win-1" }), pod(8000, "delete", "default/a")])
    expect(stats).toEqual({ lines: 4, events: 2, skipped: 1 })
  })

  it("emits an unbound create at its own time after the lookahead; a later binding is skipped", () => {
    const { events, stats } = audit([
      { at: 0, verb: "create", pod: "a", spec: WIN },
      { at: 61_000, verb: "create", pod: "b", spec: WIN },
      { at: 62_000, verb: "create", pod: "a", sub: "binding", node: "late" },
      { at: 62_500, verb: "create", pod: "b", sub: "binding", node: "n2" },
    ])
    expect(events).toEqual([pod(0, "create", "default/a"), pod(62_500, "create", "default/b", { node: "n2" })])
    expect(stats.skipped).toBe(1)
    const short = audit(
      [
        { at: 0, verb: "create", pod: "a", spec: WIN },
        { at: 2000, verb: "create", pod: "a", sub: "binding", node: "n" },
      ],
      { auditLookaheadMs: 1000 },
    )
    expect(short.events).toEqual([pod(0, "create", "default/a")])
  })

  it("a delete before the binding sends the create unbound first", () => {
    const { events } = audit([
      { at: 0, verb: "create", pod: "a", spec: WIN },
      { at: 100, verb: "delete", pod: "a" },
    ])
    expect(events).toEqual([pod(0, "create", "default/a"), pod(100, "delete", "default/a")])
  })

  it("keeps the last of a graceful and a final delete, but not across a re-create", () => {
    const { events, stats } = audit([
      { at: 0, verb: "create", pod: "a", spec: { nodeName: "n1", ...WIN } },
      { at: 1000, verb: "delete", pod: "a" },
      { at: 31_000, verb: "delete", pod: "a" },
      { at: 32_000, verb: "create", pod: "a", spec: { nodeName: "n1", ...WIN } },
      { at: 40_000, verb: "delete", pod: "a" },
    ])
    expect(events).toEqual([
      pod(0, "create", "default/a", { node: "n1" }),
      pod(31_000, "delete", "default/a"),
      pod(32_000, "create", "default/a", { node: "n1" }),
      pod(40_000, "delete", "default/a"),
    ])
    expect(stats.skipped).toBe(1)
  })

  it("ignores other stages, failures, other resources, dry runs and nameless creates", () => {
    const { events, stats } = audit([
      { at: 0, verb: "create", pod: "a", stage: "RequestReceived", spec: WIN },
      { at: 1, verb: "create", pod: "b", code: 409, spec: WIN },
      { at: 2, verb: "create", pod: "c", resource: "services" },
      { at: 3, verb: "create", pod: "d", uri: "/api/v1/namespaces/default/pods?dryRun=All", spec: WIN },
      { at: 4, verb: "create", spec: WIN },
      { at: 5, verb: "get", pod: "e" },
      { at: 6, verb: "create", pod: "f", sub: "status" },
      { at: 7, verb: "create", pod: "g", spec: { nodeName: "n", ...WIN } },
    ])
    expect(events).toEqual([pod(7, "create", "default/g", { node: "n" })])
    expect(stats).toEqual({ lines: 8, events: 1, skipped: 7 })
  })

  it("reads the webhook's view: nodeSelector, hostNetwork, and Windows when the log has no spec", () => {
    const { events } = audit([
      { at: 0, verb: "create", pod: "lin", spec: { nodeSelector: { "kubernetes.io/os": "linux" }, nodeName: "x" } },
      { at: 1, verb: "create", pod: "hn", spec: { hostNetwork: true, nodeName: "x", ...WIN } },
      { at: 2, verb: "create", pod: "meta" },
      { at: 3, verb: "delete", pod: "lin" },
      { at: 4, verb: "delete", pod: "hn" },
      { at: 5, verb: "delete", pod: "unknown" },
    ])
    // Deletes repeat what their create said; a pod the log never created gets the defaults.
    expect(events).toEqual([
      pod(0, "create", "default/lin", { node: "x", windowsSelector: false }),
      pod(1, "create", "default/hn", { node: "x", hostNetwork: true }),
      pod(2, "create", "default/meta"),
      pod(3, "delete", "default/lin", { windowsSelector: false }),
      pod(4, "delete", "default/hn", { hostNetwork: true }),
      pod(5, "delete", "default/unknown"),
    ])
  })

  it("tolerates records out of order within the lookahead, rejects beyond it, sorts with sort: true", () => {
    const recs: Rec[] = [
      { at: 10_000, verb: "create", pod: "a", spec: { nodeName: "n", ...WIN } },
      { at: 9_000, verb: "create", pod: "b", spec: { nodeName: "n", ...WIN } },
      { at: 80_000, verb: "delete", pod: "a" },
      { at: 15_000, verb: "delete", pod: "b" },
    ]
    // b precedes the first record, which is time 0: b counts as 0 too and keeps its place in the file.
    expect(audit(recs.slice(0, 3)).events.map((e) => [e.t, e.pod])).toEqual([
      [0, "default/a"],
      [0, "default/b"],
      [70_000, "default/a"],
    ])
    const message = errorOf("late.log", `${recs.map(line).join("\n")}\n`)
    expect(message).toBe(
      `late.log:4: time ${ts(15_000)} is earlier than ${ts(80_000)} on line 3 by more than the 60000 ms lookahead; pass --sort-trace to sort`,
    )
    expect(audit(recs, { sort: true }).events.map((e) => [e.t, e.type, e.pod])).toEqual([
      [0, "create", "default/b"],
      [1000, "create", "default/a"],
      [6000, "delete", "default/b"],
      [71_000, "delete", "default/a"],
    ])
  })

  it("is recognised in .jsonl files by its first line, and applies offsets", () => {
    const { events } = audit(
      [{ at: 0, verb: "create", pod: "a", spec: { nodeName: "n" } }],
      { offsetMs: 500 },
      "a.jsonl",
    )
    expect(events).toEqual([pod(500, "create", "default/a", { node: "n", windowsSelector: false })])
  })

  it("reads an empty log", () => {
    expect(read("empty.log", "")).toEqual([])
  })

  it("parses RFC 3339 with microseconds and offsets", () => {
    expect(parseRfc3339("2024-05-01T12:00:00.123456Z")).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123))
    expect(parseRfc3339("2024-05-01T14:00:00+02:00")).toBe(Date.UTC(2024, 4, 1, 12, 0, 0))
    expect(parseRfc3339("2024-05-01T12:00:00.5-00:30")).toBe(Date.UTC(2024, 4, 1, 12, 30, 0, 500))
    expect(parseRfc3339("2024-05-01 12:00")).toBeUndefined()
  })
})

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
