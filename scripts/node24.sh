#!/bin/sh
# Runs a command with Node 24 first on PATH (see ensure-node.sh), so that package scripts which
# run TypeScript directly (build scripts, node --test on .ts) work whatever `node` the shell has.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
PATH="$(sh "$root/scripts/ensure-node.sh"):$PATH"
export PATH
exec "$@"
