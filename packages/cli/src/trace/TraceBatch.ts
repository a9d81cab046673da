// What the trace-reading worker (TraceReadWorker) and the simulating thread (ParallelTrace) exchange.

import type { MessagePort } from "node:worker_threads"
import type { OpenTraceOptions } from "./TraceReader.ts"

export interface ReadWorkerData {
  readonly file: string
  readonly options: OpenTraceOptions
  /** [batches sent, batches taken]: the reader waits when it is BATCHES_AHEAD ahead. */
  readonly control: SharedArrayBuffer
  readonly batchSize: number
  /** Where batches go: the simulating thread receives them synchronously from the other end. */
  readonly port: MessagePort
}

export const BATCHES_AHEAD = 4
/** An event's flags in a batch (an enum: a bundle writes the values into the code, see core's Cluster.ts). */
export enum EventFlag {
  CREATE = 1,
  WINDOWS = 2,
  HOST_NETWORK = 4,
  NODE = 8,
}

export interface Batch {
  readonly n: number
  readonly t: Float64Array<ArrayBuffer>
  readonly podId: Int32Array<ArrayBuffer>
  readonly flags: Uint8Array<ArrayBuffer>
  /** Pod names unless the batch has ids (then the node, when EventFlag.NODE), each ending at the next offset. */
  readonly names: string
  readonly ends: Int32Array<ArrayBuffer>
  readonly hasIds: boolean
  readonly lines: number
  readonly skipped: number
  /** After this batch's events, the read failed: the TraceError's line and detail. */
  readonly error?: { readonly line: number | undefined; readonly detail: string } | undefined
  readonly done: boolean
}
