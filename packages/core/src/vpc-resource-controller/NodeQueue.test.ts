// The node manager's queue as the controller runs it at b8d42511. Its jobs go to one client-go work queue
// served by 10 workers (main.go ~161 --node-mgr-workers, ~362–363; pkg/worker/worker.go ~146–215). AddNode
// (pkg/node/manager/manager.go ~169–225) first creates the node's CNINode (~189, ~227–244) through the API
// server client (20 QPS, burst 30 per resource type, main.go ~168–169), then submits the Init job; the
// CNINode, which the node owns, brings the node back to the node reconciler (node_controller.go ~125,
// Owns), whose UpdateNode submits an Update job (manager.go ~293–301). The Init job holds the node's lock
// through InitResources (node.go ~152–154), so the Update waits on it in its worker (node.go ~117–119):
// two workers per joining node. After InitResources the Init runs the Update itself (manager.go ~451–453),
// whose UpdateResourceCapacity PATCHes the Node's capacity through the client's Nodes bucket
// (pkg/k8s/wrapper.go ~152–192). The ConfigMap controller's UpdateNode calls (configmap_controller.go
// ~171–190) submit Init, Update or Delete jobs to the same queue.

import { describe, expect, it } from "vitest"
import { Cluster } from "../Cluster.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import { fixedEc2, simSpec } from "../spec/SpecBuilder.ts"

const S = 1000

/** EC2 answering in `ms`, with a client limiter too wide to delay any call. */
const ec2 = (ms: number) => ({ ...fixedEc2(ms), clientLimiter: { qps: 100_000, burst: 100_000 } })

/** Runs the cluster to `until` and returns, per node, when it first was Ready with its capacity advertised. */
const readyTimes = (c: Cluster, until: number): number[] => {
  const at = c.nodes.map(() => -1)
  while (c.nextEventTime() <= until && c.step())
    c.nodes.forEach((n, i) => {
      if (at[i]! < 0 && n.status === NodeStatus.Ready && n.advertised > 0) at[i] = c.now
    })
  return at
}

describe("the node manager's 10 workers", () => {
  it("12 nodes join at once: each takes two workers (its Init and the Update its CNINode brings), so 5 Init at a time", () => {
    // m5.large, prefix flag on: the Init makes 4 calls (DescribeInstances, DescribeSubnets, and each
    // provider's DescribeInstances), 400 ms at 100 ms each. Nodes 0–4 take the 10 workers from 0 to 400 ms
    // (Init and its blocked Update each); nodes 5–9 from 400 to 800 ms; nodes 10–11 from 800 to 1,200 ms.
    const c = new Cluster(
      simSpec({
        nodeGroups: [{ name: "win", instanceType: "m5.large", count: 12 }],
        configMap: { "enable-windows-ipam": "true" },
        ec2: ec2(100),
        visibility: { fixed: 0 },
        trace: [],
        durationMs: 5 * S,
      }),
    )
    expect(readyTimes(c, 2 * S)).toEqual([400, 400, 400, 400, 400, 800, 800, 800, 800, 800, 1200, 1200])
  })

  it("IPAM turned on for 12 nodes: 12 Init jobs, 10 at a time", () => {
    // IPAM off at registration: AddNode creates the CNINode and keeps the node unmanaged (its CNINode's
    // UpdateNode does nothing for a node still unmanaged, manager.go ~302–305). IPAM on at 60 s:
    // UpdateNode of each node submits an Init for its new managed node object (~275–285), no Update beside
    // it. m4.large (not Nitro): 3 calls, 300 ms; 10 nodes ready at 60.3 s, 2 at 60.6 s.
    const c = new Cluster(
      simSpec({
        nodeGroups: [{ name: "win", instanceType: "m4.large", count: 12 }],
        configMap: { "enable-windows-ipam": "false" },
        configMapChanges: [{ atMs: 60 * S, data: { "enable-windows-ipam": "true" } }],
        ec2: ec2(100),
        visibility: { fixed: 0 },
        trace: [],
        durationMs: 70 * S,
      }),
    )
    const at = readyTimes(c, 62 * S).sort((a, b) => a - b)
    expect(at).toEqual([...Array(10).fill(60 * S + 300), 60 * S + 600, 60 * S + 600])
  })

  it("a ConfigMap change's Update waits for a worker while joining nodes hold them all", () => {
    // Node a (m4.large: 3 calls) is ready at 0.3 s with 3 warm addresses. At 10 s five m5.large nodes join:
    // their Inits and blocked Updates hold the 10 workers until 10.4 s. At 10.1 s the warm and minimum
    // targets go from 3 to 5: node a's Update is queued behind them and runs at 10.4 s, where its
    // SetToActive reconcile asks for 2 addresses (ip/provider.go ~242–250).
    const cm = (n: number) => ({
      "enable-windows-ipam": "true",
      "windows-warm-ip-target": String(n),
      "windows-minimum-ip-target": String(n),
    })
    const c = new Cluster(
      simSpec({
        nodeGroups: [
          { name: "a", instanceType: "m4.large" },
          { name: "b", instanceType: "m5.large", count: 5, joinAtMs: 10 * S },
        ],
        configMap: cm(3),
        configMapChanges: [{ atMs: 10 * S + 100, data: cm(5) }],
        ec2: ec2(100),
        visibility: { fixed: 0 },
        trace: [],
        durationMs: 20 * S,
      }),
    )
    c.runUntil(10 * S + 399)
    expect(c.poolState("a-0")[0]).toMatchObject({ warm: 3, pendingCreate: 0 })
    c.runUntil(10 * S + 400)
    expect(c.poolState("a-0")[0]).toMatchObject({ warm: 3, pendingCreate: 2 })
  })
})

describe("the API server client's buckets (20 QPS, burst 30, one per resource type)", () => {
  it("40 nodes join at once: the CNINode creates take the bucket, 30 at once, then one every 50 ms", () => {
    // EC2 answers at once: a node is ready as soon as its AddNode has created its CNINode; its capacity
    // PATCH comes right after through the Nodes bucket, which never makes it wait here (30 PATCHes at 0,
    // then one a token every 50 ms).
    const c = new Cluster(
      simSpec({
        nodeGroups: [{ name: "win", instanceType: "m4.large", count: 40 }],
        configMap: { "enable-windows-ipam": "true" },
        ec2: ec2(0),
        visibility: { fixed: 0 },
        trace: [],
        durationMs: 2 * S,
      }),
    )
    const at = readyTimes(c, 2 * S)
    expect(at).toEqual([...Array(30).fill(0), ...Array.from({ length: 10 }, (_, k) => 50 * (k + 1))])
  })

  it("IPAM on for 40 nodes: their capacity PATCHes take the Nodes bucket, 30 at once, then one every 50 ms", () => {
    // The CNINodes were created at registration (IPAM off). At 60 s the 40 Inits end at once (EC2
    // answers at once); each PATCH waits for its token, its worker held meanwhile, which changes no PATCH's
    // time: the bucket hands tokens out in order.
    const c = new Cluster(
      simSpec({
        nodeGroups: [{ name: "win", instanceType: "m4.large", count: 40 }],
        configMap: { "enable-windows-ipam": "false" },
        configMapChanges: [{ atMs: 60 * S, data: { "enable-windows-ipam": "true" } }],
        ec2: ec2(0),
        visibility: { fixed: 0 },
        trace: [],
        durationMs: 62 * S,
      }),
    )
    const at = readyTimes(c, 62 * S).sort((a, b) => a - b)
    expect(at).toEqual([...Array(30).fill(60 * S), ...Array.from({ length: 10 }, (_, k) => 60 * S + 50 * (k + 1))])
  })
})
