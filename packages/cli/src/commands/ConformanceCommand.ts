// `ipamsim conformance`: the conformance protocols over stdin/stdout (docs/conformance.md), the Windows warm
// pool's or, with --ipamd, the Linux ipamd pool's. The command usually starts through the fast path in
// bin/ipamsim.mjs; this definition gives it help text and handles calls with other flags.

import { Command, Flag } from "effect/cli"
import { runConformance } from "../conformance/ConformanceMain.ts"
import { runUserCommand } from "../UserFacingError.ts"

export const conformanceCommand = Command.make(
  "conformance",
  {
    ipamd: Flag.Boolean("ipamd").pipe(
      Flag.withDescription("Drive one Linux node's ipamd IPv4 pool (the VPC CNI's datastore and pool manager) instead"),
      Flag.withDefault(false),
    ),
  },
  ({ ipamd }) => runUserCommand(() => runConformance(process.stdin, (l) => process.stdout.write(l), ipamd)),
).pipe(
  Command.withDescription(
    "Drive one warm pool (with --ipamd, one Linux node's ipamd IPv4 pool) with JSON-line ops on stdin; answer one JSON line per op (docs/conformance.md). Map-order choices are taken in ascending address order.",
  ),
)
