// What the machine and the kernel do with memory: the latency of dependent loads as the working set outgrows
// the caches, whether two threads slow each other down, the heap a node's state holds and what the kernel
// allocates per trace event.

import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Worker } from "node:worker_threads"
import { loadScenario } from "@ipamsim/cli/scenario/ScenarioLoader"
import { sampleAllocations } from "@ipamsim/core/kernel/AllocationSampler"
import { Bench } from "tinybench"
import { loadInMemory, runInMemory } from "../inMemory.ts"
import { workerEntry } from "../Paths.ts"
import { ensureTrace, SIZES } from "../Traces.ts"
import { makeWork, type TwoThreadsWorkerData } from "../TwoThreadsWork.ts"
import { churn, kernelCluster } from "./Churn.ts"
import { rows, suite } from "./Results.ts"

/**
 * What the caches hold: each load's address comes from the previous load (a random cycle through a working
 * set, one load per cache line), so the time per load is the latency at that size. The kernel's pod events
 * are chains of such loads (pod → node → pool → its arrays); once the state they touch outgrows the caches,
 * each link costs a trip to memory, which is why cost per event grows with the node count.
 */
export const memoryLatency = async (): Promise<void> => {
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
export const twoThreads = async (): Promise<void> => {
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
    const worker = new Worker(workerEntry("TwoThreadsWorkerEntry.mjs"), { workerData: data })
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
export const heapPerNode = (): HeapPerNode => {
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
  console.log(
    `heap held by the simulation: ${mb(small)} MB over 1,000 nodes, ${mb(large)} MB over 5,000: ${perNode} bytes per node`,
  )
  return { nodes1000Mb: mb(small), nodes5000Mb: mb(large), bytesPerNode: perNode }
}
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10
export interface HeapPerNode {
  readonly nodes1000Mb: number
  readonly nodes5000Mb: number
  readonly bytesPerNode: number
}

/**
 * What the kernel allocates per trace event, which the hot path keeps near nothing (docs/performance.md): one
 * simulation of trace M over 5,000 nodes held in memory, after an unsampled one so that the JIT has settled,
 * under V8's sampling heap profiler (objects already freed included). The cluster's build (nodes, pools,
 * subnets) counts too; the functions that allocate most are listed to say where to look.
 */
export const allocationsPerEvent = async (): Promise<Allocated> => {
  const { events } = loadInMemory(ensureTrace(SIZES.M))
  const over5000 = loadScenario(ensureTrace(SIZES.M, 5000))
  runInMemory(over5000, events)
  const { bytes, bySite } = await sampleAllocations(() => {
    runInMemory(over5000, events)
  })
  const perEvent = (b: number): number => Math.round((b / events.length) * 10) / 10
  console.log(
    `allocated by one simulation of trace M over 5,000 nodes: ${mb(bytes)} MB, ${perEvent(bytes)} bytes per trace event; most by:`,
  )
  for (const [site, b] of [...bySite].sort((x, y) => y[1] - x[1]).slice(0, 10))
    console.log(`${perEvent(b).toFixed(1).padStart(8)} B/event  ${site}`)
  return { scenario: "trace M over 5,000 nodes", mb: mb(bytes), bytesPerTraceEvent: perEvent(bytes) }
}
export interface Allocated {
  readonly scenario: string
  readonly mb: number
  readonly bytesPerTraceEvent: number
}
