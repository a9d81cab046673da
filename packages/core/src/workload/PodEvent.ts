// The workload's vocabulary: a pod event and a pull-based stream of them (a trace or a generator).

/** One pod event of a trace, times in ms from the start of the simulation, non-decreasing. */
export interface PodEvent {
  readonly t: number
  readonly type: "create" | "delete"
  /** Pod identity within the trace (namespace/name); "" when the source gives podId (the kernel needs no name). */
  readonly pod: string
  /**
   * Optional: a small integer the source gives the pod instead of making the kernel look its name up. The
   * rules, which the kernel follows itself by name when a source gives none: a create of a pod that is not
   * live gets an id no live pod has; a create or delete of a live pod gets its id; a delete makes the pod
   * not live (its id may be given to a later pod); a delete of a pod that is not live gets -1. A source
   * gives ids to all of its events or to none.
   */
  readonly podId?: number | undefined
  /** Bind to this node (by name) instead of letting the scheduler place the pod. */
  readonly node?: string | undefined
  /** Has `nodeSelector: kubernetes.io/os: windows` (the only thing the webhook looks at). */
  readonly windowsSelector: boolean
  readonly hostNetwork: boolean
}

/**
 * A pull-based stream of pod events, so a trace never has to fit in memory. A source may fill and return
 * the same event object each time (a trace read on a second thread does): a consumer that keeps an event
 * past its next call of next() must copy it. The kernel never does.
 */
export interface TraceSource {
  next(): PodEvent | undefined
  /** Releases what reading holds (a file, a reader thread) when the consumer stops early; optional. */
  close?(): void
}
