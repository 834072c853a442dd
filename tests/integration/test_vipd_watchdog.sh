#!/usr/bin/env bash
# vipd speaks systemd's notification protocol (sd_notify(3)) without systemd:
# a Python reader stands in for systemd's socket and records what arrives.
#   - NOTIFY_SOCKET a path, WATCHDOG_USEC 400 ms: READY=1 first, then
#     WATCHDOG=1 every ~200 ms (half the timeout) from the event loop;
#   - SIGSTOP: the pings stop (what systemd's WatchdogSec= acts on); SIGCONT:
#     they resume; SIGTERM: STOPPING=1, exit 0;
#   - NOTIFY_SOCKET "@name" (abstract namespace): READY=1 and pings arrive;
#   - WATCHDOG_PID naming another process: READY=1, no ping;
#   - a bad WATCHDOG_USEC: one line naming it, exit 1, nothing sent.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
lab_session
lab_require_vipd
command -v python3 >/dev/null || lab_skip "python3 not installed"
lab_up a
lab_redis_start a $LAB_PORT
lab_vipd_conf a
OUT=$LAB_DIR/notify.log

# reader NAME: the stand-in for systemd's socket, inside host a (an abstract
# name belongs to a network namespace), for at most 60 s.
reader() {
  : > "$OUT"
  [[ $1 == /* ]] && rm -f "$1"
  lab_bg a "$LAB_DIR/reader.err" python3 "$here/../lib/notify_reader.py" "$1" "$OUT" 60
  READER=$LAB_LAST_PID
  lab_wait 50 0.1 grep -q bound "$OUT"
}
stop_reader() { kill "$READER" 2>/dev/null; lab_wait 20 0.1 lab_gone "$READER"; }
count() { grep -c " $1\$" "$OUT"; }
# The gaps between consecutive WATCHDOG=1 lines, in ms.
ping_gaps() { awk '$2 == "WATCHDOG=1" { if (t) print $1 - t; t = $1 }' "$OUT"; }

echo "# NOTIFY_SOCKET a path, WATCHDOG_USEC=400000"
reader "$LAB_DIR/notify.sock"
NOTIFY_SOCKET=$LAB_DIR/notify.sock WATCHDOG_USEC=400000 lab_vipd_start a
PID=${LAB_VIPD_PID[a]}
check "READY=1 arrives" lab_wait 50 0.1 grep -q ' READY=1$' "$OUT"
check "READY=1 is the first message" test "$(sed -n 2p "$OUT" | cut -d' ' -f2)" = READY=1
check "WATCHDOG=1 pings follow" lab_wait 30 0.1 eval '[ "$(count WATCHDOG=1)" -ge 5 ]'
gaps=$(ping_gaps | tr '\n' ' ')
echo "# gaps between pings: $gaps ms"
check "pings every ~200 ms (150..300)" eval "ping_gaps | awk '\$1 < 150 || \$1 > 300 { bad = 1 } END { exit bad }'"

echo "# SIGSTOP: no more pings"
kill -STOP "$PID"
sleep 0.3  # a datagram already sent may still be read
before=$(count WATCHDOG=1)
sleep 1.2
check "no ping in 1.2 s while stopped (3 would be due)" test "$(count WATCHDOG=1)" = "$before"
kill -CONT "$PID"
check "pings resume after SIGCONT" lab_wait 20 0.1 eval '[ "$(count WATCHDOG=1)" -gt "$before" ]'
lab_vipd_stop a
check "STOPPING=1 at SIGTERM" lab_wait 20 0.1 grep -q ' STOPPING=1$' "$OUT"
wait "$PID" 2>/dev/null; check "vipd exited" lab_gone "$PID"
check "start line names the watchdog" grep -q 'systemd-notify instance=redis_16465 socket=.*notify.sock watchdog_ms=400 ping_ms=200' "$LAB_DIR/a/vipd.log"
stop_reader

echo "# NOTIFY_SOCKET @abstract"
reader "@vklab-notify-$$"
NOTIFY_SOCKET=@vklab-notify-$$ WATCHDOG_USEC=400000 lab_vipd_start a
check "READY=1 over an abstract socket" lab_wait 50 0.1 grep -q ' READY=1$' "$OUT"
check "  and pings" lab_wait 30 0.1 eval '[ "$(count WATCHDOG=1)" -ge 2 ]'
lab_vipd_stop a
stop_reader

echo "# WATCHDOG_PID of another process"
reader "$LAB_DIR/notify.sock"
NOTIFY_SOCKET=$LAB_DIR/notify.sock WATCHDOG_USEC=400000 WATCHDOG_PID=1 lab_vipd_start a
check "READY=1" lab_wait 50 0.1 grep -q ' READY=1$' "$OUT"
sleep 1
check "no ping: the watchdog is not ours" test "$(count WATCHDOG=1)" = 0
lab_vipd_stop a
stop_reader

echo "# a bad WATCHDOG_USEC"
out=$(NOTIFY_SOCKET=$LAB_DIR/notify.sock WATCHDOG_USEC=2s timeout 10 \
  ip netns exec "$(lab_ns a)" "$LAB_DIR/bin/vipd" --config "$LAB_DIR/a/vipd.conf" 2>&1)
code=$?
echo "# $out"
check "exit 1" test "$code" = 1
check "one start-failed line naming the variable" eval \
  '[ "$(grep -c . <<<"$out")" = 1 ] && grep -q "start-failed .*WATCHDOG_USEC=.2s.: must be a positive number of microseconds" <<<"$out"'
check_summary
