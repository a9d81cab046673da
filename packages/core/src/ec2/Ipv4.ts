// IPv4 addresses as unsigned 32-bit integers held in plain numbers: cheap to compare, hash and store in
// typed arrays. Strings exist only at the edges (scenario files, reports, annotations).

export type Ipv4 = number

/** Parses dotted-quad text; returns -1 when the text is not a valid IPv4 address. */
export const parseIpv4 = (text: string): Ipv4 => {
  const parts = text.split(".")
  if (parts.length !== 4) return -1
  let value = 0
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return -1
    const octet = Number(part)
    if (octet > 255) return -1
    value = value * 256 + octet
  }
  return value
}

export const formatIpv4 = (ip: Ipv4): string =>
  `${Math.floor(ip / 16777216) % 256}.${Math.floor(ip / 65536) % 256}.${Math.floor(ip / 256) % 256}.${ip % 256}`

export interface Cidr {
  readonly base: Ipv4
  readonly prefixLength: number
  readonly size: number
}

/** Parses "a.b.c.d/n"; returns an error message instead of throwing so callers can attach the field name. */
export const parseCidr = (text: string): Cidr | string => {
  const slash = text.indexOf("/")
  if (slash < 0) return `expected a CIDR like 10.0.0.0/24, got "${text}"`
  const ip = parseIpv4(text.slice(0, slash))
  const lengthText = text.slice(slash + 1)
  if (ip < 0 || !/^\d{1,2}$/.test(lengthText)) return `expected a CIDR like 10.0.0.0/24, got "${text}"`
  const prefixLength = Number(lengthText)
  if (prefixLength > 32) return `prefix length must be at most 32, got "${text}"`
  const size = 2 ** (32 - prefixLength)
  if (ip % size !== 0)
    return `"${text}" has host bits set; did you mean ${formatIpv4(ip - (ip % size))}/${prefixLength}?`
  return { base: ip, prefixLength, size }
}

export const formatCidr = (cidr: Cidr): string => `${formatIpv4(cidr.base)}/${cidr.prefixLength}`

/**
 * The /28 prefix that holds an address (prefix delegation hands out aligned blocks of 16). By bits, not
 * `ip % 16`: an address read from a Float64Array (the pools' memory) is a double, and a double's remainder
 * is a slow call where the low bits of its uint32 take one instruction.
 */
export const prefixOf = (ip: Ipv4): Ipv4 => ip - ((ip >>> 0) & 15)
