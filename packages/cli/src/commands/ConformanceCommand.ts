// `ipamsim conformance`: the pool conformance protocol over stdin/stdout (docs/conformance.md). The
// command usually starts through the fast path in bin/ipamsim.mjs; this definition gives it help text and
// handles calls with extra flags.

import { Command } from "effect/cli"
import { runConformance } from "../conformance/ConformanceMain.ts"
import { runUserCommand } from "../UserFacingError.ts"

export const conformanceCommand = Command.make("conformance", {}, () =>
  runUserCommand(() => runConformance(process.stdin, (l) => process.stdout.write(l))),
).pipe(
  Command.withDescription(
    "Drive one warm pool with JSON-line ops on stdin; answer one JSON line per op (docs/conformance.md). Map-order choices are taken in ascending address order.",
  ),
)
