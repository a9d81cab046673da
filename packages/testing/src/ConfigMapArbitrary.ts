// Arbitraries for kube-system/amazon-vpc-cni: IPAM on, prefix delegation on or off, and the warm, minimum and
// warm-prefix targets as the strings a user writes (including the ones the controller reads as unset).

import fc from "fast-check"
import type { Range } from "./Range.ts"

/**
 * A target: a number, a fixed string, a range of numbers, "absent" (key missing), or "any" (missing, 0–20, a
 * negative number, or text the controller cannot parse, which it reads as 0).
 */
export type TargetOption = number | string | Range | "absent" | "any"

export interface ConfigMapOptions {
  /** enable-windows-prefix-delegation: true, false (key missing), or "either" (default false). */
  readonly prefixDelegation?: boolean | "either"
  readonly warmIpTarget?: TargetOption
  readonly minimumIpTarget?: TargetOption
  readonly warmPrefixTarget?: TargetOption
  /** Write the legacy keys (warm-ip-target, …), which win over the windows- keys (default false). */
  readonly legacyKeys?: boolean
}

const targetText = (t: TargetOption): fc.Arbitrary<string | undefined> => {
  if (t === "absent") return fc.constant(undefined)
  if (t === "any")
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }).map(String) },
      { weight: 1, arbitrary: fc.constantFrom("-1", "x", "") },
    )
  if (typeof t === "number" || typeof t === "string") return fc.constant(String(t))
  return fc.integer({ min: t.min, max: t.max }).map(String)
}

/** ConfigMap `data` with enable-windows-ipam "true"; shrinks toward keys left out and smaller targets. */
export const configMap = (o: ConfigMapOptions = {}): fc.Arbitrary<Record<string, string>> => {
  const legacy = o.legacyKeys ?? false
  const key = (name: string): string => (legacy ? name : `windows-${name}`)
  const pd = o.prefixDelegation ?? false
  return fc
    .record({
      pd: pd === "either" ? fc.boolean() : fc.constant(pd),
      w: targetText(o.warmIpTarget ?? "absent"),
      m: targetText(o.minimumIpTarget ?? "absent"),
      wpt: targetText(o.warmPrefixTarget ?? "absent"),
    })
    .map(({ pd, w, m, wpt }) => {
      const data: Record<string, string> = { "enable-windows-ipam": "true" }
      if (pd) data["enable-windows-prefix-delegation"] = "true"
      if (w !== undefined) data[key("warm-ip-target")] = w
      if (m !== undefined) data[key("minimum-ip-target")] = m
      if (wpt !== undefined) data[key("warm-prefix-target")] = wpt
      return data
    })
}
