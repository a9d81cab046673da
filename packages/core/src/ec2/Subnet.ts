// One VPC subnet's IPv4 address space as EC2 hands it out: secondary IPs anywhere outside prefix
// reservations, /28 prefixes only where all 16 addresses of an aligned block are free. EC2's choice of
// address is opaque, so both picks are uniform at random; random IP placement is what fragments real
// subnets until no /28 is left even though many addresses are free (InsufficientCidrBlocks).
// Every operation is O(1) and allocation-free after construction (typed arrays, swap-remove sets).

import type { Rng } from "../kernel/Rng.ts"
import { type Cidr, formatCidr, formatIpv4, type Ipv4 } from "./Ipv4.ts"

/** Addresses per prefix-delegation block. */
const BLOCK = 16
/** AWS keeps the network address, the VPC router, DNS, one "future use", and the last address. */
const AWS_RESERVED_HEAD = 4
export const AWS_RESERVED_PER_SUBNET = 5
export const MIN_SUBNET_PREFIX_LENGTH = 16
export const MAX_SUBNET_PREFIX_LENGTH = 28

// Per-address state codes.
/** Free and outside prefix reservations: a member of the free-IP set. */
const FREE = 0
/** Free but inside a prefix reservation: only ever handed out as part of a prefix. */
const FREE_IN_RESERVATION = 1
const AWS = 2
const OTHERS = 3
const IP = 4
const PREFIX = 5

export type AddressKind = "free" | "aws-reserved" | "others" | "ip" | "prefix" | "outside"

const KINDS: readonly AddressKind[] = ["free", "free", "aws-reserved", "others", "ip", "prefix"]

export interface SubnetOptions {
  readonly id: string
  readonly cidr: Cidr
  readonly rng: Rng
  /** Addresses taken by other users of the subnet (Linux nodes, load balancers, Lambda, ...). */
  readonly usedByOthers?: { readonly count?: number; readonly ranges?: readonly Cidr[] }
  /** EC2 subnet CIDR reservations of type "prefix": aligned, /28 or larger. */
  readonly prefixReservations?: readonly Cidr[]
  /** Its `kubernetes.io/role/cni` tag for ipamd's subnet discovery: true = a value other than "0", false = "0". */
  readonly cniRole?: boolean | undefined
}

export interface SubnetSnapshot {
  readonly id: string
  readonly cidr: string
  readonly size: number
  readonly usable: number
  readonly free: number
  readonly freeOutsideReservations: number
  readonly freeAlignedBlocks: number
  readonly freeReservedBlocks: number
  readonly fragmentedFree: number
  readonly allocatedIps: number
  readonly allocatedPrefixes: number
  readonly usedByOthers: number
  readonly prefixReservations: readonly string[]
  /** One char per /28: '.' fully free, 'p' allocated prefix, 'f' partly free, '#' full, 'r' holds AWS-reserved. */
  readonly blocks: string
}

/** A set of small non-negative integers with O(1) add, remove, membership and pick-by-index. */
class IndexedSet {
  private readonly members: Int32Array
  private readonly position: Int32Array
  count = 0

  constructor(universe: number) {
    this.members = new Int32Array(universe)
    this.position = new Int32Array(universe).fill(-1)
  }

  has(x: number): boolean {
    return this.position[x]! >= 0
  }

  at(i: number): number {
    return this.members[i]!
  }

  add(x: number): void {
    this.members[this.count] = x
    this.position[x] = this.count
    this.count++
  }

  remove(x: number): void {
    const i = this.position[x]!
    const last = this.members[--this.count]!
    this.members[i] = last
    this.position[last] = i
    this.position[x] = -1
  }
}

export class Subnet {
  readonly id: string
  readonly cidr: Cidr
  /** The `kubernetes.io/role/cni` tag (SubnetOptions.cniRole), undefined when untagged. */
  readonly cniRole: boolean | undefined
  readonly base: Ipv4
  readonly size: number
  readonly usable: number
  private readonly rng: Rng
  private readonly state: Uint8Array
  /** Free addresses per /28 block (0..16). */
  private readonly blockFree: Uint8Array
  /** 1 when the block lies inside a prefix reservation. */
  private readonly blockReserved: Uint8Array
  private readonly freeIps: IndexedSet
  private readonly freeBlocksReserved: IndexedSet
  private readonly freeBlocksOpen: IndexedSet
  private readonly reservations: readonly Cidr[]
  private freeCount = 0
  private othersCount = 0
  private ipCount = 0
  private prefixCount = 0

  constructor(options: SubnetOptions) {
    const { id, cidr, rng } = options
    const where = `subnet "${id}" (${formatCidr(cidr)})`
    const length = cidr.prefixLength
    if (!Number.isInteger(length) || length < MIN_SUBNET_PREFIX_LENGTH || length > MAX_SUBNET_PREFIX_LENGTH) {
      const range = `/${MIN_SUBNET_PREFIX_LENGTH} and /${MAX_SUBNET_PREFIX_LENGTH}`
      throw new Error(`${where}: prefix length must be between ${range}, got /${length}`)
    }
    const size = 2 ** (32 - cidr.prefixLength)
    if (cidr.size !== size || cidr.base % size !== 0) throw new Error(`${where}: CIDR is not aligned to its size`)
    this.id = id
    this.cniRole = options.cniRole
    this.cidr = cidr
    this.base = cidr.base
    this.size = size
    this.usable = size - AWS_RESERVED_PER_SUBNET
    this.rng = rng
    const blocks = size / BLOCK
    this.state = new Uint8Array(size)
    this.blockFree = new Uint8Array(blocks)
    this.blockReserved = new Uint8Array(blocks)
    this.freeIps = new IndexedSet(size)
    this.freeBlocksReserved = new IndexedSet(blocks)
    this.freeBlocksOpen = new IndexedSet(blocks)

    // Prefix reservations: whole aligned blocks, so a block is either entirely inside or entirely outside.
    const reservations = options.prefixReservations ?? []
    for (const r of reservations) {
      const what = `${where}: prefix reservation ${formatCidr(r)}`
      if (r.prefixLength > 28 || r.size < BLOCK) throw new Error(`${what} must be a /28 or larger`)
      if (r.base % r.size !== 0 || r.size !== 2 ** (32 - r.prefixLength))
        throw new Error(`${what} is not aligned to its size`)
      if (r.base < this.base || r.base + r.size > this.base + size) throw new Error(`${what} is not inside the subnet`)
      const first = (r.base - this.base) / BLOCK
      for (let b = first; b < first + r.size / BLOCK; b++) {
        if (this.blockReserved[b] === 1) throw new Error(`${what} overlaps another prefix reservation`)
        this.blockReserved[b] = 1
      }
    }
    this.reservations = reservations.slice()
    for (let off = 0; off < size; off++) if (this.blockReserved[off >>> 4] === 1) this.state[off] = FREE_IN_RESERVATION

    for (let off = 0; off < AWS_RESERVED_HEAD; off++) this.state[off] = AWS
    this.state[size - 1] = AWS

    // Others' ranges may overlap AWS-reserved addresses or each other; only still-free addresses count.
    for (const r of options.usedByOthers?.ranges ?? []) {
      if (r.base < this.base || r.base + r.size > this.base + size)
        throw new Error(`${where}: usedByOthers range ${formatCidr(r)} is not inside the subnet`)
      for (let off = r.base - this.base; off < r.base - this.base + r.size; off++) {
        const s = this.state[off]!
        if (s === FREE || s === FREE_IN_RESERVATION) {
          this.state[off] = OTHERS
          this.othersCount++
        }
      }
    }

    // Build counters and sets from the states.
    for (let off = 0; off < size; off++) {
      const s = this.state[off]!
      if (s === FREE) this.freeIps.add(off)
      if (s === FREE || s === FREE_IN_RESERVATION) {
        this.freeCount++
        this.blockFree[off >>> 4]!++
      }
    }
    for (let b = 0; b < blocks; b++) if (this.blockFree[b] === BLOCK) this.blockSet(b).add(b)

    const count = options.usedByOthers?.count ?? 0
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`${where}: usedByOthers.count must be a non-negative integer, got ${count}`)
    if (count > this.freeIps.count) {
      const room = `the ${this.freeIps.count} free addresses outside prefix reservations`
      throw new Error(`${where}: usedByOthers.count ${count} exceeds ${room}`)
    }
    for (let i = 0; i < count; i++) {
      this.take(this.freeIps.at(rng.int(this.freeIps.count)), OTHERS)
      this.othersCount++
    }
  }

  // ---- counters -------------------------------------------------------------------------------------

  /** Free addresses, inside and outside prefix reservations (AWS-reserved and others' excluded). */
  get free(): number {
    return this.freeCount
  }

  get freeOutsideReservations(): number {
    return this.freeIps.count
  }

  /** Fully free aligned /28 blocks, inside and outside prefix reservations. */
  get freeAlignedBlocks(): number {
    return this.freeBlocksReserved.count + this.freeBlocksOpen.count
  }

  /** Fully free /28 blocks inside prefix reservations. */
  get freeReservedBlocks(): number {
    return this.freeBlocksReserved.count
  }

  /** Free addresses that cannot serve a prefix: not inside a fully free aligned /28. */
  get fragmentedFree(): number {
    return this.freeCount - BLOCK * this.freeAlignedBlocks
  }

  get allocatedIps(): number {
    return this.ipCount
  }

  get allocatedPrefixes(): number {
    return this.prefixCount
  }

  get usedByOthers(): number {
    return this.othersCount
  }

  get awsReserved(): number {
    return AWS_RESERVED_PER_SUBNET
  }

  // ---- allocation -----------------------------------------------------------------------------------

  /** A random free address outside prefix reservations, or -1 when there is none. */
  allocateIp(): Ipv4 {
    const n = this.freeIps.count
    if (n === 0) return -1
    const off = this.freeIps.at(this.rng.int(n))
    this.take(off, IP)
    this.ipCount++
    return this.base + off
  }

  /** An ENI's primary address: EC2 picks it the same way as a secondary one. */
  allocatePrimaryIp(): Ipv4 {
    return this.allocateIp()
  }

  /**
   * The base of a random fully free aligned /28, from prefix reservations first; -1 when none is left
   * (EC2 answers InsufficientCidrBlocks).
   */
  allocatePrefix(): Ipv4 {
    const set = this.freeBlocksReserved.count > 0 ? this.freeBlocksReserved : this.freeBlocksOpen
    if (set.count === 0) return -1
    const block = set.at(this.rng.int(set.count))
    const first = block * BLOCK
    for (let off = first; off < first + BLOCK; off++) this.take(off, PREFIX)
    this.prefixCount++
    return this.base + first
  }

  releaseIp(ip: Ipv4): void {
    const off = ip - this.base
    if (this.stateAt(off) !== IP)
      throw new Error(`subnet "${this.id}": releaseIp(${formatIpv4(ip)}): not an allocated IP (${this.kindOf(ip)})`)
    this.give(off)
    this.ipCount--
  }

  releasePrefix(base: Ipv4): void {
    const first = base - this.base
    if (first % BLOCK !== 0 || this.stateAt(first) !== PREFIX)
      throw new Error(`subnet "${this.id}": releasePrefix(${formatIpv4(base)}): not an allocated prefix base`)
    for (let off = first; off < first + BLOCK; off++) this.give(off)
    this.prefixCount--
  }

  // ---- queries --------------------------------------------------------------------------------------

  /** Whether the address lies inside this subnet's CIDR. */
  holdsIp(ip: Ipv4): boolean {
    return ip >= this.base && ip < this.base + this.size
  }

  /** Whether the address is free (inside or outside a prefix reservation). */
  isFree(ip: Ipv4): boolean {
    const s = this.stateAt(ip - this.base)
    return s === FREE || s === FREE_IN_RESERVATION
  }

  isAllocatedIp(ip: Ipv4): boolean {
    return this.stateAt(ip - this.base) === IP
  }

  /** Whether the address is the base of an allocated prefix. */
  isAllocatedPrefix(base: Ipv4): boolean {
    const off = base - this.base
    return off % BLOCK === 0 && this.stateAt(off) === PREFIX
  }

  /** Whether the address lies inside a prefix reservation. */
  inPrefixReservation(ip: Ipv4): boolean {
    return this.holdsIp(ip) && this.blockReserved[(ip - this.base) >>> 4] === 1
  }

  kindOf(ip: Ipv4): AddressKind {
    const s = this.stateAt(ip - this.base)
    return s < 0 ? "outside" : KINDS[s]!
  }

  /** For reports; allocates, not for hot paths. */
  snapshot(): SubnetSnapshot {
    const blocks = this.size / BLOCK
    const chars: string[] = []
    for (let b = 0; b < blocks; b++) {
      const free = this.blockFree[b]!
      if (b === 0 || b === blocks - 1) chars.push("r")
      else if (this.state[b * BLOCK] === PREFIX) chars.push("p")
      else if (free === BLOCK) chars.push(".")
      else if (free === 0) chars.push("#")
      else chars.push("f")
    }
    return {
      id: this.id,
      cidr: formatCidr(this.cidr),
      size: this.size,
      usable: this.usable,
      free: this.free,
      freeOutsideReservations: this.freeOutsideReservations,
      freeAlignedBlocks: this.freeAlignedBlocks,
      freeReservedBlocks: this.freeReservedBlocks,
      fragmentedFree: this.fragmentedFree,
      allocatedIps: this.allocatedIps,
      allocatedPrefixes: this.allocatedPrefixes,
      usedByOthers: this.usedByOthers,
      prefixReservations: this.reservations.map(formatCidr),
      blocks: chars.join(""),
    }
  }

  // ---- internals ------------------------------------------------------------------------------------

  /** The state code at an offset, or -1 outside the subnet. */
  private stateAt(off: number): number {
    return off >= 0 && off < this.size && Number.isInteger(off) ? this.state[off]! : -1
  }

  private blockSet(block: number): IndexedSet {
    return this.blockReserved[block] === 1 ? this.freeBlocksReserved : this.freeBlocksOpen
  }

  /** Marks a free address used. */
  private take(off: number, next: number): void {
    if (this.state[off] === FREE) this.freeIps.remove(off)
    this.state[off] = next
    this.freeCount--
    const block = off >>> 4
    if (this.blockFree[block] === BLOCK) this.blockSet(block).remove(block)
    this.blockFree[block]!--
  }

  /** Marks a used address free again. */
  private give(off: number): void {
    const block = off >>> 4
    if (this.blockReserved[block] === 1) this.state[off] = FREE_IN_RESERVATION
    else {
      this.state[off] = FREE
      this.freeIps.add(off)
    }
    this.freeCount++
    if (++this.blockFree[block]! === BLOCK) this.blockSet(block).add(block)
  }
}
