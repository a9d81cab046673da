// csv traces: a header row, then one event per row (RFC 4180 quoting, one line per row). Columns,
// case-insensitive, in any order, unknown ones ignored:
//   time: exactly one of `time_ms` or `t` (whole ms), `time_s` or `time` (seconds, decimals allowed,
//         rounded to ms). Note `time` is seconds in CSV but ms in JSON Lines, as each format is usually
//         written by hand; the unit-suffixed names are unambiguous and what `ipamsim trace generate` writes.
//   event (or type): create | delete          pod (or name): the pod's name
//   namespace: optional; the pod id becomes namespace/pod        node: optional; bind to this node
//   os or nodeSelector: "windows" (or "kubernetes.io/os=windows") = the Windows nodeSelector; empty, "linux"
//         or another label (key=value) = none; anything else ("windwos") is an error. Without either column
//         every pod has it (what this simulator is about).
//   hostNetwork: true | false | empty (= false)
// Common rows with whole-ms times are read straight from bytes (CsvFastRow).

import { type Columns, cellTime, missing, pick, podColumns, rowCells } from "./CsvColumns.ts"
import { CsvFastRow } from "./CsvFastRow.ts"
import { type Fail, type Rec, show } from "./TraceRecord.ts"

const TIME_MS = ["time_ms", "t"]
const TIME_S = ["time_s", "time"]

export interface CsvRowParser {
  readonly parse: (line: string, lineNo: number, fail: Fail) => Rec
  /** The byte-level reader of common rows, when times are whole ms. */
  readonly fast: CsvFastRow | undefined
}

export const csvRowParser = (cols: Columns, fail: Fail): CsvRowParser => {
  const ms = pick(cols, TIME_MS, fail)
  const s = pick(cols, TIME_S, fail)
  if (ms !== undefined && s !== undefined) fail(`expected one time column, got "${ms}" and "${s}"`)
  const timeCol = ms ?? s
  if (timeCol === undefined) fail(missing(cols, 'a time column ("time_ms" or "t" in ms, "time_s" or "time" in s)'))
  const eventCol = pick(cols, ["event", "type"], fail)
  if (eventCol === undefined) fail(missing(cols, 'an "event" column'))
  const timeIdx = cols.index.get(timeCol)!
  const eventIdx = cols.index.get(eventCol)!
  const pod = podColumns(cols, fail)
  const parse = (line: string, lineNo: number, fail: Fail): Rec => {
    const cells = rowCells(line, cols, fail)
    const timeText = cells[timeIdx]!
    const t = cellTime(timeText, s !== undefined, timeCol)
    if (typeof t === "string") fail(t)
    const event = cells[eventIdx]!.toLowerCase()
    if (event !== "create" && event !== "delete")
      fail(`expected event "create" or "delete", got ${show(cells[eventIdx])}`)
    return { t, line: lineNo, timeText, kind: event, deleteAt: undefined, ...pod.read(cells, fail) }
  }
  const fast =
    s === undefined ? new CsvFastRow({ count: cols.count, time: timeIdx, event: eventIdx, ...pod.idx }) : undefined
  return { parse, fast }
}
