import { goAtoi } from "../go/GoText.ts"

/**
 * utils.DeconstructIPsFromPrefix, string for string: the network part's first three octets plus
 * (last octet + i) for every address the mask covers, each with "/32". Like the controller it does not
 * carry into the third octet. Returns undefined where the controller returns an error.
 */
export const deconstructIpsFromPrefix = (prefix: string): string[] | undefined => {
  const slash = prefix.indexOf("/")
  if (slash < 0) return undefined
  const octets = prefix.slice(0, slash).split(".")
  if (octets.length !== 4) return undefined
  const mask = goAtoi(prefix.slice(slash + 1))
  if (!mask.ok || mask.value < 0 || mask.value > 32) return undefined
  const host = goAtoi(octets[3]!)
  if (!host.ok) return undefined
  const network = `${octets[0]}.${octets[1]}.${octets[2]}.`
  const count = 2 ** (32 - mask.value)
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(`${network}${host.value + i}/32`)
  return out
}
