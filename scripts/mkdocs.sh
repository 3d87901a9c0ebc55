#!/usr/bin/env bash
# Builds the example MkDocs Material site (docs/mkdocs-example/) with its live Paxos figures into
# docs/mkdocs-example/site/: the playground's dist/ first when it is missing (trunk), copied into the site's
# docs/playground/ (MkDocs copies it beside the pages, and `serve` finds it too), then `mkdocs build --strict`.
# MkDocs Material comes from scripts/setup.sh mkdocs (a virtualenv in .venv/).
# Usage: scripts/mkdocs.sh [serve]   (serve: `mkdocs serve` on 127.0.0.1:8000 instead of a build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
# Material prints a notice about MkDocs 2 on every build.
export NO_MKDOCS_2_WARNING=1
scripts/setup.sh mkdocs

if [ ! -f dist/figures.js ] || [ ! -f dist/paxos-web_bg.wasm ]; then
  scripts/setup.sh wasm trunk node
  echo "[mkdocs] building the playground (trunk build --release --offline)"
  scripts/build.sh
fi

site=docs/mkdocs-example
rm -rf "$site/docs/playground"
cp -r dist "$site/docs/playground"
if [ "${1:-}" = serve ]; then
  exec .venv/bin/mkdocs serve -f "$site/mkdocs.yml" --dev-addr 127.0.0.1:8000
fi
started=$(date +%s%N)
.venv/bin/mkdocs build --strict --quiet -f "$site/mkdocs.yml"
echo "[mkdocs] built $site/site/ in $(( ($(date +%s%N) - started) / 1000000 )) ms (mkdocs build)"
