// The pool conformance protocol (docs/conformance.md): one JSON op in, one JSON answer out, driving a
// single WarmPool with map order fixed to ascending addresses so answers can be compared op for op with
// cases recorded from the controller's own pkg/pool code.

import { ascendingOrder } from "../go/MapOrder.ts"
import { drainingConfig, type WarmPoolConfig } from "./WarmPoolConfig.ts"
import { assignShouldReconcile, JobType, Pool, PoolError, PoolJob, poolErrorName } from "./warm-pool/Pool.ts"
import { WarmPool } from "./warm-pool/WarmPool.ts"

export interface ConformanceAnswer {
  readonly op: string
  readonly error: string | null
  readonly reconcile: boolean | null
  readonly job: { readonly type: string; readonly count?: number } | null
  readonly more: boolean | null
  readonly state: {
    readonly used: number
    readonly warm: number
    readonly cooling: number
    readonly pendingCreate: number
    readonly pendingDelete: number
    readonly resyncRequired: boolean
  } | null
}

/** Thrown for input that does not follow the protocol; the CLI turns it into a one-line error. */
export class ProtocolError extends Error {}

interface RecordedJob {
  readonly type: JobType
  readonly count: number
  readonly groups: readonly number[]
}

const JOB_NAMES: Record<JobType, string> = {
  [JobType.NoReconcile]: "NoReconcile",
  [JobType.Create]: "Create",
  [JobType.Deleted]: "Deleted",
  [JobType.ReSync]: "ReSyncPool",
}

// Addresses handed out by `complete` start here and only grow (protocol: later resources lie above earlier ones).
const FIRST_ADDRESS = 10 * 16777216 + 16

const int = (value: unknown, field: string, fallback?: number): number => {
  if (value === undefined && fallback !== undefined) return fallback
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new ProtocolError(`field "${field}": expected an integer`)
  return value
}

const readConfig = (value: unknown): WarmPoolConfig => {
  if (value === undefined) return drainingConfig()
  if (typeof value !== "object" || value === null) throw new ProtocolError(`field "config": expected an object`)
  const c = value as Record<string, unknown>
  return {
    desiredSize: int(c.desiredSize, "config.desiredSize", 0),
    warmIpTarget: int(c.warmIpTarget, "config.warmIpTarget", 0),
    minIpTarget: int(c.minIpTarget, "config.minIpTarget", 0),
    warmPrefixTarget: int(c.warmPrefixTarget, "config.warmPrefixTarget", 0),
    maxDeviation: int(c.maxDeviation, "config.maxDeviation", 0),
    reservedSize: 0,
  }
}

export class ConformanceSession {
  private pool: WarmPool | undefined
  private clock = 1_700_000_000_000
  private nextAddress = FIRST_ADDRESS
  private readonly pods = new Map<string, number>()
  private jobs: RecordedJob[] = []
  /** What EC2 holds for the node: every group ever created minus groups deleted for good. */
  private ec2 = new Set<number>()
  private readonly job = new PoolJob()

  /** Applies one op (already parsed from JSON) and returns the answer. */
  apply(input: unknown): ConformanceAnswer {
    if (typeof input !== "object" || input === null) throw new ProtocolError("expected a JSON object per line")
    const o = input as Record<string, unknown>
    const op = o.op
    if (typeof op !== "string") throw new ProtocolError(`field "op": expected a string`)
    if (op === "init") return this.init(o)
    const pool = this.pool
    if (pool === undefined) throw new ProtocolError(`op "${op}" before "init"`)
    switch (op) {
      case "assign": {
        const r = pool.assign(this.podId(o.pod))
        return this.answer(op, r < 0 ? poolErrorName(r) : null, assignShouldReconcile(r), null, null)
      }
      case "free": {
        const pod = this.podId(o.pod)
        const held = pool.assigned(pod)
        const r = held < 0 ? PoolError.ResourceDoesntExist : pool.free(pod, held, this.clock)
        return this.answer(op, r < 0 ? poolErrorName(r) : null, r === 0, null, null)
      }
      case "reconcile":
        return this.withJob(op, pool.reconcile(this.job))
      case "setActive":
        return this.withJob(op, pool.setToActive(readConfig(o.config), this.job))
      case "setDraining":
        return this.withJob(op, pool.setToDraining(this.job))
      case "complete":
        return this.complete(pool, o)
      case "advance":
        this.clock += int(o.ms, "ms")
        return this.answer(op, null, null, null, null)
      case "cooldown":
        return this.answer(op, null, null, null, pool.processCoolDown(this.clock))
      case "resync":
        pool.reSync([...this.ec2].sort((a, b) => a - b))
        return this.answer(op, null, null, null, null)
      default:
        throw new ProtocolError(`unknown op "${op}"`)
    }
  }

  private init(o: Record<string, unknown>): ConformanceAnswer {
    const mode = o.mode
    if (mode !== "secondary-ip" && mode !== "prefix")
      throw new ProtocolError(`field "mode": expected "secondary-ip" or "prefix"`)
    this.pool = new WarmPool({
      capacity: int(o.capacity, "capacity"),
      isPrefixPool: mode === "prefix",
      config: readConfig(o.config),
      order: ascendingOrder,
    })
    this.pods.clear()
    this.jobs = []
    this.ec2 = new Set()
    return this.answer("init", null, null, null, null)
  }

  private complete(pool: WarmPool, o: Record<string, unknown>): ConformanceAnswer {
    const index = int(o.job, "job")
    const job = this.jobs[index]
    if (job === undefined) throw new ProtocolError(`field "job": no Create or Deleted job with index ${index}`)
    const ok = o.ok
    if (typeof ok !== "boolean") throw new ProtocolError(`field "ok": expected a boolean`)
    const count = int(o.count, "count")
    const prefixAvailable = o.prefixAvailable === undefined ? true : o.prefixAvailable
    if (typeof prefixAvailable !== "boolean") throw new ProtocolError(`field "prefixAvailable": expected a boolean`)
    const resources: number[] = []
    if (job.type === JobType.Create) {
      if (count < 0 || count > job.count) throw new ProtocolError(`field "count": expected 0..${job.count}`)
      for (let i = 0; i < count; i++) resources.push(this.allocate(pool.isPrefixPool))
    } else {
      if (count < 0 || count > job.groups.length)
        throw new ProtocolError(`field "count": expected 0..${job.groups.length}`)
      for (let i = 0; i < job.groups.length; i++) {
        if (i < count) resources.push(job.groups[i]!)
        else this.ec2.delete(job.groups[i]!)
      }
    }
    const reconcile = pool.updatePool(job.type, job.count, resources, ok, prefixAvailable)
    return this.answer("complete", null, reconcile, null, null)
  }

  private allocate(prefix: boolean): number {
    if (prefix) this.nextAddress = Math.ceil(this.nextAddress / Pool.IPS_PER_PREFIX) * Pool.IPS_PER_PREFIX
    const address = this.nextAddress
    this.nextAddress += prefix ? Pool.IPS_PER_PREFIX : 1
    this.ec2.add(address)
    return address
  }

  private withJob(op: string, type: JobType): ConformanceAnswer {
    const job = this.job
    if (type === JobType.Create || type === JobType.Deleted) {
      this.jobs.push({ type, count: job.count, groups: [...job.groups] })
      return this.answer(op, null, null, { type: JOB_NAMES[type], count: job.count }, null)
    }
    return this.answer(op, null, null, { type: JOB_NAMES[type] }, null)
  }

  private podId(value: unknown): number {
    if (typeof value !== "string") throw new ProtocolError(`field "pod": expected a string`)
    let id = this.pods.get(value)
    if (id === undefined) {
      id = this.pods.size
      this.pods.set(value, id)
    }
    return id
  }

  private answer(
    op: string,
    error: string | null,
    reconcile: boolean | null,
    job: ConformanceAnswer["job"],
    more: boolean | null,
  ): ConformanceAnswer {
    const p = this.pool!
    return {
      op,
      error,
      reconcile,
      job,
      more,
      state: {
        used: p.usedCount,
        warm: p.warmCountIps,
        cooling: p.coolingCount,
        pendingCreate: p.pendingCreate,
        pendingDelete: p.pendingDelete,
        resyncRequired: p.reSyncRequired,
      },
    }
  }
}
