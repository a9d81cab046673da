// One problem with the user's input, located: the file, the line (and column when known), the field and
// what was expected. Every command prints them the same way, one line each:
//
//   ipamsim: <file>:<line>: <field>: <what was expected>
//   ipamsim: warning: <file>:<line>: <field>: <what ipamsim or the controller will do>
//
// `validate --json` gives the same records as JSON.

export type Severity = "error" | "warning"

export interface Diagnostic {
  readonly severity: Severity
  readonly file: string
  readonly line?: number | undefined
  readonly column?: number | undefined
  /** The field or flag at fault (`nodeGroups[0].count`, `--seed`), when there is one. */
  readonly field?: string | undefined
  readonly message: string
}

/** `<file>:<line>: <field>: <message>`, without the `ipamsim: ` prefix; a warning says so first. */
export const formatDiagnostic = (d: Diagnostic): string => {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}`
  const column = d.column === undefined ? "" : `column ${d.column}: `
  const field = d.field === undefined ? "" : `${d.field}: `
  const text = `${where}: ${column}${field}${d.message}`.replace(/\s*\n\s*/g, " ")
  return d.severity === "warning" ? `warning: ${text}` : text
}

/** The record `validate --json` prints for a diagnostic (absent parts left out). */
export const diagnosticJson = (d: Diagnostic): Record<string, string | number> => ({
  severity: d.severity,
  file: d.file,
  ...(d.line === undefined ? {} : { line: d.line }),
  ...(d.column === undefined ? {} : { column: d.column }),
  ...(d.field === undefined ? {} : { field: d.field }),
  message: d.message,
})
