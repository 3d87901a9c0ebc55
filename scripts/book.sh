#!/usr/bin/env bash
# Builds the example book (docs/book/) with its live Paxos figures into docs/book/book/: the playground's dist/
# first when it is missing (trunk), then the mdbook-paxos preprocessor, then `mdbook build`. mdBook 0.5.4 comes from
# scripts/setup.sh. Usage: scripts/book.sh [serve]   (serve: `mdbook serve` on 127.0.0.1:3000 instead of a build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/setup.sh mdbook

if [ ! -f dist/figures.js ] || [ ! -f dist/paxos-web_bg.wasm ]; then
  scripts/setup.sh wasm trunk node
  echo "[book] building the playground (trunk build --release --offline)"
  scripts/build.sh
fi

cargo build -p mdbook-paxos
# mdBook finds the preprocessor `paxos` as the command `mdbook-paxos` on PATH.
export PATH="$PWD/target/debug:$PATH"
if [ "${1:-}" = serve ]; then
  exec mdbook serve docs/book --hostname 127.0.0.1 --port 3000
fi
started=$(date +%s%N)
mdbook build docs/book
echo "[book] built docs/book/book/ in $(( ($(date +%s%N) - started) / 1000000 )) ms (mdbook build)"
