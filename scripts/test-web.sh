#!/usr/bin/env bash
# Every test of the browser playground; exits non-zero on the first failure.
#  1. native unit tests of the crate (geometry, input checks, history, engine, reducer)
#  2. wasm-bindgen tests of the reducer and the components in headless Chromium
#  3. a release build of dist/ from scratch with trunk, and its transfer budget (scripts/budget.mjs)
#  4. the example mdBook (docs/book/) built with the mdbook-paxos preprocessor (scripts/book.sh), and the example
#     MkDocs Material site (docs/mkdocs-example/) with <paxos-figure> elements (scripts/mkdocs.sh)
#  5. end-to-end tests with Playwright (playwright-core + node --test) against dist/, the book and the MkDocs site
#     served on 127.0.0.1
# Screenshots of the end-to-end tests land in screenshots/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm trunk node browser mdbook mkdocs
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

echo "== web (paxos-web): native unit tests, and the first screen rendered natively (feature ssr)"
cargo test -p web
cargo test -p web --features ssr --lib prerender

echo "== web (paxos-web): wasm tests in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown -p web

echo "== dist/: trunk build --release --offline, as shipped (scripts/build.sh)"
rm -rf dist
scripts/build.sh

echo "== the transfer budget: the page's initial files, gzip -9, at most 300 KB (scripts/budget.mjs)"
node scripts/budget.mjs

echo "== the example book: mdbook build docs/book with the mdbook-paxos preprocessor (scripts/book.sh)"
scripts/book.sh

echo "== the example MkDocs site: mkdocs build docs/mkdocs-example with the playground beside it (scripts/mkdocs.sh)"
scripts/mkdocs.sh

echo "== end-to-end tests (Playwright, /usr/bin/chromium)"
mkdir -p screenshots
node --test --test-concurrency=1 e2e/*.test.mjs
