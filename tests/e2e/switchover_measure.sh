# shellcheck shell=bash
# One planned switchover with vipctl in the namespace lab, measured: used by
# the e2e cycle suites and scripts/bench-switchover.sh. Needs lab.sh, a
# writer logging acknowledged writes to $LAB_DIR/acks, and vipctl in
# $LAB_DIR/bin.

# Longest gap between consecutive acknowledged writes around [FROM, TO] ms.
client_gap() {
  awk -v from="$1" -v to="$2" 'prev && $2 >= from && prev <= to { if ($2 - prev > max) max = $2 - prev }
    { prev = $2 } END { print max + 0 }' "$LAB_DIR/acks"
}

# measure_switchover HOST CONFIG OP [VIPCTL ARGS...]: vipctl OP on HOST with
# its instance file. Sets SW_RC, SW_OUT (the JSON), SW_PAUSE (write pause on
# the old master, ms), SW_TOTAL (vipctl's duration, ms), SW_GAP (the
# client's longest gap between acknowledged writes meanwhile, ms).
measure_switchover() {
  local host=$1 config=$2 op=$3 start end; shift 3
  start=$(lab_now_ms)
  SW_OUT=$(lab_exec "$host" "$LAB_DIR/bin/vipctl" --config "$config" "$op" --json "$@" 2>> "$LAB_DIR/vipctl.log")
  SW_RC=$?
  end=$(lab_now_ms)
  # The gap is closed by the first acknowledged write after vipctl returned.
  lab_wait 100 0.05 acked_after "$end"
  SW_PAUSE=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["write_pause_ms"])' <<<"$SW_OUT" 2>/dev/null)
  SW_TOTAL=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["total_ms"])' <<<"$SW_OUT" 2>/dev/null)
  SW_GAP=$(client_gap "$start" "$end")
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "?" }'; }
maximum() { printf '%s\n' "$@" | sort -n | tail -1; }
