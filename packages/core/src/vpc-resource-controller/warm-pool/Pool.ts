// The warm pool's vocabulary, as pkg/pool/pool.go names it: its constants, its errors and the jobs
// ReconcilePool returns.

import type { Ipv4 } from "../../ec2/Ipv4.ts"

/** The pool's constants: an enum, whose values a bundle writes into the code (docs/performance.md, "Constants as enums"). */
export enum Pool {
  IPS_PER_PREFIX = 16,
  /** config.CoolDownPeriod: fixed, no ConfigMap key for Windows. */
  COOL_DOWN_MS = 30_000,
}

/** The pool's errors. Negative so that AssignResource can return an address or an error in one number. */
export enum PoolError {
  ResourceAlreadyAssigned = -1,
  PoolAtMaxCapacity = -2,
  ResourceAreBeingCooledDown = -3,
  ResourcesAreBeingCreated = -4,
  WarmPoolEmpty = -5,
  InsufficientCidrBlocks = -6,
  ResourceDoesntExist = -7,
  IncorrectResourceOwner = -8,
}

/** The controller's error variable names, by code. */
export const poolErrorName = (code: number): string => {
  switch (code) {
    case PoolError.ResourceAlreadyAssigned:
      return "ErrResourceAlreadyAssigned"
    case PoolError.PoolAtMaxCapacity:
      return "ErrPoolAtMaxCapacity"
    case PoolError.ResourceAreBeingCooledDown:
      return "ErrResourceAreBeingCooledDown"
    case PoolError.ResourcesAreBeingCreated:
      return "ErrResourcesAreBeingCreated"
    case PoolError.WarmPoolEmpty:
      return "ErrWarmPoolEmpty"
    case PoolError.InsufficientCidrBlocks:
      return "ErrInsufficientCidrBlocks"
    case PoolError.ResourceDoesntExist:
      return "ErrResourceDoesntExist"
    case PoolError.IncorrectResourceOwner:
      return "ErrIncorrectResourceOwner"
    default:
      return `unknown pool error ${code}`
  }
}

/** AssignResource's shouldReconcile, derived from its result as the controller returns it. */
export const assignShouldReconcile = (result: number): boolean => result >= 0 || result === PoolError.WarmPoolEmpty

export enum JobType {
  NoReconcile = 0,
  Create = 1,
  Deleted = 2,
  ReSync = 3,
}

/** A warm-pool job as ReconcilePool returns it. Reused by callers to avoid an allocation per reconcile. */
export class PoolJob {
  type: JobType = JobType.NoReconcile
  /** Create: IPs (secondary-IP) or prefixes (prefix mode). Deleted: number of groups. */
  count = 0
  /** Deleted: the group IDs taken out of the warm map. */
  readonly groups: Ipv4[] = []
}
