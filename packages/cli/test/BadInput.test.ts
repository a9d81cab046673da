// Bad input, outputs and signals as a user meets them, through the command itself: every problem one line
// `ipamsim: <file>:<line>: <field>: <what was expected>` (all at once, exit 1), no file ipamsim did not write
// ever replaced, output paths checked before the run, nothing left behind by a failed or interrupted run.

import { spawn } from "node:child_process"
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const bin = fileURLToPath(new URL("../bin/ipamsim.mjs", import.meta.url))
const top = mkdtempSync(join(tmpdir(), "ipamsim-bad-input-"))
const steady = join(root, "simulations", "steady-churn-m5-large.yaml")

interface Result {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** stderr's lines, without the last newline. */
  readonly lines: string[]
}

/**
 * Runs the command in `cwd`; `whenReady` (given the stderr so far and the folder) may send a signal, and
 * says when it did so that the test can time the exit.
 */
const ipamsim = (
  args: readonly string[],
  options: { cwd?: string; onStderr?: (stderr: string, kill: (s: NodeJS.Signals) => void) => void } = {},
): Promise<Result & { killedAt?: number; exitedAt: number }> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? top })
    let stdout = ""
    let stderr = ""
    let killedAt: number | undefined
    const kill = (s: NodeJS.Signals) => {
      if (killedAt !== undefined) return
      killedAt = Date.now()
      child.kill(s)
    }
    child.stdout.on("data", (d) => {
      stdout += d
    })
    child.stderr.on("data", (d) => {
      stderr += d
      options.onStderr?.(stderr, kill)
    })
    child.on("close", (status, signal) =>
      done({
        status,
        signal,
        stdout,
        stderr,
        lines: stderr.replace(/\n$/, "").split("\n"),
        ...(killedAt === undefined ? {} : { killedAt }),
        exitedAt: Date.now(),
      }),
    )
  })

let n = 0
/** A fresh folder for one test. */
const folder = (): string => {
  const d = join(top, `case-${n++}`)
  mkdirSync(d)
  return d
}

const TRACE_HEADER = "time_ms,event,pod,node,os,hostNetwork"

/** A small valid scenario over one trace file in `dir`. */
const scenario = (dir: string, extra = "", trace = `${TRACE_HEADER}\n1000,create,a,,windows,false\n`): string => {
  writeFileSync(join(dir, "t.csv"), trace)
  const file = join(dir, "s.yaml")
  writeFileSync(
    file,
    `name: s\nduration: 10m\nsubnets: [{ id: s, cidr: 10.0.0.0/24 }]\nnodeGroups: [{ name: g, instanceType: m5.large, count: 2, subnet: s }]\nworkload:\n  traces: [{ file: t.csv }]\n${extra}`,
  )
  return file
}

/** A scenario that takes minutes to simulate and prints a warning just before it starts. */
const longScenario = (dir: string): string => {
  const file = join(dir, "long.yaml")
  writeFileSync(
    file,
    `name: long\nduration: 30d\nsubnets: [{ id: s, cidr: 10.0.0.0/16 }]\nnodeGroups: [{ name: g, instanceType: m5.large, count: 500, subnet: s }]\nconfigMap:\n  data: { enable-windows-ipam: "true", windows-warm-ip-target-typo: "1" }\nworkload:\n  generators: [{ kind: poisson, ratePerSecond: 50, lifetime: { fixed: 5m } }]\n`,
  )
  return file
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith(".tmp"))

describe("outputs: nothing clobbered", () => {
  it.concurrent("refuses --timeline over a user's trace (the documented trace header is no mark of ipamsim)", async () => {
    const dir = folder()
    const mine = join(dir, "mytrace.csv")
    const text = `${TRACE_HEADER}\n1000,create,a,,windows,false\n`
    writeFileSync(mine, text)
    const r = await ipamsim(["run", steady, "--quiet", "--timeline", mine])
    expect(r.status).toBe(1)
    expect(r.lines).toEqual([
      `ipamsim: ${mine}: exists and was not written by ipamsim; refusing to overwrite it (use --force)`,
    ])
    expect(readFileSync(mine, "utf8")).toBe(text)
  })

  it.concurrent("refuses look-alikes of its own outputs: a CSV starting t_ms, a JSON with schemaVersion, HTML", async () => {
    const dir = folder()
    const files = {
      "--timeline": ["t.csv", "t_ms,value\n1,2\n"],
      "--json": ["r.json", '{\n  "schemaVersion": 1,\n  "mine": true\n}\n'],
      "--html": ["r.html", "<!doctype html>\n<p>my page, which mentions <!-- ipamsim report --></p>\n"],
    } as const
    const args: string[] = []
    for (const [flag, [name, text]] of Object.entries(files)) {
      writeFileSync(join(dir, name), text)
      args.push(flag, name)
    }
    const r = await ipamsim(["run", steady, "--quiet", ...args], { cwd: dir })
    expect(r.status).toBe(1)
    // Every refusal at once, one line each.
    expect(r.lines).toEqual(
      ["r.json", "t.csv", "r.html"].map(
        (f) => `ipamsim: ${f}: exists and was not written by ipamsim; refusing to overwrite it (use --force)`,
      ),
    )
    for (const [name, text] of Object.values(files)) expect(readFileSync(join(dir, name), "utf8")).toBe(text)
  })

  it.concurrent("replaces its own outputs, and a user's file with --force", async () => {
    const dir = folder()
    const outs = ["--json", "r.json", "--timeline", "t.csv", "--html", "r.html"]
    expect((await ipamsim(["run", steady, "--quiet", ...outs], { cwd: dir })).status).toBe(0)
    expect((await ipamsim(["run", steady, "--quiet", ...outs], { cwd: dir })).status).toBe(0)
    writeFileSync(join(dir, "notes.json"), "mine\n")
    const forced = await ipamsim(["run", steady, "--quiet", "--json", "notes.json", "--force"], { cwd: dir })
    expect(forced.status).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, "notes.json"), "utf8")).scenario).toBe("steady-churn-m5-large")
    expect(leftovers(dir)).toEqual([])
  })

  it.concurrent("checks output paths before the run: two to stdout, one path twice, a directory, a missing folder, the scenario itself", async () => {
    const dir = folder()
    mkdirSync(join(dir, "out"))
    const s = scenario(dir)
    const cases: Array<[string[], string]> = [
      [["--json", "-", "--timeline", "-"], "--json - and --timeline -: only one output can go to standard output"],
      [["--json", "a.out", "--html", "a.out"], "a.out: given to both --json and --html; give each output its own file"],
      [["--json", "out"], "out: --json: is a directory; expected a file name"],
      [["--html", "nope/r.html"], `nope/r.html: --html: no such directory ${join(dir, "nope")}`],
      [["--json", "s.yaml", "--force"], "s.yaml: --json: is the file this command reads; refusing to write over it"],
      [
        ["--timeline", "t.csv", "--force"],
        "t.csv: --timeline: is a file this command reads; refusing to write over it",
      ],
    ]
    for (const [args, expected] of cases) {
      const started = Date.now()
      const r = await ipamsim(["run", s, ...args], { cwd: dir })
      expect(r.status).toBe(1)
      expect(r.lines.length).toBe(1)
      expect(r.lines[0]).toContain(`ipamsim: ${expected}`)
      // Refused before simulating: no summary.
      expect(r.stdout).toBe("")
      expect(Date.now() - started).toBeLessThan(30_000)
    }
    expect(readdirSync(dir).sort()).toEqual(["out", "s.yaml", "t.csv"])
  })

  it.concurrent("writes to /dev/null in place, and knows a hard link to the scenario for the scenario", async () => {
    const dir = folder()
    const s = scenario(dir)
    const r = await ipamsim(["run", s, "--quiet", "--json", "/dev/null", "--html", "/dev/null"], { cwd: dir })
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    linkSync(s, join(dir, "same.yaml"))
    const linked = await ipamsim(["run", s, "--quiet", "--json", "same.yaml", "--force"], { cwd: dir })
    expect(linked.status).toBe(1)
    expect(linked.lines).toEqual([
      "ipamsim: same.yaml: --json: is the file this command reads; refusing to write over it, --force or not",
    ])
  })

  it.concurrent("reports the scenario's problems and the outputs' together", async () => {
    const dir = folder()
    const s = scenario(dir).replace("s.yaml", "bad.yaml")
    writeFileSync(s, readFileSync(join(dir, "s.yaml"), "utf8").replace("count: 2", "count: -2"))
    writeFileSync(join(dir, "mine.json"), "{}\n")
    const r = await ipamsim(["run", s, "--json", "mine.json"], { cwd: dir })
    expect(r.status).toBe(1)
    expect(r.lines).toEqual([
      `ipamsim: ${s}:4: nodeGroups[0].count: Expected a value greater than or equal to 0`,
      "ipamsim: mine.json: exists and was not written by ipamsim; refusing to overwrite it (use --force)",
    ])
  })

  it.concurrent("leaves no output behind when the run fails half way", async () => {
    const dir = folder()
    const s = scenario(dir, "", `${TRACE_HEADER}\n1000,create,a,,windows,false\n2000,start,b,,windows,false\n`)
    const r = await ipamsim(["run", s, "--json", "r.json", "--timeline", "t2.csv", "--html", "r.html"], { cwd: dir })
    expect(r.status).toBe(1)
    expect(r.lines).toEqual([`ipamsim: ${join(dir, "t.csv")}:3: expected event "create" or "delete", got "start"`])
    expect(readdirSync(dir).sort()).toEqual(["s.yaml", "t.csv"])
  })

  it.concurrent("trace generate refuses any existing file without --force, and leaves nothing on failure", async () => {
    const dir = folder()
    writeFileSync(join(dir, "mine.csv"), "keep\n")
    const gen = ["trace", "generate", "--kind", "poisson", "--rate", "1", "--duration", "1m", "--lifetime", "1m"]
    const r = await ipamsim([...gen, "--out", "mine.csv"], { cwd: dir })
    expect(r.status).toBe(1)
    expect(r.lines).toEqual(["ipamsim: mine.csv: exists; refusing to overwrite it (use --force)"])
    expect(readFileSync(join(dir, "mine.csv"), "utf8")).toBe("keep\n")
    expect((await ipamsim([...gen, "--out", "dir/x.csv"], { cwd: dir })).status).toBe(1)
    expect(readdirSync(dir)).toEqual(["mine.csv"])
  })
})

describe("signals: Ctrl-C and SIGTERM stop within a second, remove partial outputs, exit 130/143", () => {
  it.concurrent.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("run, %s", async (signal, code) => {
    const dir = folder()
    const s = longScenario(dir)
    const r = await ipamsim(["run", s, "--quiet", "--json", "r.json", "--html", "r.html"], {
      cwd: dir,
      onStderr: (stderr, kill) => {
        // The warning is printed as the simulation starts.
        if (stderr.includes("warning:")) setTimeout(() => kill(signal), 300)
      },
    })
    expect(r.killedAt).toBeDefined()
    expect(r.status).toBe(code)
    expect(r.exitedAt - r.killedAt!).toBeLessThan(1000)
    expect(r.lines.at(-1)).toBe(`ipamsim: interrupted by ${signal}; outputs not yet complete were removed`)
    expect(readdirSync(dir)).toEqual(["long.yaml"])
  })

  it.concurrent.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("trace generate, %s", async (signal, code) => {
    const dir = folder()
    let killedAt: number | undefined
    const child = ipamsim(
      ["trace", "generate", "--kind", "poisson", "--rate", "10000", "--duration", "30d", "--lifetime", "1m"].concat([
        "--out",
        "big.csv",
      ]),
      { cwd: dir },
    )
    // Once the partial file is there, interrupt.
    const poll = setInterval(() => {
      if (killedAt === undefined && leftovers(dir).length > 0) {
        killedAt = Date.now()
        const pid = readdirSync(dir)[0]!.match(/ipamsim-(\d+)-/)![1]!
        process.kill(Number(pid), signal)
      }
    }, 50)
    const r = await child
    clearInterval(poll)
    expect(killedAt).toBeDefined()
    expect(r.status).toBe(code)
    expect(r.exitedAt - killedAt!).toBeLessThan(1000)
    expect(readdirSync(dir)).toEqual([])
  })
})

describe("flags: one line per problem and a hint", () => {
  it.concurrent.each([
    [["run", steady, "--bogus"], "Unrecognized flag: --bogus in command ipamsim run", "ipamsim run"],
    [
      ["run", steady, "--jsn", "x"],
      "Unrecognized flag: --jsn in command ipamsim run; did you mean --json?",
      "ipamsim run",
    ],
    [["run"], "Missing required argument: scenario", "ipamsim run"],
    [
      ["run", steady, "--seed", "-1"],
      'Invalid value for flag --seed: "-1". Expected: a whole number ≥ 0',
      "ipamsim run",
    ],
    [
      [
        "trace",
        "generate",
        "--kind",
        "poisson",
        "--seed",
        "-1",
        "--rate",
        "1",
        "--duration",
        "1m",
        "--lifetime",
        "1m",
        "--out",
        "-",
      ],
      'Invalid value for flag --seed: "-1". Expected: a whole number ≥ 0',
      "ipamsim trace generate",
    ],
    [["validate", steady, "--strict=maybe"], 'Invalid value for flag --strict: "maybe"', "ipamsim validate"],
  ])("%j", async (args, problem, command) => {
    const r = await ipamsim(args)
    expect(r.status).toBe(1)
    expect(r.stdout).toBe("")
    expect(r.lines.length).toBe(2)
    expect(r.lines[0]).toContain(`ipamsim: ${problem}`)
    expect(r.lines[1]).toBe(`ipamsim: see \`${command} --help\``)
  })

  it.concurrent("reads a negative value or range as the flag's value, not as flags", async () => {
    const r = await ipamsim(["tune", steady, "--quiet", "--warm-ip-target", "-1..2"])
    expect(r.status).toBe(1)
    expect(r.lines.length).toBe(1)
    expect(r.lines[0]).toMatch(/^ipamsim: --warm-ip-target -1\.\.2: /)
  })

  it.concurrent("trace generate refuses rates beyond the limit before generating anything", async () => {
    const dir = folder()
    const r = await ipamsim(
      [
        "trace",
        "generate",
        "--kind",
        "poisson",
        "--rate",
        "1e9",
        "--duration",
        "1m",
        "--lifetime",
        "1m",
        "--out",
        "x.csv",
      ],
      { cwd: dir },
    )
    expect(r.status).toBe(1)
    expect(r.lines).toEqual(["ipamsim: --rate: 1000000000 is over the limit of 10,000 pods per second"])
    expect(readdirSync(dir)).toEqual([])
  })
})

describe("scenarios through the command", () => {
  it.concurrent("a YAML error deep in the file at its line and column", async () => {
    const dir = folder()
    const s = scenario(dir, `description: |\n${"  text\n".repeat(500)}expectations:\n\tmaxWaitMs: 1\n`)
    const r = await ipamsim(["validate", s])
    expect(r.status).toBe(1)
    expect(r.lines).toEqual([
      `ipamsim: ${s}:509: column 1: not valid YAML/JSON: a tab in the indentation: indent with spaces`,
    ])
  })

  it.concurrent("10^9 nodes: one line naming the limit, from validate and from run alike", async () => {
    const dir = folder()
    const s = scenario(dir)
    writeFileSync(s, readFileSync(s, "utf8").replace("count: 2", "count: 1000000000"))
    const expected = [
      `ipamsim: ${s}:4: nodeGroups[0].count: 1,000,000,000 nodes is over the limit of 100,000 nodes in a scenario`,
    ]
    for (const command of ["validate", "run"]) {
      const r = await ipamsim([command, s])
      expect(r.status).toBe(1)
      expect(r.lines).toEqual(expected)
    }
  })

  it.concurrent("warnings: printed by validate and run, fatal with validate --strict, in validate --json", async () => {
    const dir = folder()
    const s = scenario(dir, 'configMap:\n  data:\n    enable-windows-ipam: "true "\n')
    const warning = `ipamsim: warning: ${s}:9: configMap.data.enable-windows-ipam: "true " is not a boolean to the controller`
    const validate = await ipamsim(["validate", s])
    expect(validate.status).toBe(0)
    expect(validate.lines[0]!.startsWith(warning)).toBe(true)
    expect(validate.stdout).toMatch(/: valid \(.*, 1 warning\)\n$/)
    const strict = await ipamsim(["validate", s, "--strict"])
    expect(strict.status).toBe(1)
    expect(strict.lines[0]!.startsWith(warning)).toBe(true)
    const run = await ipamsim(["run", s, "--quiet"])
    expect(run.status).toBe(0)
    expect(run.lines.length).toBe(1)
    expect(run.lines[0]!.startsWith(warning)).toBe(true)
    const json = await ipamsim(["validate", s, "--json", "--strict"])
    expect(json.status).toBe(1)
    const doc = JSON.parse(json.stdout)
    expect(doc).toMatchObject({ file: s, valid: false, strict: true, errors: [] })
    expect(doc.warnings).toEqual([
      expect.objectContaining({ severity: "warning", file: s, line: 9, field: "configMap.data.enable-windows-ipam" }),
    ])
  })

  it.concurrent("validate --json lists every error with its line and field", async () => {
    const dir = folder()
    const s = scenario(dir, "duration: 0s\n")
    writeFileSync(s, readFileSync(s, "utf8").replace("duration: 10m\n", "").replace("10.0.0.0/24", "10.0.0.0/33"))
    const r = await ipamsim(["validate", s, "--json"])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe("")
    const doc = JSON.parse(r.stdout)
    expect(doc.valid).toBe(false)
    expect(doc.errors.map((e: { line: number; field: string }) => `${e.line} ${e.field}`)).toEqual([
      "2 subnets[0].cidr",
      "6 duration",
    ])
  })

  it.concurrent("validate --json of a valid scenario gives its counts", async () => {
    const r = await ipamsim(["validate", steady, "--json"])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, errors: [], warnings: [], nodeGroups: 1, nodes: 10 })
  })

  it.concurrent("a scenario path that is a directory", async () => {
    const r = await ipamsim(["validate", top])
    expect(r.lines).toEqual([`ipamsim: ${top}: is a directory, expected a scenario file`])
    expect(existsSync(top)).toBe(true)
  })
})

describe("traces through the command", () => {
  it.concurrent.each([
    [
      "an unknown os value",
      `${TRACE_HEADER}\n1000,create,a,,windwos,false\n`,
      2,
      'expected column "os" "windows", "linux", empty, or a node selector such as kubernetes.io/os=windows, got "windwos"',
    ],
    [
      "a pod created twice while alive",
      `${TRACE_HEADER}\n1000,create,a,,windows,false\n2000,create,a,,windows,false\n`,
      3,
      'pod "a" is created again while it is alive (the API server refuses a second create of a live pod; give pods of different namespaces a namespace column)',
    ],
    [
      "a pod-table row of a pod still alive",
      "pod,creation_time,deletion_time\na,1,30\nb,2,\na,10,40\n",
      4,
      'pod "a" is created again while it is alive: line 2 creates it at 1 and deletes it at 30 (expected a creation time at or after 30, or another name: the API server refuses a second create of a live pod; give pods of different namespaces a namespace column)',
    ],
    [
      "an empty trace",
      "",
      undefined,
      "the trace is empty: expected pod events (csv: a header, then one create or delete per row)",
    ],
    [
      "a header alone",
      `${TRACE_HEADER}\n`,
      undefined,
      "no pod events in 1 line: expected at least one create or delete",
    ],
  ])("%s", async (_name, trace, line, message) => {
    const dir = folder()
    const s = scenario(dir, "", trace)
    const where = line === undefined ? join(dir, "t.csv") : `${join(dir, "t.csv")}:${line}`
    for (const command of ["validate", "run"]) {
      const r = await ipamsim([command, s, "--json", command === "run" ? "r.json" : "--strict"], { cwd: dir })
      if (command === "validate") {
        expect(r.status).toBe(1)
        expect(JSON.parse(r.stdout).errors).toEqual([
          { severity: "error", file: join(dir, "t.csv"), ...(line === undefined ? {} : { line }), message },
        ])
      } else {
        expect(r.status).toBe(1)
        expect(r.lines).toEqual([`ipamsim: ${where}: ${message}`])
      }
    }
    expect(readdirSync(dir).sort()).toEqual(["s.yaml", "t.csv"])
  })

  it.concurrent("a UTF-16 trace says encoding", async () => {
    const dir = folder()
    const s = scenario(dir)
    writeFileSync(
      join(dir, "t.csv"),
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`${TRACE_HEADER}\n1000,create,a,,windows,false\n`, "utf16le"),
      ]),
    )
    const r = await ipamsim(["validate", s])
    expect(r.status).toBe(1)
    expect(r.lines).toEqual([
      `ipamsim: ${join(dir, "t.csv")}:1: encoding: the file is UTF-16 (byte order mark FF FE); save it as UTF-8`,
    ])
  })

  it.concurrent("a 50 MB line is refused at the limit, on the second thread too, without running out of memory", async () => {
    const dir = folder()
    const s = scenario(dir)
    // Over 8 MiB, so it is read on a second thread (whose heap is small).
    writeFileSync(
      join(dir, "t.csv"),
      `${TRACE_HEADER}\n1000,create,a,,windows,false\n2000,create,${"x".repeat(50 << 20)}\n`,
    )
    const r = await ipamsim(["run", s, "--quiet"])
    expect(r.status).toBe(1)
    expect(r.lines).toEqual([
      `ipamsim: ${join(dir, "t.csv")}:3: the line is longer than 4 MiB, the limit of a trace line`,
    ])
  })
})
