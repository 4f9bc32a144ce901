#!/bin/sh
# `npm start` and `npm test` on a fresh clone: make sure Node 24 and the dependencies are there,
# then run the named npm script with them.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
PATH="$(sh "$root/scripts/ensure-node.sh"):$PATH"
export PATH
cd "$root"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi
# `npm start -- --flag` reaches the script, not npm.
script=$1
shift
exec npm run "$script" -- "$@"
