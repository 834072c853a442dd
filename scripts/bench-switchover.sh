#!/usr/bin/env bash
# Benchmark (figures, no assertions): the write pause a client sees during a
# planned switchover with `vipctl promote` / `vipctl demote`, while it writes
# through the VIP every 10 ms. For each VIP mover and each order, RUNS
# switchovers (default 10; ORDERS, below) in the namespace lab of
# the end-to-end tests; medians and maxima of:
#   - the longest gap between two acknowledged writes, seen by the client;
#   - the write pause measured on the old master (vipctl --json);
#   - vipctl's own duration.
# Needs root and ip netns (like the e2e suites).
#   [RUNS=N] [ORDERS="same-host alternate twice"] [MOVERS="keepalived vipd"] scripts/bench-switchover.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-10}
[ -x "$root/build/tools/vipctl" ] || bash "$root/scripts/build.sh" > /dev/null
VIPKIT_BIN=$root/build/tools
VIPKIT_ROOT=$root
source "$root/tests/lib/lab.sh"
source "$root/tests/e2e/failover_scenario.sh"
source "$root/tests/e2e/switchover_measure.sh"

# bench MOVER SETUP_FN CONF_FN VIPCTL_ARGS...: RUNS switchovers on host b
# (promote, demote, promote, ...) with a client writing through the VIP;
# one line of figures in RESULTS.
RESULTS=()
bench() {
  local mover=$1 setup=$2 conf_fn=$3; shift 3
  lab_session
  cp "$VIPKIT_BIN/vipctl" "$LAB_DIR/bin/"
  if ! "$setup" > "$LAB_DIR/setup.log" 2>&1; then
    RESULTS+=("$mover"$'\t'"(set-up failed: $(grep -m1 -E 'not ok|SKIP' "$LAB_DIR/setup.log"))")
    lab_down; trap - EXIT; return
  fi
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 10 --timeout-ms 200 --duration-ms 600000
  local writer=$LAB_LAST_PID
  lab_wait 50 0.2 acked_after 0 || { RESULTS+=("$mover"$'\t'"(the client never got through the VIP)"); lab_down; return; }
  local host op new old promote=() demote=() pauses=() totals=() failed=0 final=a
  while read -r host op new old; do
    measure_switchover "$host" "$("$conf_fn" "$host")" "$op" "$@"
    final=$new
    if [ "$SW_RC" -ne 0 ]; then failed=$((failed + 1)); continue; fi
    if [ "$op" = promote ]; then promote+=("$SW_GAP"); else demote+=("$SW_GAP"); fi
    echo "# $mover $ORDER: $op on $host, client gap $SW_GAP ms (at $(lab_now_ms))"
    pauses+=("${SW_PAUSE:-0}") totals+=("$SW_TOTAL")
  done < <(switchover_steps "$ORDER" "$RUNS")
  # Count only once the client has stopped: an acknowledgement logged after
  # the scan of the master would count as lost.
  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  local lost; lost=$(all_acked_present "$final" | sed 's/^# //')
  RESULTS+=("$(printf '%s\t%s\t%s / %s ms\t%s / %s ms\t%s / %s ms\t%s ms\t%s\t%s' "$mover" "$ORDER" \
    "$(median "${promote[@]}")" "$(maximum "${promote[@]}")" "$(median "${demote[@]}")" "$(maximum "${demote[@]}")" \
    "$(median "${pauses[@]}")" "$(maximum "${pauses[@]}")" "$(median "${totals[@]}")" "$((RUNS - failed))/$RUNS" "$lost")")
  lab_down
  trap - EXIT
}

# keepalived: keepalived-examples/seeds-003-pair (VRRPv2, advert_int 1,
# preference track_file weight 15). vipd: the e2e suites' pair (VRRPv3,
# 100 ms adverts and health checks).
# Spaced so the client's ARP cache takes every gratuitous ARP (locktime 1 s).
SW_SPACING=${SW_SPACING:-1.5}
# Orders (tests/e2e/switchover_measure.sh, switchover_steps): same-host
# (promote/demote on b, then on a), alternate (promote on b, on a, ...),
# twice (each command twice in a row on b; the second has nothing to do).
# MOVERS: keepalived, vipd, or both (the default).
for ORDER in ${ORDERS:-same-host alternate twice}; do
  for mover in ${MOVERS:-keepalived vipd}; do
    case $mover in
      keepalived) bench keepalived seeds003_pair_up vipctl_conf_keepalived ;;
      vipd) bench vipd vipd_pair_up vipctl_conf_vipd ;;
    esac
  done
done
printf '\nplanned switchover, %d runs per order (median / max); client: a write every 10 ms, 200 ms timeout\n' "$RUNS"
{
  printf 'mover\torder\tclient gap, promote\tclient gap, demote\twrite pause (old master)\tvipctl\tdone\twrites\n'
  printf '%s\n' "${RESULTS[@]}"
} | column -t -s $'\t'
