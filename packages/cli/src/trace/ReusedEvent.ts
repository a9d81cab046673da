// The one event object a reader fills and returns again and again when its consumer takes each event
// before asking for the next (OpenTraceOptions.reuseEvents): no object per trace event. Every field is
// always present, so the object keeps one shape.

import type { PodEvent } from "@ipamsim/core/spec/SimSpec"

export class ReusedEvent implements PodEvent {
  t = 0
  type: "create" | "delete" = "create"
  pod = ""
  podId: number | undefined = undefined
  node: string | undefined = undefined
  windowsSelector = false
  hostNetwork = false
}

/** Sets every field of the reused event and returns it. */
export const fill = (
  r: ReusedEvent,
  t: number,
  type: "create" | "delete",
  pod: string,
  podId: number | undefined,
  node: string | undefined,
  windowsSelector: boolean,
  hostNetwork: boolean,
): ReusedEvent => {
  r.t = t
  r.type = type
  r.pod = pod
  r.podId = podId
  r.node = node
  r.windowsSelector = windowsSelector
  r.hostNetwork = hostNetwork
  return r
}
