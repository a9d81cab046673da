#!/usr/bin/env node
// The comparison script that ships with the ipamd conformance cases (packages/core/test/fixtures/
// ipamd-conformance/), copied from the project's research folder (conformance/ipamd-compare.mjs, sha256
// 1851bafdc2ad73b9ff43843570a062a5cba5dfd9db18a75d86226d7655ecc17a); the cases were recorded from
// aws/amazon-vpc-cni-k8s pkg/ipamd at commit b52188387f2e2f10bf289ace929d6a63b176a4fa (v1.23.1). Only this
// header, the formatting and one lint suppression differ from the copy. See packages/core/data/README.md and
// docs/conformance.md ("ipamd conformance", which summarises the protocol named below).
//
// Replays ipamd conformance cases ({ops, expected}, .json or .json.gz) through a runner command that
// reads the ops as JSON lines on stdin and answers one JSON line per op (shared/conformance/
// IPAMD-PROTOCOL.md); compares error, result, ec2 and state (object key order does not matter).
// Prints the first mismatch of each failing case (up to 5) and a closing figure.
//   ipamd-compare.mjs --runner 'CMD' --cases DIR [--limit N]
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { gunzipSync } from "node:zlib"

const args = Object.fromEntries(
  // biome-ignore lint/performance/noAccumulatingSpread: as shipped; a handful of arguments
  process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith("--") ? [...a, [v.slice(2), all[i + 1]]] : a), []),
)
const files = readdirSync(args.cases)
  .filter((f) => /\.json(\.gz)?$/.test(f))
  .sort()
  .slice(0, +(args.limit ?? 1e9))
const canon = (v) =>
  Array.isArray(v)
    ? v.map(canon)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canon(v[k])]),
        )
      : v
const pick = (o) =>
  o && canon({ error: o.error ?? null, result: o.result ?? null, ec2: o.ec2 ?? null, state: o.state ?? null })
let pass = 0,
  opsOk = 0,
  opsAll = 0,
  shown = 0
for (const f of files) {
  const raw = readFileSync(`${args.cases}/${f}`)
  const c = JSON.parse(f.endsWith(".gz") ? gunzipSync(raw) : raw)
  const input = c.ops.map((o) => JSON.stringify(o)).join("\n") + "\n"
  const r = spawnSync("sh", ["-c", args.runner], { input, encoding: "utf8", maxBuffer: 1 << 28, timeout: 120000 })
  const got = (r.stdout ?? "")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l)
      } catch {
        return { unparsable: l }
      }
    })
  let bad = -1
  for (let i = 0; i < c.expected.length; i++) {
    opsAll++
    if (JSON.stringify(pick(got[i])) === JSON.stringify(pick(c.expected[i]))) opsOk++
    else if (bad < 0) bad = i
  }
  if (bad < 0) pass++
  else if (shown++ < 5) {
    console.log(`${f}: first mismatch at op ${bad}: ${JSON.stringify(c.ops[bad])}`)
    console.log(`  expected ${JSON.stringify(pick(c.expected[bad]))}`)
    console.log(
      `  got      ${JSON.stringify(got[bad] ? pick(got[bad]) : null)}${r.status ? ` (runner exit ${r.status}: ${(r.stderr ?? "").slice(0, 200)})` : ""}`,
    )
  }
}
console.log(`conformance: ${pass}/${files.length} cases identical, ${opsOk}/${opsAll} ops identical`)
process.exit(pass === files.length && files.length > 0 ? 0 : 1)
