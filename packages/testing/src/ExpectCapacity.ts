// Capacity expectations on a simulation report, checked together so that one failure message lists every
// expectation that broke, with the numbers behind it and a short summary of the run.

import type { SimResult } from "@ipamsim/core/metrics/SimResult"

export interface CapacityExpectations {
  /** No pod waits longer than this between being bound to a node and getting its address. */
  readonly maxWaitMs?: number
  /** The 99th percentile of those waits is at most this. */
  readonly maxP99WaitMs?: number
  /** No subnet runs out: no exhaustion, no InsufficientFreeAddresses / InsufficientCidrBlocks, no failed launch. */
  readonly noExhaustion?: boolean
  /**
   * Every pod that asks for an address gets one before it ends: none left unscheduled, still waiting at the end,
   * or deleted while waiting.
   */
  readonly allPodsGetIp?: boolean
}

export class CapacityAssertionError extends Error {
  override readonly name = "CapacityAssertionError"
  constructor(
    /** One line per broken expectation. */
    readonly failures: readonly string[],
    readonly result: SimResult,
  ) {
    super(`capacity expectations failed:\n${failures.map((f) => `  ✗ ${f}`).join("\n")}\n${summary(result)}`)
  }
}

const n = (x: number): string => x.toLocaleString("en-US")

/** A few lines on what happened in the run, for the failure message. */
export const summary = (r: SimResult): string => {
  const p = r.pods
  const w = p.waitMs
  const subnets = r.subnets.map(
    (s) =>
      `  subnet ${s.id} ${s.cidr}: ${n(s.size)} addresses, min free ${n(s.minFree)} (${n(s.minFreeAlignedBlocks)} free /28s)` +
      (s.firstExhaustedAtMs === null ? ", never exhausted" : `, exhausted at ${n(s.firstExhaustedAtMs)} ms`) +
      (s.insufficientErrors + s.insufficientCidrBlocksErrors > 0
        ? ` (${s.insufficientErrors} InsufficientFreeAddresses, ${s.insufficientCidrBlocksErrors} InsufficientCidrBlocks)`
        : ""),
  )
  const retries = Object.entries(p.retries)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(", ")
  return [
    "run:",
    `  ${n(p.requestingAddress)} pods asked for an address, ${n(p.withIp)} got one; ` +
      `waits p50 ${n(w.p50)} ms, p99 ${n(w.p99)} ms, max ${n(w.max)} ms`,
    ...subnets,
    `  ${r.nodes.length} nodes, ${n(r.controller.nodeLaunchFailures)} failed launches; retries: ${retries || "none"}`,
  ].join("\n")
}

/** Throws a CapacityAssertionError naming every broken expectation; returns the result otherwise. */
export const expectCapacity = (result: SimResult, e: CapacityExpectations): SimResult => {
  const failures: string[] = []
  const w = result.pods.waitMs
  if (e.maxWaitMs !== undefined && w.max > e.maxWaitMs)
    failures.push(`maxWaitMs: the longest wait was ${n(w.max)} ms, over the limit of ${n(e.maxWaitMs)} ms`)
  if (e.maxP99WaitMs !== undefined && w.p99 > e.maxP99WaitMs)
    failures.push(`maxP99WaitMs: the p99 wait was ${n(w.p99)} ms, over the limit of ${n(e.maxP99WaitMs)} ms`)
  if (e.noExhaustion) {
    for (const s of result.subnets) {
      const problems: string[] = []
      if (s.firstExhaustedAtMs !== null) problems.push(`ran out of addresses at ${n(s.firstExhaustedAtMs)} ms`)
      if (s.insufficientErrors > 0)
        problems.push(`EC2 answered InsufficientFreeAddressesInSubnet ${n(s.insufficientErrors)}×`)
      if (s.insufficientCidrBlocksErrors > 0)
        problems.push(
          `EC2 answered InsufficientCidrBlocks ${n(s.insufficientCidrBlocksErrors)}× (no free aligned /28 left` +
            `${s.firstExhaustedAtMs === null ? `, though ${n(s.minFree)} or more addresses stayed free` : ""})`,
        )
      if (problems.length > 0) failures.push(`noExhaustion: subnet ${s.id} (${s.cidr}) ${problems.join("; ")}`)
    }
    if (result.controller.nodeLaunchFailures > 0)
      failures.push(`noExhaustion: ${result.controller.nodeLaunchFailures} nodes could not launch (no address left)`)
  }
  if (e.allPodsGetIp && result.pods.neverGotIp > 0) {
    const p = result.pods
    const deleted = p.neverGotIp - p.stillWaiting - p.unscheduled
    failures.push(
      `allPodsGetIp: ${n(p.neverGotIp)} of ${n(p.requestingAddress)} pods never got an address ` +
        `(${n(p.unscheduled)} never scheduled, ${n(p.stillWaiting)} still waiting at the end, ${n(deleted)} deleted or evicted while waiting)`,
    )
  }
  if (failures.length > 0) throw new CapacityAssertionError(failures, result)
  return result
}
