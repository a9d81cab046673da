// What every ipamsim HTML page shares (the run's report and tune's page): escaping, data as a JSON island,
// uPlot inlined from node_modules, and a head whose Content-Security-Policy lets only uPlot and the page's
// own script run. The pages open offline and make no request.

import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

interface Library {
  readonly version: string
  readonly js: string
  readonly css: string
  readonly license: string
}

let library: Library | undefined

/** Reads uPlot from node_modules once; refuses text that could end its element early. */
export const loadLibrary = (): Library => {
  if (library) return library
  const require = createRequire(import.meta.url)
  // The HTML parser turns CR LF into LF; normalise first so the CSP hashes match what the browser sees.
  const read = (file: string): string => readFileSync(require.resolve(`uplot/${file}`), "utf8").replace(/\r\n?/g, "\n")
  const lib: Library = {
    version: (JSON.parse(read("package.json")) as { version: string }).version,
    js: read("dist/uPlot.iife.min.js"),
    css: read("dist/uPlot.min.css"),
    license: read("LICENSE"),
  }
  // A later uPlot release containing these would silently break the page; fail loudly instead.
  if (/<\/script|<!--/i.test(lib.js) || /<\/style/i.test(lib.css) || /\*\/|<\/script/i.test(lib.license))
    throw new Error("uplot's files contain text that cannot be inlined into a <script> or <style> element")
  library = lib
  return lib
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

/** JSON safe inside a <script> element: no `<` (so no `</script>` or `<!--`), `>`, `&` or line separators. */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

/** A CSP source admitting exactly this inline script. */
export const cspHash = (script: string): string =>
  `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`

/**
 * The start of an ipamsim HTML page up to </head>: uPlot's CSS inlined, and a Content-Security-Policy that
 * lets only uPlot and the page's own script run (an injected script or handler is refused even if escaping
 * failed). Returns the head and the uPlot script to put before the page script.
 */
export const pageHead = (
  titleHtml: string,
  pageCss: string,
  pageScript: string,
): { head: string; libScript: string } => {
  const lib = loadLibrary()
  const libScript = `/*! uPlot ${lib.version}, inlined from node_modules/uplot.\n${lib.license}*/\n${lib.js}`
  const csp = `default-src 'none'; script-src ${cspHash(libScript)} ${cspHash(pageScript)}; style-src 'unsafe-inline'`
  const head = `<!doctype html>
<!-- ipamsim report -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${titleHtml}</title>
<style>${lib.css}</style>
<style>${pageCss}</style>
</head>
`
  return { head, libScript }
}
