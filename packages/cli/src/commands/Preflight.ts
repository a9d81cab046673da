// What `run` and `tune` check before any work: the scenario (every problem, its warnings printed) and the
// output paths (OutputFile.planOutputs, the scenario and its traces among the files not to write over),
// with the problems of both in one error.

import { resolve } from "node:path"
import { formatDiagnostic } from "../Diagnostic.ts"
import { type OutputPlan, type OutputRequest, planOutputs } from "../OutputFile.ts"
import { type LoadedScenario, type LoadOptions, loadScenario, STDIN } from "../scenario/ScenarioLoader.ts"
import { printDiagnostics, UserFacingError } from "../UserFacingError.ts"

/** Loads the scenario and plans the outputs; throws one error with the problems of both, the scenario's first. */
export const preflight = (
  file: string,
  outputs: readonly OutputRequest[],
  force: boolean,
  options: LoadOptions = {},
): { loaded: LoadedScenario; plan: OutputPlan } => {
  const problems: string[] = []
  let loaded: LoadedScenario | undefined
  try {
    loaded = loadScenario(file, options)
  } catch (e) {
    if (!(e instanceof Error) || !["ScenarioError", "UserFacingError"].includes(e.name)) throw e
    problems.push(e.message)
  }
  const traces = (loaded?.scenario.workload.traces ?? []).map((t) => resolve(loaded!.dir, t.file))
  let plan: OutputPlan | undefined
  try {
    plan = planOutputs(outputs, { force, inputs: [...(file === STDIN ? [] : [file]), ...traces] })
  } catch (e) {
    if (!(e instanceof UserFacingError)) throw e
    problems.push(e.message)
  }
  // The scenario's warnings too when only the outputs are at fault (a ScenarioError's message has them).
  if (problems.length > 0)
    throw new UserFacingError([...problems, ...(loaded?.warnings ?? []).map(formatDiagnostic)].join("\n"))
  printDiagnostics(loaded!.warnings)
  return { loaded: loaded!, plan: plan! }
}
