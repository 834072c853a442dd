#!/usr/bin/env bash
# vip-notify --fifo's resident checks (issue 9) against real redis-server:
# one reader, two instance files with track-dir (hm: the master m, hr: its
# replica r). The track files (0 healthy, 1 failing) must say what vip-check
# would, flip within a check or two of the condition, never flip on a healthy
# pair, and never keep saying "healthy" once the watcher is gone or stuck.
# Checks every 200 ms, rise 2, fall 2, timeout 300 ms.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
NOTIFY=$VIPKIT_BIN/vip-notify
T=$RT_DIR/track

rt_fresh_pair m r
for pair in "hm m r" "hr r m"; do
  set -- $pair
  rt_instance_conf "$RT_DIR/conf.d/$1.conf" "$2" "$3" "track-dir = \"$T\"" "track-interval-ms = 200" \
    "track-rise = 2" "track-fall = 2" "timeout = 300"
done
mkfifo "$RT_DIR/fifo"
"$NOTIFY" --fifo --config-dir "$RT_DIR/conf.d" --reconcile-ms 500 --no-syslog "$RT_DIR/fifo" \
  > "$RT_DIR/fifo.log" 2>&1 &
SUP_PID=$!; RT_PIDS+=($SUP_PID)
exec 7> "$RT_DIR/fifo"   # keepalived's end, held open
val() { cat "$T/$1" 2>/dev/null; }
is() { [ "$(val "$1")" = "$2" ]; }   # FILE VALUE
reader_pid() { ps -o pid= --ppid "$SUP_PID" | tr -d ' ' | head -1; }
# The time until FILE says VALUE, in ms, or fail after 5 s.
flip_ms() {
  local t0 i; t0=$(date +%s%3N)
  for ((i = 0; i < 500; i++)); do is "$1" "$2" && { echo $(($(date +%s%3N) - t0)); return 0; }; sleep 0.01; done
  return 1
}
check_flip() {  # LABEL FILE VALUE MAX_MS
  local ms; ms=$(flip_ms "$2" "$3")
  if [ -n "$ms" ] && [ "$ms" -le "$4" ]; then ok "$1 (${ms} ms)"; else not_ok "$1 (${ms:-never} ms, at most $4)"; fi
}

check "the four files appear, all healthy after rise" \
  rt_wait 50 0.1 eval 'is hm.alive 0 && is hm.eligible 0 && is hr.alive 0 && is hr.eligible 0'
check "files are world-readable (keepalived reads them)" test "$(stat -c %a "$T/hm.alive")" = 644

echo "# a healthy pair for 3 s: not one flip"
before=$(grep -c "track-check " "$RT_DIR/fifo.log")
for ((i = 0; i < 30; i++)); do
  is hm.alive 0 && is hm.eligible 0 && is hr.alive 0 && is hr.eligible 0 || break
  sleep 0.1
done
check "all four stayed 0 at every look" test "$i" = 30
check "  and nothing was logged as a flip" test "$(grep -c "track-check " "$RT_DIR/fifo.log")" = "$before"

echo "# the replica's link goes down"
rt_cli r REPLICAOF 127.0.0.1 1 > /dev/null   # nothing listens there
check_flip "hr.eligible goes 1 within fall (2) checks" hr.eligible 1 1000
check "  hr.alive stays 0" is hr.alive 0
rt_cli r REPLICAOF 127.0.0.1 "${RT_PORT[m]}" > /dev/null
check_flip "  and back to 0 once it is linked again" hr.eligible 0 3000

echo "# the replica is SIGSTOP'd (a hung Redis)"
kill -STOP "${RT_PID[r]}"
check_flip "hr.alive goes 1 within fall x (interval + timeout)" hr.alive 1 1500
kill -CONT "${RT_PID[r]}"
check_flip "  and back once it answers" hr.alive 0 2000

echo "# the master's Redis is killed"
rt_kill m
check_flip "hm.alive goes 1 at once (its connection closed)" hm.alive 1 300
check "  hm.eligible too" is hm.eligible 1
sleep 1
check "the replica stays eligible: its master is gone (the failover case)" is hr.eligible 0

echo "# r promoted; m restarts empty as a master"
rt_cli r REPLICAOF NO ONE > /dev/null
rt_redis_start m 7>&-   # not keepalived: it must not hold the FIFO open
check_flip "hr eligible again (master, peer empty)" hr.eligible 0 3000
check "hm alive (it answers)" rt_wait 30 0.1 is hm.alive 0
check "hm not eligible: empty while the peer is a master with data" is hm.eligible 1
sleep 1
check "  and stays so" is hm.eligible 1
rt_cli m REPLICAOF 127.0.0.1 "${RT_PORT[r]}" > /dev/null
check_flip "hm eligible once it has resynced from r" hm.eligible 0 5000

echo "# the reader (and its checks) killed -9"
old=$(reader_pid)
kill -9 "$old"
check_flip "the supervisor raises the files at once" hm.alive 1 500
check "  all of them" eval 'is hm.eligible 1 && is hr.alive 1 && is hr.eligible 1'
check "a new reader runs" rt_wait 50 0.1 eval 'new=$(reader_pid); [ -n "$new" ] && [ "$new" != "$old" ]'
check_flip "  and its checks bring the files back to 0" hr.alive 0 3000
check "  all of them" rt_wait 30 0.1 eval 'is hm.alive 0 && is hm.eligible 0 && is hr.eligible 0'

echo "# the reader SIGSTOP'd: its checks stop"
old=$(reader_pid)
kill -STOP "$old"
check_flip "the files are raised once the heartbeat is 5 s late" hr.alive 1 7000
check "the stuck reader is replaced" rt_wait 50 0.1 eval 'new=$(reader_pid); [ -n "$new" ] && [ "$new" != "$old" ]'
check_flip "  and the new one's checks bring the files back" hr.alive 0 3000

echo "# the FIFO closes (keepalived stops): the reader and its supervisor end"
exec 7>&-
check "vip-notify exits" rt_wait 50 0.1 eval '! kill -0 $SUP_PID 2>/dev/null'

if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- fifo log"; tail -n 40 "$RT_DIR/fifo.log"; ls -la "$T"; fi
check_summary
