// The stages of a worker's EC2 jobs (pkg/provider/{ip,prefix} job handlers, pkg/aws/ec2/api): Create
// (AssignPrivateIpAddresses, then DescribeNetworkInterfaces until the addresses show), Delete
// (UnassignPrivateIpAddresses) and ReSync (DescribeInstances, then the pool rebuilt from what EC2 holds).
// Each EC2 call ends a stage at its answer time (Ec2Calls); SimulatedEc2 applies the effect.

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
import type { PoolCounts } from "./PoolCounts.ts"
import { Mode, type ProviderState } from "./ResourceProvider.ts"
import type { WindowsNode } from "./WindowsNode.ts"
import { type Job, JobKind, type Workers } from "./Workers.ts"
import { JobType } from "./warm-pool/Pool.ts"

export class ResourceJobs {
  /** InsufficientCidrBlocks answers handled the SDK v1 way (no ReSync; a node event instead). */
  icbEvents = 0
  private readonly scratchIps: Ipv4[] = []
  private readonly scratchPrefixes: Ipv4[] = []

  constructor(
    private readonly sim: Simulation,
    private readonly nodes: readonly WindowsNode[],
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
  ) {}

  /** A JOB_STEP event: an EC2 call's answer (`code`), or the end of a sleep (Ok). */
  onStepEvent(id: number, code: Ec2Code): void {
    this.workers.jobs[id]!.code = code
    this.step(id)
  }

  /** One stage of a Create, Delete or ReSync job. */
  step(id: number): void {
    const job = this.workers.jobs[id]!
    const node = this.nodes[job.node]!
    const prov = node.provider(job.mode)
    if (prov.pool === undefined || node.node.status === NodeStatus.Gone) {
      this.workers.finish(id, true)
      return
    }
    const isPd = job.mode === Mode.Prefix
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
        // CreateIPV4Resource: the ENI manager asks only for what its own count says fits.
        if (prov.eniRemaining <= 0) {
          job.code = Ec2Code.PrivateIpAddressLimitExceeded
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        job.asked = Math.min(prov.eniRemaining, job.count)
        this.callEc2(id, job, Ec2Action.AssignPrivateIpAddresses, 1)
        return
      }
      case 1: {
        if (job.code !== Ec2Code.Ok) {
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
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        this.subnetUse.touch(node.node.subnetIndex, this.sim.now)
        prov.eniRemaining -= job.asked
        job.visibleAt = this.sim.now + this.visibility(this.rngEc2)
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
        if (job.code !== Ec2Code.Ok) {
          // Describe failed: reported as nothing created; a ReSync later finds the addresses.
          job.created.length = 0
          this.completeCreate(id, job, node, prov, isPd)
          return
        }
        if (this.sim.now >= job.visibleAt) {
          if (job.asked < job.count) job.code = Ec2Code.PrivateIpAddressLimitExceeded
          this.completeCreate(id, job, node, prov, isPd)
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

  /** UpdatePool with a job's result, the reconcile it asks for, then the worker and the ENI lock are freed. */
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
    this.loops.wake(node.index, job.mode)
    if (prov.pool!.updatePool(type, job.count, resources, didSucceed, prefixAvailable))
      this.workers.reconcileAndSubmit(node.index, job.mode)
    this.counts.touchPool(node.index, job.mode)
    this.workers.finish(id, true)
  }

  /** An EC2 call of a job: the job's next stage runs at the answer's time (a JOB_STEP event with its code). */
  private callEc2(id: number, job: Job, action: Ec2Action, nextStage: number): void {
    job.stage = nextStage
    this.calls.call(action, ControllerEvent.JOB_STEP, id)
  }

  private stepDelete(id: number, job: Job, node: WindowsNode, prov: ProviderState, isPd: boolean): void {
    if (job.stage === 0) {
      this.callEc2(id, job, Ec2Action.UnassignPrivateIpAddresses, 1)
      return
    }
    let failed: Ipv4[] = job.created
    failed.length = 0
    if (job.code === Ec2Code.Ok) {
      if (isPd) this.ec2.unassignPrefixes(node.node.eni, job.groups)
      else this.ec2.unassignIps(node.node.eni, job.groups)
      prov.eniRemaining += job.groups.length
      this.subnetUse.touch(node.node.subnetIndex, this.sim.now)
    } else {
      failed = job.groups
    }
    this.jobResult(id, job, node, prov, JobType.Deleted, failed, job.code === Ec2Code.Ok, isPd)
  }

  private stepResync(id: number, job: Job, node: WindowsNode, prov: ProviderState, isPd: boolean): void {
    if (job.stage === 0) {
      this.callEc2(id, job, Ec2Action.DescribeInstances, 1)
      return
    }
    if (job.code === Ec2Code.Ok) {
      const ips = this.scratchIps
      const prefixes = this.scratchPrefixes
      ips.length = 0
      prefixes.length = 0
      this.ec2.describeEni(node.node.eni, ips, prefixes)
      prov.eniRemaining = this.ec2.remainingSlots(node.node.eni)
      this.loops.wake(node.index, job.mode)
      prov.pool!.reSync(isPd ? prefixes : ips)
      this.counts.touchPool(node.index, job.mode)
    }
    this.workers.finish(id, true)
  }
}
