// One line of CSV (RFC 4180, no line breaks inside fields): split into fields when reading, and a field
// quoted only when it has to be when writing (ipamsim trace generate).

import { show } from "./TraceRecord.ts"

/** RFC 4180 fields of one line (no line breaks inside fields); unquoted fields are trimmed. */
export const splitCsvLine = (line: string): string[] | string => {
  if (!line.includes('"')) return line.split(",").map((f) => f.trim())
  const fields: string[] = []
  let i = 0
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++
    if (line[i] === '"') {
      let value = ""
      let j = i + 1
      for (;;) {
        const q = line.indexOf('"', j)
        if (q < 0) return `expected a closing quote for the field starting at column ${i + 1}`
        value += line.slice(j, q)
        if (line[q + 1] === '"') {
          value += '"'
          j = q + 2
        } else {
          j = q + 1
          break
        }
      }
      while (line[j] === " " || line[j] === "\t") j++
      fields.push(value)
      if (j >= line.length) return fields
      if (line[j] !== ",") return `expected "," after the quoted field ending at column ${j}, got ${show(line[j])}`
      i = j + 1
    } else {
      const c = line.indexOf(",", i)
      fields.push((c < 0 ? line.slice(i) : line.slice(i, c)).trim())
      if (c < 0) return fields
      i = c + 1
    }
  }
}

/** An RFC 4180 field: quoted only when it has to be. */
export const csvField = (s: string): string => (/[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)
