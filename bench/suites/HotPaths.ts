// The hot paths, each against a baseline of plain JavaScript doing similar work: the warm pool's cycle for one
// pod (assign, reconcile, free, cool-down), a burst of deletes on one prefix pool, and the event list.

import { ascendingOrder } from "@ipamsim/core/go/MapOrder"
import { EventQueue } from "@ipamsim/core/kernel/EventQueue"
import { pdDefaultConfig, sipDefaultConfig } from "@ipamsim/core/vpc-resource-controller/WarmPoolConfig"
import { JobType, PoolJob } from "@ipamsim/core/vpc-resource-controller/warm-pool/Pool"
import {
  poolAssign,
  poolFree,
  poolProcessCoolDown,
  poolReconcile,
} from "@ipamsim/core/vpc-resource-controller/warm-pool/PoolOperations"
import { WarmPool } from "@ipamsim/core/vpc-resource-controller/warm-pool/WarmPool"
import { suite } from "./Results.ts"

// The pool's hot path: a pod assign, its reconcile, a free, cool-down and the job results.
const poolCycle = (n: number): (() => void) => {
  return () => {
    const pool = new WarmPool({ capacity: 49, isPrefixPool: false, config: sipDefaultConfig(), order: ascendingOrder })
    const job = new PoolJob()
    const created = [0, 0, 0]
    let next = 1000
    for (let i = 0; i < 3; i++) created[i] = next++
    pool.reconcile(job)
    pool.updatePool(JobType.Create, 3, created, true, false)
    const one = [0]
    let t = 0
    // A pod event's calls as the kernel makes them, by pool id (a job's result goes through the object).
    const { memory, id } = pool
    for (let i = 0; i < n; i += 4) {
      const ip = poolAssign(memory, id, i, ascendingOrder)
      if (poolReconcile(memory, id, job, ascendingOrder) === JobType.Create) {
        one[0] = next++
        pool.updatePool(JobType.Create, job.count, one, true, false)
      }
      poolFree(memory, id, i, ip, t)
      t += 31_000
      poolProcessCoolDown(memory, id, t)
    }
  }
}
const mapBaseline =
  (n: number): (() => void) =>
  () => {
    const m = new Map<number, number>()
    for (let i = 0; i < n; i += 4) {
      m.set(i, i)
      m.get(i)
      m.delete(i)
      m.size
    }
  }

/**
 * A burst of deletes on one prefix pool (a node draining 100 pods at once): each delete frees, reconciles
 * and, as Cluster.settle does for an idle pool, asks coolDownSettles, whose cost grows with the cooling
 * addresses. `settle` false: the same without coolDownSettles (the baseline).
 */
const deleteBurst = (n: number, settle: boolean): (() => void) => {
  const PODS = 100
  return () => {
    const pool = new WarmPool({ capacity: 224, isPrefixPool: true, config: pdDefaultConfig(), order: ascendingOrder })
    const job = new PoolJob()
    const made: number[] = []
    let prefix = 0x0a000000
    // A reconcile whose job completes at once: new prefixes for a Create, done for a Delete.
    const reconcile = (): void => {
      const type = pool.reconcile(job)
      if (type === JobType.Create) {
        made.length = 0
        for (let i = 0; i < job.count; i++, prefix += 16) made.push(prefix)
        pool.updatePool(type, job.count, made, true, true)
      } else if (type === JobType.Deleted) pool.updatePool(type, job.count, [], true, true)
    }
    const held: number[] = []
    let sink = 0
    for (let b = 0; b < n; b += PODS) {
      const t = b * 60_000
      for (let pod = 0; pod < PODS; pod++) {
        let ip = pool.assign(pod)
        for (let tries = 0; ip < 0; tries++) {
          if (tries === 10) throw new Error(`deleteBurst: no address for pod ${pod} (${ip})`)
          reconcile()
          ip = pool.assign(pod)
        }
        held[pod] = ip
        reconcile()
      }
      for (let pod = 0; pod < PODS; pod++) {
        pool.free(pod, held[pod]!, t)
        reconcile()
        if (settle && pool.coolDownSettles(t + 30_000)) sink++
      }
      pool.processCoolDown(t + 30_000)
      reconcile()
    }
    if (sink < 0) throw new Error("unreachable")
  }
}

// The event list.
const queueTask =
  (n: number): (() => void) =>
  () => {
    const q = new EventQueue(n)
    let x = 12345
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0
      q.push(x % 1_000_000, 2, i, 0)
    }
    while (q.pop()) {}
  }
/** The hold model at L's list size: 6,500 pending events, each step pops the first and schedules one later. */
const queueHold =
  (n: number): (() => void) =>
  () => {
    const q = new EventQueue(8192)
    let x = 12345
    for (let i = 0; i < 6500; i++) {
      x = (x * 1103515245 + 12345) >>> 0
      q.push(x % 30_000, 7, i, 0)
    }
    for (let i = 0; i < n; i++) {
      q.pop()
      x = (x * 1103515245 + 12345) >>> 0
      q.push(q.at + 1 + (x % 30_000), 7, q.a, 0)
    }
  }
const sortBaseline =
  (n: number): (() => void) =>
  () => {
    const a = new Float64Array(n)
    let x = 12345
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0
      a[i] = x % 1_000_000
    }
    a.sort()
  }

export const hotPaths = async (OPS: number): Promise<void> => {
  await suite("pool hot path (ops = assign+reconcile+free+cooldown cycles × 4)", OPS, [
    ["Map set/get/delete (baseline)", mapBaseline(OPS)],
    ["WarmPool cycle", poolCycle(OPS)],
  ])
  await suite("a burst of 100 deletes on one prefix pool (ops = pods assigned, then freed)", OPS / 4, [
    ["free + reconcile (baseline)", deleteBurst(OPS / 4, false)],
    ["free + reconcile + coolDownSettles (an idle pool's settle)", deleteBurst(OPS / 4, true)],
  ])
  await suite("event list (ops = push+pop)", OPS, [
    ["Float64Array sort (baseline)", sortBaseline(OPS)],
    ["EventQueue push/pop", queueTask(OPS)],
    ["EventQueue pop+push holding 6,500 events (L's list size)", queueHold(OPS)],
  ])
}
