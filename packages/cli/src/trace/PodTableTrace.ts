// pod-table traces: CSV with one row per pod, as public cluster traces publish them: name (`pod`, `name`,
// `instance`, `pod_name` or `instance_name`), creation (`creation_time`, `start_time`, `create_time` or
// `created`) and deletion (`deletion_time`, `end_time`, `delete_time` or `deleted`; empty = never) in
// seconds, plus the optional csv columns (CsvTrace). Rows must be sorted by creation time; deletes wait in a
// heap (memory: one entry per live pod). A row whose pod is still alive at its creation time (an earlier row
// of the same name not yet deleted) is an error, as the API server refuses a second create of a live pod.
// Chosen for a .csv file whose header has creation and deletion columns and no event column.

import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { TimeHeap } from "@ipamsim/core/workload/TraceGenerators"
import { type Columns, cellTime, hasAny, missing, pick, podColumns, rowCells } from "./CsvColumns.ts"
import { type Assembler, event, type Fail, type Rec, show } from "./TraceRecord.ts"

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
    return { t, line: lineNo, timeText, kind: "row", deleteAt, deleteText: dText, ...pod(cells, fail) }
  }
}

/**
 * pod-table: creates in row order, deletes from a heap of live pods; a delete goes first at equal times. A
 * create of a pod still alive (its earlier row not deleted yet) fails at the row's line.
 */
export class PodTableEvents implements Assembler {
  private held: Rec | undefined
  private readonly deletes = new TimeHeap<PodEvent>()
  /** The rows of the live pods, by name. */
  private readonly live = new Map<string, Rec>()

  constructor(private readonly fail: (line: number) => Fail) {}

  add(rec: Rec): void {
    this.held = rec
  }

  take(eof: boolean): PodEvent | undefined {
    const r = this.held
    if (r === undefined) return eof ? this.popDelete() : undefined
    if (this.deletes.peekTime() <= r.t) return this.popDelete()
    this.held = undefined
    const earlier = this.live.get(r.pod)
    if (earlier !== undefined) this.createdTwice(r, earlier)
    this.live.set(r.pod, r)
    if (r.deleteAt !== undefined) this.deletes.push(r.deleteAt, event(r.deleteAt, "delete", r))
    return event(r.t, "create", r)
  }

  private popDelete(): PodEvent | undefined {
    const e = this.deletes.pop()
    if (e !== undefined) this.live.delete(e.pod)
    return e
  }

  private createdTwice(r: Rec, earlier: Rec): never {
    const [life, expected] =
      earlier.deleteAt === undefined
        ? ["never deletes it", `a deletion time on line ${earlier.line} at or before ${r.timeText}`]
        : [`deletes it at ${earlier.deleteText}`, `a creation time at or after ${earlier.deleteText}`]
    return this.fail(r.line)(
      `pod ${show(r.pod)} is created again while it is alive: line ${earlier.line} creates it at ${earlier.timeText} and ${life} (expected ${expected}, or another name: the API server refuses a second create of a live pod; give pods of different namespaces a namespace column)`,
    )
  }
}
