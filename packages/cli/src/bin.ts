import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect, Layer } from "effect"
import { Command } from "effect/cli"
import { cli } from "./Cli.ts"
import { flagErrorPresenter, valuesThatLookLikeFlags } from "./FlagErrors.ts"
import { installSignalHandlers } from "./Interrupt.ts"

// Before Effect's own handlers, which would wait for a synchronous simulation to finish.
installSignalHandlers()

Command.runWith(cli, { version: "0.1.0" })(valuesThatLookLikeFlags(process.argv.slice(2))).pipe(
  Effect.provide(Layer.mergeAll(NodeServices.layer, flagErrorPresenter)),
  NodeRuntime.runMain,
)
