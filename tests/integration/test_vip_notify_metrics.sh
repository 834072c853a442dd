#!/usr/bin/env bash
# vip-notify --fifo --metrics-listen (issue 11) against real redis-server:
# one reader, two instance files (hm: the master m with resident checks, hr:
# its replica r). The page must say what the reader saw and did (keepalived's
# last state, events, actions by result, skipped lines, the resident checks'
# verdicts, latency and the pair's replication), promtool must accept it, a
# hostile scraper must not delay a FIFO event, and a port that is taken must
# cost the metrics only, never the FIFO: retried at each reconcile pass.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
command -v curl > /dev/null || rt_skip "curl not installed (scripts/install-deps.sh)"
NOTIFY=$VIPKIT_BIN/vip-notify
ROOT=${VIPKIT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

echo "# usage errors: one line, exit 2"
out=$("$NOTIFY" --fifo --config-dir "$RT_DIR" --metrics-listen 127.0.0:9478 "$RT_DIR/none" 2>&1); rc=$?
check "a malformed address is refused (exit 2)" test "$rc" = 2
check "  in one line naming it" eval '[ "$(wc -l <<<"$out")" = 1 ] && grep -q "127.0.0:9478" <<<"$out"'
out=$("$NOTIFY" master --metrics-listen 127.0.0.1:9478 2>&1); rc=$?
check "--metrics-listen without --fifo is refused (exit 2)" test "$rc" = 2
check "  in one line" eval '[ "$(wc -l <<<"$out")" = 1 ] && grep -q -- "--fifo" <<<"$out"'

rt_fresh_pair m r
rt_instance_conf "$RT_DIR/conf.d/hm.conf" m r "track-dir = \"$RT_DIR/track\"" "track-interval-ms = 200" "timeout = 300"
rt_instance_conf "$RT_DIR/conf.d/hr.conf" r m
PORT=$(rt_free_port)
# The port is taken when the reader starts: the metrics wait, the FIFO does not.
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); open(sys.argv[2], "w").close(); time.sleep(30)' \
  "$PORT" "$RT_DIR/squatting" &
squatter=$!; RT_PIDS+=($squatter)
rt_wait 100 0.1 test -e "$RT_DIR/squatting" || not_ok "the squatter never listened"
mkfifo "$RT_DIR/fifo"
"$NOTIFY" --fifo --config-dir "$RT_DIR/conf.d" --reconcile-ms 500 --no-syslog --metrics-listen "127.0.0.1:$PORT" \
  "$RT_DIR/fifo" > "$RT_DIR/fifo.log" 2>&1 &
SUP_PID=$!; RT_PIDS+=($SUP_PID)
exec 7> "$RT_DIR/fifo"   # keepalived's end, held open
scrape() { curl -s --max-time 2 "http://127.0.0.1:$PORT/metrics"; }
value() { scrape | awk -v name="$1" '$1 == name { print $2 }'; }   # SAMPLE (name with labels)
logged() { grep -c "$1" "$RT_DIR/fifo.log"; }

check "the taken port is logged as one metrics-error" rt_wait 30 0.1 eval '[ "$(logged "metrics-error ")" = 1 ]'
echo 'INSTANCE "hr" BACKUP 90' >&7
check "  and a FIFO event is applied all the same" rt_wait 30 0.1 eval '[ "$(logged "instance=hr state=backup source=fifo")" -ge 1 ]'
kill "$squatter"; wait "$squatter" 2> /dev/null
check "once the port is free, the next reconcile pass serves it" rt_wait 40 0.1 eval 'scrape | grep -q "^# TYPE"'
check "  and says so in the log" test "$(logged "metrics-listen listen=127.0.0.1:$PORT")" = 1

page=$(scrape)
if command -v promtool > /dev/null; then
  check "promtool accepts the page" eval 'promtool check metrics <<<"$page"'
else
  echo "# promtool not installed: format not checked"
fi
check "hr: keepalived's state is backup (1)" test "$(value 'vipkit_vrrp_state{instance="hr"}')" = 1
check "hr: one event applied" test "$(value 'vipkit_notify_events_total{instance="hr"}')" = 1
check "hm: the resident checks' verdicts are up" \
  rt_wait 30 0.1 eval '[ "$(value "vipkit_healthy{instance=\"hm\",check=\"alive\"}")" = 1 ]'
check "hm: the local Redis is up, the peer is its linked replica" \
  eval '[ "$(value "vipkit_redis_up{instance=\"hm\",node=\"local\"}")" = 1 ] &&
        [ "$(value "vipkit_redis_master_link_up{instance=\"hm\",node=\"peer\"}")" = 1 ]'
check "hm: the replication lag is a number of bytes" \
  eval '[[ "$(value "vipkit_replication_lag_bytes{instance=\"hm\"}")" =~ ^[0-9]+$ ]]'
check "hm: the checks are timed (histogram count > 0)" \
  eval '[ "$(value "vipkit_health_check_duration_seconds_count{instance=\"hm\"}")" -gt 0 ] 2>/dev/null'

echo "# garbage and an action"
printf 'not a keepalived line\n' >&7
check "a skipped line is counted" rt_wait 30 0.1 eval '[ "$(value vipkit_notify_lines_skipped_total)" = 1 ]'
echo 'INSTANCE "hr" MASTER 100' >&7
check "MASTER on hr: applied" rt_wait 50 0.1 eval '[ "$(logged "instance=hr state=master source=fifo")" = 1 ]'
line=$(grep "instance=hr state=master source=fifo" "$RT_DIR/fifo.log" | head -1)
action=$(sed -n 's/.* \([a-z-]*\) instance=hr state=master.*/\1/p' <<<"$line")
result=$(sed -n 's/.* result=\([a-z-]*\).*/\1/p' <<<"$line")
echo "# logged: $action, $result"
check "  its action is counted as logged ($action, $result)" \
  eval '[ "$(value "vipkit_failover_actions_total{instance=\"hr\",action=\"$action\",result=\"$result\"}")" = 1 ]'
check "  keepalived's state for hr is master (2)" test "$(value 'vipkit_vrrp_state{instance="hr"}')" = 2

echo "# hostile scrapers: a FIFO event meanwhile is applied at once"
python3 "$ROOT/tests/lib/hostile_scraper.py" 127.0.0.1 "$PORT" > "$RT_DIR/hostile.log" 2>&1 &
hostile=$!; RT_PIDS+=($hostile)
sleep 0.5
t0=$(date +%s%3N)
echo 'INSTANCE "hm" BACKUP 90' >&7
rt_wait 100 0.01 eval '[ "$(logged "instance=hm state=backup source=fifo")" = 1 ]'
took=$(($(date +%s%3N) - t0))
echo "# the event took $took ms to be applied and logged under hostile scrapers"
check "  applied within 1 s" test "$took" -lt 1000
wait "$hostile"
cat "$RT_DIR/hostile.log" | sed 's/^/# hostile: /'
check "after them, a scrape is served again" rt_wait 30 0.1 eval 'scrape | grep -q "vipkit_notify_events_total{instance=\"hm\"} 1"'

exec 7>&-
check "the FIFO closed: vip-notify exits, its port with it" rt_wait 50 0.1 eval '! kill -0 $SUP_PID 2>/dev/null'
if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- fifo log"; tail -n 40 "$RT_DIR/fifo.log"; fi
check_summary
