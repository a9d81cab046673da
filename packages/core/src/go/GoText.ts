// Go standard-library text parsing, reproduced exactly because the controller's behaviour on odd
// ConfigMap values (" 3", "+3", "0x3", "", "TRUE") follows from them.

const BOOL_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"])
const BOOL_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"])

/** strconv.ParseBool: the value, or undefined for a syntax error. */
export const goParseBool = (text: string): boolean | undefined =>
  BOOL_TRUE.has(text) ? true : BOOL_FALSE.has(text) ? false : undefined

const INT64_MAX = Number(9223372036854775807n)
const INT64_MIN = Number(-9223372036854775808n)

/**
 * strconv.Atoi on 64-bit Go: optional sign, then decimal digits only. Returns the value and whether it
 * parsed. A syntax error gives (0, false); an out-of-range number gives the clamped extreme and false,
 * as Go does. (Extremes are held as JS numbers, so they are approximate; they only matter as "huge".)
 */
export const goAtoi = (text: string): { readonly value: number; readonly ok: boolean } => {
  const match = /^([+-]?)(\d+)$/.exec(text)
  if (match === null) return { value: 0, ok: false }
  const negative = match[1] === "-"
  const magnitude = BigInt(match[2]!)
  if (!negative && magnitude > 9223372036854775807n) return { value: INT64_MAX, ok: false }
  if (negative && magnitude > 9223372036854775808n) return { value: INT64_MIN, ok: false }
  const value = Number(negative ? -magnitude : magnitude)
  return { value: value === 0 ? 0 : value, ok: true }
}

/** utils.CeilDivision: (x + y - 1) / y with Go's truncating integer division. */
export const ceilDivision = (x: number, y: number): number => Math.trunc((x + y - 1) / y)
