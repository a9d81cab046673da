// The byte-level path for common csv rows must give exactly what the general parser gives: the same events,
// or the same error. `sort: true` reads every row with the general parser, so on traces whose times are in
// order the two readings must agree, whatever the formatting.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PodNames } from "@ipamsim/core/kubernetes/PodNames"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import { csvField } from "./CsvLine.ts"
import { openTrace } from "./OpenTrace.ts"
import type { OpenTraceOptions } from "./TraceReader.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-fastcsv-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

const saved = (content: string): string => {
  const path = join(dir, `t${n++}.csv`)
  writeFileSync(path, content)
  return path
}

const outcome = (path: string, options: OpenTraceOptions): { events: PodEvent[] } | { error: string } => {
  const events: PodEvent[] = []
  try {
    const r = openTrace(path, options)
    for (let e = r.next(); e !== undefined; e = r.next()) events.push(e)
    return { events }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

/** A cell as someone might write it: sometimes padded, sometimes quoted. */
const styled = (value: fc.Arbitrary<string>) =>
  fc
    .tuple(value, fc.constantFrom("plain", "plain", "plain", "padded", "quoted"))
    .map(([v, style]) =>
      style === "padded" ? ` ${v}\t` : style === "quoted" ? `"${v.replaceAll('"', '""')}"` : csvField(v),
    )

const COLUMNS = ["namespace", "node", "os", "hostNetwork", "extra"] as const

const trace = fc
  .record({
    optional: fc.subarray([...COLUMNS]),
    rows: fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 5000 }),
        zeros: fc.integer({ min: 0, max: 2 }),
        event: fc.constantFrom("create", "delete", "CREATE", "Delete", "crate"),
        pod: fc.oneof(
          fc.integer({ min: 0, max: 8 }).map((i) => `p${i}`),
          fc.constantFrom("", "a,b", 'q"x', "ü"),
        ),
        namespace: fc.constantFrom("", "default", "kube-system"),
        node: fc.constantFrom("", "", "win-0", "nowhere"),
        os: fc.constantFrom(
          "windows",
          "Windows",
          "linux",
          "",
          "kubernetes.io/os=windows",
          " windows ",
          "beta.kubernetes.io/os=windows",
          "beta.kubernetes.io/os:linux",
        ),
        hostNetwork: fc.constantFrom("", "true", "false", "FALSE", "yes"),
        extra: fc.string({ maxLength: 4 }),
        blankAfter: fc.boolean(),
      }),
      { maxLength: 25 },
    ),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .chain((t) =>
    fc
      .tuple(
        ...t.rows.map((r) =>
          fc.tuple(styled(fc.constant(r.event)), styled(fc.constant(r.pod)), styled(fc.constant(r.os))),
        ),
      )
      .map((styledCells) => ({ ...t, styledCells })),
  )

type Trace = typeof trace extends fc.Arbitrary<infer T> ? T : never

/**
 * The trace as text. A create of a pod that is alive becomes a delete: a second create of a live pod is an
 * error found as events are handed out, after `sort: true` has already read (and refused) every row, so the
 * two readings would report different first errors (the error itself is tested below).
 */
const render = (t: Trace): string => {
  const cols = ["time_ms", "event", "pod", ...t.optional]
  const nl = t.crlf ? "\r\n" : "\n"
  let time = 0
  const lines = [cols.join(",")]
  const live = new Set<string>()
  t.rows.forEach((r, i) => {
    time += r.gap
    let [event, pod, os] = t.styledCells[i]!
    const id = t.optional.includes("namespace") && r.namespace !== "" ? `${r.namespace}/${r.pod}` : r.pod
    const kind = r.event.toLowerCase()
    if (kind === "create" && live.has(id)) event = "delete"
    if (kind === "create" && event !== "delete") live.add(id)
    else if (kind === "create" || kind === "delete") live.delete(id)
    const cell: Record<string, string> = {
      time_ms: "0".repeat(r.zeros) + String(time),
      event,
      pod,
      namespace: r.namespace,
      node: r.node,
      os,
      hostNetwork: r.hostNetwork,
      extra: csvField(r.extra),
    }
    lines.push(cols.map((c) => cell[c]).join(","))
    if (r.blankAfter) lines.push("")
  })
  return lines.join(nl) + (t.finalNewline ? nl : "")
}

describe("csv rows read from bytes", () => {
  it("give the same events or the same error as the general parser", () => {
    fc.assert(
      fc.property(trace, (t) => {
        const path = saved(render(t))
        expect(outcome(path, {})).toEqual(outcome(path, { sort: true }))
      }),
      { numRuns: 400 },
    )
  })

  it("refuse a second create of a live pod alike, with or without pod ids", () => {
    const path = saved('time_ms,event,pod,namespace\n1,create,a,x\n2,create,a,y\n3,create,"a",x\n')
    const message = `${path}:4: pod "x/a" is created again while it is alive (the API server refuses a second create of a live pod; give pods of different namespaces a namespace column)`
    for (const options of [{}, { podIds: true }, { sort: true }, { parallel: true }, { podIds: true, parallel: true }])
      expect(outcome(path, options)).toEqual({ error: message })
    // Alive again after its delete is fine.
    expect(outcome(saved("time_ms,event,pod\n1,create,a\n2,delete,a\n3,create,a\n"), {})).toMatchObject({
      events: [{ pod: "a" }, { pod: "a" }, { pod: "a" }],
    })
  })

  it("pod ids follow the kernel's rules by name, on fast and general rows alike, instead of names", () => {
    fc.assert(
      fc.property(trace, (t) => {
        const path = saved(render(t))
        const withIds = outcome(path, { podIds: true })
        const plain = outcome(path, {})
        if ("error" in plain) {
          expect(withIds).toEqual(plain)
          return
        }
        const names = new PodNames()
        // With ids, events carry no names.
        const expected = plain.events.map((e) => ({
          ...e,
          pod: "",
          podId: e.type === "create" ? names.create(e.pod) : names.remove(e.pod),
        }))
        expect(withIds).toEqual({ events: expected })
      }),
      { numRuns: 300 },
    )
  })
})
