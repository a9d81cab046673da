// A trace's events as a flat binary file (t, pod id, flags per event, as float64), so that a process run
// under valgrind starts simulating at once instead of parsing CSV for minutes at valgrind's pace.

import { readFileSync, writeFileSync } from "node:fs"
import type { PodEvent } from "@ipamsim/core/SimSpec"

const CREATE = 1
const WINDOWS = 2
const HOST_NETWORK = 4

export const writeEventDump = (file: string, events: readonly PodEvent[]): void => {
  const out = new Float64Array(3 * events.length)
  events.forEach((e, i) => {
    if (e.podId === undefined || e.node !== undefined)
      throw new Error(`event ${i}: only events with a pod id and no node name can be dumped`)
    out[3 * i] = e.t
    out[3 * i + 1] = e.podId
    out[3 * i + 2] =
      (e.type === "create" ? CREATE : 0) | (e.windowsSelector ? WINDOWS : 0) | (e.hostNetwork ? HOST_NETWORK : 0)
  })
  writeFileSync(file, out)
}

/** The first `count` events of a dump. */
export const readEventDump = (file: string, count: number): PodEvent[] => {
  const raw = readFileSync(file)
  const f = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8)
  const n = Math.min(count, f.length / 3)
  const events: PodEvent[] = []
  for (let i = 0; i < n; i++) {
    const flags = f[3 * i + 2]!
    events.push({
      t: f[3 * i]!,
      type: flags & CREATE ? "create" : "delete",
      pod: "",
      windowsSelector: (flags & WINDOWS) !== 0,
      hostNetwork: (flags & HOST_NETWORK) !== 0,
      podId: f[3 * i + 1]!,
    })
  }
  return events
}
