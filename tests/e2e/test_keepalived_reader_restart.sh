#!/usr/bin/env bash
# keepalived 2.2.7 never restarts a vrrp_notify_fifo_script that exits (it
# logs "vrrp notify fifo script terminated"): a dead FIFO reader would leave
# every later transition on its host unapplied. vip-notify --fifo supervises
# its reader (tools/vip-notify/fifo_supervisor.hpp). With the seeds-003-pair
# example: kill -9 of b's reader, then a's Redis dies: b's keepalived goes
# MASTER and the restarted reader must promote b's Redis, so that writes
# through the VIP work again.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"

seeds003_lab
# The process keepalived started is the supervisor; the reader is its child.
supervisor_pid() { ka_notify_pid "$1"; }
reader_pid() { ps -o pid=,comm= --ppid "$(supervisor_pid "$1")" | awk '$2 == "vip-notify" { print $1 }'; }

sup=$(supervisor_pid b); old=$(reader_pid b)
check "b's vip-notify runs as a supervisor ($sup) and a reader (${old:-none})" test -n "$sup" -a -n "$old"
kill -9 "$old"
check "the reader is restarted" lab_wait 50 0.1 eval 'new=$(reader_pid b); [ -n "$new" ] && [ "$new" != "$old" ]'
check "  by the same supervisor keepalived started" test "$(supervisor_pid b)" = "$sup"
check "  keepalived never saw its script end" eval '! grep -q "notify fifo script terminated" "$LAB_DIR/b/keepalived.log"'

echo "# a's Redis dies: b's keepalived goes MASTER"
t0=$(lab_now_ms)
lab_redis_kill a $PORT
check "the VIP moves to b" lab_wait 100 0.1 lab_vip_on b
check "the restarted reader promoted b's Redis" lab_wait 100 0.1 eval '[ "$(lab_role b $PORT)" = master ]'
check "writes through the VIP work again" lab_wait 50 0.1 writable_through_vip
echo "# writable through the VIP $(($(lab_now_ms) - t0)) ms after a's Redis died"
check "b's keepalived still never saw its script end" \
  eval '! grep -q "notify fifo script terminated" "$LAB_DIR/b/keepalived.log"'

if [ "$CHECK_FAILS" -gt 0 ]; then tail -n 20 "$LAB_DIR/b/keepalived.log"; ls -la "$LAB_DIR/b/state"; fi
check_summary
