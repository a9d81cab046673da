// Seeded pod-churn generators as pull-based TraceSources. A generator holds its next create and a heap of
// pending deletes (one per live pod), so memory follows the number of live pods, never the trace length,
// and an unbounded generator (no endMs) is fine as long as someone stops pulling (limitSource).
//
// Ordering rules, shared by every generator and by the trace readers:
// - all times are whole ms; creates of one generator come in the order they were drawn;
// - at equal times a pending delete comes before a create (an ending pod frees its address first; this is
//   also what keeps a rolling replace at replicas + maxSurge live pods);
// - deletes at equal times come in the order their creates were emitted (heap keyed by (time, sequence)).

import { compileLatency, type LatencySpec } from "../ec2/Latency.ts"
import { Rng } from "../kernel/Rng.ts"
import type { PodEvent, TraceSource } from "./PodEvent.ts"

/** How long a generated pod lives: a distribution in ms, or until the end of the trace. */
export type Lifetime = LatencySpec | "forever"

/** Fields every generator accepts: how its pods are named and what the webhook and scheduler see. */
export interface PodShape {
  /** Pods are named `<namePrefix>-<n>`; default `<kind>-<generator index>`, e.g. "poisson-0-17". */
  readonly namePrefix?: string | undefined
  readonly hostNetwork?: boolean | undefined
  /** `nodeSelector: kubernetes.io/os: windows`; default true (the pods this simulator is about). */
  readonly windowsSelector?: boolean | undefined
  /** Bind every pod to this node instead of letting the kernel's scheduler place it. */
  readonly node?: string | undefined
}

/** Homogeneous Poisson arrivals in [startMs, endMs). */
export interface PoissonGenerator extends PodShape {
  readonly kind: "poisson"
  readonly ratePerSecond: number
  readonly startMs?: number | undefined
  readonly endMs?: number | undefined
  readonly lifetime: Lifetime
}

/**
 * Poisson arrivals whose rate follows a day: rate(t) = mean · (1 + amplitude · cos(2π (t − peakAtMs) / periodMs)),
 * so the peak rate is mean · (1 + amplitude) and the trough mean · (1 − amplitude).
 */
export interface DiurnalGenerator extends PodShape {
  readonly kind: "diurnal"
  readonly meanPerSecond: number
  /** 0 = flat, 1 = no arrivals at the trough. */
  readonly amplitude: number
  /** Default one day. */
  readonly periodMs?: number | undefined
  /** Time of the peak within the period; default 14:00. */
  readonly peakAtMs?: number | undefined
  readonly startMs?: number | undefined
  readonly endMs?: number | undefined
  readonly lifetime: Lifetime
}

/**
 * A Deployment change at atMs. scale-up: `replicas` new pods (spread evenly over spreadMs) that stay.
 * rolling-replace: `replicas` old pods `<prefix>-old-<i>` created at 0; from atMs, every stepEveryMs, maxSurge
 * new pods are created and, one step later (when the new ones count as ready), maxSurge old ones deleted.
 */
export interface RolloutGenerator extends PodShape {
  readonly kind: "rollout"
  readonly atMs: number
  readonly replicas: number
  readonly mode: "scale-up" | "rolling-replace"
  /** Pods per step; default ceil(25% of replicas), Kubernetes' default maxSurge. */
  readonly maxSurge?: number | undefined
  /** Default 30 s. */
  readonly stepEveryMs?: number | undefined
  /** scale-up only: spread the creates evenly over this long after atMs; default all at atMs. */
  readonly spreadMs?: number | undefined
}

/** A CronJob: at startMs, startMs + everyMs, ... (before endMs), `parallelism` pods that run for runMs. */
export interface CronJobGenerator extends PodShape {
  readonly kind: "cronjob"
  readonly everyMs: number
  readonly startMs?: number | undefined
  readonly endMs?: number | undefined
  readonly parallelism: number
  readonly runMs: LatencySpec
}

export type GeneratorSpec = PoissonGenerator | DiurnalGenerator | RolloutGenerator | CronJobGenerator

export const DEFAULT_PERIOD_MS = 86_400_000
export const DEFAULT_PEAK_AT_MS = 14 * 3_600_000
export const DEFAULT_STEP_EVERY_MS = 30_000

/** A binary min-heap of items keyed by (time, insertion sequence): equal times pop in insertion order. */
export class TimeHeap<T> {
  private readonly times: number[] = []
  private readonly seqs: number[] = []
  private readonly items: T[] = []
  private nextSeq = 0

  get size(): number {
    return this.items.length
  }

  /** Time of the earliest item, or +Infinity. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0]! : Number.POSITIVE_INFINITY
  }

  peek(): T | undefined {
    return this.items[0]
  }

  push(time: number, item: T): void {
    const seq = this.nextSeq++
    let i = this.items.length
    this.times.push(time)
    this.seqs.push(seq)
    this.items.push(item)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.before(time, seq, p)) break
      this.put(i, this.times[p]!, this.seqs[p]!, this.items[p]!)
      i = p
    }
    this.put(i, time, seq, item)
  }

  pop(): T | undefined {
    const n = this.items.length
    if (n === 0) return undefined
    const top = this.items[0]!
    const time = this.times.pop()!
    const seq = this.seqs.pop()!
    const item = this.items.pop()!
    const last = n - 1
    if (last > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= last) break
        const r = l + 1
        const c = r < last && this.less(r, l) ? r : l
        if (!this.before(this.times[c]!, this.seqs[c]!, i, time, seq)) break
        this.put(i, this.times[c]!, this.seqs[c]!, this.items[c]!)
        i = c
      }
      this.put(i, time, seq, item)
    }
    return top
  }

  private less(a: number, b: number): boolean {
    return this.before(this.times[a]!, this.seqs[a]!, b)
  }

  /** (time, seq) before the entry at index j, or before (jt, js) when given. */
  private before(time: number, seq: number, j: number, jt = this.times[j]!, js = this.seqs[j]!): boolean {
    return time < jt || (time === jt && seq < js)
  }

  private put(i: number, time: number, seq: number, item: T): void {
    this.times[i] = time
    this.seqs[i] = seq
    this.items[i] = item
  }
}

/** One create a generator has drawn: when, the pod's name, and when it ends (undefined = never). */
interface Create {
  readonly t: number
  readonly pod: string
  readonly deleteAt: number | undefined
}

/** Merges a generator's creates (in time order) with the deletes of its live pods. */
class ChurnSource implements TraceSource {
  private upcoming: Create | undefined = undefined
  private exhausted = false
  private readonly deletes = new TimeHeap<PodEvent>()

  constructor(
    private readonly draw: () => Create | undefined,
    private readonly shape: {
      readonly windowsSelector: boolean
      readonly hostNetwork: boolean
      readonly node?: string
    },
  ) {}

  next(): PodEvent | undefined {
    if (this.upcoming === undefined && !this.exhausted) {
      this.upcoming = this.draw()
      if (this.upcoming === undefined) this.exhausted = true
    }
    const c = this.upcoming
    if (c !== undefined && c.t < this.deletes.peekTime()) {
      this.upcoming = undefined
      if (c.deleteAt !== undefined) this.deletes.push(c.deleteAt, this.event(c.deleteAt, "delete", c.pod))
      return this.event(c.t, "create", c.pod)
    }
    return this.deletes.pop()
  }

  // A literal rather than `{ ...shape, ... }`, which V8 makes slow here.
  private event(t: number, type: "create" | "delete", pod: string): PodEvent {
    const { windowsSelector, hostNetwork, node } = this.shape
    return node === undefined
      ? { t, type, pod, windowsSelector, hostNetwork }
      : { t, type, pod, node, windowsSelector, hostNetwork }
  }
}

const fail = (where: string, field: string, expected: string, got: unknown): never => {
  throw new Error(
    `${where}: ${field}: expected ${expected}, got ${typeof got === "string" ? JSON.stringify(got) : String(got)}`,
  )
}

/** A whole number of ms ≥ 0 (or the default when the field is absent). */
const wholeMs = (where: string, field: string, v: number | undefined, dflt: number): number => {
  if (v === undefined) return dflt
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) fail(where, field, "a whole number of ms ≥ 0", v)
  return v
}

const count = (where: string, field: string, v: number | undefined, min: number): number => {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) fail(where, field, `a whole number ≥ ${min}`, v)
  return v as number
}

const rate = (where: string, field: string, v: number): number => {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(where, field, "a finite number ≥ 0", v)
  return v
}

const creationSpan = (
  where: string,
  spec: { readonly startMs?: number | undefined; readonly endMs?: number | undefined },
) => {
  const start = wholeMs(where, "startMs", spec.startMs, 0)
  const end = wholeMs(where, "endMs", spec.endMs, Number.POSITIVE_INFINITY)
  if (end < start) fail(where, "endMs", `at least startMs (${start})`, end)
  return { start, end }
}

const sampler = (where: string, field: string, spec: LatencySpec): ((rng: Rng) => number) => {
  try {
    return compileLatency(spec)
  } catch (e) {
    // checkLatency names a field inside the spec ("lognormal.p99: ...") or speaks of the whole spec.
    const message = (e as Error).message
    throw new Error(`${where}: ${field}${/^(fixed|uniform|lognormal)\b/.test(message) ? "." : ": "}${message}`)
  }
}

const lifetimeSampler = (where: string, lifetime: Lifetime): ((rng: Rng) => number) | undefined =>
  lifetime === "forever" ? undefined : sampler(where, "lifetime", lifetime)

/** An exponential gap in ms for a rate per ms; 1 − u keeps the log argument in (0, 1]. */
const expGap = (rng: Rng, perMs: number): number => -Math.log(1 - rng.float()) / perMs

/**
 * One generator as a TraceSource. Each generator draws from its own stream `generator-<index>` of the seed,
 * so adding or changing one generator leaves the others' pods unchanged. Throws an Error naming the generator
 * and field for impossible values (negative rates, amplitude above 1, fractional ms, ...).
 */
export const generatorSource = (spec: GeneratorSpec, seed: number, index: number): TraceSource => {
  const where = `generator ${index} (${String(spec.kind)})`
  const rng = Rng.stream(seed, `generator-${index}`)
  const prefix = spec.namePrefix ?? `${spec.kind}-${index}`
  if (typeof prefix !== "string" || prefix === "") fail(where, "namePrefix", "a non-empty string", prefix)
  if (spec.node !== undefined && (typeof spec.node !== "string" || spec.node === ""))
    fail(where, "node", "a node name", spec.node)
  const shape = {
    windowsSelector: spec.windowsSelector ?? true,
    hostNetwork: spec.hostNetwork ?? false,
    ...(spec.node === undefined ? {} : { node: spec.node }),
  }
  let n = 0
  const name = (): string => `${prefix}-${n++}`

  switch (spec.kind) {
    case "poisson": {
      const perMs = rate(where, "ratePerSecond", spec.ratePerSecond) / 1000
      const { start, end } = creationSpan(where, spec)
      const life = lifetimeSampler(where, spec.lifetime)
      // Continuous arrival times, floored to ms: floor is monotone, so creates stay in order.
      let t = start
      return new ChurnSource(() => {
        if (perMs === 0) return undefined
        t += expGap(rng, perMs)
        if (t >= end) return undefined
        const at = Math.floor(t)
        return { t: at, pod: name(), deleteAt: life === undefined ? undefined : at + life(rng) }
      }, shape)
    }
    case "diurnal": {
      const mean = rate(where, "meanPerSecond", spec.meanPerSecond) / 1000
      const amplitude = spec.amplitude
      if (typeof amplitude !== "number" || !(amplitude >= 0 && amplitude <= 1))
        fail(where, "amplitude", "a number from 0 to 1", amplitude)
      const period = wholeMs(where, "periodMs", spec.periodMs, DEFAULT_PERIOD_MS)
      if (period === 0) fail(where, "periodMs", "more than 0 ms", period)
      const peak = wholeMs(where, "peakAtMs", spec.peakAtMs, DEFAULT_PEAK_AT_MS)
      const { start, end } = creationSpan(where, spec)
      const life = lifetimeSampler(where, spec.lifetime)
      // Thinning (Lewis–Shedler): candidates at the peak rate, each kept with probability rate(t) / peak rate.
      const top = mean * (1 + amplitude)
      const omega = (2 * Math.PI) / period
      let t = start
      return new ChurnSource(() => {
        if (top === 0) return undefined
        for (;;) {
          t += expGap(rng, top)
          if (t >= end) return undefined
          const r = mean * (1 + amplitude * Math.cos(omega * (t - peak)))
          if (rng.float() * top < r) break
        }
        const at = Math.floor(t)
        return { t: at, pod: name(), deleteAt: life === undefined ? undefined : at + life(rng) }
      }, shape)
    }
    case "rollout": {
      if (spec.atMs === undefined) fail(where, "atMs", "a whole number of ms ≥ 0", spec.atMs)
      const at = wholeMs(where, "atMs", spec.atMs, 0)
      const replicas = count(where, "replicas", spec.replicas, 0)
      if (spec.mode === "scale-up") {
        const spread = wholeMs(where, "spreadMs", spec.spreadMs, 0)
        let i = 0
        return new ChurnSource(() => {
          if (i >= replicas) return undefined
          const t = at + Math.floor((i * spread) / replicas)
          i++
          return { t, pod: name(), deleteAt: undefined }
        }, shape)
      }
      if (spec.mode !== "rolling-replace") fail(where, "mode", '"scale-up" or "rolling-replace"', spec.mode)
      if (spec.spreadMs !== undefined) fail(where, "spreadMs", "no spreadMs with rolling-replace", spec.spreadMs)
      const surge =
        spec.maxSurge === undefined ? Math.max(1, Math.ceil(replicas / 4)) : count(where, "maxSurge", spec.maxSurge, 1)
      const step = wholeMs(where, "stepEveryMs", spec.stepEveryMs, DEFAULT_STEP_EVERY_MS)
      if (step === 0) fail(where, "stepEveryMs", "more than 0 ms", step)
      // Old pod i goes in step floor(i / surge), one step after its replacements were created.
      let old = 0
      let fresh = 0
      return new ChurnSource(() => {
        if (old < replicas) {
          const i = old++
          return { t: 0, pod: `${prefix}-old-${i}`, deleteAt: at + (Math.floor(i / surge) + 1) * step }
        }
        if (fresh >= replicas) return undefined
        const t = at + Math.floor(fresh / surge) * step
        fresh++
        return { t, pod: name(), deleteAt: undefined }
      }, shape)
    }
    case "cronjob": {
      const every = wholeMs(where, "everyMs", spec.everyMs, 0)
      if (spec.everyMs === undefined || every === 0) fail(where, "everyMs", "more than 0 ms", spec.everyMs)
      const parallelism = count(where, "parallelism", spec.parallelism, 1)
      const { start, end } = creationSpan(where, spec)
      const run = sampler(where, "runMs", spec.runMs)
      let tick = start
      let inTick = 0
      return new ChurnSource(() => {
        if (inTick === parallelism) {
          inTick = 0
          tick += every
        }
        if (tick >= end) return undefined
        inTick++
        return { t: tick, pod: name(), deleteAt: tick + run(rng) }
      }, shape)
    }
    default:
      return fail(
        `generator ${index}`,
        "kind",
        '"poisson", "diurnal", "rollout" or "cronjob"',
        (spec as { kind: unknown }).kind,
      )
  }
}

/**
 * A k-way merge by time. Stable: at equal times the lower source index comes first, and each source keeps its
 * own order. Throws if a source goes back in time (its output would break the merged order).
 */
export const mergeSources = (sources: readonly TraceSource[]): TraceSource => {
  const heads: (PodEvent | undefined)[] = sources.map((s) => s.next())
  // A heap of source indices keyed by (head time, index); a source leaves it when exhausted.
  const heap: number[] = []
  const before = (a: number, b: number): boolean => {
    const ta = heads[a]!.t
    const tb = heads[b]!.t
    return ta < tb || (ta === tb && a < b)
  }
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1
      if (l >= heap.length) return
      const r = l + 1
      const c = r < heap.length && before(heap[r]!, heap[l]!) ? r : l
      if (!before(heap[c]!, heap[i]!)) return
      ;[heap[c], heap[i]] = [heap[i]!, heap[c]!]
      i = c
    }
  }
  heads.forEach((h, i) => {
    if (h !== undefined) heap.push(i)
  })
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i)

  return {
    next: () => {
      if (heap.length === 0) return undefined
      const s = heap[0]!
      const out = heads[s]!
      const h = sources[s]!.next()
      if (h !== undefined && h.t < out.t)
        throw new Error(`mergeSources: source ${s} went back in time (${h.t} ms after ${out.t} ms)`)
      heads[s] = h
      if (h === undefined) {
        const last = heap.pop()!
        if (heap.length > 0) heap[0] = last
      }
      siftDown(0)
      return out
    },
    close: () => {
      for (const s of sources) s.close?.()
    },
  }
}

/** The source's events before untilMs (exclusive, like the generators' endMs); stops pulling once past it. */
export const limitSource = (source: TraceSource, untilMs: number): TraceSource => {
  let done = false
  return {
    next: () => {
      if (done) return undefined
      const e = source.next()
      if (e === undefined || e.t >= untilMs) {
        done = true
        return undefined
      }
      return e
    },
  }
}

/** Every generator of a scenario, merged in spec order, optionally cut at untilMs. */
export const generatedTrace = (specs: readonly GeneratorSpec[], seed: number, untilMs?: number): TraceSource => {
  const merged = mergeSources(specs.map((s, i) => generatorSource(s, seed, i)))
  return untilMs === undefined ? merged : limitSource(merged, untilMs)
}
