// The conformance protocols over stdin/stdout (docs/conformance.md), without Effect: comparison scripts
// spawn `ipamsim conformance` (the Windows warm pool) or `ipamsim conformance --ipamd` (the Linux ipamd pool)
// once per case, and bin/ipamsim.mjs then loads only this module, not the CLI.

import { createInterface } from "node:readline"
import { IpamdConformance, ProtocolError as IpamdProtocolError } from "@ipamsim/core/ipamd/IpamdConformance"
import { ConformanceSession, ProtocolError } from "@ipamsim/core/vpc-resource-controller/ConformanceSession"

/**
 * Reads protocol ops from `input` and writes one answer line per op; throws ProtocolError-derived messages.
 * `ipamd` selects the ipamd protocol instead of the warm pool's.
 */
export const runConformance = (
  input: NodeJS.ReadableStream,
  write: (line: string) => void,
  ipamd = false,
): Promise<void> =>
  new Promise((resolve, reject) => {
    const session = ipamd ? new IpamdConformance() : new ConformanceSession()
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
    let lineNo = 0
    let failed = false
    lines.on("line", (line) => {
      lineNo++
      if (failed || line.trim() === "") return
      try {
        write(`${JSON.stringify(session.apply(JSON.parse(line)))}\n`)
      } catch (e) {
        failed = true
        const why =
          e instanceof ProtocolError || e instanceof IpamdProtocolError || e instanceof SyntaxError
            ? e.message
            : String(e)
        lines.close()
        reject(new Error(`stdin line ${lineNo}: ${why}`))
      }
    })
    lines.on("close", () => {
      if (!failed) resolve()
    })
  })

/** Entry without Effect: one-line error and exit code 1 on bad input. */
export const runConformanceMain = async (ipamd = false): Promise<void> => {
  try {
    await runConformance(process.stdin, (l) => process.stdout.write(l), ipamd)
  } catch (e) {
    process.stderr.write(`ipamsim conformance: ${(e as Error).message}\n`)
    process.exitCode = 1
  }
}
