#!/usr/bin/env bash
# Installs what the playground needs, idempotently: each step is skipped when the tool is already there at the
# pinned version. Usage: scripts/setup.sh [wasm] [trunk] [browser] [node] [fuzz] [mdbook] [mkdocs]
# (no argument: everything).
# The versions and the reasons for them are in ../shared/TOOLCHAIN.md when present; they are repeated here so a
# fresh machine needs nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
CARGO_FUZZ_VERSION=0.13.2
MDBOOK_VERSION=0.5.4
WASM_BINDGEN_VERSION=0.2.130
MKDOCS_MATERIAL_VERSION=9.8.1
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

want() { [ $# -eq 0 ] && return 0; return 1; }
parts=("$@")
has() { [ ${#parts[@]} -eq 0 ] && return 0; local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
say() { printf '[setup] %s\n' "$*"; }

if has wasm; then
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32-unknown-unknown target present"
  else
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # The page's standard library is built for size from source (scripts/build.sh).
  if rustup component list --installed | grep -q '^rust-src'; then
    say "rust-src component present"
  else
    say "adding the rust-src component"
    rustup component add rust-src
  fi
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $WASM_BINDGEN_VERSION"; then
    say "wasm-bindgen-cli $WASM_BINDGEN_VERSION present"
  else
    # Not --locked: its lockfile pins a crate the registry no longer serves (TOOLCHAIN.md).
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
fi

if has trunk; then
  if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION"; then
    say "trunk $TRUNK_VERSION present"
  else
    say "installing trunk $TRUNK_VERSION (about 7 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
fi

if has node; then
  # The stamp is the lock file the installed packages came from (npm's own node_modules/.package-lock.json is
  # written in another shape, so it never compares equal).
  if [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] \
     && cmp -s package-lock.json node_modules/.installed-from-lock 2>/dev/null; then
    say "npm packages (binaryen, playwright-core, axe-core) present"
  else
    say "installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.installed-from-lock
  fi
fi

if has browser; then
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "chromium and chromedriver present"
  else
    say "installing Debian's chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
fi

if has fuzz; then
  # cargo-fuzz drives libFuzzer (docs/fuzzing.md); it runs on stable with RUSTC_BOOTSTRAP=1 (TOOLCHAIN.md).
  if cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION"; then
    say "cargo-fuzz $CARGO_FUZZ_VERSION present"
  else
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 30 seconds, once)"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
  fi
fi

if has mdbook; then
  # The example book of the mdbook-paxos preprocessor (scripts/book.sh, e2e/book.test.mjs) is built with it.
  if command -v mdbook >/dev/null && mdbook --version | grep -q "v$MDBOOK_VERSION\$"; then
    say "mdbook $MDBOOK_VERSION present"
  else
    say "installing mdbook $MDBOOK_VERSION (about 6 minutes on 2 shared cores, once)"
    cargo install mdbook --version "$MDBOOK_VERSION" --locked --force
  fi
fi

if has mkdocs; then
  # The example MkDocs Material site (scripts/mkdocs.sh, e2e/mkdocs.test.mjs), from PyPI into a virtualenv of the
  # repository's own (.venv/, git-ignored), so no system Python package changes.
  if compgen -G ".venv/lib/python3*/site-packages/mkdocs_material-$MKDOCS_MATERIAL_VERSION.dist-info" >/dev/null \
     && [ -x .venv/bin/mkdocs ]; then
    say "mkdocs-material $MKDOCS_MATERIAL_VERSION present"
  else
    say "installing mkdocs-material $MKDOCS_MATERIAL_VERSION into .venv/ (a few seconds)"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check "mkdocs-material==$MKDOCS_MATERIAL_VERSION"
  fi
fi
