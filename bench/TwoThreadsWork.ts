// The work that "two threads at once" (bench/suites/Memory.ts) times alone and beside a worker doing the
// same; this file is also that worker's entry (bundled as bench/out/TwoThreadsWorkerEntry.mjs by
// runBundled.ts). kb 0: arithmetic; otherwise dependent loads over kb of memory (a random cycle, one load per
// 64-byte line).

import { isMainThread, parentPort, workerData } from "node:worker_threads"

/** A function that does `n` steps of the work each call and returns a value of it (so it is not optimised away). */
export const makeWork = (kb: number, n: number): (() => number) => {
  if (kb === 0)
    return () => {
      let x = 1
      for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) | 0
      return x
    }
  const lines = (kb * 1024) / 64
  const next = new Int32Array(lines * 16)
  const order = Array.from({ length: lines }, (_, i) => i)
  let x = 12345
  for (let i = lines - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) >>> 0
    const j = x % (i + 1)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  for (let i = 0; i < lines; i++) next[order[i]! * 16] = order[(i + 1) % lines]! * 16
  return () => {
    let p = 0
    for (let i = 0; i < n; i++) p = next[p]!
    return p
  }
}

export interface TwoThreadsWorkerData {
  readonly stop: SharedArrayBuffer
  readonly kb: number
  readonly n: number
}

// As a worker: the same work over and over until the flag is set, then its last value.
if (!isMainThread && parentPort !== null) {
  const data = workerData as TwoThreadsWorkerData
  const run = makeWork(data.kb, data.n)
  const stop = new Int32Array(data.stop)
  parentPort.postMessage("ready")
  let sink = 0
  while (Atomics.load(stop, 0) === 0) sink ^= run()
  parentPort.postMessage(sink)
}
