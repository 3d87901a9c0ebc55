#!/usr/bin/env bash
# Builds dist/ as the page is shipped: `trunk build --release --offline`, with the page's wasm compiled against a
# standard library built for size (cargo's build-std, from the rust-src component scripts/setup.sh installs) and
# panics that abort without being formatted (`panic = "immediate-abort"` for the `web` profile). Together they take
# 27 KB gzip off the page's initial transfer (scripts/budget.mjs). Both are unstable options of the stable 1.95
# toolchain, enabled for this build only by RUSTC_BOOTSTRAP; the tests and `cargo build` elsewhere use neither.
# A panic in the page then shows the error banner with the trap's words (web/src/web.rs).
#   scripts/build.sh                 dist/
#   scripts/build.sh serve ARGS...   trunk serve with the same settings
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true
export CARGO_PROFILE_WEB_PANIC=immediate-abort
if [ "${1:-}" = serve ]; then
  shift
  exec trunk serve --release --offline "$@"
fi
exec trunk build --release --offline
