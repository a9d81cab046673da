// Writing outputs without destroying anything (docs/scenarios.md, "Outputs"):
//
// - Output paths are checked before any work (planOutputs): two outputs to standard output, one path for
//   two outputs, a directory, a missing or read-only folder, a file the run reads, and an existing file that
//   ipamsim did not write are refused, every problem at once.
// - An existing file is ipamsim's own only if it starts with the marker of its kind, a start no user file
//   carries by accident (a report's first keys in ipamsim's layout, the timeline's header, which has no
//   event column and so is no trace's, the HTML page's comment, the imported scenario's first line). A
//   generated trace has no such mark (its header is the documented trace header), so `trace generate`
//   never replaces a file without --force. --force replaces an existing file whoever wrote it; it never
//   writes over a directory or a file the run reads.
// - Each output is written under a temporary name in its target folder and renamed once every output of the
//   command is complete, so a failed or interrupted run leaves nothing: the temporary files are removed on
//   any exit (signals included: Interrupt.ts exits through process.exit).
//
// "-" means standard output, written after the files are in place.

import { randomBytes } from "node:crypto"
import {
  accessSync,
  closeSync,
  constants,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs"
import { basename, dirname, join, resolve } from "node:path"
import { UserFacingError } from "./UserFacingError.ts"

export type OutputKind =
  | "report-json"
  | "timeline-csv"
  | "report-html"
  | "tune-json"
  | "schema-json"
  | "scenario-yaml"
  /** A generated trace: never taken as ipamsim's own (see above). */
  | "trace"
  /** Any of ipamsim's JSON outputs (report, schema, and those with a kind: tune, compare). */
  | "json"
  /** Any of ipamsim's HTML pages (run and tune). */
  | "html"
  /** The imported scenario (also "scenario-yaml"). */
  | "yaml"

const JSON_STRING = String.raw`"(?:[^"\\\n]|\\.)*"`
const REPORT_JSON = new RegExp(
  String.raw`^\{\n  "schemaVersion": \d+,\n  "scenario": ${JSON_STRING},\n  "description": ${JSON_STRING},\n  "seed": \d+,\n  "simulatedMs": `,
)
const TUNE_JSON = /^\{\n {2}"schemaVersion": \d+,\n {2}"kind": "ipamsim-tune",\n/
/** ipamsim's JSON outputs with a kind (tune, compare): `"kind": "ipamsim-<command>"` second. */
const KIND_JSON = /^\{\n {2}"schemaVersion": \d+,\n {2}"kind": "ipamsim-[a-z]+",\n/
const SCHEMA_JSON =
  /^\{\n {2}"\$schema": "https:\/\/json-schema\.org\/draft\/2020-12\/schema",\n {2}"\$id": "https:\/\/ipamsim\.dev\/scenario\.schema\.json",\n/
const HTML = /^<!doctype html>\n<!-- ipamsim report -->\n/
const SCENARIO_YAML = /^# ipamsim scenario imported from EC2 by `ipamsim import` at /
/** The timeline's columns (TimelineCsv): time, then per-subnet, per-group and pod series. */
const TIMELINE_COLUMN =
  /^(?:subnet:.+:(?:free|free_aligned_28|held:[A-Za-z_-]+)|group:.+:(?:used|warm|cooling|pending)|pods_waiting|pods_pending)$/

/** The timeline CSV's header: `t_ms`, then only the timeline's own series, pods_waiting and pods_pending among them. */
const isTimelineHeader = (head: string): boolean => {
  const nl = head.indexOf("\n")
  if (nl < 0) return false
  const cells = splitHeader(head.slice(0, nl))
  return (
    cells[0] === "t_ms" &&
    cells.includes("pods_waiting") &&
    cells.includes("pods_pending") &&
    cells.slice(1).every((c) => TIMELINE_COLUMN.test(c))
  )
}

/** Header cells as TimelineCsv quotes them (a cell with a comma or quote is quoted, quotes doubled). */
const splitHeader = (line: string): string[] => {
  const cells: string[] = []
  let i = 0
  while (i <= line.length) {
    if (line[i] === '"') {
      let cell = ""
      i++
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          cell += '"'
          i += 2
        } else if (line[i] === '"') {
          i++
          break
        } else cell += line[i++]
      }
      cells.push(cell)
      i++
    } else {
      const comma = line.indexOf(",", i)
      const end = comma < 0 ? line.length : comma
      cells.push(line.slice(i, end))
      i = end + 1
    }
  }
  return cells
}

/** Whether the start of an existing file says ipamsim wrote it as this kind of output. */
const OWNED: Record<OutputKind, (head: string) => boolean> = {
  "report-json": (h) => REPORT_JSON.test(h),
  "tune-json": (h) => TUNE_JSON.test(h),
  "schema-json": (h) => SCHEMA_JSON.test(h),
  "timeline-csv": isTimelineHeader,
  "report-html": (h) => HTML.test(h),
  "scenario-yaml": (h) => SCENARIO_YAML.test(h),
  trace: () => false,
  json: (h) => REPORT_JSON.test(h) || KIND_JSON.test(h) || SCHEMA_JSON.test(h),
  html: (h) => HTML.test(h),
  yaml: (h) => SCENARIO_YAML.test(h),
}

/** The first bytes of a file (enough for every marker, a report's description included). */
const headOf = (path: string): string | undefined => {
  let fd: number | undefined
  try {
    fd = openSync(path, "r")
    const buf = Buffer.alloc(256 << 10)
    const n = readSync(fd, buf, 0, buf.length, 0)
    return buf.toString("utf8", 0, n)
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Whether ipamsim wrote the file at `path` as an output of this kind. */
export const writtenByIpamsim = (path: string, kind: OutputKind): boolean => {
  const head = headOf(path)
  return head !== undefined && OWNED[kind](head)
}

export interface OutputRequest {
  /** The flag that names it, for messages (`--json`). */
  readonly flag: string
  readonly path: string
  readonly kind: OutputKind
}

export interface PlanOptions {
  readonly force: boolean
  /** Files the command reads (the scenario, its traces): never written over, --force or not. */
  readonly inputs?: readonly string[]
}

// Temporary files not yet renamed, removed on any exit.
const pending = new Set<string>()
let exitHookInstalled = false
const removePending = (): void => {
  for (const temp of pending) {
    try {
      unlinkSync(temp)
    } catch {
      // Already gone.
    }
  }
  pending.clear()
}
const trackTemp = (temp: string): void => {
  if (!exitHookInstalled) {
    process.on("exit", removePending)
    exitHookInstalled = true
  }
  pending.add(temp)
}

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e)

/**
 * A path's identity for comparing outputs and inputs: the file itself when it exists (hard and symbolic
 * links to one file are one), else the absolute path through its folder's links.
 */
const identity = (path: string): string => {
  const st = statSync(path, { throwIfNoEntry: false })
  if (st !== undefined) return `file ${st.dev}:${st.ino}`
  const abs = resolve(path)
  try {
    return realpathSync(abs)
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs))
    } catch {
      return abs
    }
  }
}

/** An output being written: to a temporary file beside its target, or to standard output. */
export interface OutputSink {
  write(text: string): void
}

/**
 * Checks every output path before any work and returns the plan; throws one UserFacingError listing every
 * problem, one line each.
 */
export const planOutputs = (requests: readonly OutputRequest[], options: PlanOptions): OutputPlan => {
  const problems: string[] = []
  const toStdout = requests.filter((r) => r.path === "-")
  if (toStdout.length > 1)
    problems.push(
      `${toStdout.map((r) => `${r.flag} -`).join(" and ")}: only one output can go to standard output; give the others a file`,
    )
  const inputs = new Map((options.inputs ?? []).map((p) => [identity(p), p]))
  const seen = new Map<string, OutputRequest>()
  for (const r of requests) {
    if (r.path === "-") continue
    if (r.path === "") {
      problems.push(`${r.flag}: expected a file name (or - for standard output), got an empty one`)
      continue
    }
    const id = identity(r.path)
    const twice = seen.get(id)
    const device = statSync(r.path, { throwIfNoEntry: false })?.isCharacterDevice() === true
    if (twice !== undefined && !device) {
      problems.push(`${r.path}: given to both ${twice.flag} and ${r.flag}; give each output its own file`)
      continue
    }
    seen.set(id, r)
    const input = inputs.get(id)
    if (input !== undefined) {
      problems.push(
        `${r.path}: ${r.flag}: is ${input === options.inputs?.[0] ? "the file" : "a file"} this command reads; refusing to write over it, --force or not`,
      )
      continue
    }
    const st = statSync(r.path, { throwIfNoEntry: false })
    if (st?.isDirectory() || r.path.endsWith("/")) {
      problems.push(`${r.path}: ${r.flag}: is a directory; expected a file name`)
      continue
    }
    // A terminal, /dev/null or a named pipe is written to as it is (there is nothing to replace).
    if (st !== undefined && (st.isCharacterDevice() || st.isFIFO())) continue
    const folder = dirname(resolve(r.path))
    const dirStat = statSync(folder, { throwIfNoEntry: false })
    if (dirStat === undefined || !dirStat.isDirectory()) {
      problems.push(`${r.path}: ${r.flag}: no such directory ${folder}`)
      continue
    }
    try {
      accessSync(folder, constants.W_OK)
    } catch (e) {
      problems.push(`${r.path}: ${r.flag}: cannot write in ${folder} (${codeOf(e)})`)
      continue
    }
    if (st !== undefined && !st.isFile()) {
      problems.push(`${r.path}: ${r.flag}: exists and is not a regular file; refusing to replace it`)
      continue
    }
    if (st !== undefined && !options.force && !writtenByIpamsim(r.path, r.kind))
      problems.push(
        r.kind === "trace"
          ? `${r.path}: exists; refusing to overwrite it (use --force)`
          : `${r.path}: exists and was not written by ipamsim; refusing to overwrite it (use --force)`,
      )
  }
  if (problems.length > 0) throw new UserFacingError(problems.join("\n"))
  return new OutputPlan(requests, options.force)
}

interface Slot {
  readonly request: OutputRequest
  /** A device or a named pipe: written to in place, on commit (or as it goes, when streamed). */
  readonly direct: boolean
  temp?: string | undefined
  fd?: number | undefined
  /** Standard output: the text, written on commit. */
  stdout?: string[]
  done: boolean
}

/** Outputs planned and checked: write each (to a temporary file), then commit them all, or abort. */
export class OutputPlan {
  private readonly slots = new Map<string, Slot>()
  private finished = false

  constructor(
    requests: readonly OutputRequest[],
    private readonly force: boolean,
  ) {
    for (const r of requests) {
      const st = r.path === "-" ? undefined : statSync(r.path, { throwIfNoEntry: false })
      const direct = st !== undefined && (st.isCharacterDevice() || st.isFIFO())
      this.slots.set(r.flag, { request: r, direct, done: false })
    }
  }

  /** Writes a whole output at once. */
  write(flag: string, content: string): void {
    const sink = this.open(flag)
    sink.write(content)
    this.close(flag)
  }

  /** Opens an output for writing piece by piece (close it, then commit). Standard output is written at once. */
  open(flag: string, options: { readonly streamStdout?: boolean } = {}): OutputSink {
    const slot = this.slot(flag)
    const path = slot.request.path
    if (path === "-" || slot.direct) {
      if (options.streamStdout) {
        const fd = path === "-" ? 1 : this.openDirect(slot)
        return { write: (text) => writeAll(fd, text, path) }
      }
      const parts: string[] = []
      slot.stdout = parts
      return { write: (text) => parts.push(text) }
    }
    const temp = join(
      dirname(resolve(path)),
      `.${basename(path)}.ipamsim-${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
    )
    trackTemp(temp)
    try {
      slot.fd = openSync(temp, "wx", 0o666)
    } catch (e) {
      pending.delete(temp)
      throw new UserFacingError(`${path}: cannot write (${codeOf(e)})`)
    }
    slot.temp = temp
    const fd = slot.fd
    return { write: (text) => writeAll(fd, text, path) }
  }

  /** Ends writing an output opened with `open`. */
  close(flag: string): void {
    const slot = this.slot(flag)
    if (slot.fd !== undefined) {
      try {
        closeSync(slot.fd)
      } catch (e) {
        throw new UserFacingError(`${slot.request.path}: cannot write (${codeOf(e)})`)
      }
      slot.fd = undefined
    }
    slot.done = true
  }

  /**
   * Puts every output in place: renames the temporary files over their targets (an existing target is
   * checked once more), then writes standard output.
   */
  commit(): void {
    if (this.finished) throw new Error("OutputPlan.commit: already finished")
    const files = [...this.slots.values()].filter((s) => s.temp !== undefined)
    for (const s of this.slots.values())
      if (!s.done) throw new Error(`OutputPlan.commit: ${s.request.flag} was not written`)
    // A file that appeared since the plan (or changed hands) is still not ours to replace.
    const problems: string[] = []
    for (const s of files) {
      const r = s.request
      const st = statSync(r.path, { throwIfNoEntry: false })
      if (st !== undefined && (st.isDirectory() || (!this.force && !writtenByIpamsim(r.path, r.kind))))
        problems.push(`${r.path}: exists and was not written by ipamsim; refusing to overwrite it (use --force)`)
    }
    if (problems.length > 0) {
      this.abort()
      throw new UserFacingError(problems.join("\n"))
    }
    const placed: string[] = []
    try {
      for (const s of files) {
        const existed = statSync(s.request.path, { throwIfNoEntry: false }) !== undefined
        renameSync(s.temp!, s.request.path)
        pending.delete(s.temp!)
        if (!existed) placed.push(s.request.path)
      }
    } catch (e) {
      // Leave nothing new behind: what this commit created goes, with the rest of the temporary files.
      for (const p of placed) unlinkQuietly(p)
      this.abort()
      throw new UserFacingError(`cannot put the outputs in place (${codeOf(e)})`)
    }
    this.finished = true
    for (const s of this.slots.values()) {
      if (s.stdout === undefined) continue
      if (s.request.path === "-") writeAll(1, s.stdout.join(""), "-")
      else {
        const fd = this.openDirect(s)
        try {
          writeAll(fd, s.stdout.join(""), s.request.path)
        } finally {
          closeSync(fd)
          s.fd = undefined
        }
      }
    }
  }

  /** Opens a device or named pipe for writing in place. */
  private openDirect(slot: Slot): number {
    try {
      slot.fd = openSync(slot.request.path, "w")
      return slot.fd
    } catch (e) {
      throw new UserFacingError(`${slot.request.path}: cannot write (${codeOf(e)})`)
    }
  }

  /** Removes every temporary file; nothing is left behind. */
  abort(): void {
    for (const s of this.slots.values()) {
      if (s.fd !== undefined) {
        try {
          closeSync(s.fd)
        } catch {
          // Closing is all we can do.
        }
        s.fd = undefined
      }
      if (s.temp !== undefined) {
        unlinkQuietly(s.temp)
        pending.delete(s.temp)
      }
    }
    this.finished = true
  }

  private slot(flag: string): Slot {
    const slot = this.slots.get(flag)
    if (slot === undefined) throw new Error(`OutputPlan: no output ${flag}`)
    return slot
  }
}

const unlinkQuietly = (path: string): void => {
  try {
    unlinkSync(path)
  } catch {
    // Already gone.
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * Writes all of `text` (a write may take part of it), naming the path on failure. A full pipe on standard
 * output (EAGAIN: Node makes pipes non-blocking) is waited for; a reader that stopped (`| head`) ends the
 * command quietly.
 */
const writeAll = (fd: number, text: string, path: string): void => {
  const buf = Buffer.from(text, "utf8")
  let off = 0
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 1)
        continue
      }
      if (code === "EPIPE" && fd === 1) process.exit(0)
      throw new UserFacingError(`${path === "-" ? "standard output" : path}: cannot write (${codeOf(e)})`)
    }
  }
}

/** Writes one output (checked, under a temporary name, renamed when complete). */
export const writeOutput = (path: string, content: string, kind: OutputKind, force: boolean, flag = "--out"): void => {
  const plan = planOutputs([{ flag, path, kind }], { force })
  try {
    plan.write(flag, content)
    plan.commit()
  } catch (e) {
    plan.abort()
    throw e
  }
}

/** For tests: whether temporary files are still waiting to be renamed or removed. */
export const pendingTemporaryFiles = (): readonly string[] => [...pending]
