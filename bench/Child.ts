// A child process of a comparison script, its output collected: the scripts read their figures from it.
import { spawn } from "node:child_process"

export interface ChildOutput {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `command args` in `cwd` and resolves with its exit status and everything it printed. */
export const runChild = (command: string, args: readonly string[], cwd: string): Promise<ChildOutput> =>
  new Promise((done) => {
    const child = spawn(command, args, { cwd })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d
    })
    child.on("close", (status) => done({ status, stdout, stderr }))
  })
