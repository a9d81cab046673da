// Runs and helpers the HTML report's tests share: a synthetic Windows run with hostile names, a real mixed
// run, and readers of the rendered page.

import { fileURLToPath } from "node:url"
import { Cluster } from "@ipamsim/core/Cluster"
import { DEFAULT_VISIBILITY, defaultEc2CallsSpec } from "@ipamsim/core/spec/Defaults"
import type { PodEvent, SimSpec } from "@ipamsim/core/spec/SimSpec"
import { expect } from "vitest"
import { configurationOf } from "../Configuration.ts"
import { cspHash } from "./HtmlPage.ts"
import type { HtmlReportInput } from "./HtmlReportInput.ts"

export const BASIC_PAYLOAD = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"

/** Every way out of a text node or a <script>, each setting `window.__pwned` if it ever runs. */
export const payload = (n: number): string =>
  `<img src=x onerror="window.__pwned=${n};alert(${n})"></script><script>window.__pwned=${n + 1};alert(${n + 1})</script><!--`

export const SUBNET_SMALL = `subnet-${payload(10)}`
export const GROUP_SMALL = `small-${payload(20)}`

/**
 * A real kernel run, small enough to be quick: secondary-IP pools, one /27 that runs out (exhaustion
 * intervals, pods that never get an address) and one roomy /23; user-visible names carry payloads.
 */
export const simulate = (): HtmlReportInput => {
  const events: PodEvent[] = []
  const pod = (i: number, t: number, type: PodEvent["type"]): PodEvent => ({
    t,
    type,
    pod: `default/p${i}`,
    windowsSelector: true,
    hostNetwork: false,
  })
  for (let i = 0; i < 160; i++) events.push(pod(i, 30_000 + i * 400, "create"))
  for (let i = 0; i < 160; i++) events.push(pod(i, 270_000 + i * 400 + (i % 7) * 20_000, "delete"))
  events.sort((a, b) => a.t - b.t)
  let next = 0
  const spec: SimSpec = {
    seed: 7,
    drainMs: 120_000,
    controller: {
      prefixDelegationFlag: true,
      profile: "current",
      ec2: defaultEc2CallsSpec(),
      visibility: DEFAULT_VISIBILITY,
    },
    configMap: { data: { "enable-windows-ipam": "true" }, changes: [] },
    subnets: [
      { id: SUBNET_SMALL, cidr: "10.0.0.0/27" },
      { id: "subnet-b", cidr: "10.0.4.0/23" },
    ],
    nodeGroups: [
      {
        name: GROUP_SMALL,
        instanceType: "m5.large",
        count: 3,
        subnet: SUBNET_SMALL,
        joinAtMs: 0,
        joinEveryMs: 2_000,
        maxPods: 110,
      },
      {
        name: "win-xl",
        instanceType: "m5.xlarge",
        count: 2,
        subnet: "subnet-b",
        joinAtMs: 5_000,
        joinEveryMs: 2_000,
        maxPods: 110,
      },
    ],
    trace: { next: () => events[next++] },
    timelineEveryMs: 5_000,
  }
  const result = new Cluster(spec).run()
  return {
    ...result,
    // The page's configuration section, with the hostile group and subnet names.
    configuration: configurationOf(spec),
    schemaVersion: 1,
    scenario: payload(0),
    description: `Two subnets, one too small. ${payload(30)}`,
    expectations: [
      {
        name: `maxP99WaitMs ${payload(40)}`,
        ok: result.pods.waitMs.p99 <= 60_000,
        actual: result.pods.waitMs.p99,
        limit: 60_000,
      },
      { name: "allPodsGetIp", ok: result.pods.neverGotIp === 0, actual: result.pods.neverGotIp === 0, limit: true },
      {
        name: "maxWasteRatio",
        ok: result.addresses.wasteRatio <= 0.9,
        actual: result.addresses.wasteRatio,
        limit: 0.9,
      },
    ],
  }
}

/**
 * A real kernel run with Linux nodes: a Windows group and a Linux group in one /25, Windows pods (with the
 * nodeSelector) and Linux pods (without), more Linux pods than the Linux nodes hold at first.
 */
export const simulateMixed = (): HtmlReportInput => {
  const events: PodEvent[] = []
  const pod = (name: string, t: number, type: PodEvent["type"], windows: boolean): PodEvent => ({
    t,
    type,
    pod: `default/${name}`,
    windowsSelector: windows,
    hostNetwork: false,
  })
  for (let i = 0; i < 30; i++) events.push(pod(`w${i}`, 30_000 + i * 500, "create", true))
  for (let i = 0; i < 50; i++) events.push(pod(`l${i}`, 20_000 + i * 300, "create", false))
  for (let i = 0; i < 30; i++) events.push(pod(`w${i}`, 300_000 + i * 700, "delete", true))
  for (let i = 0; i < 50; i++) events.push(pod(`l${i}`, 320_000 + i * 500, "delete", false))
  events.sort((a, b) => a.t - b.t)
  let next = 0
  const result = new Cluster({
    seed: 11,
    drainMs: 120_000,
    controller: {
      prefixDelegationFlag: true,
      profile: "current",
      ec2: defaultEc2CallsSpec(),
      visibility: DEFAULT_VISIBILITY,
    },
    configMap: { data: { "enable-windows-ipam": "true" }, changes: [] },
    subnets: [{ id: "shared", cidr: "10.1.0.0/25" }],
    nodeGroups: [
      {
        name: `linux-${payload(50)}`,
        os: "linux",
        instanceType: "m5.large",
        count: 2,
        subnet: "shared",
        joinAtMs: 0,
        joinEveryMs: 2_000,
        maxPods: 29,
      },
      {
        name: "windows",
        instanceType: "m5.large",
        count: 2,
        subnet: "shared",
        joinAtMs: 0,
        joinEveryMs: 2_000,
        maxPods: 110,
      },
    ],
    awsNode: { env: {} },
    trace: { next: () => events[next++] },
    timelineEveryMs: 5_000,
  }).run()
  return { ...result, schemaVersion: 1, scenario: "mixed", description: "Windows and Linux nodes.", expectations: [] }
}

/** The bundled mixed scenario: ten Linux and four Windows nodes in one /24, which runs out. */
export const SHARED_SUBNET = fileURLToPath(
  new URL("../../../../../simulations/mixed-shared-subnet.yaml", import.meta.url),
)

/** The rows of the data table beneath subnet i's holders chart, each a list of cell texts. */
export const holderRows = (html: string, i: number): string[][] => {
  const box = html.split(`<div class="chart" data-kind="holders" data-index="${i}"></div>`)[1]!.split("</figure>")[0]!
  const body = /<tbody>(.*)<\/tbody>/.exec(box)![1]!
  return body
    .split("</tr>")
    .filter((r) => r !== "")
    .map((r) => [...r.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!))
}
export const count = (cell: string): number => Number(cell.replaceAll(",", ""))

/**
 * The page without uPlot (its script, its CSS and its hash in the Content-Security-Policy): what the
 * renderer writes, which a file snapshot can hold.
 */
export const withoutLibrary = (html: string): string => {
  const lib = /<script>(\/\*! uPlot[\s\S]*?)<\/script>/.exec(html)![1]!
  const css = /<style>([^<]*)<\/style>/.exec(html)![1]!
  expect(css).toContain(".uplot")
  return html.replace(lib, "/* uPlot */").replace(cspHash(lib), "'sha256-uPlot'").replace(css, "/* uPlot */")
}

export const island = (html: string): Record<string, unknown> =>
  JSON.parse(/<script type="application\/json" id="ipamsim-data">([^<]*)<\/script>/.exec(html)![1]!) as Record<
    string,
    unknown
  >

/** The HTML with the inlined scripts and the JSON island cut out: what remains is markup and escaped text. */
export const markupOnly = (html: string): string =>
  html
    .replace(/<script type="application\/json" id="ipamsim-data">[^<]*<\/script>/, "")
    .replace(/<script>[\s\S]*?<\/script>/g, (s) => (s.includes("uPlot") ? "" : s))
