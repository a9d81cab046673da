// What every trace reader offers and how it fails: its options, its interface and statistics, and
// TraceError. The in-thread reader (FileTraceReader), the second thread's hand-over (ParallelTrace) and the
// batches between them (TraceBatch) depend on this module and it on none of them, so their imports point
// one way.

import type { TraceSource } from "@ipamsim/core/spec/SimSpec"

export type TraceFormat = "csv" | "jsonl" | "audit" | "pod-table"

export interface OpenTraceOptions {
  readonly format?: TraceFormat | undefined
  /** Added to every time (whole ms; may be negative as long as no event lands before 0). */
  readonly offsetMs?: number | undefined
  /** Sort instead of rejecting out-of-order times; loads the whole file into memory. */
  readonly sort?: boolean | undefined
  /** audit: how long a create waits for its binding, and how far records may be out of order (ms). */
  readonly auditLookaheadMs?: number | undefined
  /**
   * Give events pod ids (PodEvent.podId) instead of names (pod ""), so the kernel need not look names up:
   * csv traces read in order. Only for a trace read alone, whose events reach the kernel one at a time (not
   * merged with others), and not for callers that look pods up by name.
   */
  readonly podIds?: boolean | undefined
  /**
   * Read on a second thread (ParallelTrace) while the caller simulates: "auto" (the default) does so for
   * files of PARALLEL_MIN_BYTES or more, where it pays for starting the thread. Same events either way.
   */
  readonly parallel?: boolean | "auto" | undefined
  /**
   * next() fills and returns one event object instead of making one per event, so a consumer must be done
   * with an event before it asks for the next (the kernel is; a merge of several sources is not): on the
   * second thread's hand-over, and in a reader's common csv rows (the second thread's own reader always
   * reuses, since it copies each event into a batch at once). On L, an object per event costs the kernel
   * 9–16 % and the whole command about 4 %, and it is all 73 bytes the reader would allocate per event.
   */
  readonly reuseEvents?: boolean | undefined
}

/** Smallest trace file read on a second thread by default (starting the thread costs a few tenths of a second). */
export const PARALLEL_MIN_BYTES = 8 << 20

export interface TraceStats {
  /** Physical lines read so far. */
  readonly lines: number
  /** Events returned by next(). */
  readonly events: number
  /** Records that gave no event: audit records of other kinds, late bindings, replaced deletes. */
  readonly skipped: number
}

export interface TraceReader extends TraceSource {
  stats(): TraceStats
  /** Closes the file; next() then returns undefined. Reading to the end closes it too. */
  close(): void
}

export const DEFAULT_AUDIT_LOOKAHEAD_MS = 60_000

/** A malformed trace: `file:line: what was expected, got what` (one line). */
export class TraceError extends Error {
  override readonly name = "TraceError"
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${detail.replace(/\s*\n\s*/g, " ")}`)
  }
}
