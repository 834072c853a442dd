#!/usr/bin/env bash
# Run every test: install dependencies, build, run the whole ctest suite
# (unit, fuzz replays, integration against real redis-server, end-to-end with
# keepalived in network namespaces), then the unit tests and the fuzz replays
# again under ASan+UBSan. Both builds treat warnings as errors (VIPKIT_WERROR,
# off for a plain build). Each phase prints how long it took: CI's budget is
# 45 minutes on two cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

phase_start=$SECONDS
phase_done() { echo "test.sh: $1 took $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }

bash scripts/install-deps.sh
phase_done "install-deps"
# Release: what users build (and proof that -O3 builds warning-free), and no
# debug info to write: the debug build is the sanitizer one below.
BUILD_DIR=$root/build BUILD_TYPE=Release bash scripts/build.sh -DVIPKIT_WERROR=ON
phase_done "build"
# -j2: unit, fuzz and integration tests run two at a time (each has its own
# ports and directories); the e2e and package tests are RUN_SERIAL, alone.
(cd build && ctest --output-on-failure --no-tests=error -j2 "$@")
phase_done "ctest"

# Sanitizers: the pure core and the parsers, where memory errors would hide;
# the fuzz replays (tests/fuzz/replay_main.cpp) throw mutated bytes at them.
# Only what those tests run is built.
fuzz_targets=$(for f in tests/fuzz/fuzz_*.cpp; do basename "$f" .cpp; done)
BUILD_DIR=$root/build-asan BUILD_TYPE=Debug BUILD_TARGETS="unit_tests $fuzz_targets" \
  bash scripts/build.sh -DVIPKIT_WERROR=ON -DVIPKIT_SANITIZE=ON -DVIPKIT_INTEGRATION=OFF
phase_done "ASan build"
# One process per test case (catch_discover_tests), each pure: run them in parallel.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure --no-tests=error -L 'unit|fuzz' -j "$(nproc)")
phase_done "ASan ctest"
