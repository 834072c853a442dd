# shellcheck shell=bash
# The resident checks' fail-safe (issue 9), with the seeds-003-pair
# track-file/ variant: a's vip-notify stops checking, then a's Redis dies
# unnoticed by it; keepalived must not keep the VIP on a.
#   stopped  SIGSTOP of a's reader, the child of vip-notify that checks. Its
#            supervisor misses the heartbeat for 5 s, writes 1 to the track
#            files (a goes FAULT) and restarts the reader.
#   killed   kill -9 of both vip-notify processes on a (supervisor and
#            reader): nobody writes the files any more, and they still say
#            "healthy"; the backstop vrrp_script (every 5 s, fall 2) puts a
#            in FAULT.
# Then b holds the VIP alone, its Redis is master, the client's writes
# resume, and every write acknowledged through the VIP is on b.
# It also prints whether keepalived 2.2.7 sends a priority-0 advert when the
# master leaves for FAULT (issue 9 asks; vipkit-vrrptool listens on c).
#
# Usage: run_watcher_lost_scenario stopped|killed

source "$(dirname "${BASH_SOURCE[0]}")/failover_scenario.sh"

run_watcher_lost_scenario() {
  local how=$1 bound
  seeds003_lab track-file,preempt
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 20 --timeout-ms 200 --duration-ms 120000
  local writer=$LAB_LAST_PID
  check "client writes through the VIP" lab_wait 50 0.2 acked_after 0
  check "a's track files say healthy" \
    eval '[ "$(cat "$LAB_DIR/a/state/track/redis_16465.alive")" = 0 ] && [ "$(cat "$LAB_DIR/a/state/track/redis_16465.eligible")" = 0 ]'

  local supervisor reader
  supervisor=$(ka_notify_pid a)
  reader=$(ps -o pid=,comm= --ppid "${supervisor:-0}" | awk '$2 == "vip-notify" { print $1 }')
  check "a's vip-notify runs as a supervisor (${supervisor:-none}) and a reader (${reader:-none})" \
    test -n "$supervisor" -a -n "$reader"
  # Every advert on the segment from now on, decoded (bounded: 60 s).
  lab_bg c "$LAB_DIR/adverts" "$LAB_DIR/bin/vipkit-vrrptool" listen eth0 --version 2 --vrid 52 \
    --pass 1111 --interval-ms 1000 --count 1000 --timeout-ms 60000
  case $how in
    # The supervisor's stall bound (5 s), then one advert interval.
    stopped) kill -STOP "$reader"; bound=100 ;;
    # The backstop: two failed checks 5 s apart, the first up to 5 s away.
    killed) kill -9 "$supervisor" "$reader"; bound=200 ;;
  esac
  local kill_ms; kill_ms=$(lab_now_ms)
  lab_redis_kill a
  check "the VIP leaves a for b" lab_wait "$bound" 0.1 lab_vip_on b
  echo "# VIP on b alone $(($(lab_now_ms) - kill_ms)) ms after a's Redis died (vip-notify $how)"
  check "b is master" lab_wait 50 0.2 eval '[ "$(lab_role b $PORT)" = master ]'
  check "b is writable through the VIP" lab_wait 50 0.2 writable_through_vip
  check "client writes resume" lab_wait 100 0.2 acked_after "$kill_ms"
  if [ "$how" = stopped ]; then
    check "the stopped reader was replaced" \
      lab_wait 50 0.1 eval '[ -n "$(ps -o pid= --ppid "$supervisor")" ] && lab_gone "$reader"'
  fi
  sleep 1
  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  check "every acknowledged write is on b" all_acked_present b

  # A measurement, not a check: what keepalived sent when a left for FAULT.
  if grep -q "prio=0 .*src=${LAB_ADDR[a]} " "$LAB_DIR/adverts"; then
    echo "# keepalived on a sent a priority-0 advert when it left for FAULT"
  else
    echo "# keepalived on a sent no priority-0 advert when it left for FAULT"
  fi
  if [ "$CHECK_FAILS" -gt 0 ]; then
    tail -n 30 "$LAB_DIR/a/keepalived.log" "$LAB_DIR/b/keepalived.log"
    cat "$LAB_DIR/adverts"
  fi
  check_summary
}
