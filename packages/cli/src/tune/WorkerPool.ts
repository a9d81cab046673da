// Runs a sweep's jobs on worker threads. Each worker takes the next job when it finishes one; results are
// stored by job index, so the outcome is the same whatever the number of workers or the completion order.
// Workers live as long as the pool: starting one (TypeScript loader, effect, the kernel) costs about 2 s.

import { Worker } from "node:worker_threads"
import { UserFacingError } from "../UserFacingError.ts"
import type { JobOutput, TuneJob } from "./TuneJob.ts"
import type { WorkerReply, WorkerRequest } from "./TuneWorker.ts"

const ENTRY = new URL("./TuneWorkerEntry.mjs", import.meta.url)

export class WorkerPool {
  private readonly workers: Worker[] = []
  private busy = false

  constructor(private readonly size: number) {}

  /** Runs every job; the i-th output belongs to the i-th job. One batch at a time. */
  run(jobs: readonly TuneJob[], onProgress?: (done: number, total: number) => void): Promise<JobOutput[]> {
    const total = jobs.length
    if (total === 0) return Promise.resolve([])
    if (this.busy) return Promise.reject(new Error("WorkerPool.run: a batch is already running"))
    this.busy = true
    while (this.workers.length < Math.max(1, Math.min(this.size, total))) this.workers.push(new Worker(ENTRY))
    const active = this.workers.slice(0, Math.min(this.workers.length, total))
    const results: Array<JobOutput | undefined> = new Array(total)
    return new Promise<JobOutput[]>((resolve, reject) => {
      let next = 0
      let done = 0
      let finished = false
      const cleanups: Array<() => void> = []
      const finish = (error?: Error): void => {
        if (finished) return
        finished = true
        this.busy = false
        for (const c of cleanups) c()
        if (error === undefined) resolve(results as JobOutput[])
        else {
          // A failed batch leaves workers mid-job: drop them all.
          void this.close()
          reject(error)
        }
      }
      const feed = (w: Worker): void => {
        if (next >= total) return
        const index = next++
        w.postMessage({ index, job: jobs[index]! } satisfies WorkerRequest)
      }
      for (const w of active) {
        const onMessage = (reply: WorkerReply): void => {
          if (finished) return
          if (!reply.ok) {
            finish(reply.userFacing ? new UserFacingError(reply.message) : new Error(reply.message))
            return
          }
          results[reply.index] = reply.output
          done++
          onProgress?.(done, total)
          if (done === total) finish()
          else feed(w)
        }
        const onError = (e: Error): void => finish(e)
        const onExit = (code: number): void =>
          finish(new Error(`a tune worker stopped unexpectedly (exit code ${code})`))
        w.on("message", onMessage)
        w.on("error", onError)
        w.on("exit", onExit)
        cleanups.push(() => {
          w.off("message", onMessage)
          w.off("error", onError)
          w.off("exit", onExit)
        })
        feed(w)
      }
    })
  }

  async close(): Promise<void> {
    const all = this.workers.splice(0)
    await Promise.all(all.map((w) => w.terminate()))
  }
}
