#!/usr/bin/env bash
# Runs the coverage-guided fuzz targets (fuzz/, docs/fuzzing.md) one after the other, each from its committed
# corpus, with the project's libFuzzer limits. Fails on the first crash, hang (an input over the timeout) or
# out-of-memory; libFuzzer leaves the input in fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                        every target, 20000 inputs each (what scripts/test.sh runs)
#   scripts/fuzz.sh -runs=10000000         every target, longer
#   scripts/fuzz.sh -max_total_time=600 -- link   one target for ten minutes
#   FUZZ_SANITIZER=none scripts/fuzz.sh -runs=10000000 -- trace   without AddressSanitizer: 4-5 times as fast, and
#                                          the crates have no `unsafe` code for it to watch (docs/fuzzing.md)
#
# New inputs libFuzzer finds go to a scratch corpus, so a run leaves the committed corpora unchanged (merge them
# with `cargo fuzz cmin`, see docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
# cargo-fuzz passes -Z flags to rustc; stable 1.95 takes them with RUSTC_BOOTSTRAP (../shared/TOOLCHAIN.md).
export RUSTC_BOOTSTRAP=1

flags=()
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; targets=("$@"); break ;;
    *) flags+=("$1"); shift ;;
  esac
done
[ ${#flags[@]} -eq 0 ] && flags=(-runs=20000)
[ ${#targets[@]} -eq 0 ] && targets=(link options trace script goal)

# The longest input each target reads, in bytes: a little above its largest seed, so mutations stay meaningful.
max_len() {
  case "$1" in
    options) echo 4096 ;;
    goal) echo 12288 ;;
    link) echo 4096 ;;
    script) echo 8192 ;;
    *) echo 16384 ;;
  esac
}

sanitizer=(-s "${FUZZ_SANITIZER:-address}")
nice cargo fuzz build "${sanitizer[@]}"
for t in "${targets[@]}"; do
  scratch=$(mktemp -d)
  log="$scratch.log"
  echo "[fuzz] $t ${flags[*]}"
  started=$(date +%s)
  if ! nice cargo fuzz run "${sanitizer[@]}" "$t" "$scratch" "corpus/$t" -- \
    -rss_limit_mb=2048 -timeout=10 -max_len="$(max_len "$t")" -print_final_stats=1 "${flags[@]}" 2>"$log"; then
    tail -n 80 "$log" >&2
    rm -rf "$scratch" "$log"
    echo "[fuzz] $t FAILED: the input is in fuzz/artifacts/$t/ (see docs/fuzzing.md to reproduce it)" >&2
    exit 1
  fi
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|Done [0-9]+ runs)' "$log" || true
  rm -rf "$scratch" "$log"
  echo "[fuzz] $t passed in $(( $(date +%s) - started )) s"
done
