// A problem found in a scenario: where (a path into the file's structure) and what was expected; and a
// duration read from the file, with its problem when it is not one.

import { parseDuration } from "./Duration.ts"

export type Path = ReadonlyArray<string | number>

export const formatPath = (path: Path): string =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("") || "(top level)"

export interface Problem {
  readonly path: Path
  readonly message: string
}

/** A duration field in ms (a number of ms or a string such as 20s), or 0 with its problem recorded. */
export const ms = (value: number | string, path: Path, problems: Problem[]): number => {
  const r = typeof value === "number" ? value : parseDuration(value)
  if (typeof r === "string") {
    problems.push({ path, message: r })
    return 0
  }
  if (!Number.isFinite(r) || r < 0) {
    problems.push({ path, message: `expected a non-negative duration, got ${value}` })
    return 0
  }
  // The kernel works in whole ms; parseDuration already refuses "0.0005s", numbers must match.
  if (!Number.isInteger(r)) {
    problems.push({ path, message: `expected whole milliseconds, got ${value}` })
    return 0
  }
  return r
}
