// jsonl traces (.jsonl, .ndjson): one object per line with the csv fields (CsvTrace): `t`, `time` or
// `time_ms` (ms) or `time_s` (seconds); `event` or `type`; `pod` or `name`; `namespace`, `node`;
// `windowsSelector` (boolean), `os` (string) or `nodeSelector` (string, or an object with
// "kubernetes.io/os"); `hostNetwork` (boolean). A PodEvent written with JSON.stringify reads back as itself.

import { osProblem, osSelector } from "./CsvFastRow.ts"
import { type Fail, isRecord, type Rec, show, windowsNodeSelector } from "./TraceRecord.ts"

export const parseJson = (line: string, fail: Fail): Record<string, unknown> => {
  let v: unknown
  try {
    v = JSON.parse(line)
  } catch (e) {
    return fail(`expected a JSON object, got invalid JSON (${(e as Error).message})`)
  }
  if (!isRecord(v)) fail(`expected a JSON object, got ${show(v)}`)
  return v as Record<string, unknown>
}

const optionalString = (o: Record<string, unknown>, key: string, fail: Fail): string | undefined => {
  const v = o[key]
  if (v === undefined || v === null || v === "") return undefined
  if (typeof v !== "string") fail(`expected "${key}" to be a string, got ${show(v)}`)
  return v as string
}

const jsonWindows = (o: Record<string, unknown>, fail: Fail): boolean => {
  const given = ["windowsSelector", "os", "nodeSelector"].filter((k) => o[k] !== undefined && o[k] !== null)
  if (given.length > 1) fail(`expected one of "windowsSelector", "os", "nodeSelector", got ${given.join(" and ")}`)
  if (given.length === 0) return true
  const v = o[given[0]!]
  if (given[0] === "windowsSelector") {
    if (typeof v !== "boolean") fail(`expected "windowsSelector" to be true or false, got ${show(v)}`)
    return v as boolean
  }
  if (typeof v === "string") {
    const w = osSelector(v)
    if (w === undefined) fail(osProblem(`"${given[0]}"`, v))
    return w as boolean
  }
  if (given[0] === "nodeSelector" && isRecord(v)) {
    for (const key of ["kubernetes.io/os", "beta.kubernetes.io/os"]) {
      const os = v[key]
      if (os !== undefined && os !== "windows" && os !== "linux")
        fail(`expected "nodeSelector" label ${key} to be "windows" or "linux", got ${show(os)}`)
    }
    return windowsNodeSelector(v)
  }
  return fail(
    `expected "${given[0]}" to be a string${given[0] === "nodeSelector" ? " or an object" : ""}, got ${show(v)}`,
  )
}

export const jsonRec = (o: Record<string, unknown>, lineNo: number, fail: Fail): Rec => {
  const timeKeys = ["t", "time", "time_ms", "time_s"].filter((k) => o[k] !== undefined)
  if (timeKeys.length !== 1)
    fail(
      timeKeys.length === 0
        ? 'expected a time ("t", "time" or "time_ms" in ms, "time_s" in seconds), got none'
        : `expected one time field, got ${timeKeys.map((k) => `"${k}"`).join(" and ")}`,
    )
  const key = timeKeys[0]!
  const raw = o[key]
  const seconds = key === "time_s"
  if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0 || (!seconds && !Number.isSafeInteger(raw)))
    fail(`expected "${key}" to be ${seconds ? "seconds ≥ 0" : "whole ms ≥ 0"}, got ${show(raw)}`)
  const t = seconds ? Math.round((raw as number) * 1000) : (raw as number)
  if (o.event !== undefined && o.type !== undefined) fail('expected one of "event" and "type", got both')
  const event = o.event ?? o.type
  if (event !== "create" && event !== "delete") fail(`expected event "create" or "delete", got ${show(event)}`)
  if (o.pod !== undefined && o.name !== undefined) fail('expected one of "pod" and "name", got both')
  const name = o.pod ?? o.name
  if (typeof name !== "string" || name === "") fail(`expected "pod" to be a pod name, got ${show(name)}`)
  const ns = optionalString(o, "namespace", fail)
  const hn = o.hostNetwork ?? false
  if (typeof hn !== "boolean") fail(`expected "hostNetwork" to be true or false, got ${show(hn)}`)
  return {
    t,
    line: lineNo,
    timeText: String(raw),
    kind: event as "create" | "delete",
    pod: ns === undefined ? (name as string) : `${ns}/${name as string}`,
    node: optionalString(o, "node", fail),
    windowsSelector: jsonWindows(o, fail),
    hostNetwork: hn as boolean,
    deleteAt: undefined,
  }
}
