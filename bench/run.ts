// `npm run bench [-- --sizes S,M,L] [--parts hot,growth,memory,e2e] [--out bench/out/results.json]`:
// tinybench suites for the hot paths (hot), how cost grows with nodes, pods and simulated time (growth),
// what this machine's caches hold, whether its two vCPUs slow each other down, the heap a node's state takes
// and what the kernel allocates per event (memory), end-to-end runs on the standard traces (e2e; --sizes
// picks them). Every figure is also given as a ratio against a baseline measured in the same run, since a
// shared host moves single figures by ±20–40 %. Prints a table and writes it as JSON (--out).

import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Worker } from "node:worker_threads"
import { loadScenario } from "@ipamsim/cli/scenario/ScenarioLoader"
import { Cluster } from "@ipamsim/core/Cluster"
import { ascendingOrder } from "@ipamsim/core/go/MapOrder"
import { sampleAllocations } from "@ipamsim/core/kernel/AllocationSampler"
import { EventQueue } from "@ipamsim/core/kernel/EventQueue"
import type { PodEvent } from "@ipamsim/core/spec/SimSpec"
import { simSpec } from "@ipamsim/core/spec/SpecBuilder"
import { pdDefaultConfig, sipDefaultConfig } from "@ipamsim/core/vpc-resource-controller/WarmPoolConfig"
import { JobType, PoolJob } from "@ipamsim/core/vpc-resource-controller/warm-pool/Pool"
import {
  poolAssign,
  poolFree,
  poolProcessCoolDown,
  poolReconcile,
} from "@ipamsim/core/vpc-resource-controller/warm-pool/PoolOperations"
import { WarmPool } from "@ipamsim/core/vpc-resource-controller/warm-pool/WarmPool"
import { generatedTrace } from "@ipamsim/core/workload/TraceGenerators"
import { Bench } from "tinybench"
import { fail } from "./fail.ts"
import { loadInMemory, runInMemory } from "./inMemory.ts"
import { ensureTrace, OUT, SIZES } from "./Traces.ts"
import { makeWork, type TwoThreadsWorkerData } from "./TwoThreadsWork.ts"

const CLI = join(import.meta.dirname, "..", "packages", "cli", "bin", "ipamsim.mjs")

const args = process.argv.slice(2)
for (let i = 0; i < args.length; i += 2) {
  const name = args[i]!
  if (name !== "--sizes" && name !== "--parts" && name !== "--out")
    fail(`unknown argument "${name}": expected --sizes S,M,L, --parts hot,growth,memory,e2e or --out <file>`)
  if (args[i + 1] === undefined) fail(`${name}: expected a value`)
}
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback
}
const sizes = flag("sizes", "S,M").split(",") as Array<"S" | "M" | "L">
const PARTS = ["hot", "growth", "memory", "e2e"]
const parts = new Set(flag("parts", PARTS.join(",")).split(","))
for (const p of parts) if (!PARTS.includes(p)) fail(`--parts: expected ${PARTS.join(", ")}, got "${p}"`)
for (const s of sizes) if (s !== "S" && s !== "M" && s !== "L") fail(`--sizes: expected S, M or L, got "${s}"`)
const outFile = flag("out", join(OUT, "results.json"))

interface Row {
  readonly suite: string
  readonly task: string
  readonly perSecond: number
  readonly nsPerOp: number
  readonly ratioToBaseline: number
  readonly peakRssMb?: number
}
const rows: Row[] = []

/**
 * Runs a tinybench suite whose tasks each process `ops` operations (or their own count, the third element);
 * the first task is the baseline.
 */
const suite = async (
  name: string,
  ops: number,
  tasks: Array<[string, () => void, number?]>,
  heavy = false,
): Promise<void> => {
  // Heavy tasks (whole simulations) run a few times each; light ones for a fixed time.
  const bench = heavy
    ? new Bench({ name, iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 })
    : new Bench({ name, time: 1500, warmupTime: 300 })
  for (const [t, fn] of tasks) bench.add(t, fn)
  // The baseline again at the end: JIT warm-up favours whatever runs last.
  bench.add(`${tasks[0]![0]} (again)`, tasks[0]![1])
  await bench.run()
  const results = bench.tasks.map((t) => {
    const r = t.result
    if (r.state !== "completed") throw new Error(`${name}/${t.name}: ${r.state}`)
    return { name: t.name, meanMs: r.latency.mean }
  })
  const baseline = (results[0]!.meanMs + results[results.length - 1]!.meanMs) / 2
  results.slice(0, -1).forEach((r, i) => {
    const n = tasks[i]![2] ?? ops
    rows.push({
      suite: name,
      task: r.name,
      perSecond: Math.round(n / (r.meanMs / 1000)),
      nsPerOp: Math.round((r.meanMs * 1e6) / n),
      ratioToBaseline: Math.round((r.meanMs / baseline) * 100) / 100,
    })
  })
}

// 1. The pool's hot path: a pod assign, its reconcile, a free, cool-down and the job results.
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

// 2. The event list.
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

// 3. Scaling: the kernel on in-memory traces (no file reading), one dimension at a time.
const churn = (pods: number, durationMs: number): PodEvent[] => {
  const src = generatedTrace(
    [
      {
        kind: "poisson",
        ratePerSecond: pods / (durationMs / 1000),
        endMs: durationMs,
        lifetime: { lognormal: { median: 600_000, p99: 3_600_000 } },
      },
    ],
    7,
  )
  const out: PodEvent[] = []
  for (let e = src.next(); e !== undefined; e = src.next()) out.push(e)
  return out
}
const kernelCluster = (nodes: number, events: PodEvent[], durationMs: number): Cluster =>
  new Cluster(
    simSpec({
      subnets: Array.from({ length: Math.ceil(nodes / 1250) }, (_, g) => ({ id: `s${g}`, cidr: `10.${g}.0.0/16` })),
      nodeGroups: Array.from({ length: Math.ceil(nodes / 1250) }, (_, g) => ({
        name: `g${g}`,
        instanceType: "c5.xlarge",
        count: Math.min(1250, nodes - g * 1250),
        subnet: `s${g}`,
        joinEveryMs: 2000,
      })),
      configMap: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
      trace: events,
      durationMs: durationMs + 600_000,
    }),
  )
const kernelRun =
  (nodes: number, events: PodEvent[], durationMs: number): (() => void) =>
  () => {
    kernelCluster(nodes, events, durationMs).run()
  }
const noopRun =
  (events: PodEvent[]): (() => void) =>
  () => {
    let n = 0
    for (const e of events) if (e.type === "create") n++
    if (n < 0) throw new Error("unreachable")
  }

const hotPaths = async (OPS: number): Promise<void> => {
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

const growth = async (): Promise<void> => {
  const HOUR = 3_600_000
  const base = churn(20_000, 6 * HOUR)
  const events = base.length
  await suite(
    `scaling with nodes (${events} events, 6 h)`,
    events,
    [
      ["iterate events (baseline)", noopRun(base)],
      ["100 nodes", kernelRun(100, base, 6 * HOUR)],
      ["1,000 nodes", kernelRun(1000, base, 6 * HOUR)],
      ["5,000 nodes", kernelRun(5000, base, 6 * HOUR)],
    ],
    true,
  )
  const small = churn(5_000, 6 * HOUR)
  const large = churn(50_000, 6 * HOUR)
  await suite(
    "scaling with pods (1,000 nodes, 6 h)",
    events,
    [
      ["iterate events (baseline)", noopRun(base)],
      [`${small.length} events`, kernelRun(1000, small, 6 * HOUR), small.length],
      [`${events} events`, kernelRun(1000, base, 6 * HOUR)],
      [`${large.length} events`, kernelRun(1000, large, 6 * HOUR), large.length],
    ],
    true,
  )
  const stretched = (k: number) => base.map((e) => ({ ...e, t: e.t * k }))
  await suite(
    `scaling with simulated time (1,000 nodes, ${events} events)`,
    events,
    [
      ["iterate events (baseline)", noopRun(base)],
      ["6 h", kernelRun(1000, base, 6 * HOUR)],
      ["2 days", kernelRun(1000, stretched(8), 48 * HOUR)],
      ["7 days", kernelRun(1000, stretched(28), 168 * HOUR)],
    ],
    true,
  )
}

/**
 * The steady state over more nodes: trace M (2 days) replayed over its 1,000 nodes and over 5,000 (four
 * groups of 1,250 on four /16 subnets, as L), the kernel alone on the events read into memory first.
 */
const nodesSteadyState = async (): Promise<void> => {
  const { loaded, events } = loadInMemory(ensureTrace(SIZES.M))
  const over5000 = loadScenario(ensureTrace(SIZES.M, 5000))
  await suite(
    `steady state over more nodes (trace M in memory, ${events.length} events, 2 days)`,
    events.length,
    [
      ["iterate events (baseline)", noopRun(events)],
      ["1,000 nodes", () => runInMemory(loaded, events)],
      ["5,000 nodes", () => runInMemory(over5000, events)],
    ],
    true,
  )
}

/**
 * What the caches hold: each load's address comes from the previous load (a random cycle through a working
 * set, one load per cache line), so the time per load is the latency at that size. The kernel's pod events
 * are chains of such loads (pod → node → pool → its arrays); once the state they touch outgrows the caches,
 * each link costs a trip to memory, which is why cost per event grows with the node count.
 */
const memoryLatency = async (): Promise<void> => {
  const LOADS = 1_000_000
  const chase = (kb: number): (() => void) => {
    const walk = makeWork(kb, LOADS)
    return () => {
      walk()
    }
  }
  const sizes = [64, 1024, 4096, 8192, 16384, 65536]
  await suite(
    "dependent loads over a working set (ops = loads)",
    LOADS,
    sizes.map((kb) => [`${kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`}${kb === 64 ? " (baseline)" : ""}`, chase(kb)]),
  )
}

/**
 * Whether the two vCPUs are two cores or two hyperthreads of one (a VM may be either): the same work timed
 * alone and while a worker thread does the same work. The reader and the kernel run on two threads, so on
 * a host where this ratio is well above 1 they slow each other down. Three kinds of work: arithmetic
 * (shares a core's execution units), dependent loads over 1 MB (a core's L2) and over 16 MB (the shared
 * L3 and memory).
 */
const twoThreads = async (): Promise<void> => {
  const N = 2_000_000
  const kinds: Array<[string, number]> = [
    ["arithmetic", 0],
    ["dependent loads over 1 MB", 1024],
    ["dependent loads over 16 MB", 16384],
  ]
  for (const [label, kb] of kinds) {
    const work = makeWork(kb, N)
    const time = async (): Promise<number> => {
      const bench = new Bench({ name: label, time: 1000, warmupTime: 200 })
      bench.add(label, () => {
        work()
      })
      await bench.run()
      const r = bench.tasks[0]!.result
      if (r.state !== "completed") throw new Error(`two threads/${label}: ${r.state}`)
      return r.latency.mean
    }
    const alone = await time()
    // The worker repeats the same work until told to stop (a shared flag).
    const stop = new Int32Array(new SharedArrayBuffer(4))
    const data: TwoThreadsWorkerData = { stop: stop.buffer as SharedArrayBuffer, kb, n: N }
    const worker = new Worker(new URL("./TwoThreadsWorkerEntry.mjs", import.meta.url), { workerData: data })
    await new Promise((ready) => worker.once("message", ready))
    const beside = await time()
    Atomics.store(stop, 0, 1)
    await new Promise((done) => worker.once("message", done))
    await worker.terminate()
    const suiteName = "two threads at once (ops = steps of the work; one thread alone is the baseline)"
    for (const [task, ms] of [
      [`${label}, one thread alone (baseline)`, alone],
      [`${label}, beside a worker doing the same`, beside],
    ] as const)
      rows.push({
        suite: suiteName,
        task,
        perSecond: Math.round(N / (ms / 1000)),
        nsPerOp: Math.round(((ms * 1e6) / N) * 10) / 10,
        ratioToBaseline: Math.round((ms / alone) * 100) / 100,
      })
  }
}

/**
 * Heap held by the simulation per node: the kernel after 6 simulated hours of the growth churn over 1,000
 * and over 5,000 nodes, measured after a full collection; the difference over the 4,000 extra nodes is
 * what one node's state (node, providers, pools and their arrays) costs.
 */
const heapPerNode = (): void => {
  setFlagsFromString("--expose-gc")
  const gc = runInNewContext("gc") as () => void
  const HOUR = 3_600_000
  const events = churn(20_000, 6 * HOUR)
  const held = (nodes: number): number => {
    gc()
    const before = process.memoryUsage().heapUsed
    const cluster = kernelCluster(nodes, events, 6 * HOUR)
    cluster.run()
    gc()
    const after = process.memoryUsage().heapUsed
    if (cluster.nodes.length !== nodes) throw new Error("unreachable")
    return after - before
  }
  // A first run compiles the kernel; its code would otherwise count as the first measured run's heap.
  held(1000)
  const small = held(1000)
  const large = held(5000)
  const perNode = Math.round((large - small) / 4000)
  heap = { nodes1000Mb: mb(small), nodes5000Mb: mb(large), bytesPerNode: perNode }
  console.log(
    `heap held by the simulation: ${mb(small)} MB over 1,000 nodes, ${mb(large)} MB over 5,000: ${perNode} bytes per node`,
  )
}
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10
let heap: { nodes1000Mb: number; nodes5000Mb: number; bytesPerNode: number } | undefined

/**
 * What the kernel allocates per trace event, which the hot path keeps near nothing (docs/performance.md): one
 * simulation of trace M over 5,000 nodes held in memory, after an unsampled one so that the JIT has settled,
 * under V8's sampling heap profiler (objects already freed included). The cluster's build (nodes, pools,
 * subnets) counts too; the functions that allocate most are listed to say where to look.
 */
const allocationsPerEvent = async (): Promise<void> => {
  const { events } = loadInMemory(ensureTrace(SIZES.M))
  const over5000 = loadScenario(ensureTrace(SIZES.M, 5000))
  runInMemory(over5000, events)
  const { bytes, bySite } = await sampleAllocations(() => {
    runInMemory(over5000, events)
  })
  const perEvent = (b: number): number => Math.round((b / events.length) * 10) / 10
  allocated = { scenario: "trace M over 5,000 nodes", mb: mb(bytes), bytesPerTraceEvent: perEvent(bytes) }
  console.log(
    `allocated by one simulation of trace M over 5,000 nodes: ${mb(bytes)} MB, ${perEvent(bytes)} bytes per trace event; most by:`,
  )
  for (const [site, b] of [...bySite].sort((x, y) => y[1] - x[1]).slice(0, 10))
    console.log(`${perEvent(b).toFixed(1).padStart(8)} B/event  ${site}`)
}
let allocated: { scenario: string; mb: number; bytesPerTraceEvent: number } | undefined

const endToEnd = (): void => {
  // 4. End to end on the standard traces, each in its own process (file → simulate → report). The command
  // runs the bundle when it is current: build it, so the whole-process row measures what users run.
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "scripts", "build-cli.mjs")])
  for (const size of sizes) {
    const s = SIZES[size]
    const scenario = ensureTrace(s)
    const node = (script: string, arg: string) =>
      JSON.parse(
        execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, script), arg], {
          encoding: "utf8",
        }),
      )
    const read = node("readOnly.ts", join(OUT, `trace-${size}.csv`)) as {
      traceEvents: number
      ms: number
      maxRssMb: number
    }
    const run = node("runScenario.ts", scenario) as { kernelEvents: number; ms: number; maxRssMb: number }
    // The command itself, as a user runs it: process start (the bundled CLI when built), report, exit.
    const rssFile = join(OUT, `rss-${size}.txt`)
    const t0 = performance.now()
    execFileSync(
      process.execPath,
      [
        "--import",
        join(import.meta.dirname, "rssOnExit.mjs"),
        CLI,
        "run",
        scenario,
        "--quiet",
        "--json",
        join(OUT, `report-${size}.json`),
        "--force",
      ],
      { env: { ...process.env, IPAMSIM_BENCH_RSS: rssFile } },
    )
    const wholeMs = performance.now() - t0
    const wholeRssMb = Number(readFileSync(rssFile, "utf8")) / 1024
    const e = read.traceEvents
    rows.push({
      suite: `end to end, trace ${size} (${e} events, ${s.nodes} nodes, ${s.durationMs / 86_400_000} d)`,
      task: "read + parse + number pods, one thread (baseline)",
      perSecond: Math.round(e / (read.ms / 1000)),
      nsPerOp: Math.round((read.ms * 1e6) / e),
      ratioToBaseline: 1,
      peakRssMb: Math.round(read.maxRssMb),
    })
    rows.push({
      suite: `end to end, trace ${size} (${e} events, ${s.nodes} nodes, ${s.durationMs / 86_400_000} d)`,
      task: `run in process: file → simulate → report (${run.kernelEvents} kernel events)`,
      perSecond: Math.round(e / (run.ms / 1000)),
      nsPerOp: Math.round((run.ms * 1e6) / e),
      ratioToBaseline: Math.round((run.ms / read.ms) * 100) / 100,
      peakRssMb: Math.round(run.maxRssMb),
    })
    rows.push({
      suite: `end to end, trace ${size} (${e} events, ${s.nodes} nodes, ${s.durationMs / 86_400_000} d)`,
      task: "`ipamsim run --quiet --json`, whole process",
      perSecond: Math.round(e / (wholeMs / 1000)),
      nsPerOp: Math.round((wholeMs * 1e6) / e),
      ratioToBaseline: Math.round((wholeMs / read.ms) * 100) / 100,
      peakRssMb: Math.round(wholeRssMb),
    })
  }
}

const main = async (): Promise<void> => {
  const OPS = 200_000
  if (parts.has("hot")) await hotPaths(OPS)
  if (parts.has("growth")) {
    await growth()
    await nodesSteadyState()
  }
  if (parts.has("memory")) {
    await memoryLatency()
    await twoThreads()
    heapPerNode()
    await allocationsPerEvent()
  }
  if (parts.has("e2e")) endToEnd()
  console.table(
    rows.map((r) => ({
      suite: r.suite,
      task: r.task,
      "ops or events/s": r.perSecond.toLocaleString("en-US"),
      "ns/op": r.nsPerOp,
      "× baseline": r.ratioToBaseline,
      "peak RSS MB": r.peakRssMb ?? "",
    })),
  )
  mkdirSync(OUT, { recursive: true })
  writeFileSync(
    outFile,
    `${JSON.stringify({ node: process.version, cpus: (await import("node:os")).cpus().length, rows, heap, allocated }, null, 2)}\n`,
  )
  console.log(`results written to ${outFile}`)
}

await main()
