#!/usr/bin/env bash
# Benchmark (figures, no assertions): the write pause a client sees during a
# planned switchover with `vipctl promote` / `vipctl demote`, while it writes
# through the VIP every 10 ms. For each VIP mover, RUNS switchovers (default
# 10, alternately promote and demote, run on host b) in the namespace lab of
# the end-to-end tests; medians and maxima of:
#   - the longest gap between two acknowledged writes, seen by the client;
#   - the write pause measured on the old master (vipctl --json);
#   - vipctl's own duration.
# Needs root and ip netns (like the e2e suites).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-10}
[ -x "$root/build/tools/vipctl" ] || bash "$root/scripts/build.sh" > /dev/null
VIPKIT_BIN=$root/build/tools
VIPKIT_ROOT=$root
source "$root/tests/lib/lab.sh"
source "$root/tests/e2e/failover_scenario.sh"
source "$root/tests/e2e/switchover_measure.sh"

# bench_keepalived: keepalived with keepalived-examples/seeds-003-pair
# (VRRPv2, advert_int 1, preference track_file weight 15).
bench_keepalived() {
  lab_init
  trap lab_down EXIT
  cp "$VIPKIT_BIN/vipctl" "$LAB_DIR/bin/"
  seeds003_pair_up > /dev/null
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 10 --timeout-ms 200 --duration-ms 600000
  lab_wait 50 0.2 acked_after 0 || { echo "the writer never got through the VIP" >&2; return 1; }
  local i op gaps=() pauses=() totals=() failed=0
  for ((i = 1; i <= RUNS; i++)); do
    op=$([ $((i % 2)) -eq 1 ] && echo promote || echo demote)
    measure_switchover b "$LAB_DIR/b/vipkit/redis_16465.conf" "$op" --timeout 8000
    if [ "$SW_RC" -ne 0 ]; then failed=$((failed + 1)); continue; fi
    gaps+=("$SW_GAP") pauses+=("$SW_PAUSE") totals+=("$SW_TOTAL")
  done
  all_acked_present "$([ $((RUNS % 2)) -eq 1 ] && echo b || echo a)" > "$LAB_DIR/lost.txt"
  KA_RESULT=$(printf '%s\t%s / %s ms\t%s / %s ms\t%s ms\t%s\t%s' "keepalived" \
    "$(median "${gaps[@]}")" "$(maximum "${gaps[@]}")" "$(median "${pauses[@]}")" "$(maximum "${pauses[@]}")" \
    "$(median "${totals[@]}")" "$((RUNS - failed))/$RUNS" "$(sed 's/^# //' "$LAB_DIR/lost.txt")")
  lab_down
  trap - EXIT
}

bench_keepalived
printf '\nplanned switchover, %d runs (median / max)\n' "$RUNS"
{
  printf 'mover\tclient gap\twrite pause (old master)\tvipctl\tdone\twrites\n'
  printf '%s\n' "$KA_RESULT"
  [ -x "$VIPKIT_BIN/vipd" ] || printf 'vipd\t(not built: vipd is not in this tree yet)\n'
} | column -t -s $'\t'
