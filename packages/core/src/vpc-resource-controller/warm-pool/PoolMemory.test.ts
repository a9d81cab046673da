import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ascendingOrder } from "../../go/MapOrder.ts"
import { pdDefaultConfig, sipDefaultConfig } from "../WarmPoolConfig.ts"
import { JobType, Pool, PoolJob } from "./Pool.ts"
import { PoolMemory } from "./PoolMemory.ts"
import {
  poolAssigned,
  poolAssignUnheld,
  poolCooling,
  poolFreeAt,
  poolPendingCreate,
  poolProcessCoolDown,
  poolUsed,
  poolUsedAt,
  poolWarm,
} from "./PoolOperations.ts"
import { WarmPool } from "./WarmPool.ts"

/** A pool with room for many pods and groups, so that its first region (16 pods, 4 prefixes) overflows. */
const bigPool = (isPd: boolean, memory?: PoolMemory, id?: number) =>
  new WarmPool({
    capacity: isPd ? 12 * Pool.IPS_PER_PREFIX : 40,
    isPrefixPool: isPd,
    // Targets high enough that a few creates bring many addresses, so that pods pile up past the region.
    config: isPd
      ? { ...pdDefaultConfig(), warmIpTarget: 48, minIpTarget: 96 }
      : { ...sipDefaultConfig(), warmIpTarget: 12, minIpTarget: 24 },
    order: ascendingOrder,
    memory,
    id,
  })

type Op =
  | { kind: "create" }
  | { kind: "assign"; pod: number }
  | { kind: "free"; pod: number }
  | { kind: "cool"; after: number }
  | { kind: "resync"; drop: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: "create" }),
  { arbitrary: fc.integer({ min: 1, max: 200 }).map<Op>((pod) => ({ kind: "assign", pod })), weight: 4 },
  // Frees outnumber cool-downs, so that cooling queues reach the ends of their regions.
  { arbitrary: fc.integer({ min: 1, max: 200 }).map<Op>((pod) => ({ kind: "free", pod })), weight: 3 },
  fc.integer({ min: 0, max: 60_000 }).map<Op>((after) => ({ kind: "cool", after })),
  fc.integer({ min: 0, max: 3 }).map<Op>((drop) => ({ kind: "resync", drop })),
)

/** Drives one pool through `ops`, recording every answer; EC2 is a counter of groups handed out. */
class Driver {
  readonly answers: unknown[] = []
  private next: number
  private now = 0
  private readonly ec2: number[] = []
  private readonly job = new PoolJob()

  constructor(
    readonly pool: WarmPool,
    start: number,
  ) {
    this.next = start
  }

  apply(op: Op): void {
    const p = this.pool
    const step = p.isPrefixPool ? Pool.IPS_PER_PREFIX : 1
    switch (op.kind) {
      case "create": {
        // What a Create job of the pool's current reconcile would bring back.
        const type = p.reconcile(this.job)
        const made: number[] = []
        if (type === JobType.Create)
          for (let i = 0; i < this.job.count; i++) {
            made.push(this.next)
            this.ec2.push(this.next)
            this.next += step
          }
        if (type === JobType.Create || type === JobType.Deleted)
          p.updatePool(type, this.job.count, type === JobType.Create ? made : [], true, true)
        this.answers.push(["create", type, made])
        break
      }
      case "assign":
        this.answers.push(["assign", p.assign(op.pod)])
        break
      case "free":
        this.answers.push(["free", p.free(op.pod, p.assigned(op.pod), this.now)])
        break
      case "cool":
        this.now += op.after
        this.answers.push(["cool", p.processCoolDown(this.now), p.oldestCoolingAt(), p.coolDownSettles(this.now)])
        break
      case "resync": {
        // A failed job, then ReSync with EC2 short of its first `drop` groups.
        p.updatePool(JobType.Create, 0, [], false, true)
        p.reSync(this.ec2.slice(op.drop))
        this.answers.push(["resync"])
        break
      }
    }
    this.answers.push(p.trackedAddresses(), p.warmGroups(), p.pendingCreate, p.pendingDelete)
    // The kernel's reads by id see what the object sees.
    const { memory: m, id } = p
    expect([poolUsed(m, id), poolWarm(m, id), poolCooling(m, id), poolPendingCreate(m, id)]).toEqual([
      p.usedCount,
      p.warmCountIps,
      p.coolingCount,
      p.pendingCreate,
    ])
  }
}

describe("PoolMemory", () => {
  it("pools sharing one memory answer exactly as pools with a memory each, while their regions move", () => {
    let moved = 0
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.tuple(fc.boolean(), opArb), { maxLength: 300 }), (isPd, ops) => {
        const shared = new PoolMemory()
        const a = new Driver(bigPool(isPd, shared, 3), 1000 * Pool.IPS_PER_PREFIX)
        const b = new Driver(bigPool(isPd, shared, 0), 5000 * Pool.IPS_PER_PREFIX)
        const aAlone = new Driver(bigPool(isPd), 1000 * Pool.IPS_PER_PREFIX)
        const bAlone = new Driver(bigPool(isPd), 5000 * Pool.IPS_PER_PREFIX)
        const first = shared.used
        for (const [toA, op] of ops) {
          if (toA) {
            a.apply(op)
            aAlone.apply(op)
          } else {
            b.apply(op)
            bAlone.apply(op)
          }
        }
        if (shared.used > first) moved++
        expect(a.answers).toEqual(aAlone.answers)
        expect(b.answers).toEqual(bAlone.answers)
      }),
      { numRuns: 300 },
    )
    // The property is about regions that move: about a third of the runs move one (95–130 seen).
    expect(moved).toBeGreaterThan(60)
  })

  it("a pool past its first region keeps every pod's address, its warm groups and its cooling queue", () => {
    const pool = bigPool(true)
    const job = new PoolJob()
    const first = pool.memory.used
    // Twelve prefixes (more than the first region's four), then 150 pods (more than its 16 pairs).
    const prefixes = Array.from({ length: 12 }, (_, i) => (200 + i) * Pool.IPS_PER_PREFIX)
    pool.updatePool(JobType.Create, 0, prefixes, true, true)
    const held = new Map<number, number>()
    for (let pod = 1; pod <= 150; pod++) held.set(pod, pool.assign(pod))
    expect(pool.memory.used).toBeGreaterThan(first)
    for (const [pod, ip] of held) expect(pool.assigned(pod)).toBe(ip)
    // 100 frees (more than the cooling queue's first 16 places), then the cool-down.
    for (let pod = 1; pod <= 100; pod++) expect(pool.free(pod, held.get(pod)!, 1000 + pod)).toBe(0)
    expect(pool.coolingCount).toBe(100)
    expect(pool.oldestCoolingAt()).toBe(1001)
    expect(pool.processCoolDown(1050 + 30_000)).toBe(true)
    expect(pool.coolingCount).toBe(50)
    expect(pool.usedCount).toBe(50)
    expect(pool.warmCountIps).toBe(12 * Pool.IPS_PER_PREFIX - 50 - 50)
    const { used, warm, cooling } = pool.trackedAddresses()
    expect(new Set([...used, ...warm, ...cooling]).size).toBe(12 * Pool.IPS_PER_PREFIX)
    expect(pool.warmGroups().map(([g]) => g)).toEqual(prefixes)
    // Far more warm than the targets want: whole free prefixes go.
    expect(pool.reconcile(job)).toBe(JobType.Deleted)
  })

  it("a pool made again under its id takes its last region back: memory does not grow with remakes", () => {
    const memory = new PoolMemory()
    const other = bigPool(true, memory, 1)
    for (let round = 0; round < 100; round++) {
      const pool = bigPool(true, memory, 0)
      // Each round fills the pool past its first region (it moves), then the node's pools are dropped.
      pool.updatePool(JobType.Create, 0, [(300 + round) * Pool.IPS_PER_PREFIX], true, true)
      for (let pod = 1; pod <= 16; pod++) pool.assign(pod)
      expect(pool.usedCount).toBe(16)
      memory.drop(0)
    }
    // The first round's moves allocate; the 99 remakes after it reuse the region they ended in.
    const after = memory.used
    bigPool(true, memory, 0)
    expect(memory.used).toBe(after)
    expect(after).toBeLessThan(4 * 1024)
    expect(other.usedCount).toBe(0)
  })

  it("has and drop: a dropped pool's id has no region until a pool is made under it again", () => {
    const memory = new PoolMemory()
    expect(memory.has(5)).toBe(false)
    bigPool(false, memory, 5)
    expect(memory.has(5)).toBe(true)
    memory.drop(5)
    expect(memory.has(5)).toBe(false)
    const again = bigPool(false, memory, 5)
    expect(memory.has(5)).toBe(true)
    expect(again.usedCount).toBe(0)
  })

  it("the kernel's assign and free by id answer as the pool's own, and a pod's place survives its region moving", () => {
    const step = fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 120 }).map((pod) => ({ assign: pod })), weight: 3 },
      {
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 120 }), fc.nat(40_000))
          .map(([pod, after]) => ({ free: pod, after })),
        weight: 2,
      },
    )
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 200 }), (isPd, steps) => {
        const reference = bigPool(isPd)
        const kernel = bigPool(isPd, new PoolMemory(), 2)
        const groups = Array.from({ length: isPd ? 8 : 40 }, (_, i) =>
          isPd ? (400 + i) * Pool.IPS_PER_PREFIX : 9000 + i,
        )
        for (const p of [reference, kernel]) p.updatePool(JobType.Create, 0, groups, true, true)
        const { memory: m, id } = kernel
        let now = 0
        for (const s of steps) {
          if ("assign" in s) {
            // The kernel only assigns to pods that hold nothing (its waiting pods).
            if (reference.assigned(s.assign) >= 0) continue
            expect(poolAssignUnheld(m, id, s.assign, ascendingOrder)).toBe(reference.assign(s.assign))
          } else {
            const ip = reference.assigned(s.free)
            const place = poolUsedAt(m, id, s.free)
            // Cooled addresses return to warm between finding the pod and freeing it (the kernel wakes the
            // pool's skipped loop there), which may move the region.
            now += s.after
            poolProcessCoolDown(m, id, now)
            reference.processCoolDown(now)
            expect(poolFreeAt(m, id, place, ip, now)).toBe(reference.free(s.free, ip, now))
            expect(poolAssigned(m, id, s.free)).toBe(-1)
          }
          expect(kernel.trackedAddresses()).toEqual(reference.trackedAddresses())
        }
      }),
      { numRuns: 200 },
    )
  })
})
