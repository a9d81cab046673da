// Runs the shipped comparison script against `ipamsim conformance` over every recorded case
// (fixtures copied from the research folder; see packages/core/data/README.md).
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const bin = fileURLToPath(new URL("../bin/ipamsim.mjs", import.meta.url))

describe("ipamsim conformance", () => {
  it("matches every recorded controller case op for op", () => {
    const r = spawnSync(
      process.execPath,
      [
        "scripts/conformance-compare.mjs",
        "--runner",
        `"${process.execPath}" "${bin}" conformance`,
        "--cases",
        "packages/core/test/fixtures/conformance",
      ],
      { cwd: root, encoding: "utf8" },
    )
    expect(r.stdout).toMatch(/conformance: 60\/60 cases identical/)
    expect(r.status).toBe(0)
  })

  it("answers a protocol error with one line naming the input line and exits 1", () => {
    const r = spawnSync(process.execPath, [bin, "conformance"], {
      input: '{"op":"init","mode":"secondary-ip","capacity":3}\n{"op":"assign"}\n',
      encoding: "utf8",
    })
    expect(r.status).toBe(1)
    expect(r.stdout.trim().split("\n")).toHaveLength(1)
    expect(r.stderr.trim()).toBe('ipamsim conformance: stdin line 2: field "pod": expected a string')
  })
})

describe("ipamsim conformance --ipamd", () => {
  it("matches every recorded ipamd case op for op", () => {
    const r = spawnSync(
      process.execPath,
      [
        "scripts/ipamd-conformance-compare.mjs",
        "--runner",
        `"${process.execPath}" "${bin}" conformance --ipamd`,
        "--cases",
        "packages/core/test/fixtures/ipamd-conformance",
      ],
      { cwd: root, encoding: "utf8" },
    )
    expect(r.stdout).toMatch(/conformance: 60\/60 cases identical/)
    expect(r.status).toBe(0)
  })

  it("answers a protocol error with one line naming the input line and the field, and exits 1", () => {
    const r = spawnSync(process.execPath, [bin, "conformance", "--ipamd"], {
      input: '{"op":"init","mode":"SIP","maxENI":2,"maxIPsPerENI":3,"maxPods":10}\n{"op":"assign","pod":7}\n',
      encoding: "utf8",
    })
    expect(r.status).toBe(1)
    expect(r.stdout.trim().split("\n")).toHaveLength(1)
    expect(JSON.parse(r.stdout).result).toMatchObject({ maxIPsPerENI: 3, warmENITarget: 1, cooldownMs: 30_000 })
    expect(r.stderr.trim()).toBe('ipamsim conformance: stdin line 2: field "pod": expected a string')
  })
})
