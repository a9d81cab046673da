// The run's timeline as CSV, the file `ipamsim run --timeline` writes.

import type { SimResult } from "@ipamsim/core/metrics/SimResult"

/**
 * The timeline as CSV: one row per sample, one column per series. With Linux nodes, who holds each subnet's
 * addresses follows, a column per subnet and holder (`subnet:<id>:held:<holder>`).
 */
export const timelineCsv = (r: SimResult): string => {
  const tl = r.timeline
  const headers = ["t_ms"]
  const columns: number[][] = []
  for (const [id, s] of Object.entries(tl.subnets)) {
    headers.push(`subnet:${id}:free`, `subnet:${id}:free_aligned_28`)
    columns.push(s.free, s.freeAligned)
  }
  for (const [g, s] of Object.entries(tl.groups)) {
    headers.push(`group:${g}:used`, `group:${g}:warm`, `group:${g}:cooling`, `group:${g}:pending`)
    columns.push(s.used, s.warm, s.cooling, s.pending)
  }
  headers.push("pods_waiting", "pods_pending")
  columns.push(tl.podsWaiting, tl.podsPending)
  for (const [id, held] of Object.entries(r.linux?.timeline.subnets ?? {}))
    for (const [holder, series] of Object.entries(held)) {
      headers.push(`subnet:${id}:held:${holder}`)
      columns.push(series)
    }
  const quote = (h: string): string => (/[",\n]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)
  const rows = [headers.map(quote).join(",")]
  for (let i = 0; i < tl.t.length; i++) rows.push([tl.t[i], ...columns.map((c) => c[i])].join(","))
  return `${rows.join("\n")}\n`
}
