// The simulated cluster, assembled: the kernel (clock, event list, run loop), EC2 and its subnets, the
// Kubernetes side (nodes, pods, scheduler), each node's IP address manager (the VPC Resource Controller for
// Windows nodes) and the metrics. docs/architecture.md draws the rooms and the path of one pod event.

import { clusterResult } from "./ClusterResult.ts"
import { Ec2Calls } from "./ec2/Ec2Calls.ts"
import { limitsOf, windowsCapacity } from "./ec2/InstanceLimits.ts"
import { parseCidr } from "./ec2/Ipv4.ts"
import { SimulatedEc2 } from "./ec2/SimulatedEc2.ts"
import { Subnet } from "./ec2/Subnet.ts"
import { checkInvariants } from "./Invariants.ts"
import { SHIPPED_AWS_NODE_ENV } from "./ipamd/AwsNodeEnv.ts"
import { IpamdController } from "./ipamd/IpamdController.ts"
import { Rng } from "./kernel/Rng.ts"
import { type EventHandler, Simulation } from "./kernel/Simulation.ts"
import { KubernetesEvent } from "./kubernetes/KubernetesEvent.ts"
import { NodeLifecycle } from "./kubernetes/NodeLifecycle.ts"
import { nodeTable, SimNode } from "./kubernetes/Nodes.ts"
import { PodLifecycle } from "./kubernetes/PodLifecycle.ts"
import { P, PF, PodState, Pods } from "./kubernetes/Pods.ts"
import { Scheduler } from "./kubernetes/Scheduler.ts"
import { AddressIntegrals } from "./metrics/Integral.ts"
import type { SimResult } from "./metrics/SimResult.ts"
import { SubnetUse } from "./metrics/SubnetUse.ts"
import { Timeline } from "./metrics/Timeline.ts"
import { HOLDERS, subnetHolders } from "./SubnetHolders.ts"
import type { SimSpec } from "./spec/SimSpec.ts"
import { Mode } from "./vpc-resource-controller/ResourceProvider.ts"
import { WindowsController } from "./vpc-resource-controller/WindowsController.ts"

export class Cluster implements EventHandler {
  readonly sim = new Simulation()
  readonly ec2 = new SimulatedEc2()
  readonly calls: Ec2Calls
  readonly subnets: Subnet[] = []
  readonly subnetUse: SubnetUse
  readonly nodes: SimNode[] = []
  readonly nodeByName = new Map<string, number>()
  readonly nodeState: Int32Array
  readonly groupNames: string[]
  readonly groupIntegrals: AddressIntegrals[]
  readonly pods: Pods
  readonly scheduler: Scheduler
  readonly nodeLifecycle: NodeLifecycle
  readonly podLifecycle: PodLifecycle
  readonly windows: WindowsController
  /** ipamd on the Linux nodes; undefined when the cluster has none. */
  readonly ipamd: IpamdController | undefined
  readonly timeline: Timeline
  private readonly eventKinds = [
    KubernetesEvent.NODE_JOIN,
    KubernetesEvent.NODE_LEAVE,
    KubernetesEvent.CONFIGMAP,
    KubernetesEvent.SCHEDULE,
  ]

  constructor(readonly spec: SimSpec) {
    const seed = spec.seed
    const sim = this.sim
    const rngEc2 = Rng.stream(seed, "ec2-calls")
    this.calls = new Ec2Calls(sim, spec.controller.ec2, rngEc2)
    this.buildSubnets()
    this.subnetUse = new SubnetUse(this.subnets, this.ec2)
    this.groupNames = spec.nodeGroups.map((g) => g.name)
    this.groupIntegrals = spec.nodeGroups.map(() => new AddressIntegrals())
    const nodeCount = spec.nodeGroups.reduce((n, g) => n + g.count, 0)
    this.nodeState = nodeTable(nodeCount)
    this.pods = new Pods(this.nodeState)
    this.scheduler = new Scheduler(sim, this.pods, this.nodeState, nodeCount, Rng.stream(seed, "scheduler"))
    this.windows = new WindowsController({
      sim,
      seed,
      settings: spec.controller,
      configMap: spec.configMap,
      nodeCount,
      nodeState: this.nodeState,
      pods: this.pods,
      scheduler: this.scheduler,
      ec2: this.ec2,
      calls: this.calls,
      rngEc2,
      subnetUse: this.subnetUse,
      groups: this.groupIntegrals,
      wakeIdleLoops: spec.wakeIdleLoops === true,
    })
    this.ipamd = spec.nodeGroups.some((g) => g.os === "linux")
      ? new IpamdController({
          sim,
          seed,
          env: spec.awsNode?.env ?? SHIPPED_AWS_NODE_ENV,
          envChanges: spec.awsNode?.changes ?? [],
          nodeCount,
          nodeState: this.nodeState,
          pods: this.pods,
          scheduler: this.scheduler,
          ec2: this.ec2,
          calls: this.calls,
          subnets: this.subnets,
          subnetUse: this.subnetUse,
          groups: this.groupIntegrals,
          wakeIdleLoops: spec.wakeIdleLoops === true,
        })
      : undefined
    this.buildNodes()
    this.nodeLifecycle = new NodeLifecycle(sim, this.nodes, this.ec2, this.subnetUse, this.pods, this.scheduler)
    sim.register(this.eventKinds, this)
    sim.register(this.windows.eventKinds, this.windows)
    if (this.ipamd !== undefined) sim.register(this.ipamd.eventKinds, this.ipamd)
    sim.register(this.calls.eventKinds, this.calls)
    spec.configMap.changes.forEach((c, i) => {
      sim.events.push(c.atMs, KubernetesEvent.CONFIGMAP, i, 0)
    })
    this.timeline = new Timeline(sim, spec.timelineEveryMs, this.subnets, this.groupNames, this.groupIntegrals, {
      catchUp: () => {
        this.windows.catchUp()
        this.ipamd?.catchUp()
      },
      podsWaiting: () => this.pods.waitingCount,
      ...(this.ipamd === undefined ? {} : { sampled: (now: number) => this.sampleHolders(now) }),
      podsPending: () => this.scheduler.pendingCount(),
    })
    sim.register(this.timeline.eventKinds, this.timeline)
    for (let i = 0; i < this.subnets.length; i++) this.subnetUse.touch(i, 0)
    if (spec.durationMs !== undefined) sim.stopAt = spec.durationMs
    this.podLifecycle = new PodLifecycle(
      sim,
      spec.trace,
      spec.durationMs === undefined ? spec.drainMs : undefined,
      this.pods,
      this.scheduler,
      this.nodeByName,
      this.nodeState,
      this.windows,
      this.ipamd !== undefined,
      this.scheduler.linuxNode,
    )
    sim.setInput(this.podLifecycle)
    if (spec.checkInvariants) sim.afterEvent = () => this.checkInvariants()
    this.podLifecycle.pull()
  }

  private buildSubnets(): void {
    const spec = this.spec
    const subnetRng = Rng.stream(spec.seed, "subnet-addresses")
    for (const s of spec.subnets) {
      const cidr = parseCidr(s.cidr)
      if (typeof cidr === "string") throw new Error(`subnet ${s.id}: ${cidr}`)
      const ranges = (s.usedByOthers?.ranges ?? []).map((r) => {
        const c = parseCidr(r)
        if (typeof c === "string") throw new Error(`subnet ${s.id} usedByOthers: ${c}`)
        return c
      })
      const reservations = (s.prefixReservations ?? []).map((r) => {
        const c = parseCidr(r)
        if (typeof c === "string") throw new Error(`subnet ${s.id} prefixReservations: ${c}`)
        return c
      })
      this.subnets.push(
        new Subnet({
          id: s.id,
          cidr,
          rng: subnetRng,
          usedByOthers: { count: s.usedByOthers?.count ?? 0, ranges },
          prefixReservations: reservations,
          cniRole: s.cniRole,
        }),
      )
    }
  }

  /** Every node group's nodes, managed by the Windows controller or ipamd, with their join and leave events. */
  private buildNodes(): void {
    const spec = this.spec
    const subnetIndex = new Map(this.subnets.map((s, i) => [s.id, i]))
    spec.nodeGroups.forEach((g, gi) => {
      const linux = g.os === "linux"
      const cap = linux ? { secondaryIp: 0, prefix: undefined } : windowsCapacity(g.instanceType, spec.extraLimits)
      let eniConfigSubnet = -1
      if (linux && g.eniConfigSubnet !== undefined) {
        eniConfigSubnet = subnetIndex.get(g.eniConfigSubnet) ?? -1
        if (eniConfigSubnet < 0)
          throw new Error(`node group ${g.name}: unknown ENIConfig subnet "${g.eniConfigSubnet}"`)
      }
      const si = subnetIndex.get(g.subnet)
      if (si === undefined) throw new Error(`node group ${g.name}: unknown subnet "${g.subnet}"`)
      // kubelet's MaxPods is an int32, and so is the node table's field.
      if (!(g.maxPods >= 1 && g.maxPods <= 2147483647))
        throw new Error(`node group ${g.name}: maxPods ${g.maxPods} is not a kubelet max pods (1 to 2147483647)`)
      // A pool's capacity is an int32 in its region's header (EC2's largest is 49 × 16).
      if ((cap.prefix ?? cap.secondaryIp) > 2147483647)
        throw new Error(`node group ${g.name}: ${g.instanceType} holds more addresses than a pool can count`)
      const limits = limitsOf(g.instanceType, spec.extraLimits)
      for (let i = 0; i < g.count; i++) {
        const name = `${g.name}-${i}`
        const index = this.nodes.length
        const node = new SimNode(
          index,
          name,
          gi,
          g.instanceType,
          limits,
          this.subnets[si]!,
          si,
          g.maxPods,
          this.nodeState,
        )
        this.nodeByName.set(name, index)
        this.nodes.push(node)
        if (linux) {
          this.ipamd!.addNode(node, { eniConfigSubnet })
          this.scheduler.ipamOf[index] = this.ipamd!
          this.scheduler.linuxNode[index] = 1
        } else {
          this.windows.addNode(node, cap.secondaryIp, cap.prefix)
          this.scheduler.ipamOf[index] = this.windows
        }
        this.sim.events.push(g.joinAtMs + i * g.joinEveryMs, KubernetesEvent.NODE_JOIN, index, 0)
        if (g.leaveAtMs !== undefined) this.sim.events.push(g.leaveAtMs, KubernetesEvent.NODE_LEAVE, index, 0)
      }
    })
  }

  /** The Kubernetes side's events. */
  onEvent(kind: number, a: number): void {
    switch (kind) {
      case KubernetesEvent.NODE_JOIN:
        this.nodeLifecycle.join(a)
        break
      case KubernetesEvent.NODE_LEAVE:
        this.nodeLifecycle.leave(a)
        break
      case KubernetesEvent.CONFIGMAP:
        this.windows.configChanged(a)
        break
      case KubernetesEvent.SCHEDULE:
        this.scheduler.onSchedule()
        break
    }
  }

  /** Each subnet's holders at every timeline sample (clusters with Linux nodes). */
  readonly holderSeries: Record<string, Record<string, number[]>> = {}

  private sampleHolders(now: number): void {
    const counts = subnetHolders(this, now)
    this.subnets.forEach((s, i) => {
      let series = this.holderSeries[s.id]
      if (series === undefined) {
        series = Object.fromEntries(HOLDERS.map((h) => [h, [] as number[]]))
        this.holderSeries[s.id] = series
      }
      for (const h of HOLDERS) series[h]!.push(counts[i]![h])
    })
  }

  /** The simulation's clock; setting it moves the clock with no event (as runUntil's end does). */
  get now(): number {
    return this.sim.now
  }
  set now(t: number) {
    this.sim.now = t
  }

  /** Runs to the stop condition and returns the report. */
  run(): SimResult {
    while (this.sim.step()) {}
    return this.result()
  }

  /** Runs one event; false when the simulation is over. */
  step(): boolean {
    return this.sim.step()
  }

  /** Time of the next event (the trace's next pod event or the event list's first), or +Infinity. */
  nextEventTime(): number {
    return this.sim.nextEventTime()
  }

  /** Runs events up to and including time t (then stops; call again to go on). */
  runUntil(t: number): void {
    this.sim.runUntil(t)
  }

  // ---- introspection (tests)

  /** What EC2 holds on a node's primary ENI: secondary IPs and prefixes (as the integration tests count them). */
  holdings(nodeName: string): { ips: number; prefixes: number } {
    return this.ec2.heldCount(this.nodes[this.nodeIndex(nodeName)]!.eni)
  }

  /** A node's pools: used, warm and cooling addresses of the secondary-IP and prefix pools. */
  poolState(
    nodeName: string,
  ): Array<{ used: number; warm: number; cooling: number; pendingCreate: number } | undefined> {
    const i = this.nodeIndex(nodeName)
    this.windows.catchUp()
    const node = this.windows.nodes[i]!
    return [node.provider(Mode.SecondaryIp), node.provider(Mode.Prefix)].map((p) =>
      p.pool === undefined
        ? undefined
        : {
            used: p.pool.usedCount,
            warm: p.pool.warmCountIps,
            cooling: p.pool.coolingCount,
            pendingCreate: p.pool.pendingCreate,
          },
    )
  }

  /** The address and bind time of a running pod, by name (traces whose events carry no podId), or undefined. */
  podAddress(pod: string): { ip: number; boundAt: number } | undefined {
    const slot = this.podLifecycle.podNames.get(pod)
    const pods = this.pods
    if (slot < 0 || slot >= pods.slots || pods.rec[slot * P.STRIDE + P.STATE] !== PodState.RUNNING) return undefined
    return { ip: pods.f[4 * slot + PF.IP]!, boundAt: pods.f[4 * slot + PF.BOUND_AT]! }
  }

  /** Throws when an invariant breaks: addresses held twice, accounting not conserved, negative counters. */
  checkInvariants(): void {
    checkInvariants(this)
  }

  result(): SimResult {
    this.windows.catchUp()
    this.ipamd?.catchUp()
    return clusterResult(this)
  }

  private nodeIndex(nodeName: string): number {
    const i = this.nodeByName.get(nodeName)
    if (i === undefined) throw new Error(`no node "${nodeName}"`)
    return i
  }
}
