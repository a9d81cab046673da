// Numbers, durations and ratios as the run's HTML page shows them: locale-independent, so that the output
// is identical everywhere.

const group3 = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")

export const fmtInt = (n: number): string => (n < 0 ? "-" : "") + group3(String(Math.round(Math.abs(n))))

export const fmtNum = (n: number): string => {
  if (!Number.isFinite(n)) return String(n)
  if (Number.isInteger(n)) return fmtInt(n)
  const [int, frac] = Math.abs(n)
    .toFixed(Math.abs(n) >= 100 ? 1 : 3)
    .split(".")
  const f = frac?.replace(/0+$/, "") ?? ""
  return (n < 0 ? "-" : "") + group3(int!) + (f ? `.${f}` : "")
}

export const fmtMs = (ms: number): string => {
  if (ms < 1_000) return `${fmtNum(ms)} ms`
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`
  return `${(ms / 3_600_000).toFixed(2)} h`
}

/** A simulated instant as a clock: 0:05:00, 12:30:05, 0:00:02.500 (milliseconds only when there are some). */
export const fmtClock = (ms: number): string => {
  const whole = Math.floor(ms / 1_000)
  const rest = Math.round(ms - whole * 1_000)
  const hms = `${Math.floor(whole / 3_600)}:${String(Math.floor(whole / 60) % 60).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`
  return rest === 0 ? hms : `${hms}.${String(rest).padStart(3, "0")}`
}

export const fmtPct = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`

export const fmtValue = (v: number | boolean | null): string =>
  v === null ? "n/a" : typeof v === "boolean" ? String(v) : fmtNum(v)

export const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)

/** Short edge label for the wait histogram: 100 ms, 2 s, 5 min. */
export const fmtEdge = (ms: number): string =>
  ms === 0 ? "0" : ms < 1_000 ? `${ms}ms` : ms < 60_000 ? `${ms / 1_000}s` : `${fmtNum(ms / 60_000)}m`

/** Hover labels for the wait histogram's buckets: [edge i, edge i+1), the last one open. */
export const bucketLabels = (edges: readonly number[]): string[] =>
  edges.map((e, i) => (i + 1 < edges.length ? `${fmtEdge(e)}–${fmtEdge(edges[i + 1]!)}` : `≥ ${fmtEdge(e)}`))
