// The node manager's work queue as pkg/worker runs it at b8d42511: SubmitJob is client-go's work queue Add
// (worker.go ~128–137), each of the 10 workers (main.go ~161) loops on Get, runs the job and calls Done
// (~146–190). The queue's rules (k8s.io/client-go/util/workqueue): an item already waiting is not added
// again; an item added while a worker processes it is queued again when that worker is done with it, and
// never processed by two workers at once.

import { describe, expect, it } from "vitest"
import { NodeObject, NodeOp, NodeWorkers } from "./NodeWorkers.ts"

/** Workers whose jobs run until `finish` is called; `ran` lists (op, node) in the order workers took them. */
const harness = () => {
  const w = new NodeWorkers()
  const ran: string[] = []
  const running: number[] = []
  let busy = 0
  w.runner = {
    run: (id) => {
      const job = w.jobs[id]!
      ran.push(`${NodeOp[job.op]} ${job.obj!.node}`)
      running.push(id)
    },
    workersBusy: () => busy++,
  }
  const finish = (op: NodeOp, node: number) => {
    const i = running.findIndex((id) => w.jobs[id]!.op === op && w.jobs[id]!.obj!.node === node)
    const [id] = running.splice(i, 1)
    w.done(id!)
  }
  return { w, ran, finish, busyCount: () => busy }
}

describe("the node manager's work queue", () => {
  it("10 workers, first in first out; the 11th item waits for one to be done", () => {
    const { w, ran, finish, busyCount } = harness()
    const objs = Array.from({ length: 11 }, (_, i) => new NodeObject(i, true))
    for (const o of objs) w.add(NodeOp.INIT, o)
    expect(ran).toHaveLength(10)
    expect(w.hasFreeWorker).toBe(false)
    expect(busyCount()).toBe(1)
    finish(NodeOp.INIT, 3)
    expect(ran[10]).toBe("INIT 10")
  })

  it("an item already waiting is not added again", () => {
    const { w, ran } = harness()
    const busy = Array.from({ length: 10 }, (_, i) => new NodeObject(i, true))
    for (const o of busy) w.add(NodeOp.INIT, o)
    const o = new NodeObject(20, true)
    w.add(NodeOp.UPDATE, o)
    w.add(NodeOp.UPDATE, o)
    expect(o.dirty[NodeOp.UPDATE]).toBe(true)
    // Another operation of the same node object is another item.
    w.add(NodeOp.DELETE, o)
    expect(ran).toHaveLength(10)
    expect(o.hasItems).toBe(true)
  })

  it("an item added while it is processed runs again once done, not beside itself", () => {
    const { w, ran, finish } = harness()
    const o = new NodeObject(1, true)
    w.add(NodeOp.UPDATE, o)
    w.add(NodeOp.UPDATE, o)
    w.add(NodeOp.UPDATE, o)
    expect(ran).toEqual(["UPDATE 1"])
    finish(NodeOp.UPDATE, 1)
    expect(ran).toEqual(["UPDATE 1", "UPDATE 1"])
    finish(NodeOp.UPDATE, 1)
    expect(ran).toHaveLength(2)
    expect(o.hasItems).toBe(false)
  })
})
