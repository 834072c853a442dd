#!/usr/bin/env bash
# Configure and build vipkit. BUILD_DIR (default build/), BUILD_TARGETS (a
# space-separated list; default all) and extra cmake arguments can be given:
#   BUILD_TARGETS="unit_tests" scripts/build.sh -DVIPKIT_SANITIZE=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
targets=()
for t in ${BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}"
