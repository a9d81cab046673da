// Durations as people type them in flags and scenario files: "500ms", "30s", "5m", "2h", "1d", Go-style
// sums such as "1h30m", decimals such as "1.5s", or a plain integer meaning ms. The kernel works in whole
// ms, so a duration that is not a whole number of ms ("0.0005s") is an error rather than silently rounded.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

const WHOLE = /^\d+$/
const TERMS = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/
const TERM = /(\d+)(?:\.(\d+))?(ms|s|m|h|d)/g

const expected = (text: string): string =>
  `expected a duration like "500ms", "30s", "5m", "2h", "1d", "1h30m" or whole ms, got ${JSON.stringify(text)}`

/** Whole ms, or an error message (one line, naming what was expected and what was given). */
export const parseDuration = (text: string): number | string => {
  const s = text.trim()
  if (WHOLE.test(s)) {
    const ms = Number(s)
    return Number.isSafeInteger(ms) ? ms : `duration ${JSON.stringify(text)} is too large`
  }
  if (!TERMS.test(s)) return expected(text)
  let total = 0
  for (const [, whole, frac = "", unit] of s.matchAll(TERM)) {
    // Integer arithmetic on the decimal digits: 1.1h must be exactly 3_960_000, not 3_960_000.0000000005.
    const unitMs = UNIT_MS[unit!]!
    const scale = 10 ** frac.length
    const scaled = Number(whole! + frac) * unitMs
    if (!Number.isSafeInteger(scaled)) return `duration ${JSON.stringify(text)} is too large`
    if (scaled % scale !== 0) return `duration ${JSON.stringify(text)} is not a whole number of ms`
    total += scaled / scale
  }
  return Number.isSafeInteger(total) ? total : `duration ${JSON.stringify(text)} is too large`
}

/** parseDuration for callers that prefer an exception; the Error's message is parseDuration's. */
export const parseDurationOrThrow = (text: string): number => {
  const r = parseDuration(text)
  if (typeof r === "string") throw new Error(r)
  return r
}

/** The shortest exact spelling parseDuration reads back ("90m" → "1h30m"), for messages and file headers. */
export const formatDuration = (ms: number): string => {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`formatDuration: expected whole ms ≥ 0, got ${ms}`)
  if (ms === 0) return "0s"
  let rest = ms
  let out = ""
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = UNIT_MS[unit]!
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  return out
}
