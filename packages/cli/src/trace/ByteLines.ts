// Synchronous line splitting over large reads, in bytes: a line is a byte range of `buf` (`start`..`end`,
// without "\n" or a final "\r"), so fast parsers can read fields without making strings; `text()` decodes
// it (UTF-8) for everything else. A "\n" byte never occurs inside a UTF-8 sequence, so splitting bytes
// splits characters correctly. Memory: one read buffer, grown only for a line longer than it, up to the
// limit of a trace line (Limits.ts): a longer line is an error rather than a buffer without bound.

import { closeSync, openSync, readSync } from "node:fs"
import { firstInvalidUtf8 } from "../Encoding.ts"
import { MAX_TRACE_LINE_BYTES } from "../Limits.ts"

const CHUNK = 1 << 20

/** A line longer than MAX_TRACE_LINE_BYTES: `line` is its number. */
export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is longer than the limit of a trace line`)
  }
}

/** A line that is not UTF-8: `column` is the offending byte's, 1-based. */
export class LineEncodingError extends Error {
  constructor(
    readonly column: number,
    readonly byte: number,
  ) {
    super(`byte ${byte.toString(16).toUpperCase().padStart(2, "0")} at column ${column} is not UTF-8`)
  }
}

export class ByteLines {
  private fd: number | undefined
  buf: Buffer = Buffer.allocUnsafe(CHUNK)
  /** Bytes of the buffer holding data: [pos, len). */
  private pos = 0
  private len = 0
  private eof = false
  /** The current line: buf[start, end). */
  start = 0
  end = 0
  lineNo = 0

  /** Opens the file; throws the errno code (a string) when it cannot. */
  constructor(file: string) {
    this.fd = openSync(file, "r")
  }

  /**
   * Moves to the next line; false at the end of the file. Throws the errno code when a read fails, and
   * LineTooLongError past the limit of a line.
   */
  next(): boolean {
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos)
      if (nl >= 0 && nl < this.len) {
        this.take(nl, nl + 1)
        return true
      }
      if (this.eof) {
        if (this.pos >= this.len) return false
        this.take(this.len, this.len)
        return true
      }
      this.fill()
    }
  }

  /**
   * The current line as a string (a UTF-8 byte order mark on the first line is dropped); a line that is not
   * UTF-8 throws LineEncodingError.
   */
  text(): string {
    const s = this.buf.toString("utf8", this.start, this.end)
    // Replacement characters come from bad bytes, or from the file itself (EF BF BD): tell which.
    if (s.includes("\uFFFD")) {
      const bad = firstInvalidUtf8(this.buf, this.start, this.end)
      if (bad >= 0) throw new LineEncodingError(bad - this.start + 1, this.buf[bad]!)
    }
    return this.lineNo === 1 && s.charCodeAt(0) === 0xfeff ? s.slice(1) : s
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    this.eof = true
    this.pos = 0
    this.len = 0
  }

  private take(lineEnd: number, next: number): void {
    this.start = this.pos
    this.end = lineEnd > this.pos && this.buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd
    this.pos = next
    this.lineNo++
  }

  private fill(): void {
    if (this.fd === undefined) {
      this.eof = true
      return
    }
    // Keep the unfinished line: move it to the front, or grow the buffer when it fills all of it.
    const rest = this.len - this.pos
    if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.len)
    } else if (rest === this.buf.length) {
      if (rest >= MAX_TRACE_LINE_BYTES) throw new LineTooLongError(this.lineNo + 1)
      const bigger = Buffer.allocUnsafe(this.buf.length * 2)
      this.buf.copy(bigger, 0, 0, rest)
      this.buf = bigger
    }
    this.pos = 0
    this.len = rest
    const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, null)
    if (n === 0) {
      closeSync(this.fd)
      this.fd = undefined
      this.eof = true
    }
    this.len += n
  }
}
