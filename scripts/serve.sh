#!/usr/bin/env bash
# One command from a fresh machine to the playground in a browser: installs what is missing (idempotent), builds the
# release bundle and serves it on http://127.0.0.1:${PORT:-8080}/. Stop with Ctrl-C.
#   PORT=9000 scripts/serve.sh          another port
#   STATIC=1 scripts/serve.sh           build dist/ once and serve it with python3 -m http.server instead of trunk
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm trunk node
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
PORT="${PORT:-8080}"
URL="http://127.0.0.1:$PORT/"
if [ "${STATIC:-0}" = 1 ]; then
  scripts/build.sh
  echo "Paxos playground: $URL"
  exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
fi
echo "Paxos playground: building, then serving at $URL"
exec scripts/build.sh serve --address 127.0.0.1 --port "$PORT"
