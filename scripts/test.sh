#!/usr/bin/env bash
# Runs every test of the playground, installing what it needs first (idempotently: each install is skipped when the
# tool is already there at the pinned version). This is the README's test command; CI's .ci/run calls it.
#
#   scripts/test.sh           everything
#   scripts/test.sh --quick   skip the long fuzz, libFuzzer and model-checking runs (for a fast local loop)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
quick=${1:-}

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "install what the tests need"
scripts/setup.sh wasm trunk node browser fuzz mdbook mkdocs

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (cargo clippy -D warnings), native and wasm32"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p paxos-core -p paxos-sim -p web -p paxos-worker -- -D warnings
# The page's second build (paxos-web-all: Raft and Compare, index.html's second rel="rust" link).
cargo clippy --target wasm32-unknown-unknown -p web --features raft -- -D warnings

step "unit, transcript, property, explorer, stateright and CLI tests (cargo test --workspace)"
cargo test --workspace

step "the core crates and the web app build for wasm32-unknown-unknown"
cargo build --release --target wasm32-unknown-unknown -p paxos-core -p paxos-sim -p web -p paxos-worker

if [ "$quick" != "--quick" ]; then
  cargo build --release -p paxos-cli
  paxos=target/release/paxos
  step "paxos fuzz --seeds 100000 (single-decree and Multi-Paxos, 3 and 5 nodes)"
  $paxos fuzz --seeds 100000
  $paxos fuzz --seeds 100000 --mode multi --nodes 5
  step "coverage-guided fuzzing: every fuzz target, ${FUZZ_RUNS:=20000} inputs each from its corpus (docs/fuzzing.md)"
  scripts/fuzz.sh -runs="$FUZZ_RUNS"
  step "paxos check (exhaustive explorer, 3 acceptors, 2 proposers, one crash, no depth bound: complete)"
  # The count is pinned: a change to the core, the checker or the explorer that changes the state space shows here.
  out=$($paxos check --json)
  echo "$out" | head -c 400; echo
  case "$out" in
    *'"complete":true,'*'"unique_states":180033,'*) ;;
    *) echo "paxos check: not complete, or the number of distinct states changed (pinned: 180033)" >&2; exit 1 ;;
  esac
  step "paxos check --link: every future of a fresh 3-node run with two proposals (the page's Check every future)"
  # Nodes 0 and 2 have just proposed; the search is the one the page runs in its worker, pinned like the one above.
  out=$($paxos check --link '1.AQADBwcHAAAAAggQCAIKBQ8AAAoBAgEAAgFhAQICAWIC' --json)
  echo "$out" | head -c 300; echo
  case "$out" in
    *'"complete":true,'*'"unique_states":1830803,'*) ;;
    *) echo "paxos check --link: not complete, or the number of distinct states changed (pinned: 1830803)" >&2; exit 1 ;;
  esac
  step "paxos check --protocol raft (3 nodes, two election timeouts, one crash: complete) and each Raft bug at its rule"
  # Pinned like Paxos's count; about 1.3 s. Each bug `paxos bugs --protocol raft` lists is found at the rule it
  # names, by the explorer and by the fuzzer (forget-vote's first schedule is seed 632 of 400 events).
  out=$($paxos check --protocol raft --json)
  echo "$out" | head -c 300; echo
  case "$out" in
    *'"complete":true,'*'"unique_states":427744,'*) ;;
    *) echo "paxos check --protocol raft: not complete, or the number of distinct states changed (pinned: 427744)" >&2; exit 1 ;;
  esac
  raft_bugs=$($paxos bugs --protocol raft)
  [ -n "$raft_bugs" ] || { echo "paxos bugs --protocol raft listed no bugs" >&2; exit 1; }
  while read -r bug rule <&3; do
    # The explorer searches a fixed cluster: change-two-at-once needs membership changes, which the fuzzer makes and
    # the cargo tests explore from the moment of an add-node (tests/raft_membership.rs).
    if [ "$bug" != change-two-at-once ]; then
      if out=$($paxos check --protocol raft --bug "$bug" --json); then echo "check did not find raft --bug $bug" >&2; exit 1; fi
      grep -q "\"rule\":\"$rule\"" <<<"$out" || { echo "check --protocol raft --bug $bug: the rule is not $rule" >&2; exit 1; }
    fi
    if out=$($paxos fuzz --protocol raft --seeds 2000 --steps 400 --bug "$bug" --json); then
      echo "fuzz --protocol raft did not find --bug $bug" >&2; exit 1
    fi
    grep -q "\"rule\":\"$rule\"" <<<"$out" || { echo "fuzz --protocol raft --bug $bug: first rule is not $rule: $out" >&2; exit 1; }
    echo "found raft --bug $bug at $rule"
  done 3<<<"$raft_bugs"
  step "state coverage of the fuzzer (paxos fuzz --coverage: exit 1 if a run state falls outside for no known reason)"
  $paxos fuzz --coverage
  $paxos fuzz --coverage --protocol raft
  step "the coverage map against the explorer: the simulator driven along every transition of the default cluster"
  # It reaches exactly the explorer's 180,033 states and none outside, and Raft's 49,036 without a crash (release
  # build, about a minute).
  cargo test --release -p paxos-sim --test coverage -- --ignored
  step "the reduced explorer against the full one on larger clusters (release build, about two minutes)"
  cargo test --release -p paxos-sim --test explore -- --ignored
  step "every protocol bug is found at the rule it removes, by the fuzzer and (but adopt-lowest) by the explorer"
  # The bugs and the rule each removes come from the checker (`paxos bugs`: one `name rule` line per bug).
  bugs=$($paxos bugs)
  [ -n "$bugs" ] || { echo "paxos bugs listed no bugs" >&2; exit 1; }
  while read -r bug rule <&3; do
    # Membership change is Multi-Paxos only: reconfigure-early is fuzzed there, and explored from the moment of an
    # add-node by the cargo tests (tests/membership.rs), since the explorer's cluster is fixed.
    modes="single multi"
    [ "$bug" = reconfigure-early ] && modes=multi
    for mode in $modes; do
      if out=$($paxos fuzz --seeds 2000 --mode "$mode" --bug "$bug" --json); then
        echo "fuzz --mode $mode did not find --bug $bug" >&2; exit 1
      fi
      # The first violation is the rule the bug removes, reported at the event that breaks it, not a consequence.
      grep -q "\"rule\":\"$rule\"" <<<"$out" || { echo "fuzz --mode $mode --bug $bug: first rule is not $rule: $out" >&2; exit 1; }
    done
    # The explorer's proposers run one ballot each, and adopt-lowest needs three ballots: with two proposers it is
    # harmless (the cargo tests check that), and with three the search cannot finish. Stateright finds it instead.
    if [ "$bug" != adopt-lowest ] && [ "$bug" != reconfigure-early ]; then
      if out=$($paxos check --bug "$bug" --json); then echo "check did not find --bug $bug" >&2; exit 1; fi
      grep -q "\"rule\":\"$rule\"" <<<"$out" || { echo "check --bug $bug: the rule is not $rule" >&2; exit 1; }
    fi
    echo "found --bug $bug at $rule"
  done 3<<<"$bugs"
fi

if [ -x scripts/test-web.sh ]; then
  step "the browser playground: wasm tests in Chromium and end-to-end tests (scripts/test-web.sh)"
  scripts/test-web.sh
fi

step "all tests passed in $(( $(date +%s) - started )) s"
