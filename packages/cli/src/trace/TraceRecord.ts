// A trace's records as the format parsers give them (one per line, in file order, before offsets), the
// assemblers that turn records in time order into pod events, and the helpers every parser's messages use.

import type { PodEvent } from "@ipamsim/core/spec/SimSpec"

/** A value as it appears in a message: quoted, and cut short when long. */
export const show = (v: unknown): string => {
  const s = v === undefined ? "nothing" : typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * A pod's nodeSelector is the webhook's Windows selector: `kubernetes.io/os: windows` or the older
 * `beta.kubernetes.io/os: windows` (webhooks/core/pod_webhook.go ~110–125). Node affinity does not count.
 */
export const windowsNodeSelector = (nodeSelector: unknown): boolean =>
  isRecord(nodeSelector) &&
  (nodeSelector["kubernetes.io/os"] === "windows" || nodeSelector["beta.kubernetes.io/os"] === "windows")

/** One record in file order, before offsets; `t` in ms (audit: ms since the epoch). */
export interface Rec {
  t: number
  readonly line: number
  /** The time as written, for order errors. */
  readonly timeText: string
  readonly kind: "create" | "delete" | "bind" | "row"
  readonly pod: string
  readonly node: string | undefined
  readonly windowsSelector: boolean
  readonly hostNetwork: boolean
  /** pod-table: the deletion time (ms, or undefined for never). */
  deleteAt: number | undefined
  /** pod-table: the deletion time as written (empty for never), for errors. */
  readonly deleteText?: string
}

export type Fail = (detail: string) => never

export interface Assembler {
  add(rec: Rec): void
  /** The next event that nothing still unread can precede, or undefined (read more, or the end). */
  take(eof: boolean): PodEvent | undefined
}

export const event = (t: number, type: "create" | "delete", r: Rec, node = r.node): PodEvent =>
  node === undefined
    ? { t, type, pod: r.pod, windowsSelector: r.windowsSelector, hostNetwork: r.hostNetwork }
    : { t, type, pod: r.pod, node, windowsSelector: r.windowsSelector, hostNetwork: r.hostNetwork }

/** csv, jsonl: one row, one event. */
export class RowEvents implements Assembler {
  private held: PodEvent | undefined
  add(rec: Rec): void {
    this.held = event(rec.t, rec.kind as "create" | "delete", rec)
  }
  take(): PodEvent | undefined {
    const e = this.held
    this.held = undefined
    return e
  }
}
