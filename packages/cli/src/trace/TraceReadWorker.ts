// The worker side of ParallelTrace: reads a trace file with the ordinary reader and sends its events to the
// simulating thread in batches (typed arrays plus one string of names), at most a few batches ahead.

import { isMainThread, workerData } from "node:worker_threads"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { openTrace } from "./OpenTrace.ts"
import { BATCHES_AHEAD, type Batch, EventFlag, type ReadWorkerData } from "./TraceBatch.ts"
import { TraceError } from "./TraceReader.ts"

if (isMainThread) throw new Error("TraceReadWorker must run in a worker thread")
const data = workerData as ReadWorkerData
const port = data.port
const control = new Int32Array(data.control)

const send = (batch: Batch): void => {
  // Wait while the simulating thread is BATCHES_AHEAD behind.
  for (;;) {
    const taken = Atomics.load(control, 1)
    if (Atomics.load(control, 0) - taken < BATCHES_AHEAD) break
    Atomics.wait(control, 1, taken)
  }
  port.postMessage(batch, [batch.t.buffer, batch.podId.buffer, batch.flags.buffer, batch.ends.buffer])
  Atomics.add(control, 0, 1)
  Atomics.notify(control, 0)
}

const failed = (e: unknown): Batch["error"] =>
  e instanceof TraceError
    ? { line: e.line, detail: e.detail }
    : { line: undefined, detail: `the trace reader failed: ${e instanceof Error ? e.message : String(e)}` }

const empty = (error: Batch["error"]): Batch => ({
  n: 0,
  t: new Float64Array(0),
  podId: new Int32Array(0),
  flags: new Uint8Array(0),
  names: "",
  ends: new Int32Array(0),
  hasIds: false,
  lines: 0,
  skipped: 0,
  error,
  done: true,
})

let reader: ReturnType<typeof openTrace> | undefined
try {
  // One event object for every row: each is copied into the batch before the next is read.
  reader = openTrace(data.file, { ...data.options, reuseEvents: true })
} catch (e) {
  send(empty(failed(e)))
}
let batches = 0
while (reader !== undefined) {
  // A small first batch lets the simulation start while the reader gets into its stride.
  const size = batches++ === 0 ? Math.min(1024, data.batchSize) : data.batchSize
  const t = new Float64Array(size)
  const podId = new Int32Array(size)
  const flags = new Uint8Array(size)
  const ends = new Int32Array(2 * size)
  const names: string[] = []
  let length = 0
  let k = 0
  let n = 0
  let hasIds = false
  let error: Batch["error"]
  let done = false
  try {
    for (; n < size; n++) {
      const e: PodEvent | undefined = reader.next()
      if (e === undefined) {
        done = true
        break
      }
      t[n] = e.t
      if (e.podId !== undefined) {
        podId[n] = e.podId
        hasIds = true
      }
      flags[n] =
        (e.type === "create" ? EventFlag.CREATE : 0) |
        (e.windowsSelector ? EventFlag.WINDOWS : 0) |
        (e.hostNetwork ? EventFlag.HOST_NETWORK : 0) |
        (e.node !== undefined ? EventFlag.NODE : 0)
      // With ids, events carry no pod name (PodEvent.pod is "").
      if (e.podId === undefined) {
        names.push(e.pod)
        length += e.pod.length
        ends[k++] = length
      }
      if (e.node !== undefined) {
        names.push(e.node)
        length += e.node.length
        ends[k++] = length
      }
    }
  } catch (e) {
    error = failed(e)
    done = true
  }
  const stats = reader.stats()
  send({
    n,
    t,
    podId,
    flags,
    names: names.join(""),
    ends,
    hasIds,
    lines: stats.lines,
    skipped: stats.skipped,
    error,
    done,
  })
  if (done) break
}
