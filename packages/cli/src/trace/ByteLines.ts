// Synchronous line splitting over large reads, in bytes: a line is a byte range of `buf` (`start`..`end`,
// without "\n" or a final "\r"), so fast parsers can read fields without making strings; `text()` decodes
// it (UTF-8) for everything else. A "\n" byte never occurs inside a UTF-8 sequence, so splitting bytes
// splits characters correctly. Memory: one read buffer, grown only for a line longer than it.

import { closeSync, openSync, readSync } from "node:fs"

const CHUNK = 1 << 20

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

  /** Moves to the next line; false at the end of the file. Throws the errno code when a read fails. */
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

  /** The current line as a string (a UTF-8 byte order mark on the first line is dropped). */
  text(): string {
    const s = this.buf.toString("utf8", this.start, this.end)
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
