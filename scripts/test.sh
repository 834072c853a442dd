#!/usr/bin/env bash
# Run every test: install dependencies, build, run the whole ctest suite
# (unit, fuzz replays, integration against real redis-server, end-to-end with
# keepalived in network namespaces), then the unit tests and the fuzz replays
# again under ASan+UBSan. Both builds treat warnings as errors (VIPKIT_WERROR,
# off for a plain build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/install-deps.sh
BUILD_DIR=$root/build bash scripts/build.sh -DVIPKIT_WERROR=ON
(cd build && ctest --output-on-failure --no-tests=error "$@")

# Sanitizers: the pure core and the parsers, where memory errors would hide;
# the fuzz replays (tests/fuzz/replay_main.cpp) throw mutated bytes at them.
BUILD_DIR=$root/build-asan BUILD_TYPE=Debug bash scripts/build.sh -DVIPKIT_WERROR=ON -DVIPKIT_SANITIZE=ON -DVIPKIT_INTEGRATION=OFF
# One process per test case (catch_discover_tests), each pure: run them in parallel.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure --no-tests=error -L 'unit|fuzz' -j "$(nproc)")
