#!/usr/bin/env bash
# Benchmark (figures, no assertions): `vipctl cluster upgrade` (no
# --swap-back) on the seeds/000 layout in the namespace lab
# (tests/e2e/cluster_seed000.sh, the lab of test_cluster_upgrade_seed000.sh),
# the cluster writer on the client host writing SET cw:N every 2 ms
# throughout. Per run: the client's longest write gap during each failover
# (from the failover step's start to the end of the old master's restart,
# when its clients have moved), the longest over the whole upgrade, the
# upgrade's duration, the writes acknowledged during the run and how many
# of them are missing at the end. Step times are placed from vipctl's JSON
# (each step's ms after the planning), the gaps from the writer's
# acknowledgement times; both clocks are this host's. Median of RUNS runs
# (default 3). With BENCH_KEEP=DIR, each run's evidence is kept in
# DIR/run-N (vipctl's JSON and step log, the acknowledgements, the writer's
# errors, the nodes' logs and restart times), to place a long gap.
#   [BENCH_KEEP=DIR] scripts/bench-cluster-upgrade.sh [RUNS]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
RUNS=${1:-3}
[ "$(id -u)" -eq 0 ] || { echo "bench-cluster-upgrade: run as root (network namespaces)" >&2; exit 2; }
export VIPKIT_BIN=${VIPKIT_BIN:-$root/build/tools} VIPKIT_ROOT=$root
[ -x "$VIPKIT_BIN/vipctl" ] || bash scripts/build.sh >/dev/null

source tests/lib/lab.sh
source tests/e2e/cluster_seed000.sh

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }

# GAPS: from vipctl's JSON (stdin), the time it returned (ms) and the acks
# file: the longest gap of each failover, then of the whole run, in ms.
gaps() {  # END-MS ACKS
  python3 -c '
import json, sys
d = json.load(sys.stdin)
end, acks = int(sys.argv[1]), [int(l.split()[1]) for l in open(sys.argv[2]) if l.strip()]
start = end - d["total_ms"]
t = start + d["total_ms"] - sum(s["ms"] for s in d["steps"])  # the first step starts after the planning
spans = []
for s in d["steps"]:
    spans.append((s["name"], t, t + s["ms"])); t += s["ms"]
def longest(a, b):  # the longest pause between two acks that overlaps [a, b]
    return max([y - x for x, y in zip(acks, acks[1:]) if y >= a and x <= b] or [0])
out = [longest(f[1], spans[i + 1][2]) for i, f in enumerate(spans) if f[0] == "failover" and i + 1 < len(spans)]
print(" ".join(map(str, out + [longest(start, end)])))
' "$@"
}

field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# One upgrade in a fresh lab (run in a subshell: its EXIT trap tears the lab
# down); prints "GAP1 GAP2 GAP3 TOTAL-GAP UPGRADE-MS ACKED LOST" or nothing.
one_run() {
  seed_session > /dev/null || return
  seed_writer_start 120
  lab_wait 50 0.1 seed_acked 50 && sleep 1
  local json end
  json=$(seed_vipctl cluster upgrade --restart-cmd "$(seed_restart_cmd)" --json --timeout 30000 \
    2> "$LAB_DIR/vipctl.err")
  end=$(lab_now_ms)
  sleep 1  # the client's writes after the last step count in its total gap
  seed_writer_stop
  if [ -n "${BENCH_KEEP:-}" ]; then
    local keep=$BENCH_KEEP/run-$1
    mkdir -p "$keep" && echo "$json" > "$keep/vipctl.json" &&
      cp "$LAB_DIR"/{vipctl.err,acked,writer.err} "$LAB_DIR"/nodes/{*.log,restarts} "$keep/" 2>/dev/null
  fi
  [ "$(field 'd["result"]' <<<"$json")" = "done" ] || return
  echo "$(gaps "$end" "$LAB_DIR/acked" <<<"$json") $(field 'd["total_ms"]' <<<"$json")" \
    "$(wc -l < "$LAB_DIR/acked") $(seed_writer_check | sed -n 's/.*missing=\([0-9]*\).*/\1/p')"
}

echo "# vipctl cluster upgrade, seeds/000 in namespaces, $RUNS runs ($(redis-server --version | cut -d' ' -f3))"
echo "# run  gap-failover-1 gap-failover-2 gap-failover-3 gap-total (ms)  upgrade-ms  acked  lost"
: > /tmp/bench-cluster-upgrade.$$
for ((run = 1; run <= RUNS; run++)); do
  line=$(one_run "$run" 2>/dev/null)
  [ -n "$line" ] || { echo "$run  (the lab did not settle or the upgrade failed)"; continue; }
  echo "$run  $line"
  echo "$line" >> /tmp/bench-cluster-upgrade.$$
done
printf 'median'
for col in 1 2 3 4 5 6 7; do printf '  %s' "$(awk -v c=$col '{ print $c }' /tmp/bench-cluster-upgrade.$$ | median)"; done
echo
rm -f /tmp/bench-cluster-upgrade.$$
