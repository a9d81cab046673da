// Model-based tests of WarmPool: random command sequences run against both the pool and a small reference model
// (WarmPool.reference.ts) written from research/vpc-resource-controller.md §3.1–§3.6 alone (with pool.go for the
// one point §3.6 leaves open: ReSync keeps a group key whose warm list was already empty). After every command
// the whole observable state is compared: counts, pending counters, flags, warm keys, every tracked address.
//
// Two runs of the same commands:
// - exact: the pool uses ascendingOrder, so the model predicts every address and every delete candidate;
// - any order: the pool uses randomOrder; the model checks that each choice is one the rules allow (a warm
//   address of a legal group, a legal delete set) and then follows it, so counts and errors stay comparable.

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ascendingOrder, randomOrder } from "../../go/MapOrder.ts"
import { Rng } from "../../kernel/Rng.ts"
import type { WarmPoolConfig } from "../WarmPoolConfig.ts"
import { JobType, Pool, PoolError, PoolJob, poolErrorName } from "./Pool.ts"
import { poolNeedsJob } from "./PoolOperations.ts"
import { type Job, RefPool } from "./WarmPool.reference.ts"
import { WarmPool } from "./WarmPool.ts"

// ---------------------------------------------------------------------------------------------------------------
// The world both sides live in: time, outstanding jobs, and what EC2 holds (groups: IPs or prefixes).

interface World {
  readonly model: RefPool
  now: number
  readonly jobs: Job[]
  readonly ec2: Set<number>
  /** Every group EC2 could hand out. */
  readonly universe: readonly number[]
  nextPod: number
  readonly exact: boolean
}
interface Real {
  readonly pool: WarmPool
}

const sortNum = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b)

/** The pool's whole observable state equals the model's. */
const compare = (w: World, pool: WarmPool): void => {
  const m = w.model
  expect(
    {
      used: pool.usedCount,
      warm: pool.warmCountIps,
      cooling: pool.coolingCount,
      pendingCreate: pool.pendingCreate,
      pendingDelete: pool.pendingDelete,
      reSyncRequired: pool.reSyncRequired,
      prefixAvailable: pool.prefixAvailable,
      warmKeys: pool.warmGroupKeys,
    },
    "counts",
  ).toEqual({
    used: m.used.size,
    warm: m.warmIps,
    cooling: m.cooling.length,
    pendingCreate: m.pendingCreate,
    pendingDelete: m.pendingDelete,
    reSyncRequired: m.reSyncRequired,
    prefixAvailable: m.prefixAvailable,
    warmKeys: m.warm.size,
  })
  const t = pool.trackedAddresses()
  expect(sortNum(t.used), "used addresses").toEqual(sortNum(m.used.values()))
  expect(sortNum(t.warm), "warm addresses").toEqual(sortNum([...m.warm.values()].flat()))
  expect(t.cooling, "cooling queue in free order").toEqual(m.cooling.map((e) => e.ip))
  const groups = (pairs: Array<[number, number]>) => pairs.sort((a, b) => a[0] - b[0])
  expect(groups(pool.warmGroups()), "warm lists per group").toEqual(
    groups([...m.warm.entries()].map(([g, l]) => [g, l.length])),
  )
  for (const [pod, ip] of m.used) expect(pool.assigned(pod), `pod ${pod}`).toBe(ip)
}

/** Fresh groups for EC2 to hand out: not held by EC2, not tracked by the pool; `salt` varies the pick. */
const freshGroups = (w: World, n: number, salt: number): number[] => {
  const tracked = new Set<number>()
  for (const ip of [
    ...w.model.used.values(),
    ...[...w.model.warm.values()].flat(),
    ...w.model.cooling.map((e) => e.ip),
  ])
    tracked.add(w.model.groupOf(ip))
  const free = w.universe.filter((g) => !w.ec2.has(g) && !tracked.has(g))
  const out: number[] = []
  for (let i = 0; i < n && i < free.length; i++) out.push(free[(salt + i) % free.length]!)
  for (const g of out) w.ec2.add(g)
  return sortNum(out)
}

const errorText = (r: number): string => (r >= 0 ? `${r}` : poolErrorName(r))

// ---------------------------------------------------------------------------------------------------------------
// Commands. Their toString is what a shrunk counterexample prints.

type Cmd = fc.Command<World, Real>

/** Outcomes seen, recorded only while the coverage test runs. */
let seen: Set<string> | undefined

const doAssign = (w: World, r: Real, pod: number): void => {
  const expected = w.model.assign(pod)
  const got = r.pool.assign(pod)
  seen?.add(got >= 0 ? "assigned" : poolErrorName(got))
  if ("error" in expected) {
    expect(errorText(got), `assign(p${pod})`).toBe(errorText(expected.error))
  } else {
    if (w.exact) expect(got, `assign(p${pod})`).toBe(Math.min(...expected.choices))
    else expect(expected.choices, `assign(p${pod}) picked a legal address`).toContain(got)
    w.model.takeWarm(pod, got)
  }
}

class Assign implements Cmd {
  constructor(readonly pod: number) {}
  check = () => true
  run(w: World, r: Real): void {
    doAssign(w, r, this.pod)
    compare(w, r.pool)
  }
  toString = () => `assign(p${this.pod})`
}

class AssignMany implements Cmd {
  constructor(readonly n: number) {}
  check = () => true
  run(w: World, r: Real): void {
    for (let i = 0; i < this.n; i++) doAssign(w, r, w.nextPod++)
    compare(w, r.pool)
  }
  toString = () => `assignNew(×${this.n})`
}

type FreeKind = "held" | "wrong-ip" | "unknown-pod"
class Free implements Cmd {
  constructor(
    readonly pick: number,
    readonly kind: FreeKind,
  ) {}
  check = (w: Readonly<World>) => this.kind === "unknown-pod" || w.model.used.size > 0
  run(w: World, r: Real): void {
    const pods = sortNum(w.model.used.keys())
    const pod = this.kind === "unknown-pod" ? 999_999 : pods[this.pick % pods.length]!
    const held = w.model.used.get(pod) ?? 1
    const ip = this.kind === "wrong-ip" ? held + 1 : held
    const expected = w.model.free(pod, ip, w.now)
    expect(errorText(r.pool.free(pod, ip, w.now)), this.toString()).toBe(errorText(expected))
    compare(w, r.pool)
  }
  toString = () => (this.kind === "held" ? `free(#${this.pick})` : `free(#${this.pick}, ${this.kind})`)
}

/** Runs a reconcile-like call on both sides and remembers the job. */
const doReconcile = (w: World, r: Real, call: (out: PoolJob) => JobType, label: string): void => {
  const out = new PoolJob()
  const type = call(out)
  const got: Job = { type, count: out.count, groups: [...out.groups] }
  const expected = w.model.reconcile()
  let job: Job
  if ("job" in expected) {
    job = expected.job
    expect(got, label).toEqual(job)
  } else {
    expect(got.type, `${label}: a delete`).toBe(JobType.Deleted)
    if (w.exact) {
      const ascending: number[] = []
      let left = expected.toDelete
      for (const g of sortNum(expected.candidates)) {
        if (left <= 0) break
        ascending.push(g)
        left -= w.model.groupSize
      }
      expect(got.groups, `${label}: delete candidates in ascending order`).toEqual(ascending)
    }
    w.model.checkDelete(expected.toDelete, expected.candidates, got.groups)
    job = w.model.bookDelete(got.groups)
    expect(got, label).toEqual(job)
  }
  if (job.type !== JobType.NoReconcile) w.jobs.push(job)
  seen?.add(`job ${job.type}`)
  compare(w, r.pool)
}

class Reconcile implements Cmd {
  check = () => true
  run(w: World, r: Real): void {
    // poolNeedsJob tells, without changing the pool, whether this reconcile returns a job.
    const needsJob = poolNeedsJob(r.pool.memory, r.pool.id)
    doReconcile(
      w,
      r,
      (out) => {
        const type = r.pool.reconcile(out)
        expect(type !== JobType.NoReconcile, "poolNeedsJob").toBe(needsJob)
        return type
      },
      "reconcile",
    )
  }
  toString = () => "reconcile"
}

interface ConfigChoice {
  readonly desiredSize: number
  readonly w: number
  readonly m: number
  readonly wpt: number
  readonly maxDeviation: number
}
const toConfig = (c: ConfigChoice): WarmPoolConfig => ({
  desiredSize: c.desiredSize,
  warmIpTarget: c.w,
  minIpTarget: c.m,
  warmPrefixTarget: c.wpt,
  maxDeviation: c.maxDeviation,
  reservedSize: 0,
})
const showConfig = (c: ConfigChoice): string =>
  `{size ${c.desiredSize}, W ${c.w}, M ${c.m}, WPT ${c.wpt}${c.maxDeviation > 0 ? `, dev ${c.maxDeviation}` : ""}}`

class SetActive implements Cmd {
  constructor(readonly config: ConfigChoice) {}
  check = () => true
  run(w: World, r: Real): void {
    // Each side gets its own object: the deviation functions write defaults back into it.
    w.model.config = toConfig(this.config)
    doReconcile(w, r, (out) => r.pool.setToActive(toConfig(this.config), out), this.toString())
  }
  toString = () => `setActive(${showConfig(this.config)})`
}

class SetDraining implements Cmd {
  check = () => true
  run(w: World, r: Real): void {
    w.model.config = toConfig({ desiredSize: 0, w: 0, m: 0, wpt: 0, maxDeviation: 0 })
    doReconcile(w, r, (out) => r.pool.setToDraining(out), "setDraining")
  }
  toString = () => "setDraining"
}

/**
 * How a job ends. Create: ok; partial (EC2 made fewer, the job fails with what it got); fail (nothing made);
 * lost (EC2 made them all but the describe failed, so the pool hears of none); icb (PD, SDK v1: success with
 * nothing and prefixAvailable false). Delete: ok; partial (some groups fail and go back to warm); fail (all back).
 * ReSync: ok runs ReSync with what EC2 holds; any other outcome means DescribeInstances failed.
 */
type Outcome = "ok" | "partial" | "fail" | "lost" | "icb"
class Complete implements Cmd {
  constructor(
    readonly pick: number,
    readonly outcome: Outcome,
    readonly salt: number,
  ) {}
  check = (w: Readonly<World>) => w.jobs.length > 0
  run(w: World, r: Real): void {
    const [job] = w.jobs.splice(this.pick % w.jobs.length, 1)
    const m = w.model
    const apply = (resources: number[], ok: boolean, prefixAvailable: boolean) => {
      const expected = m.updatePool(job!, resources, ok, prefixAvailable)
      expect(r.pool.updatePool(job!.type, job!.count, resources, ok, prefixAvailable), "shouldReconcile").toBe(expected)
    }
    switch (job!.type) {
      case JobType.Create: {
        const n = job!.count
        if (this.outcome === "ok") apply(freshGroups(w, n, this.salt), true, true)
        else if (this.outcome === "partial")
          apply(freshGroups(w, n === 0 ? 0 : n - 1 - (this.salt % n), this.salt), false, true)
        else if (this.outcome === "lost") {
          freshGroups(w, n, this.salt)
          apply([], false, true)
        } else if (this.outcome === "icb" && m.isPd) apply([], true, false)
        else apply([], false, true)
        break
      }
      case JobType.Deleted: {
        const groups = job!.groups
        const failing =
          this.outcome === "ok"
            ? []
            : this.outcome === "partial" && groups.length > 1
              ? groups.slice(0, 1 + (this.salt % (groups.length - 1)))
              : [...groups]
        for (const g of groups) if (!failing.includes(g)) w.ec2.delete(g)
        apply(failing, failing.length === 0, true)
        break
      }
      case JobType.ReSync: {
        if (this.outcome !== "ok") break
        const upstream = sortNum(w.ec2)
        m.reSync(upstream)
        r.pool.reSync(upstream)
        break
      }
    }
    compare(w, r.pool)
  }
  toString = () => `complete(#${this.pick}, ${this.outcome})`
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true
  run(w: World, r: Real): void {
    w.now += this.ms
    compare(w, r.pool)
  }
  toString = () => `advance(${this.ms / 1000}s)`
}

class CoolDown implements Cmd {
  check = () => true
  run(w: World, r: Real): void {
    const expected = w.model.processCoolDown(w.now)
    expect(r.pool.processCoolDown(w.now), "processCoolDown: entries remain").toBe(expected)
    compare(w, r.pool)
  }
  toString = () => "cooldown"
}

/** A ReSync call outside a ReSync job (a duplicate is ignored unless a failure asked for one). */
class ReSync implements Cmd {
  check = () => true
  run(w: World, r: Real): void {
    const upstream = sortNum(w.ec2)
    w.model.reSync(upstream)
    r.pool.reSync(upstream)
    compare(w, r.pool)
  }
  toString = () => "resync"
}

/** Someone unassigns a group behind the controller's back (only a ReSync notices). */
class Ec2Drop implements Cmd {
  constructor(readonly pick: number) {}
  check = (w: Readonly<World>) => w.ec2.size > 0
  run(w: World, r: Real): void {
    const held = sortNum(w.ec2)
    w.ec2.delete(held[this.pick % held.length]!)
    compare(w, r.pool)
  }
  toString = () => `ec2Drop(#${this.pick})`
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries.

/** A target as the loader can pass it: often unset (0), sometimes negative, else a value up to `max`. */
const target = (max: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -2, max: -1 }) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max }) },
  )

const configChoice = (isPd: boolean): fc.Arbitrary<ConfigChoice> =>
  fc.record({
    desiredSize: fc.constantFrom(1, 1, 3, 0),
    w: target(isPd ? 40 : 12),
    m: target(isPd ? 50 : 14),
    wpt: target(3),
    maxDeviation: fc.constantFrom(0, 0, 0, 1, 2),
  })

/** The command mix: pod events, reconciles and job completions dominate, as in the controller. */
const commands = (isPd: boolean, capacity: number) => {
  const assign = fc.integer({ min: 1, max: capacity + 3 }).map((p) => new Assign(p))
  const reconcile = fc.constant(new Reconcile())
  const complete = fc
    .tuple(
      fc.nat({ max: 7 }),
      fc.constantFrom<Outcome>("ok", "ok", "ok", "ok", "partial", "fail", "lost", "icb"),
      fc.nat(50),
    )
    .map(([p, o, s]) => new Complete(p, o, s))
  const free = fc
    .tuple(fc.nat({ max: 40 }), fc.constantFrom<FreeKind>("held", "held", "held", "held", "wrong-ip", "unknown-pod"))
    .map(([p, k]) => new Free(p, k))
  return fc.commands(
    [
      assign,
      assign,
      fc.integer({ min: 1, max: isPd ? 20 : 6 }).map((n) => new AssignMany(n)),
      free,
      free,
      reconcile,
      reconcile,
      reconcile,
      complete,
      complete,
      complete,
      fc.constantFrom(1, 1_000, 10_000, 29_999, 30_000, 45_000).map((ms) => new Advance(ms)),
      fc.constant(new CoolDown()),
      fc.constant(new ReSync()),
      configChoice(isPd).map((c) => new SetActive(c)),
      fc.constant(new SetDraining()),
      fc.nat({ max: 20 }).map((p) => new Ec2Drop(p)),
    ],
    { maxCommands: isPd ? 120 : 80, size: "+1" },
  )
}

interface PoolSetup {
  readonly isPd: boolean
  /** SIP: IPs; PD: prefixes (the pool's capacity is 16 × this). */
  readonly slots: number
  readonly config: ConfigChoice
  /** Groups on the ENI at init, and how many of their addresses running pods hold (adoptWarm / adoptUsed). */
  readonly initialGroups: number
  readonly initialUsed: number
}

const setupArb: fc.Arbitrary<PoolSetup> = fc.boolean().chain((isPd) =>
  fc
    .record({
      slots: isPd ? fc.integer({ min: 1, max: 3 }) : fc.integer({ min: 1, max: 10 }),
      config: configChoice(isPd),
      initialGroups: fc.nat({ max: 2 }),
      initialUsed: fc.nat({ max: 3 }),
    })
    .map((s) => ({ isPd, ...s })),
)

const scenario = setupArb.chain((setup) =>
  fc.tuple(fc.constant(setup), commands(setup.isPd, setup.isPd ? setup.slots * Pool.IPS_PER_PREFIX : setup.slots)),
)

/** Builds both sides in the same initial state: NewResourcePool from what EC2 holds and the running pods. */
const build = (setup: PoolSetup, exact: boolean, seed: number) => () => {
  const capacity = setup.isPd ? setup.slots * Pool.IPS_PER_PREFIX : setup.slots
  const model = new RefPool(capacity, setup.isPd, toConfig(setup.config))
  const universe = Array.from({ length: 2 * setup.slots + 6 }, (_, i) =>
    setup.isPd ? (100 + i) * Pool.IPS_PER_PREFIX : 100 + i,
  )
  const w: World = { model, now: 0, jobs: [], ec2: new Set(), universe, nextPod: 1000, exact }
  const pool = new WarmPool({
    capacity,
    isPrefixPool: setup.isPd,
    config: toConfig(setup.config),
    order: exact ? ascendingOrder : randomOrder(new Rng(seed)),
  })
  const groups = universe.slice(0, Math.min(setup.initialGroups, setup.slots))
  for (const g of groups) w.ec2.add(g)
  const ips = groups.flatMap((g) => model.expand(g))
  const used = ips.slice(0, Math.min(setup.initialUsed, ips.length))
  used.forEach((ip, i) => {
    pool.adoptUsed(500 + i, ip)
    model.used.set(500 + i, ip)
  })
  const warm = ips.slice(used.length)
  pool.adoptWarm(warm)
  for (const ip of warm) model.addWarm(ip)
  compare(w, pool)
  return { model: w, real: { pool } }
}

// Budget: the pool is fast, so a thousand sequences per order (~5 s and ~3 s here). IPAMSIM_POOL_MODEL_RUNS widens
// the search (10,000 + 5,000 passed in 80 s).
const RUNS = Number(process.env.IPAMSIM_POOL_MODEL_RUNS ?? 1000)

describe("WarmPool against the reference model of §3", () => {
  it("ascendingOrder: every address, error, job and delete candidate is the one the model predicts", () => {
    fc.assert(
      fc.property(scenario, ([setup, cmds]) => {
        fc.modelRun(build(setup, true, 0), cmds)
      }),
      { numRuns: RUNS },
    )
  })

  it("randomOrder: every choice is one the rules allow, and counts, errors and jobs follow the model", () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ([setup, cmds], seed) => {
        fc.modelRun(build(setup, false, seed), cmds)
      }),
      { numRuns: RUNS },
    )
  })

  it("the model run is not vacuous: sequences reach every job type and every assign outcome", () => {
    // Outcomes over a fixed sample, so a generator change that stops exercising a rule shows up here.
    seen = new Set()
    fc.assert(
      fc.property(scenario, ([setup, cmds]) => {
        fc.modelRun(build(setup, true, 0), cmds)
      }),
      { numRuns: 300, seed: 42 },
    )
    const reached = seen
    seen = undefined
    expect(sortNum([...reached].filter((s) => s.startsWith("job ")).map((s) => Number(s.slice(4))))).toEqual([
      JobType.NoReconcile,
      JobType.Create,
      JobType.Deleted,
      JobType.ReSync,
    ])
    // A numeric enum's object also maps values back to names: only the values.
    for (const e of Object.values(PoolError).filter((v) => typeof v === "number"))
      if (e !== PoolError.ResourceDoesntExist && e !== PoolError.IncorrectResourceOwner)
        expect(reached).toContain(poolErrorName(e))
    expect(reached).toContain("assigned")
  })
})
