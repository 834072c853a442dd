#!/usr/bin/env bash
# Benchmark (figures, no assertions): leader = sentinel, the write gap after
# kill -9 of the master's Redis, and the part of it that is vipd's. Three
# namespace hosts from docs/sentinel-examples (Redis + Sentinel + vipd
# each; Sentinel's down-after-milliseconds shortened to 1000), a client host
# writing SET w:N through the VIP every 5 ms with a 20 ms timeout (a write
# sent while nobody answers for the VIP costs the client that timeout).
# Per run, from the logs' millisecond timestamps:
#   gap        the client's longest pause between two acknowledged writes
#              from the kill on (Sentinel's down-after dominates it);
#   switch     the moment a majority (2 of 3) of Sentinels had published
#              +switch-master (each Sentinel logs its own): the earliest a
#              follower of the majority can move the VIP;
#   vip        vip-add on the new master's host, minus switch;
#   vipd part  the first write answered on the new master, minus switch
#              (goal: under 50 ms);
#   lost       writes acknowledged before the kill that the new master lacks
#              (Sentinel replicates asynchronously).
# Median of RUNS runs (default 5).
#   scripts/bench-sentinel.sh [RUNS]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${1:-5}
[ "$(id -u)" -eq 0 ] || { echo "bench-sentinel: run as root (network namespaces)" >&2; exit 2; }
export VIPKIT_BIN=${VIPKIT_BIN:-$root/build/tools} VIPKIT_ROOT=$root
[ -x "$VIPKIT_BIN/../vrrp/vipd" ] && [ -x "$VIPKIT_BIN/../tests/vipkit-writer" ] || bash scripts/build.sh >/dev/null

source tests/lib/lab.sh
source tests/lib/sentinel_lab.sh
trap lab_down EXIT
export SL_WRITE_INTERVAL_MS=5 SL_WRITE_TIMEOUT_MS=20

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
lab_reset() { lab_down; LAB_PIDS=(); LAB_NS=(); }
# Milliseconds since the epoch of a log timestamp ("04 Dec 2026 05:07:42.264"
# from Sentinel, "2026-12-04T05:11:08.046" from vipd; both local time).
ms_of() { date -d "$1" +%s%3N; }


# One failover; prints "GAP VIP VIPD_PART LOST" in ms (nothing when the lab
# did not settle).
one_run() {
  lab_init
  sl_up > /dev/null || { lab_reset; return; }
  sleep 2
  local kill_ms; kill_ms=$(lab_now_ms)
  lab_redis_kill a
  local new=""
  new_master() { new=$(sl_host_of "$(sl_sentinel_master b)"); [ -n "$new" ] && [ "$new" != a ]; }
  lab_wait 300 0.1 new_master && lab_wait 100 0.1 sl_vip_on "$new" || { lab_reset; return; }
  sleep 2
  kill "$SL_WRITER" 2>/dev/null
  local h stamps=()
  for h in "${SL_HOSTS[@]}"; do
    local line; line=$(grep -m1 '+switch-master' "$LAB_DIR/$h/sentinel.log") || continue
    # "PID:X 04 Dec 2026 05:07:42.264 # +switch-master ..." -> the date part
    stamps+=("$(ms_of "$(awk '{ print $2, $3, $4, $5 }' <<<"$line")")")
  done
  [ "${#stamps[@]}" -ge 2 ] || { lab_reset; return; }
  local switch_ms; switch_ms=$(printf '%s\n' "${stamps[@]}" | sort -n | sed -n 2p)
  local vip_line; vip_line=$(grep -m1 'vip-add' "$LAB_DIR/$new/vipd.log")
  local vip_ms; vip_ms=$(ms_of "$(awk '{ print $1 }' <<<"$vip_line")")
  local gone_ms; gone_ms=$kill_ms
  local first_ms; first_ms=$(awk -v t="$switch_ms" '$2 > t { print $2; exit }' "$LAB_DIR/acks")
  awk -v t="$kill_ms" '$2 <= t { print $1 }' "$LAB_DIR/acks" | sort > "$LAB_DIR/before"
  lab_cli "$new" -p $LAB_PORT --scan --pattern 'w:*' | sed 's/^w://' | sort > "$LAB_DIR/present"
  local lost; lost=$(comm -23 "$LAB_DIR/before" "$LAB_DIR/present" | wc -l)
  [ -n "$first_ms" ] && echo "$(lab_write_gap "$gone_ms") $((vip_ms - switch_ms)) $((first_ms - switch_ms)) $lost"
  lab_reset
}

results=()
for ((run = 1; run <= RUNS; run++)); do
  r=$(one_run 2>/dev/null | tail -1)
  [ -n "$r" ] && results+=("$r")
  echo "  run $run: ${r:-no result} (gap_ms vip_ms vipd_part_ms lost)" >&2
done
col() { printf '%s\n' "${results[@]}" | awk -v c="$1" '{ print $c }' | median; }
echo "leader = sentinel, kill -9 of the master's Redis, ${#results[@]} of $RUNS runs (medians):"
echo "  write gap                        $(col 1) ms (Sentinel down-after-milliseconds 1000 included)"
echo "  vip-add after the majority's +switch-master        $(col 2) ms"
echo "  first write answered after it (vipd's part)        $(col 3) ms (goal < 50)"
echo "  acknowledged writes lost (before the kill)          $(col 4)"
