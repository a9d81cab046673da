// Streaming readers of pod-event trace files: openTrace picks one. The reader in this thread
// (FileTraceReader) reads 1 MiB at a time, so memory does not grow with the file (except with `sort: true`);
// with `parallel` the file is read on a second thread instead (ParallelTrace). Neither changes an event.
//
// Formats (`format`, or from the file), each described in its module: csv (CsvTrace), jsonl (JsonlTrace),
// Kubernetes audit logs (AuditTrace) and pod tables (PodTableTrace).
//
// Times are non-decreasing or the read fails naming the line (`sort: true` sorts instead). Every error is a
// TraceError whose message is one line: `<file>:<line>: expected ..., got ...`. Deletes of pods the trace
// never created are passed on: the kernel counts them. A csv or jsonl trace may not create a pod that is
// alive, nor give no event at all; files must be UTF-8 and lines at most MAX_TRACE_LINE_BYTES (Limits.ts).

import { statSync } from "node:fs"
import { FileTraceReader } from "./FileTraceReader.ts"
import { ParallelTrace } from "./ParallelTrace.ts"
import { type OpenTraceOptions, PARALLEL_MIN_BYTES, type TraceReader } from "./TraceReader.ts"

/**
 * Opens a trace file for streaming. Fails at once (TraceError) when the file cannot be opened or its format
 * cannot be told from the extension; malformed content fails from next(), naming the line.
 */
export const openTrace = (path: string, options: OpenTraceOptions = {}): TraceReader => {
  const reader = new FileTraceReader(path, options)
  const parallel = options.parallel ?? false
  // Sorting loads the whole file: that belongs in this thread's full-size heap, not the reader's small one.
  if (parallel === false || options.sort) return reader
  // Opening here first reports a missing file or an unknown format at once, as the in-thread reader does.
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0
  if (parallel === "auto" && size < PARALLEL_MIN_BYTES) return reader
  reader.close()
  return new ParallelTrace(path, { ...options, parallel: false })
}
