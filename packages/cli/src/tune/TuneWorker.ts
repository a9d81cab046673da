// A worker thread of `ipamsim tune`: answers each job message with its result (or the error's message) and
// keeps the loaded scenario between jobs. Results carry the job's index; the parent orders them.

import { parentPort } from "node:worker_threads"
import { setAutoFreeze } from "immer"
import { isUserError } from "../UserFacingError.ts"
import { type JobOutput, JobRunner, type TuneJob } from "./TuneJob.ts"

export type WorkerRequest = { readonly index: number; readonly job: TuneJob }
export type WorkerReply =
  | { readonly index: number; readonly ok: true; readonly output: JobOutput }
  | { readonly index: number; readonly ok: false; readonly message: string; readonly userFacing: boolean }

// Variants are built once per run and never mutated afterwards; freezing them would only cost time.
setAutoFreeze(false)
const runner = new JobRunner()
const port = parentPort
if (port === null) throw new Error("TuneWorker must run in a worker thread")
port.on("message", (m: WorkerRequest) => {
  let reply: WorkerReply
  try {
    reply = { index: m.index, ok: true, output: runner.run(m.job) }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e))
    reply = { index: m.index, ok: false, message: err.message, userFacing: isUserError(err) }
  }
  port.postMessage(reply)
})
