import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { afterAll, describe, expect, it } from "vitest"
import { POISSON } from "../trace/TracePlan.fixtures.ts"
import { planTrace } from "../trace/TracePlan.ts"
import { generateTraceText } from "../trace/TraceWriter.ts"
import { traceCommand } from "./TraceCommand.ts"

const dir = mkdtempSync(join(tmpdir(), "ipamsim-trace-cmd-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("ipamsim trace generate", () => {
  const run = (args: readonly string[]) =>
    Effect.runPromise(
      Command.runWith(traceCommand, { version: "test" })(["generate", ...args]).pipe(
        Effect.provide(NodeServices.layer),
      ),
    )

  it("writes the file the flags describe and refuses to overwrite it", async () => {
    const out = join(dir, "cli.csv")
    const args = ["--kind", "poisson", "--rate", "0.5", "--lifetime-median", "300s", "--lifetime-p99", "1h"]
    await run([...args, "--duration", "2h", "--seed", "7", "--out", out])
    expect(process.exitCode ?? 0).toBe(0)
    expect(readFileSync(out, "utf8")).toBe(generateTraceText(planTrace(POISSON), "csv"))
    const writes: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string) => writes.push(chunk) > 0) as typeof process.stderr.write
    try {
      await run([...args, "--duration", "1h", "--out", out])
    } finally {
      process.stderr.write = write
    }
    expect(process.exitCode).toBe(1)
    process.exitCode = 0
    expect(writes.join("")).toBe(`ipamsim: ${out}: exists; refusing to overwrite it (use --force)\n`)
    await run([...args, "--duration", "1h", "--out", out, "--force", "--format", "jsonl"])
    expect(readFileSync(out, "utf8").startsWith('{"t":')).toBe(true)
  })
})
