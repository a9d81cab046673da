import { describe, expect, it } from "vitest"
import { parseRfc3339 } from "./AuditTrace.ts"
import { openTrace } from "./OpenTrace.ts"
import { drain, errorOf, file, pod } from "./TraceReader.fixtures.ts"
import type { OpenTraceOptions } from "./TraceReader.ts"

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

  it("refuses a successful create of a live pod at its line; the 409 of such a create is skipped", () => {
    const recs: Rec[] = [
      { at: 0, verb: "create", pod: "a", spec: { nodeName: "n1", ...WIN } },
      { at: 1000, verb: "create", pod: "a", code: 409, spec: WIN },
      { at: 2000, verb: "create", pod: "b", spec: WIN },
      { at: 2500, verb: "create", pod: "b", sub: "binding", node: "n2" },
      { at: 3000, verb: "create", pod: "a", spec: WIN },
    ]
    expect(audit(recs.slice(0, 4)).events).toEqual([
      pod(0, "create", "default/a", { node: "n1" }),
      pod(2500, "create", "default/b", { node: "n2" }),
    ])
    expect(errorOf("twice.log", `${recs.map(line).join("\n")}\n`)).toBe(
      'twice.log:5: pod "default/a" is created again while it is alive: line 1 created it and no delete came in between (expected a delete of the pod first: the API server refuses a second create of a live pod with 409 AlreadyExists, a failed request the reader skips)',
    )
    // An unbound create counts as alive too, from its own time.
    const unbound: Rec[] = [
      { at: 0, verb: "create", pod: "a", spec: WIN },
      { at: 70_000, verb: "create", pod: "a", spec: WIN },
    ]
    expect(errorOf("unbound.log", `${unbound.map(line).join("\n")}\n`)).toMatch(
      /^unbound\.log:2: pod "default\/a" is created again while it is alive: line 1 created it/,
    )
  })

  it("checks creates in time order: a delete written after the re-create, within the lookahead, comes first", () => {
    const { events } = audit([
      { at: 0, verb: "create", pod: "a", spec: { nodeName: "n1", ...WIN } },
      { at: 5000, verb: "create", pod: "a", spec: { nodeName: "n1", ...WIN } },
      { at: 4000, verb: "delete", pod: "a" },
    ])
    expect(events).toEqual([
      pod(0, "create", "default/a", { node: "n1" }),
      pod(4000, "delete", "default/a"),
      pod(5000, "create", "default/a", { node: "n1" }),
    ])
  })

  it("reads the webhook's view: nodeSelector, hostNetwork, and Windows when the log has no spec", () => {
    const { events } = audit([
      { at: 0, verb: "create", pod: "lin", spec: { nodeSelector: { "kubernetes.io/os": "linux" }, nodeName: "x" } },
      { at: 1, verb: "create", pod: "hn", spec: { hostNetwork: true, nodeName: "x", ...WIN } },
      { at: 2, verb: "create", pod: "meta" },
      {
        at: 2,
        verb: "create",
        pod: "beta",
        spec: { nodeSelector: { "beta.kubernetes.io/os": "windows" }, nodeName: "x" },
      },
      { at: 3, verb: "delete", pod: "lin" },
      { at: 4, verb: "delete", pod: "hn" },
      { at: 5, verb: "delete", pod: "unknown" },
    ])
    // Deletes repeat what their create said; a pod the log never created gets the defaults.
    expect(events).toEqual([
      pod(0, "create", "default/lin", { node: "x", windowsSelector: false }),
      pod(1, "create", "default/hn", { node: "x", hostNetwork: true }),
      pod(2, "create", "default/beta", { node: "x" }),
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

  it("refuses an empty log", () => {
    expect(errorOf("empty.log", "")).toBe(
      "empty.log: the trace is empty: expected pod events (csv: a header, then one create or delete per row)",
    )
  })

  it("parses RFC 3339 with microseconds and offsets", () => {
    expect(parseRfc3339("2024-05-01T12:00:00.123456Z")).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123))
    expect(parseRfc3339("2024-05-01T14:00:00+02:00")).toBe(Date.UTC(2024, 4, 1, 12, 0, 0))
    expect(parseRfc3339("2024-05-01T12:00:00.5-00:30")).toBe(Date.UTC(2024, 4, 1, 12, 30, 0, 500))
    expect(parseRfc3339("2024-05-01 12:00")).toBeUndefined()
  })
})
