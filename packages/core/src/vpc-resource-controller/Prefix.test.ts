// §6.7 DeconstructIPsFromPrefix oracle (pkg/utils/helper_test.go), plus what the Go code does on other inputs.
import { describe, expect, it } from "vitest"
import { deconstructIpsFromPrefix } from "./Prefix.ts"

const range = (network: string, from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${network}${from + i}/32`)

describe("TestDeconstructIPsFromPrefix", () => {
  it.each([
    // §6.7: /32 → itself
    ["10.0.1.0/32", ["10.0.1.0/32"]],
    // §6.7: /30 → .0–.3
    ["10.0.1.0/30", ["10.0.1.0/32", "10.0.1.1/32", "10.0.1.2/32", "10.0.1.3/32"]],
    // §1.2: a /28 gives 16 addresses including the network address, last octet + i, in order
    ["10.0.1.0/28", range("10.0.1.", 0, 16)],
    ["192.168.25.48/28", range("192.168.25.", 48, 16)],
    ["10.0.1.0/31", ["10.0.1.0/32", "10.0.1.1/32"]],
    // Atoi accepts a sign and leading zeros in the mask
    ["10.0.1.0/+32", ["10.0.1.0/32"]],
    ["10.0.1.0/032", ["10.0.1.0/32"]],
    // §6.7 "does not carry into the third octet": string concatenation of last octet + i
    ["10.0.1.250/28", range("10.0.1.", 250, 16)],
    // the first three octets are copied verbatim, never validated
    ["a.b.c.0/31", ["a.b.c.0/32", "a.b.c.1/32"]],
    // the host octet goes through Atoi: sign accepted, leading zeros dropped
    ["10.0.1.+0/31", ["10.0.1.0/32", "10.0.1.1/32"]],
    ["10.0.1.007/32", ["10.0.1.7/32"]],
    ["10.0.1.-1/31", ["10.0.1.-1/32", "10.0.1.0/32"]],
  ])("%s", (prefix, expected) => {
    expect(deconstructIpsFromPrefix(prefix)).toEqual(expected)
  })

  it("a /28 holds .15 but not .16 (§6.7)", () => {
    const ips = deconstructIpsFromPrefix("10.0.1.0/28")!
    expect(ips).toHaveLength(16)
    expect(ips).toContain("10.0.1.15/32")
    expect(ips).not.toContain("10.0.1.16/32")
  })
})

describe("TestDeconstructIPsFromPrefix_InvalidPrefix", () => {
  it.each([
    // §6.7 rows
    ["double slash makes invalid mask", "10.0.1.0//28"],
    ["negative mask", "10.0.1.0/-2"],
    ["missing slash", "10.0.1"],
    ["not enough segments", "10.0.1/28"],
    // further error paths of the same code
    ["mask above 32", "10.0.1.0/33"],
    ["empty mask", "10.0.1.0/"],
    ["mask with trailing text", "10.0.1.0/28/1"],
    ["mask with a space", "10.0.1.0/ 28"],
    ["hex mask", "10.0.1.0/0x1c"],
    ["five segments", "10.0.1.0.0/28"],
    ["host octet not a number", "10.0.1.x/28"],
    ["empty host octet", "10.0.1./28"],
    ["empty string", ""],
    ["IPv6", "2001:db8::/64"],
  ])("%s: %j → error (undefined)", (_name, prefix) => {
    expect(deconstructIpsFromPrefix(prefix)).toBeUndefined()
  })
})
