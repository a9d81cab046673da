// pod-table traces: CSV with one row per pod, as public cluster traces publish them: name (`pod`, `name`,
// `instance`, `pod_name` or `instance_name`), creation (`creation_time`, `start_time`, `create_time` or
// `created`) and deletion (`deletion_time`, `end_time`, `delete_time` or `deleted`; empty = never) in
// seconds, plus the optional csv columns (CsvTrace). Rows must be sorted by creation time; deletes wait in a
// heap (memory: one entry per live pod). Chosen for a .csv file whose header has creation and deletion
// columns and no event column.

import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { TimeHeap } from "@ipamsim/core/workload/TraceGenerators"
import { type Columns, cellTime, hasAny, missing, pick, podColumns, rowCells } from "./CsvColumns.ts"
import { type Assembler, event, type Fail, type Rec } from "./TraceRecord.ts"

const CREATION = ["creation_time", "start_time", "create_time", "created"]
const DELETION = ["deletion_time", "end_time", "delete_time", "deleted"]

export const isPodTableHeader = (cols: Columns): boolean =>
  hasAny(cols, CREATION) && hasAny(cols, DELETION) && !cols.index.has("event") && !cols.index.has("type")

export const podTableRowParser = (cols: Columns, fail: Fail): ((line: string, lineNo: number, fail: Fail) => Rec) => {
  const created = pick(cols, CREATION, fail)
  const deleted = pick(cols, DELETION, fail)
  if (created === undefined || deleted === undefined)
    fail(
      missing(
        cols,
        `a creation time column (${CREATION.join(", ")}) and a deletion time column (${DELETION.join(", ")})`,
      ),
    )
  const cIdx = cols.index.get(created)!
  const dIdx = cols.index.get(deleted)!
  const pod = podColumns(cols, fail).read
  return (line: string, lineNo: number, fail: Fail): Rec => {
    const cells = rowCells(line, cols, fail)
    const timeText = cells[cIdx]!
    const t = cellTime(timeText, true, created)
    if (typeof t === "string") fail(t)
    const dText = cells[dIdx]!
    let deleteAt: number | undefined
    if (dText !== "") {
      const d = cellTime(dText, true, deleted)
      if (typeof d === "string") fail(d)
      if (d < t) fail(`expected a deletion time at or after the creation time ${timeText}, got ${dText}`)
      deleteAt = d
    }
    return { t, line: lineNo, timeText, kind: "row", deleteAt, ...pod(cells, fail) }
  }
}

/** pod-table: creates in row order, deletes from a heap of live pods; a delete goes first at equal times. */
export class PodTableEvents implements Assembler {
  private held: Rec | undefined
  private readonly deletes = new TimeHeap<PodEvent>()
  add(rec: Rec): void {
    this.held = rec
  }
  take(eof: boolean): PodEvent | undefined {
    const r = this.held
    if (r === undefined) return eof ? this.deletes.pop() : undefined
    if (this.deletes.peekTime() <= r.t) return this.deletes.pop()
    this.held = undefined
    if (r.deleteAt !== undefined) this.deletes.push(r.deleteAt, event(r.deleteAt, "delete", r))
    return event(r.t, "create", r)
  }
}
