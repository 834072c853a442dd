#!/usr/bin/env bash
# Run one fuzz target (tests/fuzz/fuzz_TARGET.cpp) from its seeds,
# tests/fuzz/corpus/TARGET/ (vrrp_decode: the frames keepalived 2.2.7 sent,
# tests/unit/fixtures/keepalived-2.2.7/), one of two ways:
#   run.sh TARGET                  libFuzzer, for FUZZ_SECONDS (default 8):
#                                  scripts/fuzz.sh, and ctest in a VIPKIT_FUZZ build
#     FUZZ_BUILD  a build with VIPKIT_FUZZ=ON (default build/fuzz-build): when it
#                 has none yet, configured here with clang++; the target is
#                 (re)built in it, only it
#     FUZZ_JOBS   build parallelism (default: the number of CPUs)
#     Prints the executions; skips (77) when clang++ or its libFuzzer runtime
#     (libclang-rt-14-dev) is missing.
#   run.sh TARGET --replay BINARY [ARG...]
#                                  the short variant, ctest in every other build:
#                                  BINARY (fuzz_TARGET built with replay_main.cpp)
#                                  runs each seed and a fixed set of mutations of
#                                  it; ARGs go to it (--mutations N)
# On a finding, both print the report (libFuzzer: its end) and the input (base64).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:?usage: run.sh TARGET [--replay BINARY [ARG...]]}
replay=
if [ "${2:-}" = --replay ]; then replay=${3:?usage: run.sh TARGET [--replay BINARY [ARG...]]}; fi
seconds=${FUZZ_SECONDS:-8}
build=${FUZZ_BUILD:-$root/build/fuzz-build}
[ -f "$root/tests/fuzz/fuzz_$target.cpp" ] || { echo "run.sh: no target $target" >&2; exit 2; }

work=$(mktemp -d /tmp/vipkit-fuzz-"$target".XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seeds"
if [ -d "$root/tests/fuzz/corpus/$target" ]; then cp "$root/tests/fuzz/corpus/$target"/* "$work/seeds/"; fi
if [ "$target" = vrrp_decode ]; then
  # The IP packets (Ethernet header stripped) keepalived sent; printf, not
  # a python3 per frame: the replay itself takes less than starting one.
  for f in "$root"/tests/unit/fixtures/keepalived-2.2.7/*.frames; do
    grep '^vrrp' "$f" | awk '{print $NF}' | while read -r hex; do
      printf '%b' "$(sed 's/../\\x&/g' <<< "${hex:28}")" > "$work/seeds/$(basename "$f" .frames)-${hex:28:40}"
    done
  done
fi

if [ -n "$replay" ]; then
  # The log is the finding's report alone: all of it.
  if ! "$replay" "${@:4}" --last-input "$work/last-input" "$work/seeds" > "$work/replay.log" 2>&1; then
    cat "$work/replay.log"
    [ -e "$work/last-input" ] && echo "input (base64): $(base64 -w0 "$work/last-input")"
    exit 1
  fi
  cat "$work/replay.log"
  exit 0
fi

mkdir -p "$build"
{
  # One configure and build at a time: ctest -j runs several targets at once.
  flock 9
  if [ ! -f "$build/CMakeCache.txt" ]; then
    command -v clang++ >/dev/null || { echo "SKIP: clang++ not installed (scripts/install-deps.sh --fuzz)" >&2; exit 77; }
    CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIPKIT_FUZZ=ON \
      -DVIPKIT_INTEGRATION=OFF > "$build/configure.log" 2>&1 ||
      { cat "$build/configure.log" >&2; rm -f "$build/CMakeCache.txt"; exit 1; }
  fi
  grep -q '^VIPKIT_FUZZ:BOOL=ON' "$build/CMakeCache.txt" ||
    { echo "SKIP: $build has VIPKIT_FUZZ off: clang cannot link -fsanitize=fuzzer (libclang-rt-14-dev?)" >&2; exit 77; }
  if ! nice -n 19 cmake --build "$build" --target "fuzz_$target" -j"${FUZZ_JOBS:-$(nproc)}" \
      > "$build/build-$target.log" 2>&1; then
    grep -q 'fsanitize=fuzzer\|libclang_rt.fuzzer' "$build/build-$target.log" &&
      { tail -n 5 "$build/build-$target.log" >&2; echo "SKIP: no libFuzzer runtime (libclang-rt-14-dev)" >&2; exit 77; }
    cat "$build/build-$target.log" >&2
    exit 1
  fi
} 9> "$build/.fuzz-lock"
binary=$build/tests/fuzz/fuzz_$target

mkdir -p "$work/new"
# New inputs go to $work/new (the first directory), never into the tree.
if ! (cd "$work" && "$binary" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/new" "$work/seeds" > "$work/fuzz.log" 2>&1); then
  tail -n 40 "$work/fuzz.log"
  for finding in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -e "$finding" ] && echo "input (base64): $(base64 -w0 "$finding")"
  done
  exit 1
fi
runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$work/fuzz.log")
echo "fuzz $target: $runs executions in $seconds s, no finding"
