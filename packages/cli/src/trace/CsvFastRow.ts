// The common case of a csv trace row, read straight from bytes: unquoted ASCII fields without surrounding
// spaces, time in whole ms, event create/delete, hostNetwork true/false/empty. Such rows make up generated
// and exported traces, and reading them without splitting strings is several times faster. Any other row
// (quotes, spaces, non-ASCII, seconds, anything malformed) is left to the general parser, which gives the
// same result or the error message: this path only ever answers "same as the general parser" or "ask it".

/**
 * What an `os` or `nodeSelector` value says about the Windows nodeSelector: true for "windows", or
 * "kubernetes.io/os=windows" or its older "beta.kubernetes.io/os=windows" (either one is the webhook's Windows
 * selector, pod_webhook.go ~110–125), with = or :, any case and spaces; false for empty, "linux", the OS
 * labels set to linux and other labels (`key=value`); undefined for anything else ("windwos", an OS label
 * with another OS), which a trace must not carry.
 */
export const osSelector = (v: string): boolean | undefined => {
  const s = v.trim().toLowerCase().replaceAll(" ", "")
  if (s === "windows") return true
  if (s === "" || s === "linux") return false
  const at = s.search(/[=:]/)
  if (at <= 0 || at === s.length - 1) return undefined
  const key = s.slice(0, at)
  const value = s.slice(at + 1)
  if (key === "kubernetes.io/os" || key === "beta.kubernetes.io/os")
    return value === "windows" ? true : value === "linux" ? false : undefined
  return false
}

/** The message for a value osSelector does not take, naming the column or field. */
export const osProblem = (name: string, v: string): string =>
  `expected ${name} "windows", "linux", empty, or a node selector such as kubernetes.io/os=windows, got ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`

export interface CsvFastColumns {
  readonly count: number
  readonly time: number
  readonly event: number
  readonly pod: number
  readonly namespace: number | undefined
  readonly node: number | undefined
  readonly os: number | undefined
  readonly hostNetwork: number | undefined
}

/** Bytes and limits (an enum: a bundle writes the values into the code, see core's Cluster.ts). */
enum B {
  COMMA = 44,
  QUOTE = 34,
  SPACE = 32,
  ZERO = 48,
  /** Longest whole-ms time read here: 15 digits are always a safe integer. */
  MAX_DIGITS = 15,
}

/** Whether buf[s, s+len) equals the lower-case ASCII word, ignoring case. */
const wordIs = (buf: Buffer, s: number, e: number, word: string): boolean => {
  if (e - s !== word.length) return false
  for (let i = 0; i < word.length; i++) if ((buf[s + i]! | 0x20) !== word.charCodeAt(i)) return false
  return true
}

export class CsvFastRow {
  private readonly starts: Int32Array
  private readonly ends: Int32Array

  /**
   * Whether `pod` is filled: a reader that numbers pods from `key` needs no name string (making one per
   * row costs a tenth of the reading time).
   */
  names = true
  /** The row just parsed. */
  t = 0
  /** The time as written when it is not String(t) (leading zeros), for order errors; else undefined. */
  timeText: string | undefined
  create = true
  pod = ""
  /** The pod's identity (namespace/name) as bytes: key[keyStart, keyEnd). */
  key: Uint8Array = Buffer.alloc(0)
  keyStart = 0
  keyEnd = 0
  private scratch = Buffer.allocUnsafe(256)
  node: string | undefined
  windowsSelector = true
  hostNetwork = false

  constructor(private readonly cols: CsvFastColumns) {
    this.starts = new Int32Array(cols.count)
    this.ends = new Int32Array(cols.count)
  }

  /** Parses buf[start, end); false when the general parser must read this row. */
  parse(buf: Buffer, start: number, end: number): boolean {
    const cols = this.cols
    const starts = this.starts
    const ends = this.ends
    // Split at commas; give up on quotes, control characters and non-ASCII.
    let field = 0
    starts[0] = start
    for (let i = start; i < end; i++) {
      const c = buf[i]!
      if (c === B.COMMA) {
        ends[field] = i
        if (++field === cols.count) return false
        starts[field] = i + 1
      } else if (c === B.QUOTE || c < B.SPACE || c > 126) return false
    }
    ends[field] = end
    if (field !== cols.count - 1) return false
    // No field may start or end with a space (the general parser trims them).
    for (let f = 0; f < cols.count; f++) {
      const s = starts[f]!
      const e = ends[f]!
      if (e > s && (buf[s] === B.SPACE || buf[e - 1] === B.SPACE)) return false
    }

    // Time: whole ms.
    const ts = starts[cols.time]!
    const te = ends[cols.time]!
    if (te === ts || te - ts > B.MAX_DIGITS) return false
    let t = 0
    for (let i = ts; i < te; i++) {
      const d = buf[i]! - B.ZERO
      if (d < 0 || d > 9) return false
      t = t * 10 + d
    }
    this.t = t
    this.timeText = buf[ts] === B.ZERO && te - ts > 1 ? buf.toString("latin1", ts, te) : undefined

    const es = starts[cols.event]!
    const ee = ends[cols.event]!
    if (wordIs(buf, es, ee, "create")) this.create = true
    else if (wordIs(buf, es, ee, "delete")) this.create = false
    else return false

    const ps = starts[cols.pod]!
    const pe = ends[cols.pod]!
    if (pe === ps) return false
    if (cols.namespace !== undefined && ends[cols.namespace]! > starts[cols.namespace]!) {
      const ns = starts[cols.namespace]!
      const ne = ends[cols.namespace]!
      if (this.names) this.pod = `${buf.toString("latin1", ns, ne)}/${buf.toString("latin1", ps, pe)}`
      const n = ne - ns + 1 + pe - ps
      if (n > this.scratch.length) this.scratch = Buffer.allocUnsafe(2 * n)
      buf.copy(this.scratch, 0, ns, ne)
      this.scratch[ne - ns] = 47 // "/"
      buf.copy(this.scratch, ne - ns + 1, ps, pe)
      this.key = this.scratch
      this.keyStart = 0
      this.keyEnd = n
    } else {
      if (this.names) this.pod = buf.toString("latin1", ps, pe)
      this.key = buf
      this.keyStart = ps
      this.keyEnd = pe
    }

    this.node =
      cols.node !== undefined && ends[cols.node]! > starts[cols.node]!
        ? buf.toString("latin1", starts[cols.node]!, ends[cols.node]!)
        : undefined

    if (cols.os === undefined) this.windowsSelector = true
    else {
      const s = starts[cols.os]!
      const e = ends[cols.os]!
      if (e === s) this.windowsSelector = false
      else if (wordIs(buf, s, e, "windows")) this.windowsSelector = true
      else if (wordIs(buf, s, e, "linux")) this.windowsSelector = false
      else {
        // An unknown value is the general parser's to refuse, naming the line.
        const w = osSelector(buf.toString("latin1", s, e))
        if (w === undefined) return false
        this.windowsSelector = w
      }
    }

    if (cols.hostNetwork === undefined) this.hostNetwork = false
    else {
      const s = starts[cols.hostNetwork]!
      const e = ends[cols.hostNetwork]!
      if (e === s || wordIs(buf, s, e, "false")) this.hostNetwork = false
      else if (wordIs(buf, s, e, "true")) this.hostNetwork = true
      else return false
    }
    return true
  }
}
