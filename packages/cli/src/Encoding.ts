// Scenario and trace files must be UTF-8 (a UTF-8 byte order mark is allowed). A file in UTF-16, UTF-32
// or a legacy code page decodes to replacement characters and then fails somewhere unrelated, or worse,
// does not fail; these checks say "encoding" instead, at the first offending byte.

import { isUtf8 } from "node:buffer"

export interface EncodingProblem {
  /** Byte offset of the first offending byte. */
  readonly offset: number
  readonly message: string
}

const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, "0")

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export const firstInvalidUtf8 = (buf: Uint8Array, start = 0, end = buf.length): number => {
  let i = start
  while (i < end) {
    const b = buf[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let n: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) {
      n = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3
      min = 0x10000
    } else return i
    // A sequence cut short by the end counts as invalid.
    if (i + n >= end) return i
    let cp = b & (0x3f >> n)
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k]!
      if ((c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i
    i += n + 1
  }
  return -1
}

/**
 * Whether the start of a file (`head`, its first bytes) says it is not UTF-8: a UTF-16 or UTF-32 byte order
 * mark, or NUL bytes (UTF-16 without a mark, or a binary file).
 */
export const headEncodingProblem = (head: Uint8Array): EncodingProblem | undefined => {
  const [a, b, c, d] = head
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff)
    return { offset: 0, message: "the file is UTF-32 (byte order mark 00 00 FE FF); save it as UTF-8" }
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00)
    return { offset: 0, message: "the file is UTF-32 (byte order mark FF FE 00 00); save it as UTF-8" }
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff))
    return { offset: 0, message: `the file is UTF-16 (byte order mark ${hex(a)} ${hex(b)}); save it as UTF-8` }
  const nul = head.indexOf(0)
  if (nul >= 0)
    return {
      offset: nul,
      message: "NUL bytes: the file looks like UTF-16 without a byte order mark, or binary; save it as UTF-8",
    }
  return undefined
}

/** The first encoding problem of a whole file's bytes, or undefined when it is UTF-8. */
export const encodingProblem = (buf: Uint8Array): EncodingProblem | undefined => {
  const head = headEncodingProblem(buf.subarray(0, 4096))
  if (head !== undefined) return head
  if (isUtf8(buf)) return undefined
  const at = firstInvalidUtf8(buf)
  return at < 0 ? undefined : invalidUtf8At(buf, at)
}

/** The message for an invalid UTF-8 byte at `offset`. */
export const invalidUtf8At = (buf: Uint8Array, offset: number): EncodingProblem => ({
  offset,
  message: `byte ${hex(buf[offset]!)} is not UTF-8 (a Latin-1 or Windows code page file?); save the file as UTF-8`,
})

/** 1-based line and column (in bytes) of a byte offset. */
export const lineAndColumn = (buf: Uint8Array, offset: number): { line: number; column: number } => {
  let line = 1
  let lineStart = 0
  for (let i = buf.indexOf(10); i >= 0 && i < offset; i = buf.indexOf(10, i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}
