import { describe, expect, it } from "vitest"
import { errorOf, pod, read } from "./TraceReader.fixtures.ts"

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

  it("takes the beta OS label as the Windows nodeSelector too, as the webhook does (pod_webhook.go ~110–125)", () => {
    const lines = [
      { t: 0, event: "create", pod: "a", nodeSelector: { "beta.kubernetes.io/os": "windows" } },
      { t: 0, event: "create", pod: "b", nodeSelector: { "beta.kubernetes.io/os": "linux" } },
      { t: 0, event: "create", pod: "c", nodeSelector: { "kubernetes.io/arch": "amd64" } },
    ]
    expect(read("beta.jsonl", lines.map((l) => JSON.stringify(l)).join("\n")).map((e) => e.windowsSelector)).toEqual([
      true,
      false,
      false,
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

  it("refuses an os that is no OS, a second create of a live pod and an empty file, naming the line", () => {
    expect(errorOf("os.jsonl", '{"t":0,"event":"create","pod":"a","os":"windwos"}\n')).toBe(
      'os.jsonl:1: expected "os" "windows", "linux", empty, or a node selector such as kubernetes.io/os=windows, got "windwos"',
    )
    expect(errorOf("sel.jsonl", '{"t":0,"event":"create","pod":"a","nodeSelector":{"kubernetes.io/os":"win"}}\n')).toBe(
      'sel.jsonl:1: expected "nodeSelector" label kubernetes.io/os to be "windows" or "linux", got "win"',
    )
    expect(errorOf("twice.jsonl", '{"t":0,"event":"create","pod":"a"}\n{"t":1,"event":"create","pod":"a"}\n')).toMatch(
      /^twice\.jsonl:2: pod "a" is created again while it is alive/,
    )
    expect(errorOf("blank.jsonl", "\n\n")).toBe(
      "blank.jsonl: no pod events in 2 lines: expected at least one create or delete",
    )
  })
})
