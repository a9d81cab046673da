import { describe, expect, it } from "vitest"
import { openTrace } from "./OpenTrace.ts"
import { drain, errorOf, file, pod, read } from "./TraceReader.fixtures.ts"

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
    // The webhook takes kubernetes.io/os or the older beta.kubernetes.io/os (pod_webhook.go ~110–125).
    const sel = read(
      "sel.csv",
      't,event,pod,nodeSelector\n0,create,a,kubernetes.io/os=windows\n0,create,b,""\n0,create,c,beta.kubernetes.io/os=windows\n0,create,d,beta.kubernetes.io/os=linux\n',
    )
    expect(sel.map((e) => e.windowsSelector)).toEqual([true, false, true, false])
  })

  it("reads CRLF files with a byte order mark", () => {
    const events = read("crlf.csv", "\ufefftime_ms,event,pod\r\n0,create,a\r\n5,delete,a\r\n")
    expect(events).toEqual([pod(0, "create", "a"), pod(5, "delete", "a")])
  })

  it("refuses empty and header-only files, reads blank lines", () => {
    expect(errorOf("empty.csv", "")).toBe(
      "empty.csv: the trace is empty: expected pod events (csv: a header, then one create or delete per row)",
    )
    const none = "no pod events in 1 line: expected at least one create or delete"
    expect(errorOf("header.csv", "time_ms,event,pod\n")).toBe(`header.csv: ${none}`)
    expect(errorOf("header-no-newline.csv", "time_ms,event,pod")).toBe(`header-no-newline.csv: ${none}`)
    expect(read("blank.csv", "\n\ntime_ms,event,pod\n\n0,create,a\n\n")).toEqual([pod(0, "create", "a")])
    expect(read("no-final-newline.csv", "time_ms,event,pod\n0,create,a")).toEqual([pod(0, "create", "a")])
  })

  it("refuses an os value that is no OS, in fast and general rows", () => {
    const expected = (line: number, v: string) =>
      `bad-os.csv:${line}: expected column "os" "windows", "linux", empty, or a node selector such as kubernetes.io/os=windows, got "${v}"`
    expect(errorOf("bad-os.csv", "time_ms,event,pod,os\n0,create,a,windows\n1,create,b,windwos\n")).toBe(
      expected(3, "windwos"),
    )
    expect(errorOf("bad-os.csv", "time_s,event,pod,os\n0,create,a,kubernetes.io/os=macos\n")).toBe(
      expected(2, "kubernetes.io/os=macos"),
    )
    // Other labels are selectors that are not the Windows one.
    expect(
      read("labels.csv", "t,event,pod,nodeSelector\n0,create,a,node.kubernetes.io/instance-type=m5.large\n"),
    ).toEqual([pod(0, "create", "a", { windowsSelector: false })])
  })

  it("says encoding for UTF-16 files and bytes that are not UTF-8, at their line", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("time_ms,event,pod\n0,create,a\n", "utf16le")])
    expect(errorOf("utf16.csv", utf16 as unknown as string)).toBe(
      "utf16.csv:1: encoding: the file is UTF-16 (byte order mark FF FE); save it as UTF-8",
    )
    const latin1 = Buffer.from("time_ms,event,pod\n0,create,a\n1,create,caf\xe9\n", "latin1")
    expect(errorOf("latin1.csv", latin1 as unknown as string)).toBe(
      "latin1.csv:3: encoding: byte E9 at column 13 is not UTF-8; save the file as UTF-8",
    )
  })

  it("refuses a line beyond the limit of a trace line without reading it whole", () => {
    const long = `time_ms,event,pod\n0,create,${"x".repeat(5 << 20)}\n`
    expect(errorOf("long.csv", long)).toBe("long.csv:2: the line is longer than 4 MiB, the limit of a trace line")
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
