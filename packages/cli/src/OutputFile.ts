// Writing outputs without destroying user files: a file is replaced only if ipamsim wrote it (it carries
// our marker) or the user passed --force. "-" means standard output.

import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { UserFacingError } from "./UserFacingError.ts"

/** Each output kind starts with something only ipamsim writes. */
const MARKERS: Record<string, (head: string) => boolean> = {
  json: (h) => h.startsWith('{\n  "schemaVersion"'),
  csv: (h) => h.startsWith("t_ms,") || h.startsWith("time_ms,event,pod"),
  html: (h) => h.includes("<!-- ipamsim report -->"),
  jsonl: (h) => h.startsWith('{"t":'),
  yaml: (h) => h.startsWith("# ipamsim"),
}

export const writeOutput = (path: string, content: string, kind: keyof typeof MARKERS, force: boolean): void => {
  if (path === "-") {
    process.stdout.write(content)
    return
  }
  if (existsSync(path) && !force) {
    let head = ""
    try {
      head = readFileSync(path, "utf8").slice(0, 4096)
    } catch {
      // Unreadable (a directory, no permission): refuse below.
    }
    if (!MARKERS[kind]!(head))
      throw new UserFacingError(
        `${path}: exists and was not written by ipamsim; refusing to overwrite it (use --force)`,
      )
  }
  try {
    writeFileSync(path, content)
  } catch (e) {
    throw new UserFacingError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
}
