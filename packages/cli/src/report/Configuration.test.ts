// The report's `configuration` section: what was simulated, with the targets each node group runs with after
// the controller's and ipamd's parsing and defaults, per period between changes; and its HTML section.

import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { loadScenario } from "../scenario/ScenarioLoader.ts"
import type { Scenario } from "../scenario/ScenarioSchema.ts"
import { type LinuxTargets, scenarioConfiguration, type WindowsTargets } from "./Configuration.ts"
import { configurationSection, dataChange } from "./html/ConfigurationSection.ts"
import { renderHtmlReport } from "./html/HtmlReport.ts"
import { WINDOWS_ONLY } from "./Report.fixtures.ts"

const sims = fileURLToPath(new URL("../../../../simulations/", import.meta.url))
const bundled = (file: string): Scenario => loadScenario(join(sims, file)).scenario

describe("the configuration section", () => {
  it("gives the ConfigMap's change and the targets before and after it (warm-target-rollout)", () => {
    const c = scenarioConfiguration(bundled("warm-target-rollout.yaml"))
    expect(c.configMap.data).toEqual({ "enable-windows-ipam": "true" })
    expect(c.configMap.changes.map((ch) => ch.atMs)).toEqual([1_800_000])
    expect(c.awsNode).toBeUndefined()
    const ts = Object.values(c.targets)[0] as WindowsTargets[]
    expect(ts.map((t) => [t.atMs, t.mode, t.warmIpTarget, t.minimumIpTarget])).toEqual([
      [0, "secondary-ip", 3, 3],
      [1_800_000, "secondary-ip", 1, 0],
    ])
    expect(ts[0]!.advertisedCapacity).toBeGreaterThan(0)
    expect(c.run.timelineEveryMs).toBeGreaterThan(0)
  })

  it("reads the controller's defaults, prefix delegation and IPAM off as the controller does", () => {
    const s: Scenario = {
      name: "x",
      subnets: [{ id: "s", cidr: "10.0.0.0/22" }],
      nodeGroups: [
        { name: "nitro", instanceType: "m5.large", count: 1, subnet: "s" },
        { name: "xen", instanceType: "m4.large", count: 1, subnet: "s" },
      ],
      configMap: {
        data: { "enable-windows-ipam": "true", "enable-windows-prefix-delegation": "true" },
        changes: [
          { at: "10m", set: { "windows-warm-prefix-target": "2" } },
          { at: "20m", set: { "enable-windows-ipam": "false" } },
        ],
      },
      workload: {},
    }
    const c = scenarioConfiguration(s)
    const nitro = c.targets.nitro as WindowsTargets[]
    const xen = c.targets.xen as WindowsTargets[]
    // PD on: defaults W 1, M 3, WPT 0; the Xen instance stays on secondary IPs (defaults 3/3).
    expect(nitro.map((t) => [t.mode, t.warmIpTarget, t.minimumIpTarget, t.warmPrefixTarget, t.ipam])).toEqual([
      ["prefix", 1, 3, 0, true],
      ["prefix", 0, 0, 2, true],
      ["secondary-ip", 3, 3, 0, false],
    ])
    expect(xen[0]).toMatchObject({ mode: "secondary-ip", warmIpTarget: 3, minimumIpTarget: 3 })
    expect(nitro[2]!.advertisedCapacity).toBe(0)
    expect(nitro[0]!.advertisedCapacity).toBe(nitro[1]!.advertisedCapacity)
    expect(c.configMap.changes[0]!.data).toMatchObject({ "windows-warm-prefix-target": "2" })
  })

  it("gives ipamd's settings for a Linux group from the aws-node env, with values ipamd does not take", () => {
    const s: Scenario = {
      name: "x",
      subnets: [{ id: "s", cidr: "10.0.0.0/22" }],
      nodeGroups: [{ name: "lin", instanceType: "m5.large", count: 2, subnet: "s", os: "linux" }],
      awsNode: {
        env: { WARM_IP_TARGET: "2", MINIMUM_IP_TARGET: "10", WARM_ENI_TARGET: "x" },
        changes: [{ at: "5m", set: { ENABLE_PREFIX_DELEGATION: "true" } }],
      },
      workload: {},
    }
    const c = scenarioConfiguration(s)
    const ts = c.targets.lin as LinuxTargets[]
    expect(ts[0]).toMatchObject({ mode: "secondary-ip", warmIpTarget: 2, minimumIpTarget: 10, warmEniTarget: 1 })
    expect(ts[0]!.envWarnings.join()).toMatch(/WARM_ENI_TARGET/)
    expect(ts[1]).toMatchObject({ atMs: 300_000, mode: "prefix" })
    expect(ts[1]!.ipsPerEni).toBe(ts[0]!.ipsPerEni * 16)
    expect(c.awsNode?.changes[0]?.env.ENABLE_PREFIX_DELEGATION).toBe("true")
    expect(c.ec2.ipamd).toBeDefined()
    expect(c.warnings.join()).toMatch(/WARM_ENI_TARGET/)
  })

  it("says what each change did", () => {
    expect(dataChange({ a: "1", b: "2" }, { a: "3", c: "4" })).toBe('a: "1" → "3"; c = "4"; b removed')
    expect(dataChange({ a: "1" }, null)).toBe("deleted")
    expect(dataChange(null, { a: "1" })).toBe('created: a = "1"')
  })
})

describe("the HTML configuration section", () => {
  const hostile = "<script>window.__pwned=1</script>"
  const s: Scenario = {
    name: "x",
    subnets: [{ id: `s${hostile}`, cidr: "10.0.0.0/22" }],
    nodeGroups: [{ name: `g${hostile}`, instanceType: "m5.large", count: 1, subnet: `s${hostile}` }],
    configMap: { data: { "enable-windows-ipam": "true" }, changes: [{ at: "30m", set: { [hostile]: hostile } }] },
    workload: {},
  }

  it("lists node groups, targets, ConfigMap changes, subnets and EC2, every name escaped", () => {
    const html = configurationSection(scenarioConfiguration(s))
    expect(html).not.toContain("<script>")
    expect(html).toContain("&lt;script&gt;")
    for (const text of [
      "Node groups",
      "Targets in force",
      "ConfigMap amazon-vpc-cni",
      "30.0 min",
      "AssignPrivateIpAddresses",
    ])
      expect(html).toContain(text)
  })

  it("is a section of the page when the report has a configuration, and absent otherwise", () => {
    const page = renderHtmlReport({ ...WINDOWS_ONLY, configuration: scenarioConfiguration(s) })
    expect(page).toContain("<h2>Configuration simulated</h2>")
    expect(renderHtmlReport(WINDOWS_ONLY)).not.toContain("Configuration simulated")
  })
})
