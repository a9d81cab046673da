#!/bin/sh
# Installs the Debian chromium package the HTML report's browser test drives (packages/cli/src/report/html/HtmlReport.test.ts).
# Idempotent: does nothing when chromium is already on PATH. Quiet: prints apt output only on failure.
# Without recommends (they pull in udev, upower, mesa...); fonts-liberation is the one we want, so pages
# render text on images that ship no font.
set -eu
command -v chromium >/dev/null 2>&1 && exit 0
log=$(mktemp)
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "chromium installed: $(chromium --version 2>/dev/null || echo unknown)"
