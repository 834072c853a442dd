#!/usr/bin/env bash
# Benchmark (figures, no assertions): how long clients cannot write when the
# master's Redis is killed with -9, and how many acknowledged writes are lost,
#   (a) keepalived + vip-check/vip-notify, keepalived-examples/seeds-003-pair
#       (adverts 1 s, checks every 1 s, fall 2)
#   (b) the same with the example's track-file/ variant: vip-notify's
#       resident checks through keepalived track_file, no probe forked
#   (c) vipd, 100 ms adverts (VRRPv3) and 100 ms health checks
# in the namespace lab (tests/lib/lab.sh): a client on c writes SET w:N
# through the VIP every 5 ms with a 50 ms timeout; the write gap is the
# client's longest pause between two acknowledged writes around the kill;
# "lost" counts writes acknowledged before the kill that the new master does
# not have. Median of RUNS runs (default 5). Then vipd's resident memory
# and CPU use while idle, with metrics off and on (scraped every second).
#   scripts/bench-failover.sh [RUNS]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${1:-5}
IDLE_SECONDS=${IDLE_SECONDS:-20}
[ "$(id -u)" -eq 0 ] || { echo "bench-failover: run as root (network namespaces)" >&2; exit 2; }
[ -x build/vrrp/vipd ] && [ -x build/tests/vipkit-writer ] || bash scripts/build.sh >/dev/null

export VIPKIT_BIN=$root/build/tools VIPKIT_ROOT=$root
source tests/lib/lab.sh
source tests/e2e/vipd_scenario.sh
trap lab_down EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }

# One lab: Redis a (master, 100 keys) and b (replica), the speakers of SETUP.
lab_for() {  # SETUP
  lab_init
  lab_up a b c
  start_redis_pair
  local h
  for h in a b; do
    if [ "$1" != vipd ]; then
      lab_install_example keepalived-examples/seeds-003-pair "$h" "$([ "$1" = track-file ] && echo track-file)"
      lab_keepalived_start "$h"
    else
      lab_vipd_conf "$h" ${VIPD_METRICS:+"metrics-listen=${LAB_ADDR[$h]}:9477"} \
        ${VIPD_TIMERS:+"advert-int-ms=$VIPD_TIMERS" "check-interval-ms=$VIPD_TIMERS"}
      lab_vipd_start "$h"
    fi
  done
  lab_wait 150 0.2 lab_vip_on a && lab_wait 100 0.2 linked_replica_of b a
}

lab_reset() { lab_down; LAB_PIDS=(); LAB_NS=(); }

# One failover; prints "GAP_MS LOST" (or nothing when the lab did not settle).
one_run() {  # SETUP
  lab_for "$1" || { lab_reset; return; }
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 5 --timeout-ms 50 --duration-ms 60000
  local writer=$LAB_LAST_PID
  lab_wait 50 0.1 acked_after 0 && sleep 2
  local kill_ms; kill_ms=$(lab_now_ms)
  lab_redis_kill a
  # Writes acknowledged once b is master are b's (a is dead): the gap is closed.
  lab_wait 300 0.1 eval '[ "$(lab_role b $PORT)" = master ]'
  local resumed_ms; resumed_ms=$(lab_now_ms)
  lab_wait 300 0.1 acked_after "$resumed_ms"
  sleep 1
  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  awk -v t="$kill_ms" '$2 <= t { print $1 }' "$LAB_DIR/acks" | sort > "$LAB_DIR/before"
  lab_cli b -p $PORT --scan --pattern 'w:*' | sed 's/^w://' | sort > "$LAB_DIR/present"
  local lost; lost=$(comm -23 "$LAB_DIR/before" "$LAB_DIR/present" | wc -l)
  acked_after "$resumed_ms" && echo "$(lab_write_gap "$kill_ms") $lost"
  lab_reset
}

for setup in keepalived track-file vipd; do
  results=()
  for ((run = 1; run <= RUNS; run++)); do
    r=$(one_run $setup 2>/dev/null | tail -1)
    [ -n "$r" ] && results+=("$r")
    echo "  $setup run $run: ${r:-no result} (gap_ms lost)" >&2
  done
  gaps=$(printf '%s\n' "${results[@]}" | awk 'NF { print $1 }' | median)
  lost=$(printf '%s\n' "${results[@]}" | awk 'NF { print $2 }' | median)
  all=$(printf '%s\n' "${results[@]}" | awk 'NF { printf "%s%s", sep, $1; sep = " " }')
  case $setup in
    keepalived) label="(a) keepalived + vip-check/vip-notify, example timers" ;;
    track-file) label="(b) keepalived + resident checks (track-file/), same timers" ;;
    vipd) label="(c) vipd, 100 ms adverts + 100 ms checks" ;;
  esac
  printf '%-62s write gap median %5s ms (runs: %s)  lost median %s\n' "$label" "$gaps" "$all" "$lost"
done

# vipd idle, without metrics and with metrics-listen scraped every second
# from c (curl, as a Prometheus would), at the example's 100 ms adverts and
# checks and at 1 s: RSS and CPU of each vipd. RSS counts every page of the
# shared libraries that vipd touched (libc, libstdc++, ...: shared with
# every other process that maps them); PSS divides those among their users,
# and "private" is vipd's own (heap, stacks): the memory it really adds.
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
idle_figures() {  # LABEL
  local h pid used threads
  local -A t0
  for h in a b; do t0[$h]=$(cpu_ticks "${LAB_VIPD_PID[$h]}"); done
  sleep "$IDLE_SECONDS"
  for h in a b; do
    pid=${LAB_VIPD_PID[$h]}
    used=$(( $(cpu_ticks "$pid") - t0[$h] ))
    threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
    awk -v h="$h" -v s="$(lab_status $h 's["state"]')" -v t="$used" -v hz="$ticks" \
        -v secs="$IDLE_SECONDS" -v th="$threads" -v label="$1" '
      /^Rss:/ { rss = $2 } /^Pss:/ { pss = $2 } /^Private_(Clean|Dirty):/ { own += $2 }
      END { printf "  %s, %s (%s): RSS %.1f MiB (PSS %.1f, private %.1f), CPU %.2f %% (%.1f ms per s), %d threads\n",
              label, h, s, rss / 1024, pss / 1024, own / 1024, 100 * t / hz / secs, 1000 * t / hz / secs, th }' \
        "/proc/$pid/smaps_rollup"
  done
}
scrape_every_second() {
  lab_bg c "$LAB_DIR/scraper.log" bash -c "while sleep 1; do
    for a in ${LAB_ADDR[a]} ${LAB_ADDR[b]}; do curl -s --max-time 1 -o /dev/null http://\$a:9477/metrics; done; done"
}
for timers in 100 1000; do
  echo "vipd while idle (${IDLE_SECONDS} s, master and backup, ${timers} ms adverts and checks):"
  VIPD_TIMERS=$timers lab_for vipd >/dev/null 2>&1
  idle_figures "metrics off"
  lab_reset
  VIPD_TIMERS=$timers VIPD_METRICS=1 lab_for vipd >/dev/null 2>&1
  scrape_every_second
  idle_figures "metrics on, scraped every 1 s"
  lab_reset
done
