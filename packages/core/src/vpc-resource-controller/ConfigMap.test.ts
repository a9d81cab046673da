// The amazon-vpc-cni ConfigMap as the controller reads it: §2.1–§2.5, §6.2, §6.3 (pkg/config/loader_test.go,
// pkg/pool/utils_test.go) and the §2.4 decision tables, the latter checked at pool level through WarmPool.
import { describe, expect, it } from "vitest"
import { ascendingOrder } from "../go/MapOrder.ts"
import {
  type ConfigMapData,
  getWinWarmPoolConfig,
  isWindowsIpamEnabled,
  isWindowsPrefixDelegationEnabled,
  loadResourceConfig,
  parseWinIpTargetConfigs,
} from "./ConfigMap.ts"
import { pdDefaultConfig, sipDefaultConfig, type WarmPoolConfig } from "./WarmPoolConfig.ts"
import { JobType, Pool, PoolJob } from "./warm-pool/Pool.ts"
import { WarmPool } from "./warm-pool/WarmPool.ts"

const IPAM = { "enable-windows-ipam": "true" }
const SIP = { ...IPAM, "enable-windows-prefix-delegation": "false" }
const PD = { ...IPAM, "enable-windows-prefix-delegation": "true" }

const wpc = (desiredSize: number, w: number, m: number, wpt: number): WarmPoolConfig => ({
  desiredSize,
  warmIpTarget: w,
  minIpTarget: m,
  warmPrefixTarget: wpt,
  maxDeviation: 0,
  reservedSize: 0,
})

// §6.3 TestParseWinIPTargetConfigs_* (legacy key names unless "win-"); "_" in the research table is the value the
// Go code returns there (0: WPT is read only when the ConfigMap's PD flag is true).
describe("ParseWinIPTargetConfigs (§6.3)", () => {
  it.each<[string, ConfigMapData, [number, number, number, boolean]]>([
    [
      "PDEnabledWithDefaultTargets",
      { ...PD, "warm-ip-target": "1", "minimum-ip-target": "3", "warm-prefix-target": "0" },
      [1, 3, 0, true],
    ],
    ["PDDisabledWithAllZeroTargets", { ...SIP, "warm-ip-target": "0", "minimum-ip-target": "0" }, [1, 0, 0, false]],
    [
      "PDEnabledWithAllZeroTargets",
      { ...PD, "warm-ip-target": "0", "minimum-ip-target": "0", "warm-prefix-target": "0" },
      [1, 3, 0, true],
    ],
    ["PDDisabledWithDefaultTargets", { ...SIP, "warm-ip-target": "3", "minimum-ip-target": "3" }, [3, 3, 0, false]],
    [
      "PDDisabledAndInvalidConfig_ReturnsDefault",
      { ...SIP, "warm-ip-target": "Invalid string", "minimum-ip-target": "Invalid string" },
      [3, 3, 0, false],
    ],
    [
      "PDDisabledAndNegativeConfig_ReturnsOriginal",
      { ...SIP, "warm-ip-target": "-5", "minimum-ip-target": "-5" },
      [-5, -5, 0, false],
    ],
    [
      "PDEnabled_Negative",
      { ...PD, "warm-ip-target": "-10", "minimum-ip-target": "-100", "warm-prefix-target": "0" },
      [-10, -100, 0, true],
    ],
    ["OnlyWindowsIPAM_EffectsDefaults", { ...IPAM }, [3, 3, 0, false]],
    ["PartiallyEmptyTargets_EffectsSpecified (win-W 1 only)", { "windows-warm-ip-target": "1" }, [1, 0, 0, false]],
    ["EmptyConfigMap_ReturnsDefaultsWithSecondaryIP (Data nil)", undefined, [3, 3, 0, false]],
    [
      "PDEnabled_Invalid",
      { ...PD, "warm-ip-target": "random", "minimum-ip-target": "string val", "warm-prefix-target": "can't parse" },
      [1, 3, 0, true],
    ],
    [
      "PDEnabledAndWarmPrefixInvalid",
      { ...PD, "warm-ip-target": "2", "minimum-ip-target": "2", "warm-prefix-target": "invalid value" },
      [2, 2, 0, true],
    ],
    [
      "PDEnabledAndWarmAndMinimumIPInvalid",
      { ...PD, "warm-ip-target": "invalid value", "minimum-ip-target": "invalid value", "warm-prefix-target": "1" },
      [0, 0, 1, true],
    ],
    ["PDEnabledAndWarmAndOnlyWarmPrefixSet", { ...PD, "warm-prefix-target": "1" }, [0, 0, 1, true]],
    [
      "PDEnabledAndWarmAndOnlyWarmPrefixNotSet",
      { ...PD, "warm-ip-target": "2", "minimum-ip-target": "2" },
      [2, 2, 0, true],
    ],
  ])("%s", (_name, data, [w, m, wpt, pd]) => {
    expect(parseWinIpTargetConfigs(data)).toEqual({
      warmIpTarget: w,
      minIpTarget: m,
      warmPrefixTarget: wpt,
      isPdEnabled: pd,
    })
  })

  // §2.2 step 1: only Data == nil takes the early return; an empty map goes through the steps (same result).
  it("an empty but present data map gives the SIP defaults through steps 2–6", () => {
    expect(parseWinIpTargetConfigs({})).toEqual({
      warmIpTarget: 3,
      minIpTarget: 3,
      warmPrefixTarget: 0,
      isPdEnabled: false,
    })
  })

  // §2.2 further steps, derived from the code.
  it.each<[string, ConfigMapData, [number, number, number, boolean]]>([
    ["WPT ignored when the PD flag is false", { ...SIP, "windows-warm-prefix-target": "2" }, [3, 3, 0, false]],
    [
      "WPT ignored when the PD flag is invalid",
      { ...IPAM, "enable-windows-prefix-delegation": "wrongVal", "warm-prefix-target": "2" },
      [3, 3, 0, false],
    ],
    [
      'PD flag parsed with ParseBool ("1")',
      { ...IPAM, "enable-windows-prefix-delegation": "1", "warm-prefix-target": "2" },
      [0, 0, 2, true],
    ],
    [
      "SIP W 0 → 1, M kept",
      { ...SIP, "windows-warm-ip-target": "0", "windows-minimum-ip-target": "4" },
      [1, 4, 0, false],
    ],
    [
      "PD W 0 has no 0→1 override",
      { ...PD, "windows-warm-ip-target": "0", "windows-minimum-ip-target": "4" },
      [0, 4, 0, true],
    ],
    [
      "invalid W gets no 0→1 override",
      { ...SIP, "windows-warm-ip-target": "x", "windows-minimum-ip-target": "5" },
      [0, 5, 0, false],
    ],
    ["Atoi: sign and leading zeros accepted", { ...SIP, "windows-warm-ip-target": "+04" }, [4, 0, 0, false]],
    ["Atoi: whitespace rejected → 0, defaults", { ...SIP, "windows-warm-ip-target": " 4" }, [3, 3, 0, false]],
    ["PD with WPT ≠ 0 keeps (0, 0, WPT)", { ...PD, "windows-warm-prefix-target": "-100" }, [0, 0, -100, true]],
    [
      "PD W 0 and WPT -100",
      { ...PD, "windows-warm-ip-target": "0", "windows-warm-prefix-target": "-100" },
      [0, 0, -100, true],
    ],
  ])("%s", (_name, data, [w, m, wpt, pd]) => {
    expect(parseWinIpTargetConfigs(data)).toEqual({
      warmIpTarget: w,
      minIpTarget: m,
      warmPrefixTarget: wpt,
      isPdEnabled: pd,
    })
  })
})

// §2.1 key precedence: the legacy key is looked up first; a present-but-empty legacy key wins and parses as invalid.
describe("key precedence (§2.1)", () => {
  it.each<[string, ConfigMapData, [number, number, number, boolean]]>([
    ["legacy W wins", { ...SIP, "warm-ip-target": "4", "windows-warm-ip-target": "7" }, [4, 0, 0, false]],
    ["windows- W used when legacy absent", { ...SIP, "windows-warm-ip-target": "7" }, [7, 0, 0, false]],
    ["legacy M wins", { ...SIP, "minimum-ip-target": "2", "windows-minimum-ip-target": "9" }, [0, 2, 0, false]],
    ["windows- M used when legacy absent", { ...SIP, "windows-minimum-ip-target": "9" }, [0, 9, 0, false]],
    ["legacy WPT wins", { ...PD, "warm-prefix-target": "1", "windows-warm-prefix-target": "2" }, [0, 0, 1, true]],
    ["windows- WPT used when legacy absent", { ...PD, "windows-warm-prefix-target": "2" }, [0, 0, 2, true]],
    // empty legacy keys hide their windows- twins
    [
      "empty legacy W hides windows- W (invalid → 0, no 0→1 override)",
      { ...SIP, "warm-ip-target": "", "windows-warm-ip-target": "7", "windows-minimum-ip-target": "2" },
      [0, 2, 0, false],
    ],
    [
      "empty legacy W and nothing else → SIP defaults, not 7",
      { ...SIP, "warm-ip-target": "", "windows-warm-ip-target": "7" },
      [3, 3, 0, false],
    ],
    [
      "empty legacy M hides windows- M",
      { ...SIP, "minimum-ip-target": "", "windows-minimum-ip-target": "9", "windows-warm-ip-target": "2" },
      [2, 0, 0, false],
    ],
    [
      "empty legacy WPT hides windows- WPT → PD defaults",
      { ...PD, "warm-prefix-target": "", "windows-warm-prefix-target": "2" },
      [1, 3, 0, true],
    ],
    // §6.8 "win-M 2, legacy W 4" (mixed names)
    [
      "mixed: windows- M with legacy W",
      { ...SIP, "windows-minimum-ip-target": "2", "warm-ip-target": "4" },
      [4, 2, 0, false],
    ],
  ])("%s", (_name, data, [w, m, wpt, pd]) => {
    expect(parseWinIpTargetConfigs(data)).toEqual({
      warmIpTarget: w,
      minIpTarget: m,
      warmPrefixTarget: wpt,
      isPdEnabled: pd,
    })
  })
})

// §6.3 TestLoadResourceConfig (defaults, §2.3) and TestLoadResourceConfigFromConfigMap. Worker counts and the pod-ENI
// entry are not modelled by ConfigMap.ts.
describe("LoadResourceConfig (§2.3, §6.3)", () => {
  it("TestLoadResourceConfig: SIP defaults {DesiredSize 3, W 3, M 3, MaxDev 0, Reserved 0}", () => {
    expect(sipDefaultConfig()).toEqual(wpc(3, 3, 3, 0))
  })

  it("TestLoadResourceConfig: PD defaults {DesiredSize 1, W 1, M 3, WPT 0, MaxDev 0, Reserved 0}", () => {
    expect(pdDefaultConfig()).toEqual(wpc(1, 1, 3, 0))
  })

  it("TestLoadResourceConfigFromConfigMap: PD true, W 2, M 10, WPT 1 → PD entry gets them, SIP keeps defaults", () => {
    const { sip, pd } = loadResourceConfig({
      ...PD,
      "warm-ip-target": "2",
      "minimum-ip-target": "10",
      "warm-prefix-target": "1",
    })
    expect(pd).toEqual(wpc(1, 2, 10, 1))
    expect(sip).toEqual(wpc(3, 3, 3, 0))
  })

  it.each<[string, ConfigMapData, WarmPoolConfig, WarmPoolConfig]>([
    ["Data nil → defaults", undefined, wpc(3, 3, 3, 0), wpc(1, 1, 3, 0)],
    ["SIP W 5 → into the SIP entry only", { ...SIP, "windows-warm-ip-target": "5" }, wpc(3, 5, 0, 0), wpc(1, 1, 3, 0)],
    ["PD W 5 → into the PD entry only", { ...PD, "windows-warm-ip-target": "5" }, wpc(3, 3, 3, 0), wpc(1, 5, 0, 0)],
    ["PD WPT 2 → PD entry (0, 0, 2)", { ...PD, "windows-warm-prefix-target": "2" }, wpc(3, 3, 3, 0), wpc(1, 0, 0, 2)],
    // §2.2: W, M, WPT all 0 cannot come out of the parser with data present, but negatives pass through
    [
      "SIP negatives pass through",
      { ...SIP, "warm-ip-target": "-5", "minimum-ip-target": "-5" },
      wpc(3, -5, -5, 0),
      wpc(1, 1, 3, 0),
    ],
  ])("%s", (_name, data, sip, pd) => {
    expect(loadResourceConfig(data)).toEqual({ sip, pd })
  })

  it("returns fresh objects every call (the pool writes defaults into its config)", () => {
    const a = loadResourceConfig(undefined)
    a.sip.warmIpTarget = 99
    a.pd.minIpTarget = 99
    expect(loadResourceConfig(undefined)).toEqual({ sip: wpc(3, 3, 3, 0), pd: wpc(1, 1, 3, 0) })
  })
})

// §6.2 pkg/pool/utils_test.go: the caller's isPDEnabled picks the entry, not the ConfigMap's flag.
describe("GetWinWarmPoolConfig (§6.2)", () => {
  it.each<[string, ConfigMapData | "unreadable", boolean, WarmPoolConfig]>([
    [
      "PDDisabledAndAPICallSuccess: PD true in the ConfigMap, caller SIP → SIP defaults",
      { ...PD, "windows-warm-ip-target": "3", "windows-minimum-ip-target": "3" },
      false,
      wpc(3, 3, 3, 0),
    ],
    [
      "PDEnabledAndAPICallSuccess",
      { ...PD, "windows-warm-ip-target": "1", "windows-warm-prefix-target": "0", "windows-minimum-ip-target": "3" },
      true,
      wpc(1, 1, 3, 0),
    ],
    ["PDDisabledAndAPICallFailure → defaults", "unreadable", false, wpc(3, 3, 3, 0)],
    // further rows derived from §2.2
    ["unreadable, caller PD → PD defaults", "unreadable", true, wpc(1, 1, 3, 0)],
    // §2.5 mismatch case: user W/M land in the PD entry only
    [
      "PD true W 7 M 8, caller SIP → SIP defaults 3/3",
      { ...PD, "windows-warm-ip-target": "7", "windows-minimum-ip-target": "8" },
      false,
      wpc(3, 3, 3, 0),
    ],
    // §7.8: PD flag false in the ConfigMap but the caller in PD mode → PD defaults, user targets ignored
    ["PD false W 7, caller PD → PD defaults", { ...SIP, "windows-warm-ip-target": "7" }, true, wpc(1, 1, 3, 0)],
    ["SIP W 7, caller SIP", { ...SIP, "windows-warm-ip-target": "7" }, false, wpc(3, 7, 0, 0)],
  ])("%s", (_name, data, isPd, expected) => {
    expect(getWinWarmPoolConfig(data, isPd)).toEqual(expected)
  })
})

// ---- pool-level effective values (§2.4): the pool's deviation writes its defaults back into the config ----

/** Drives a pool to steady state: every job completes at once, with made-up increasing addresses. */
class Node {
  readonly pool: WarmPool
  private next: number
  private readonly job = new PoolJob()
  private pod = 0

  constructor(isPrefixPool: boolean, capacity: number, config: WarmPoolConfig) {
    this.pool = new WarmPool({ capacity, isPrefixPool, config, order: ascendingOrder })
    this.next = isPrefixPool ? 16 * 1000 : 1000
  }

  settle(): void {
    for (let i = 0; i < 100; i++) {
      const type = this.pool.reconcile(this.job)
      if (type === JobType.Create) {
        const created: number[] = []
        for (let k = 0; k < this.job.count; k++) {
          created.push(this.next)
          this.next += this.pool.isPrefixPool ? Pool.IPS_PER_PREFIX : 1
        }
        this.pool.updatePool(JobType.Create, this.job.count, created, true, this.pool.isPrefixPool)
      } else if (type === JobType.Deleted) {
        this.pool.updatePool(JobType.Deleted, this.job.count, [], true, this.pool.isPrefixPool)
      } else return
    }
    throw new Error("pool did not settle")
  }

  addPods(n: number): void {
    for (let i = 0; i < n; i++) {
      const pod = ++this.pod
      let ip = this.pool.assign(pod)
      if (ip < 0) {
        this.settle()
        ip = this.pool.assign(pod)
      }
      if (ip < 0) throw new Error(`pod ${pod}: assign failed with ${ip}`)
      this.settle()
    }
  }

  get totalIps(): number {
    return this.pool.usedCount + this.pool.warmCountIps + this.pool.coolingCount
  }

  get prefixes(): number {
    return this.pool.warmGroupKeys
  }
}

// §2.4 SIP table (ConfigMap PD flag false/absent), windows- keys. "first job" is the reconcile of an empty pool
// (cap 29, m5.4xlarge); steady totals are IPs on the node with 0 and 2 pods (§6.8: W 5 with 2 pods → 7; M 6 → 6 / 6).
describe("§2.4 SIP decision table (parse → effective in pool)", () => {
  it.each<[string, ConfigMapData, [number, number], [number, number], number, number, number]>([
    ["nothing / no ConfigMap data", undefined, [3, 3], [3, 3], 3, 3, 5],
    ["W=5 only", { ...SIP, "windows-warm-ip-target": "5" }, [5, 0], [5, 0], 5, 5, 7],
    ["M=6 only (warm target 0, §7.4)", { ...SIP, "windows-minimum-ip-target": "6" }, [0, 6], [0, 6], 6, 6, 6],
    ["W=0 only", { ...SIP, "windows-warm-ip-target": "0" }, [1, 0], [1, 0], 1, 1, 3],
    ["W=0 M=0", { ...SIP, "windows-warm-ip-target": "0", "windows-minimum-ip-target": "0" }, [1, 0], [1, 0], 1, 1, 3],
    [
      "W=x M=x (invalid)",
      { ...SIP, "windows-warm-ip-target": "x", "windows-minimum-ip-target": "x" },
      [3, 3],
      [3, 3],
      3,
      3,
      5,
    ],
    ["W=x M=5", { ...SIP, "windows-warm-ip-target": "x", "windows-minimum-ip-target": "5" }, [0, 5], [0, 5], 5, 5, 5],
    [
      "W=-5 M=-5",
      { ...SIP, "windows-warm-ip-target": "-5", "windows-minimum-ip-target": "-5" },
      [-5, -5],
      [3, 3],
      3,
      3,
      5,
    ],
    ["W=-1 only", { ...SIP, "windows-warm-ip-target": "-1" }, [-1, 0], [3, 0], 3, 3, 5],
    ["M=-1 only", { ...SIP, "windows-minimum-ip-target": "-1" }, [0, -1], [0, 3], 3, 3, 3],
    ["W=1 via windows-warm-ip-target only (no flags)", { "windows-warm-ip-target": "1" }, [1, 0], [1, 0], 1, 1, 3],
  ])("%s", (_name, data, [pw, pm], [ew, em], firstCreate, total0, total2) => {
    const parsed = parseWinIpTargetConfigs(data)
    expect([parsed.warmIpTarget, parsed.minIpTarget]).toEqual([pw, pm])

    const config = getWinWarmPoolConfig(data, false)
    const pool = new WarmPool({ capacity: 29, isPrefixPool: false, config, order: ascendingOrder })
    const job = new PoolJob()
    expect(pool.reconcile(job)).toBe(JobType.Create)
    expect(job.count).toBe(firstCreate)
    // the deviation wrote the effective values back into the very object the loader returned
    expect(pool.config).toBe(config)
    expect([config.warmIpTarget, config.minIpTarget]).toEqual([ew, em])

    const node = new Node(false, 29, getWinWarmPoolConfig(data, false))
    node.settle()
    expect(node.totalIps).toBe(total0)
    node.addPods(2)
    expect(node.totalIps).toBe(total2)
  })
})

// §2.4 PD table (both flags true, Nitro node, cap 224 = c5.xlarge). Effective (W, M, WPT) is what the pool wrote back;
// the mode shows in the prefix counts: prefix mode WPT=k keeps k free prefixes (0 pods: k, 1 pod: k+1), IP mode keeps
// max(ceil((U+W)/16), ceil(M/16)) (§6.8: WPT 2 → 2 → 3; W 15 → 1 → 1; M 20 → 2).
describe("§2.4 PD decision table (parse → effective in pool)", () => {
  it.each<[string, ConfigMapData, [number, number, number], [number, number, number], "IP" | "prefix", number, number]>(
    [
      ["nothing", { ...PD }, [1, 3, 0], [1, 3, 0], "IP", 1, 1],
      ["WPT=2", { ...PD, "windows-warm-prefix-target": "2" }, [0, 0, 2], [0, 0, 2], "prefix", 2, 3],
      ["W=15", { ...PD, "windows-warm-ip-target": "15" }, [15, 0, 0], [15, 3, 0], "IP", 1, 1],
      ["M=20", { ...PD, "windows-minimum-ip-target": "20" }, [0, 20, 0], [1, 20, 0], "IP", 2, 2],
      [
        "W=5, WPT=2 (WPT ignored)",
        { ...PD, "windows-warm-ip-target": "5", "windows-warm-prefix-target": "2" },
        [5, 0, 2],
        [5, 3, 2],
        "IP",
        1,
        1,
      ],
      [
        "M=20, WPT=2",
        { ...PD, "windows-minimum-ip-target": "20", "windows-warm-prefix-target": "2" },
        [0, 20, 2],
        [1, 20, 2],
        "IP",
        2,
        2,
      ],
      [
        "all 0",
        { ...PD, "windows-warm-ip-target": "0", "windows-minimum-ip-target": "0", "windows-warm-prefix-target": "0" },
        [1, 3, 0],
        [1, 3, 0],
        "IP",
        1,
        1,
      ],
      [
        "W=x, M=x, WPT=1",
        { ...PD, "windows-warm-ip-target": "x", "windows-minimum-ip-target": "x", "windows-warm-prefix-target": "1" },
        [0, 0, 1],
        [0, 0, 1],
        "prefix",
        1,
        2,
      ],
      [
        "W=2, M=2, WPT=x",
        { ...PD, "windows-warm-ip-target": "2", "windows-minimum-ip-target": "2", "windows-warm-prefix-target": "x" },
        [2, 2, 0],
        [2, 2, 0],
        "IP",
        1,
        1,
      ],
      [
        "W=-10, M=-100, WPT=0",
        {
          ...PD,
          "windows-warm-ip-target": "-10",
          "windows-minimum-ip-target": "-100",
          "windows-warm-prefix-target": "0",
        },
        [-10, -100, 0],
        [1, 3, 0],
        "IP",
        1,
        1,
      ],
      [
        "W=0, WPT=-100 (negative WPT kept but unused)",
        { ...PD, "windows-warm-ip-target": "0", "windows-warm-prefix-target": "-100" },
        [0, 0, -100],
        [1, 3, -100],
        "IP",
        1,
        1,
      ],
      [
        "W=0 explicit only (no 0→1 override in PD)",
        { ...PD, "windows-warm-ip-target": "0" },
        [1, 3, 0],
        [1, 3, 0],
        "IP",
        1,
        1,
      ],
    ],
  )("%s", (_name, data, parsed, effective, mode, prefixes0, prefixes1) => {
    const p = parseWinIpTargetConfigs(data)
    expect([p.warmIpTarget, p.minIpTarget, p.warmPrefixTarget]).toEqual(parsed)
    expect(isWindowsPrefixDelegationEnabled(data, true)).toBe(true)

    const config = getWinWarmPoolConfig(data, true)
    const node = new Node(true, 224, config)
    node.settle()
    expect(node.pool.config).toBe(config)
    expect([config.warmIpTarget, config.minIpTarget, config.warmPrefixTarget]).toEqual(effective)
    // §3.5 branch A iff neither W nor M is defined (> 0) and WPT is
    expect(config.warmIpTarget <= 0 && config.minIpTarget <= 0 && config.warmPrefixTarget > 0).toBe(mode === "prefix")
    expect(node.prefixes).toBe(prefixes0)
    node.addPods(1)
    expect(node.prefixes).toBe(prefixes1)
  })
})

// §2.1 enable-windows-ipam, §6.8 ("PD true, IPAM key missing" → no IPAM; PD "wrongVal" → SIP).
describe("isWindowsIpamEnabled (condition.IsWindowsIPAMEnabled)", () => {
  it.each<[string, ConfigMapData, boolean, boolean]>([
    ["no ConfigMap data", undefined, false, false],
    ["empty data", {}, false, false],
    ['"true"', { "enable-windows-ipam": "true" }, false, true],
    ['"1"', { "enable-windows-ipam": "1" }, false, true],
    ['"T"', { "enable-windows-ipam": "T" }, false, true],
    ['"TRUE"', { "enable-windows-ipam": "TRUE" }, false, true],
    ['"True"', { "enable-windows-ipam": "True" }, false, true],
    ['"false"', { "enable-windows-ipam": "false" }, false, false],
    ['"yes" (invalid)', { "enable-windows-ipam": "yes" }, false, false],
    ['" true" (invalid)', { "enable-windows-ipam": " true" }, false, false],
    ['"" (invalid)', { "enable-windows-ipam": "" }, false, false],
    ["only the PD flag", { "enable-windows-prefix-delegation": "true" }, false, false],
    ["old controller Deployment present", { "enable-windows-ipam": "true" }, true, false],
  ])("%s → %j", (_name, data, oldController, expected) => {
    expect(isWindowsIpamEnabled(data, oldController)).toBe(expected)
  })
})

// §2.1: PD active iff controller flag && enable-windows-ipam && enable-windows-prefix-delegation (and no old controller).
describe("isWindowsPrefixDelegationEnabled (condition.IsWindowsPrefixDelegationEnabled)", () => {
  it.each<[string, ConfigMapData, boolean, boolean, boolean]>([
    ["all on", { ...PD }, true, false, true],
    ['PD "1"', { ...IPAM, "enable-windows-prefix-delegation": "1" }, true, false, true],
    ["controller flag off (§7.8)", { ...PD }, false, false, false],
    ["IPAM key missing (§6.8)", { "enable-windows-prefix-delegation": "true" }, true, false, false],
    ["IPAM false", { "enable-windows-ipam": "false", "enable-windows-prefix-delegation": "true" }, true, false, false],
    ['PD "wrongVal" (§6.8)', { ...IPAM, "enable-windows-prefix-delegation": "wrongVal" }, true, false, false],
    ["PD key missing", { ...IPAM }, true, false, false],
    ["PD false", { ...SIP }, true, false, false],
    ["no ConfigMap data", undefined, true, false, false],
    ["old controller Deployment present", { ...PD }, true, true, false],
  ])("%s → %j", (_name, data, flag, oldController, expected) => {
    expect(isWindowsPrefixDelegationEnabled(data, flag, oldController)).toBe(expected)
  })
})
