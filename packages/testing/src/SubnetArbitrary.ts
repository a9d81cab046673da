// Arbitraries for the subnet the nodes live in: its size (CIDR prefix length) and addresses used by others
// (Linux nodes, load balancers, Lambda ENIs) that Windows pods cannot have.

import { AWS_RESERVED_PER_SUBNET } from "@ipamsim/core/ec2/Subnet"
import type { SubnetSpec } from "@ipamsim/core/spec/SimSpec"
import fc from "fast-check"
import { integerIn, type Range } from "./Range.ts"

export interface SubnetOptions {
  /** Default "subnet-a". */
  readonly id?: string
  /** CIDR prefix length, 16–28 (default 24). */
  readonly prefixLength?: Range
  /** Addresses taken by others, a count (default 0); capped so that at least one address stays free. */
  readonly usedByOthers?: Range
  /** Network address (default 10.0.0.0, aligned for every prefix length ≥ 8). */
  readonly base?: string
}

/** A subnet; shrinks toward the smallest prefix length in the range (the largest subnet) and fewer others. */
export const subnet = (o: SubnetOptions = {}): fc.Arbitrary<SubnetSpec> =>
  fc
    .record({ length: integerIn(o.prefixLength ?? 24), others: integerIn(o.usedByOthers ?? 0) })
    .map(({ length, others }) => {
      if (length < 16 || length > 28) throw new Error(`subnet: prefix length ${length} is outside 16–28`)
      const usable = 2 ** (32 - length) - AWS_RESERVED_PER_SUBNET
      return {
        id: o.id ?? "subnet-a",
        cidr: `${o.base ?? "10.0.0.0"}/${length}`,
        usedByOthers: { count: Math.min(others, usable - 1) },
      }
    })
