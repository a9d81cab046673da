// When the ConfigMap controller updates nodes, as controllers/core/configmap_controller.go decides it at
// b8d42511: its memory (the cur* fields) is filled by its first reconcile at start (~96–141, zero values
// before), each field is compared on its own (~100, ~111), warm and minimum targets are remembered together
// (~125), the warm prefix target only while the parsed config has PD on (~130), and nodes are updated
// only when one of them changed (~144).

import { describe, expect, it } from "vitest"
import { defaultEc2CallsSpec } from "../spec/Defaults.ts"
import type { ConfigMapData } from "./ConfigMap.ts"
import { ConfigMapController } from "./ConfigMapController.ts"
import { ControllerConfig } from "./ControllerConfig.ts"
import type { WindowsNode } from "./WindowsNode.ts"

/** Runs `changes` after `initial` and returns, per change, whether the managed node was updated. */
const updates = (initial: ConfigMapData, changes: ConfigMapData[], prefixDelegationFlag = true): boolean[] => {
  const config = new ControllerConfig(
    { prefixDelegationFlag, profile: "current", ec2: defaultEc2CallsSpec(), visibility: { fixed: 0 } },
    initial,
  )
  let updated = 0
  // One node in the node manager's data store.
  const node = { current: {} } as unknown as WindowsNode
  const manager = { listNodes: () => [node], updateNode: () => updated++ }
  const c = new ConfigMapController(
    config,
    changes.map((data, i) => ({ atMs: i, data })),
    manager,
  )
  return changes.map((_, i) => {
    const before = updated
    c.onChange(i)
    return updated > before
  })
}

const on = { "enable-windows-ipam": "true" }

describe("ConfigMap controller: when nodes are updated", () => {
  it("a first change of a key none of its fields read updates no node (its memory holds the start's values)", () => {
    expect(
      updates({ ...on, "windows-warm-ip-target": "3" }, [{ ...on, "windows-warm-ip-target": "3", other: "x" }]),
    ).toEqual([false])
  })

  it("a target change updates the nodes once; the same values again do not", () => {
    const a = { ...on, "windows-warm-ip-target": "3" }
    const b = { ...on, "windows-warm-ip-target": "1" }
    expect(updates(a, [b, b, a])).toEqual([true, false, true])
  })

  it('a value the parser reads as the same target (" 3" falls back to the default) is no change', () => {
    // " 3" is not a Go Atoi number: the warm target is the default, as with the key absent.
    expect(updates({ ...on }, [{ ...on, "windows-warm-ip-target": " 3" }])).toEqual([false])
  })

  it("the warm prefix target is remembered only while PD is on", () => {
    const pd = { ...on, "enable-windows-prefix-delegation": "true" }
    // PD off: a prefix target change is neither a change nor remembered…
    const changes = [
      { ...on, "windows-warm-prefix-target": "2" },
      // …so turning PD on with target 2 is a change of the PD flag (and of the prefix target),
      { ...pd, "windows-warm-prefix-target": "2" },
      // and the same again is none.
      { ...pd, "windows-warm-prefix-target": "2" },
    ]
    expect(updates({ ...on, "windows-warm-prefix-target": "1" }, changes)).toEqual([false, true, false])
  })

  it("without the controller's PD flag, the ConfigMap's PD key changes nothing it remembers", () => {
    // The parsed warm/minimum targets change with the PD key (PD defaults vs SIP defaults), so this case
    // sets both targets: only the PD flag differs between the two.
    const sip = { ...on, "windows-warm-ip-target": "3", "windows-minimum-ip-target": "3" }
    expect(updates(sip, [{ ...sip, "enable-windows-prefix-delegation": "true" }], false)).toEqual([false])
  })
})
