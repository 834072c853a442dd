#!/usr/bin/env bash
# Fuzz for as long as asked: every libFuzzer target (tests/fuzz/fuzz_*.cpp),
# or those named, SECONDS each (default 600), one after the other; a summary
# of the executions per target at the end. The goal before a release is 10
# million executions of each without a finding (README, Tests).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Builds with clang in build/fuzz-build (tests/fuzz/run.sh; FUZZ_BUILD,
# FUZZ_JOBS as there), installing clang first if it is missing. Exit 1 when
# a target found something (its input is printed), 77 when clang or
# libFuzzer cannot be had.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --fuzz >/dev/null
seconds=600
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/tests/fuzz/fuzz_*.cpp; do
    name=$(basename "$f" .cpp)
    targets+=("${name#fuzz_}")
  done
fi

summary=()
status=0
for target in "${targets[@]}"; do
  rc=0
  out=$(FUZZ_SECONDS=$seconds bash "$root/tests/fuzz/run.sh" "$target" 2>&1) || rc=$?
  echo "$out"
  [ $rc -eq 77 ] && exit 77
  if [ $rc -ne 0 ]; then
    status=1
    summary+=("$(printf '%-18s FINDING (exit %d)' "$target" "$rc")")
    continue
  fi
  runs=$(sed -n 's/^fuzz [a-z_0-9]*: \([0-9]*\) executions.*/\1/p' <<< "$out")
  summary+=("$(printf '%-18s %12s executions in %s s' "$target" "$runs" "$seconds")")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
