// The stages of a worker's EC2 jobs (pkg/provider/{ip,prefix} job handlers, the ENI manager of
// pkg/provider/ip/eni, pkg/aws/ec2/api): Create (per ENI entry, AssignPrivateIpAddresses, then
// DescribeNetworkInterfaces until the addresses show), Delete (UnassignPrivateIpAddresses per ENI entry)
// and ReSync (DescribeInstances, a new ENI entry, then the pool rebuilt from what EC2 holds). Each EC2 call
// ends a stage at its answer time (Ec2Calls); SimulatedEc2 applies the effect.

import { Ec2Action, Ec2Code } from "../ec2/Ec2.ts"
import type { Ec2Calls } from "../ec2/Ec2Calls.ts"
import type { Ipv4 } from "../ec2/Ipv4.ts"
import type { SimulatedEc2 } from "../ec2/SimulatedEc2.ts"
import type { Rng } from "../kernel/Rng.ts"
import type { Simulation } from "../kernel/Simulation.ts"
import { NodeStatus } from "../kubernetes/Nodes.ts"
import type { SubnetUse } from "../metrics/SubnetUse.ts"
import { Controller, ControllerEvent } from "./ControllerEvent.ts"
import type { Profile } from "./ControllerSettings.ts"
import type { DeleteQueueLoops } from "./DeleteQueueLoops.ts"
import type { NodeUpdateWatch } from "./NodeWorkers.ts"
import type { PoolCounts } from "./PoolCounts.ts"
import { Mode, type ProviderState } from "./ResourceProvider.ts"
import type { WindowsNode } from "./WindowsNode.ts"
import { type Job, JobKind, type Workers } from "./Workers.ts"
import { JobType } from "./warm-pool/Pool.ts"
import type { PoolMemory } from "./warm-pool/PoolMemory.ts"
import { poolNeedsJob } from "./warm-pool/PoolOperations.ts"

export class ResourceJobs {
  /** InsufficientCidrBlocks answers handled the SDK v1 way (no ReSync; a node event instead). */
  icbEvents = 0
  /** Told when a pool's next Node update would do something. */
  watch: NodeUpdateWatch | undefined = undefined
  private readonly scratchIps: Ipv4[] = []
  private readonly scratchPrefixes: Ipv4[] = []

  constructor(
    private readonly sim: Simulation,
    private readonly nodes: readonly WindowsNode[],
    private readonly pools: PoolMemory,
    private readonly ec2: SimulatedEc2,
    private readonly calls: Ec2Calls,
    private readonly subnetUse: SubnetUse,
    private readonly workers: Workers,
    private readonly loops: DeleteQueueLoops,
    private readonly counts: PoolCounts,
    private readonly profile: Profile,
    /** When new addresses show in DescribeNetworkInterfaces after AssignPrivateIpAddresses. */
    private readonly visibility: (rng: Rng) => number,
    private readonly rngEc2: Rng,
    private readonly rngJitter: Rng,
    /** Go's order over a delete's map of ENI entries (drawn only when a delete spans two entries or more). */
    private readonly rngEntryOrder: Rng,
  ) {}

  /** A JOB_STEP event: an EC2 call's answer (`code`), or the end of a sleep (Ok). */
  onStepEvent(id: number, code: Ec2Code): void {
    this.workers.jobs[id]!.code = code
    this.step(id)
  }

  /**
   * One stage of a Create, Delete or ReSync job, with the provider's entry the job took when it started:
   * forgotten since (IPAM off, the node gone), it goes on all the same (its pool is then out of the
   * kernel's reach). EC2 refuses the calls of a node that has left: its instance is gone.
   */
  step(id: number): void {
    const job = this.workers.jobs[id]!
    const node = this.nodes[job.node]!
    const prov = job.prov!
    const isPd = job.mode === Mode.Prefix
    // The job uses the ENI manager it found when it started (a new InitResource makes another).
    if (job.eniGeneration < 0) job.eniGeneration = prov.eni.generation
    switch (job.kind) {
      case JobKind.CREATE:
        this.stepCreate(id, job, node, prov, isPd)
        return
      case JobKind.DELETE:
        this.stepDelete(id, job, node, prov, isPd)
        return
      case JobKind.RESYNC:
        this.stepResync(id, job, node, prov, isPd)
        return
    }
  }

  private stepCreate(id: number, job: Job, node: WindowsNode, prov: ProviderState, isPd: boolean): void {
    switch (job.stage) {
      case 0: {
        // CreateIPV4Resource (eni.go ~129–164): the ENI entries in list order, a stale one first after a
        // ReSync; each with room by its own count is asked for what that count says fits, until enough.
        const eni = prov.eni
        const remaining = eni.remaining
        const sameManager = job.eniGeneration === eni.generation
        while (sameManager && job.entry < remaining.length && job.created.length < job.count) {
          const room = remaining[job.entry]!
          if (room > 0) {
            job.asked = Math.min(room, job.count - job.created.length)
            job.entryStart = job.created.length
            this.callEc2(id, job, Ec2Action.AssignPrivateIpAddresses, 1)
            return
          }
          job.entry++
        }
        // "not able to create the desired number" (~234): an error, with what was created.
        if (job.created.length < job.count) job.code = Ec2Code.PrivateIpAddressLimitExceeded
        this.completeCreate(id, job, node, prov, isPd)
        return
      }
      case 1: {
        if (job.code !== Ec2Code.Ok) {
          // A failed ask ends the walk and returns its own result, empty (~143–145): what earlier entries
          // gave stays on the ENI, unknown to the pool until a ReSync.
          job.created.length = 0
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        const eni = node.node.eni
        const code = isPd
          ? this.ec2.assignPrefixes(eni, job.asked, job.created)
          : this.ec2.assignIps(eni, job.asked, job.created)
        if (code !== Ec2Code.Ok) {
          this.calls.fail(Ec2Action.AssignPrivateIpAddresses)
          job.code = code
          const tracker = this.subnetUse.trackers[node.node.subnetIndex]!
          if (code === Ec2Code.InsufficientCidrBlocks) tracker.prefixErrors++
          if (code === Ec2Code.InsufficientFreeAddressesInSubnet) tracker.insufficientErrors++
          job.created.length = 0
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        this.subnetUse.touch(node.node.subnetIndex, this.sim.now)
        job.visibleAt = this.sim.now + this.visibility(this.rngEc2)
        job.polls = 0
        job.stage = 2
        this.step(id)
        return
      }
      case 2: {
        // waitForIPAttachment: DescribeNetworkInterfaces until the new addresses show.
        this.callEc2(id, job, Ec2Action.DescribeNetworkInterfaces, 3)
        return
      }
      case 3: {
        if (job.code === Ec2Code.Ok && node.node.status === NodeStatus.Gone) {
          // The instance is gone: DescribeNetworkInterfaces does not know the ENI (not retried).
          this.calls.fail(Ec2Action.DescribeNetworkInterfaces)
          job.code = Ec2Code.InvalidNetworkInterfaceId
        }
        if (job.code !== Ec2Code.Ok) {
          // Describe failed: reported as nothing created; a ReSync later finds the addresses.
          job.created.length = 0
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        if (this.sim.now >= job.visibleAt) {
          // The entry's count drops by what showed (~152), and the walk goes on to the next entry.
          if (job.eniGeneration === prov.eni.generation) prov.eni.granted(job.entry, job.created, job.entryStart)
          job.entry++
          job.stage = 0
          this.step(id)
          return
        }
        job.polls++
        if (job.polls >= Controller.ATTACH_WAIT_ATTEMPTS) {
          job.created.length = 0
          job.code = Ec2Code.RequestTimeout
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        const sleep = Controller.ATTACH_WAIT_FIRST_SLEEP_MS * 2 ** (job.polls - 1)
        job.stage = 2
        this.sim.events.push(
          this.sim.now + Math.round(sleep * (1 + 0.1 * this.rngJitter.float())),
          ControllerEvent.JOB_STEP,
          id,
          0,
        )
        return
      }
    }
  }

  private completeCreate(id: number, job: Job, node: WindowsNode, prov: ProviderState, isPd: boolean): void {
    let didSucceed = job.code === Ec2Code.Ok
    let prefixAvailable = isPd
    if (isPd && job.code === Ec2Code.InsufficientCidrBlocks && this.profile !== "current") {
      // SDK v1 error strings start with the code: non-retryable, prefixAvailable false, node event.
      didSucceed = true
      prefixAvailable = false
      this.icbEvents++
    }
    this.jobResult(id, job, node, prov, JobType.Create, job.created, didSucceed, prefixAvailable)
  }

  /**
   * UpdatePool with a job's result, the reconcile it asks for, then the worker and the ENI lock are freed
   * (provider.go ~366–376). A forgotten entry's pool is updated all the same; the job a reconcile of it
   * returns is submitted for the node's name, as any job is.
   */
  private jobResult(
    id: number,
    job: Job,
    node: WindowsNode,
    prov: ProviderState,
    type: JobType,
    resources: readonly Ipv4[],
    didSucceed: boolean,
    prefixAvailable: boolean,
  ): void {
    const pool = prov.pool!
    if (!prov.orphan) this.loops.wake(node.index, job.mode)
    if (pool.updatePool(type, job.count, resources, didSucceed, prefixAvailable))
      this.workers.reconcilePoolAndSubmit(pool.id, node.index, job.mode)
    if (!prov.orphan) this.poolChanged(node.index, job.mode)
    this.workers.finish(id, true)
  }

  /**
   * A live pool changed with no reconcile after (UpdatePool, ReSync): its counts reported, and a Node update
   * noted as doing something if a reconcile would now return a job.
   */
  private poolChanged(node: number, mode: Mode): void {
    this.counts.touchPool(node, mode)
    if (poolNeedsJob(this.pools, node * 2 + mode)) this.watch?.mark(node)
  }

  /** An EC2 call of a job: the job's next stage runs at the answer's time (a JOB_STEP event with its code). */
  private callEc2(id: number, job: Job, action: Ec2Action, nextStage: number): void {
    job.stage = nextStage
    this.calls.call(action, ControllerEvent.JOB_STEP, id)
  }

  private stepDelete(id: number, job: Job, node: WindowsNode, prov: ProviderState, isPd: boolean): void {
    if (job.stage === 0) {
      this.orderEntries(job, prov)
      job.created.length = 0
      this.unassignNext(id, job)
      return
    }
    // One entry (no ReSync since the manager was made, the common case): the call is for every resource.
    const batch = job.entryOrder.length === 1 ? job.groups : job.batch
    if (job.code === Ec2Code.Ok) {
      job.code = isPd ? this.ec2.unassignPrefixes(node.node.eni, batch) : this.ec2.unassignIps(node.node.eni, batch)
      // EC2 refuses only an ENI it does not know (the node's instance is gone).
      if (job.code !== Ec2Code.Ok) this.calls.fail(Ec2Action.UnassignPrivateIpAddresses)
    }
    if (job.code === Ec2Code.Ok) {
      if (job.eniGeneration === prov.eni.generation) prov.eni.released(job.entryOrder[job.entry]!, batch)
      this.subnetUse.touch(node.node.subnetIndex, this.sim.now)
    } else {
      for (let i = 0; i < batch.length; i++) job.created.push(batch[i]!)
      job.failures++
    }
    job.entry++
    if (job.entry < job.entryOrder.length) {
      this.unassignNext(id, job)
      return
    }
    this.jobResult(id, job, node, prov, JobType.Deleted, job.created, job.failures === 0, isPd)
  }

  /**
   * DeleteIPV4Resource's groupResourcesPerENI (eni.go ~266–282, ~316–326): the resources by the ENI entry
   * they belong to, one UnassignPrivateIpAddresses per entry, in Go's order over that map. A map of up to
   * 8 keys holds them in insertion order and a range starts at a random one of its 8 slots (the order
   * rotated by r when r < the number of keys, else unrotated); a larger map's order is taken as uniform.
   */
  private orderEntries(job: Job, prov: ProviderState): void {
    const order = job.entryOrder
    const groupEntry = job.groupEntry
    order.length = 0
    groupEntry.length = 0
    if (prov.eni.remaining.length === 1) {
      order.push(0)
      return
    }
    const groups = job.groups
    for (let i = 0; i < groups.length; i++) {
      const e = prov.eni.entryOf(groups[i]!)
      groupEntry.push(e)
      if (order.indexOf(e) < 0) order.push(e)
    }
    const n = order.length
    if (n < 2) return
    if (n <= 8) {
      const r = this.rngEntryOrder.int(8)
      if (r === 0 || r >= n) return
      // Rotate left by r: three reversals, in place.
      reverse(order, 0, r - 1)
      reverse(order, r, n - 1)
      reverse(order, 0, n - 1)
      return
    }
    for (let i = n - 1; i > 0; i--) {
      const j = this.rngEntryOrder.int(i + 1)
      const t = order[i]!
      order[i] = order[j]!
      order[j] = t
    }
  }

  /** The UnassignPrivateIpAddresses call for the entry at `job.entry` in the job's order. */
  private unassignNext(id: number, job: Job): void {
    if (job.entryOrder.length > 1) {
      const batch = job.batch
      batch.length = 0
      const e = job.entryOrder[job.entry]!
      for (let i = 0; i < job.groups.length; i++) if (job.groupEntry[i] === e) batch.push(job.groups[i]!)
    }
    this.callEc2(id, job, Ec2Action.UnassignPrivateIpAddresses, 1)
  }

  private stepResync(id: number, job: Job, node: WindowsNode, prov: ProviderState, isPd: boolean): void {
    if (job.stage === 0) {
      this.callEc2(id, job, Ec2Action.DescribeInstances, 1)
      return
    }
    const ips = this.scratchIps
    const prefixes = this.scratchPrefixes
    ips.length = 0
    prefixes.length = 0
    if (job.code === Ec2Code.Ok) {
      job.code = this.ec2.describeEni(node.node.eni, ips, prefixes)
      // EC2 answers for an instance it still has; a gone node's ENI is not described.
      if (job.code !== Ec2Code.Ok) this.calls.fail(Ec2Action.DescribeInstances)
    }
    if (job.code === Ec2Code.Ok) {
      // InitResources on the same manager: a fresh entry after the old ones (eni.go ~87–110).
      if (job.eniGeneration === prov.eni.generation)
        prov.eni.append(this.ec2.remainingSlots(node.node.eni), isPd ? prefixes : ips)
      if (!prov.orphan) this.loops.wake(node.index, job.mode)
      prov.pool!.reSync(isPd ? prefixes : ips)
      if (!prov.orphan) this.poolChanged(node.index, job.mode)
    }
    this.workers.finish(id, true)
  }
}

const reverse = (a: number[], from: number, to: number): void => {
  for (let i = from, j = to; i < j; i++, j--) {
    const t = a[i]!
    a[i] = a[j]!
    a[j] = t
  }
}
