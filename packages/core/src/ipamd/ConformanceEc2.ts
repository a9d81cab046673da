// The simulated EC2 of the ipamd conformance protocol (docs/conformance.md, "ipamd conformance"): answers a
// PoolCycle's requests at once. Secondary IPs come from a counter starting at 10.0.0.1, prefixes from
// 10.64.0.0/28 in steps of 16, created ENIs are numbered 1001, 1002, … (a failed creation takes no number);
// how assign and create calls answer is set by the protocol's `ec2` op. The tests of whole nodes use it too.

import { CallResult, Ec2Op, type PoolRequest } from "./PoolCycle.ts"

export enum AssignBehaviour {
  OK = 0,
  /** InsufficientFreeAddressesInSubnet (SIP) / InsufficientCidrBlocks (PD). */
  INSUFFICIENT = 1,
  ERROR = 2,
  /** Calls asking for more than one fail with an error other than insufficient capacity. */
  FAIL_MANY = 3,
}

export enum CreateBehaviour {
  OK = 0,
  INSUFFICIENT = 1,
  ERROR = 2,
}

/** 10.0.0.1 and 10.64.0.0 as integers. */
export enum ConformanceAddresses {
  FIRST_IP = 167_772_161,
  FIRST_PREFIX = 171_966_464,
  FIRST_ENI = 1001,
}

export class ConformanceEc2 {
  assign = AssignBehaviour.OK
  /** A successful assign grants min(n, assignMax); -1: no cap. */
  assignMax = -1
  createEni = CreateBehaviour.OK
  /** What the last answer granted, and the created ENI's number. */
  readonly got: number[] = []
  eni = -1
  private nextIp: number = ConformanceAddresses.FIRST_IP
  private nextPrefix: number = ConformanceAddresses.FIRST_PREFIX
  private nextEni: number = ConformanceAddresses.FIRST_ENI

  /** Answers `r`: fills `got` (and `eni` for a created ENI) and returns how the call ended. */
  answer(r: PoolRequest): CallResult {
    this.got.length = 0
    this.eni = -1
    switch (r.op) {
      case Ec2Op.ASSIGN: {
        const b = this.assign
        if (b === AssignBehaviour.INSUFFICIENT) return CallResult.INSUFFICIENT
        if (b === AssignBehaviour.ERROR || (b === AssignBehaviour.FAIL_MANY && r.n > 1)) return CallResult.ERROR
        this.grant(this.assignMax < 0 ? r.n : Math.min(r.n, this.assignMax), r.prefix)
        return CallResult.OK
      }
      case Ec2Op.CREATE_ENI:
        if (this.createEni === CreateBehaviour.INSUFFICIENT) return CallResult.INSUFFICIENT
        if (this.createEni === CreateBehaviour.ERROR) return CallResult.ERROR
        this.eni = this.nextEni++
        this.grant(r.n, r.prefix)
        return CallResult.OK
      default:
        return CallResult.OK
    }
  }

  private grant(n: number, prefix: boolean): void {
    for (let i = 0; i < n; i++) {
      if (prefix) {
        this.got.push(this.nextPrefix)
        this.nextPrefix += 16
      } else this.got.push(this.nextIp++)
    }
  }
}
