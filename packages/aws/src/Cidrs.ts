// A set of addresses as the fewest CIDR blocks that cover exactly them: consecutive addresses merge into
// the largest aligned block that fits, the rest stay /32. Keeps imported `usedByOthers.ranges` short
// (a Linux node's /28 prefixes, a load balancer's run of addresses) without ever covering a free address.

import type { Cidr, Ipv4 } from "@ipamsim/core/ec2/Ipv4"

export const addressesToCidrs = (addresses: Iterable<Ipv4>): Cidr[] => {
  const sorted = [...new Set(addresses)].sort((a, b) => a - b)
  const out: Cidr[] = []
  let i = 0
  while (i < sorted.length) {
    // The run of consecutive addresses starting here.
    let end = i
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++
    let start = sorted[i]!
    let left = end - i + 1
    while (left > 0) {
      // Largest power of two that is both the alignment of `start` and no longer than what is left.
      let size = 1
      while (size * 2 <= left && start % (size * 2) === 0 && size < 2 ** 31) size *= 2
      out.push({ base: start, prefixLength: 32 - Math.log2(size), size })
      start += size
      left -= size
    }
    i = end + 1
  }
  return out
}
