// A trace read on a second thread: a worker (TraceReadWorker) reads and parses the file while this thread
// simulates, so a two-core machine spends one core on each. Events are the same, in the same order, as
// reading in this thread (the worker runs the same reader); errors arrive at the same point of the stream.
// The simulating thread waits synchronously (Atomics.wait) when it catches up; the worker stays at most a
// few batches ahead, so memory does not follow the trace's length.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { fill, ReusedEvent } from "./ReusedEvent.ts"
import { type Batch, EventFlag, type ReadWorkerData } from "./TraceBatch.ts"
import { type OpenTraceOptions, TraceError, type TraceReader, type TraceStats } from "./TraceReader.ts"

const ENTRY = new URL("./TraceReadWorkerEntry.mjs", import.meta.url)
const BATCH = 16_384
/**
 * With no batch for this long the worker is taken to have died (it sends every error it can catch as a
 * batch; this covers what it cannot, such as failing to start).
 */
const STALL_MS = 30_000

export class ParallelTrace implements TraceReader {
  private readonly worker: Worker
  private readonly port: MessagePort
  private readonly control = new Int32Array(new SharedArrayBuffer(8))
  private batch: Batch | undefined
  private at = 0
  private nameAt = 0
  private name = 0
  private received = 0
  private events = 0
  private closed = false
  private readonly reused: ReusedEvent | undefined

  constructor(
    private readonly file: string,
    options: OpenTraceOptions,
  ) {
    this.reused = options.reuseEvents ? new ReusedEvent() : undefined
    const { port1, port2 } = new MessageChannel()
    this.port = port1
    const data: ReadWorkerData = {
      file,
      options,
      control: this.control.buffer as SharedArrayBuffer,
      batchSize: BATCH,
      port: port2,
    }
    // The reader holds one read buffer and the live pods' names: a small heap keeps the process lean.
    this.worker = new Worker(ENTRY, {
      workerData: data,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
    })
    // The worker must not keep the process alive once reading stops early; what it cannot send as a batch
    // surfaces as a stall (see take), not as an unhandled event once this thread is done.
    this.worker.unref()
    this.worker.on("error", () => {})
  }

  next(): PodEvent | undefined {
    if (this.closed) return undefined
    let b = this.batch
    while (b === undefined || this.at >= b.n) {
      if (b !== undefined) {
        if (b.error !== undefined) {
          this.close()
          throw new TraceError(this.file, b.error.line, b.error.detail)
        }
        if (b.done) {
          this.close()
          return undefined
        }
      }
      b = this.take()
    }
    const i = this.at++
    const flags = b.flags[i]!
    let pod = ""
    if (!b.hasIds) {
      pod = b.names.slice(this.nameAt, b.ends[this.name]!)
      this.nameAt = b.ends[this.name++]!
    }
    let node: string | undefined
    if ((flags & EventFlag.NODE) !== 0) {
      node = b.names.slice(this.nameAt, b.ends[this.name]!)
      this.nameAt = b.ends[this.name++]!
    }
    this.events++
    const t = b.t[i]!
    const type = (flags & EventFlag.CREATE) !== 0 ? "create" : "delete"
    const windowsSelector = (flags & EventFlag.WINDOWS) !== 0
    const hostNetwork = (flags & EventFlag.HOST_NETWORK) !== 0
    if (this.reused !== undefined)
      return fill(this.reused, t, type, pod, b.hasIds ? b.podId[i]! : undefined, node, windowsSelector, hostNetwork)
    // The shapes the in-thread reader makes.
    if (b.hasIds) {
      const podId = b.podId[i]!
      return node === undefined
        ? { t, type, pod, windowsSelector, hostNetwork, podId }
        : { t, type, pod, node, windowsSelector, hostNetwork, podId }
    }
    return node === undefined
      ? { t, type, pod, windowsSelector, hostNetwork }
      : { t, type, pod, node, windowsSelector, hostNetwork }
  }

  stats(): TraceStats {
    return { lines: this.batch?.lines ?? 0, events: this.events, skipped: this.batch?.skipped ?? 0 }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.port.close()
    void this.worker.terminate()
  }

  /** The next batch, waiting for the worker when it has not sent one yet. */
  private take(): Batch {
    const waitedSince = Date.now()
    for (;;) {
      const m = receiveMessageOnPort(this.port)
      if (m !== undefined) {
        this.received++
        Atomics.store(this.control, 1, this.received)
        Atomics.notify(this.control, 1)
        this.batch = m.message as Batch
        this.at = 0
        this.nameAt = 0
        this.name = 0
        return this.batch
      }
      const sent = Atomics.load(this.control, 0)
      if (sent === this.received) Atomics.wait(this.control, 0, sent, 1000)
      if (Date.now() - waitedSince > STALL_MS) {
        this.close()
        throw new TraceError(this.file, undefined, `the trace reader thread stopped answering for ${STALL_MS / 1000} s`)
      }
    }
  }
}
