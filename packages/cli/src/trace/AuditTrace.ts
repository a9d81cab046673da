// audit traces: Kubernetes audit logs, JSON Lines of audit.k8s.io Event objects (.json, .log, or .jsonl
// whose first line is one). Only stage ResponseComplete with a 2xx code on resource "pods" counts: verb
// create (pod spec from responseObject, else requestObject: nodeSelector kubernetes.io/os, hostNetwork,
// nodeName), create on subresource "binding" (the node: requestObject.target.name), and delete. Time is
// stageTimestamp (else requestReceivedTimestamp), in ms after the first record of the file (the earliest
// with `sort`).
// The kernel takes a pod's node at its create, so a create waits for its binding: it is emitted at the
// binding's time with the binding's node, or, when no binding comes within the lookahead (default 60 s), at
// its own time with no node (the kernel's scheduler places it). Creates that carry spec.nodeName go out at
// once. A pod's graceful delete and the kubelet's final delete are both API deletes: when a second delete of
// a pod comes within the lookahead, the last one (the removal) is kept. Audit logs are written in completion
// order, not strictly by time: records may be up to the lookahead out of order; events are released once the
// file has moved a lookahead past them (memory: one lookahead's worth of events). Without a pod spec
// (Metadata-level logs) a pod counts as having the Windows nodeSelector.
// A second create of a live pod fails in the API server (409 AlreadyExists) and is skipped with the other
// failed requests; a successful create of a pod that is alive (created, not deleted since, in time order)
// contradicts that, and is an error at the create's line.

import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { TimeHeap } from "@ipamsim/core/workload/TraceGenerators"
import { type Assembler, event, type Fail, isRecord, type Rec, show, windowsNodeSelector } from "./TraceRecord.ts"

export const isAuditEvent = (o: Record<string, unknown>): boolean =>
  o.kind === "Event" && typeof o.apiVersion === "string" && o.apiVersion.startsWith("audit.k8s.io/")

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** ms since the epoch, truncated to the ms (audit timestamps carry microseconds). */
export const parseRfc3339 = (s: string): number | undefined => {
  const m = RFC3339.exec(s)
  if (m === null) return undefined
  const [, y, mo, d, h, mi, sec, frac = "", , sign, oh, om] = m
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec))
  const offset = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000
  return ms + Number(frac.slice(0, 3).padEnd(3, "0")) - offset
}

const get = (o: unknown, ...path: string[]): unknown => {
  let v = o
  for (const k of path) v = isRecord(v) ? v[k] : undefined
  return v
}

/** Audit record → Rec (t in ms since the epoch), or undefined for records that are no pod event. */
export const auditRec = (o: Record<string, unknown>, t: number, timeText: string, lineNo: number): Rec | undefined => {
  if (o.stage !== "ResponseComplete") return undefined
  const ref = o.objectRef
  if (!isRecord(ref) || ref.resource !== "pods" || (ref.apiGroup !== undefined && ref.apiGroup !== "")) return undefined
  const code = get(o, "responseStatus", "code")
  if (typeof code !== "number" || code < 200 || code > 299) return undefined
  if (typeof o.requestURI === "string" && /[?&]dryRun=/.test(o.requestURI)) return undefined
  const sub = ref.subresource ?? ""
  const create = o.verb === "create" && sub === ""
  const bind = o.verb === "create" && sub === "binding"
  const del = o.verb === "delete" && sub === ""
  if (!create && !bind && !del) return undefined
  const name = [
    ref.name,
    get(o, "responseObject", "metadata", "name"),
    get(o, "requestObject", "metadata", "name"),
  ].find((n): n is string => typeof n === "string" && n !== "")
  if (name === undefined) return undefined
  const pod = typeof ref.namespace === "string" && ref.namespace !== "" ? `${ref.namespace}/${name}` : name
  const base = { t, line: lineNo, timeText, pod, deleteAt: undefined }
  if (bind) {
    const target = get(o, "requestObject", "target", "name")
    const node = typeof target === "string" && target !== "" ? target : undefined
    return { ...base, kind: "bind", node, windowsSelector: true, hostNetwork: false }
  }
  if (del) return { ...base, kind: "delete", node: undefined, windowsSelector: true, hostNetwork: false }
  // The admitted pod (responseObject) when the log has it: webhooks may have added a nodeSelector.
  const spec = get(o, "responseObject", "spec") ?? get(o, "requestObject", "spec")
  const nodeName = get(spec, "nodeName")
  return {
    ...base,
    kind: "create",
    node: typeof nodeName === "string" && nodeName !== "" ? nodeName : undefined,
    windowsSelector: isRecord(spec) ? windowsNodeSelector(get(spec, "nodeSelector")) : true,
    hostNetwork: get(spec, "hostNetwork") === true,
  }
}

interface Ready {
  readonly event: PodEvent
  /** The line of the record that made the event (a create's, not its binding's). */
  readonly line: number
  dropped: boolean
}

/** audit: creates wait for their binding, deletes for a later delete of the same pod, both within the lookahead. */
export class AuditEvents implements Assembler {
  private readonly ready = new TimeHeap<Ready>()
  private readonly unbound = new Map<string, Rec>()
  private readonly unboundByTime = new TimeHeap<Rec>()
  private readonly lastDelete = new Map<string, Ready>()
  /** Creates of live pods: a delete record has no pod spec, its event repeats the create's. */
  private readonly live = new Map<string, Rec>()
  /** The pods alive in the events handed out (time order), with the line of their create. */
  private readonly alive = new Map<string, number>()
  private seen = Number.NEGATIVE_INFINITY
  private flushed = false
  skipped = 0

  constructor(
    private readonly lookahead: number,
    private readonly fail: (line: number) => Fail,
  ) {}

  add(r: Rec): void {
    this.seen = Math.max(this.seen, r.t)
    this.expire(this.seen - this.lookahead)
    const waiting = this.unbound.get(r.pod)
    if (r.kind === "create") {
      if (waiting !== undefined) this.release(waiting)
      // A pod made again under the same name: the earlier delete is final.
      this.lastDelete.delete(r.pod)
      this.live.set(r.pod, r)
      if (r.node !== undefined) this.push(event(r.t, "create", r), r.line)
      else {
        this.unbound.set(r.pod, r)
        this.unboundByTime.push(r.t, r)
      }
    } else if (r.kind === "bind") {
      if (waiting === undefined) this.skipped++
      else {
        this.unbound.delete(r.pod)
        this.push(event(r.t, "create", waiting, r.node), waiting.line)
      }
    } else {
      if (waiting !== undefined) this.release(waiting)
      const earlier = this.lastDelete.get(r.pod)
      if (earlier !== undefined) {
        earlier.dropped = true
        this.skipped++
      }
      const created = this.live.get(r.pod)
      this.live.delete(r.pod)
      const shape = created ?? r
      const del = { ...r, windowsSelector: shape.windowsSelector, hostNetwork: shape.hostNetwork }
      this.lastDelete.set(r.pod, this.push(event(r.t, "delete", del), r.line))
    }
  }

  take(eof: boolean): PodEvent | undefined {
    if (eof && !this.flushed) {
      this.flushed = true
      this.expire(Number.POSITIVE_INFINITY)
    }
    for (;;) {
      if (!eof && this.ready.peekTime() >= this.seen - this.lookahead) return undefined
      const r = this.ready.pop()
      if (r === undefined) return undefined
      if (this.lastDelete.get(r.event.pod) === r) this.lastDelete.delete(r.event.pod)
      if (r.dropped) continue
      const pod = r.event.pod
      if (r.event.type === "delete") this.alive.delete(pod)
      else {
        const earlier = this.alive.get(pod)
        if (earlier !== undefined) this.createdTwice(pod, r.line, earlier)
        this.alive.set(pod, r.line)
      }
      return r.event
    }
  }

  /** A successful create of a live pod: the API server answers such a create 409 AlreadyExists. */
  private createdTwice(pod: string, line: number, earlier: number): never {
    return this.fail(line)(
      `pod ${show(pod)} is created again while it is alive: line ${earlier} created it and no delete came in between (expected a delete of the pod first: the API server refuses a second create of a live pod with 409 AlreadyExists, a failed request the reader skips)`,
    )
  }

  /** Creates that waited past `before` go out unbound at their own time. */
  private expire(before: number): void {
    while (this.unboundByTime.peekTime() < before) {
      const r = this.unboundByTime.pop()!
      if (this.unbound.get(r.pod) === r) this.release(r)
    }
  }

  private release(r: Rec): void {
    this.unbound.delete(r.pod)
    this.push(event(r.t, "create", r, undefined), r.line)
  }

  private push(e: PodEvent, line: number): Ready {
    const r = { event: e, line, dropped: false }
    this.ready.push(e.t, r)
    return r
  }
}
