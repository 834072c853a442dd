# shellcheck shell=bash
# vipd <-> vipd, end to end: two Redis hosts (a at priority 100, b at 90) and
# a client (c) in network namespaces, each Redis host running vipd.
#
#   1. a holds the VIP (and only a), b replicates; a client writes through it.
#   2. kill -9 a's Redis -> a resigns at once, the VIP moves to b only, b is a
#      writable master, the client's writes resume.
#   3. a's Redis restarts empty -> never holds the VIP while empty, becomes
#      b's replica, then takes the VIP back (preemption, zero-loss takeover).
#   4. kill -9 a's vipd -> b takes the VIP (a's stays behind: -9 leaves it);
#      a restarted vipd removes the stale VIP before it advertises, rejoins.
#   5. SIGTERM a's vipd -> priority 0, VIP removed, clean exit, b takes over
#      after its skew time (reason master-resigned).
#   6. every write acknowledged since the Redis kill is on the final master,
#      and none from before it was lost either (asserted too).
#
# Usage: run_vipd_scenario 3 multicast | run_vipd_scenario 2 unicast

source "$(dirname "${BASH_SOURCE[0]}")/failover_scenario.sh"

holds_vip() { [[ " $(lab_vip_holders) " == *" $1 "* ]]; }
role_is() { [ "$(lab_role "$1" $PORT)" = "$2" ]; }

# The log lines of HOST's vipd since its Nth start.
vipd_log_since_start() {  # HOST N
  awk -v n="$2" '/ vipd info start instance=/ { starts++ } starts >= n' "$LAB_DIR/$1/vipd.log"
}

# The restarted vipd removed the stale VIP before any advert could leave:
# its vip-remove reason=stale comes before its first state change.
stale_vip_removed_first() {  # HOST
  local lines; lines=$(vipd_log_since_start "$1" 2)
  local removed changed
  removed=$(grep -n 'vip-remove .*reason=stale' <<<"$lines" | head -1 | cut -d: -f1)
  changed=$(grep -n 'state-change ' <<<"$lines" | head -1 | cut -d: -f1)
  [ -n "$removed" ] && { [ -z "$changed" ] || [ "$removed" -lt "$changed" ]; }
}

# --- steps shared with vipd_keepalived_scenario.sh --------------------------
# a is the first master (priority 100), b its replica (90), c the client.

# Redis on a (100 keys pre:*) and b (its replica).
start_redis_pair() {
  lab_redis_start a $PORT
  lab_redis_start b $PORT "replicaof ${LAB_ADDR[a]} $PORT"
  local i
  for i in $(seq 1 100); do echo "SET pre:$i $i"; done | lab_cli a -p $PORT > /dev/null
}

# The client on c writes through the VIP; its PID in WRITER.
start_writer() {
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 20 --timeout-ms 200 --duration-ms 300000
  WRITER=$LAB_LAST_PID
  check "client writes through the VIP" lab_wait 50 0.2 acked_after 0
}

# kill -9 a's Redis: the VIP moves to b only, b is master, writes resume.
# The kill time in KILL_MS.
kill_master_redis() {
  echo "# kill -9 of a's Redis"
  KILL_MS=$(lab_now_ms)
  lab_redis_kill a
  check "VIP moves to b only" lab_wait 150 0.1 lab_vip_on b
  check "b is master" lab_wait 100 0.1 role_is b master
  check "client writes resume after the kill" lab_wait 100 0.1 acked_after "$KILL_MS"
  local resumed_ms; resumed_ms=$(lab_now_ms)
  check "client writes on b" lab_wait 100 0.1 acked_after "$resumed_ms"
  echo "# write gap after kill -9 of the Redis: $(lab_write_gap "$KILL_MS") ms"
}

# a's Redis returns empty: never the VIP while empty, resyncs from b, then
# (preemption) takes the VIP back through the zero-loss takeover.
empty_master_returns() {
  echo "# a's Redis returns empty"
  lab_redis_start a $PORT
  watch_returning_node 90
  local rc=$?
  check "a never held the VIP while empty" test $rc -ne 2
  check "a became a linked replica of b" test $rc -eq 0
  check "preempt: VIP back on a only after resync" lab_wait 200 0.2 lab_vip_on a
  check "preempt: a is master, b follows a" lab_wait 150 0.2 eval 'role_is a master && linked_replica_of b a'
}

# kill -9 a's vipd: b takes the VIP (its speaker, whichever it is), a's
# stays behind; a restarted vipd removes it before advertising and, with
# the higher priority, takes the role back.
kill_master_vipd() {
  echo "# kill -9 of a's vipd"
  local speaker_ms; speaker_ms=$(lab_now_ms)
  lab_vipd_stop a KILL
  check "b takes the VIP" lab_wait 150 0.1 holds_vip b
  check "b is master (takeover from a's live Redis)" lab_wait 150 0.1 role_is b master
  check "a's VIP stays behind (killed with -9)" holds_vip a
  check "client writes resume after the speaker kill" lab_wait 150 0.1 acked_after "$speaker_ms"
  lab_vipd_start a
  check "restarted vipd removed the stale VIP before advertising" lab_wait 50 0.1 stale_vip_removed_first a
  check "restarted a takes the VIP back, the only holder" lab_wait 200 0.2 lab_vip_on a
  check "a is master again, b follows" lab_wait 150 0.2 eval 'role_is a master && linked_replica_of b a'
}

# Stop the client; every acknowledged write is on FINAL.
check_writes() {  # FINAL
  sleep 1
  kill "$WRITER" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$WRITER"
  check "every write acknowledged since the Redis kill is on $1" all_acked_present "$1" "$KILL_MS"
  check "every acknowledged write at all is on $1" all_acked_present "$1"
  check "the data from before the failover survived" prefill_present "$1"
}

run_vipd_scenario() {
  local version=$1 mode=$2
  lab_session
  lab_require_vipd
  lab_up a b c
  local common=(version=$version)
  if [ "$version" = 2 ]; then common+=(advert-int-ms=1000 auth-pass=1111); fi
  local h
  for h in a b; do
    if [ "$mode" = unicast ]; then
      lab_vipd_conf "$h" "${common[@]}" "unicast-peer=${LAB_ADDR[${LAB_OTHER[$h]}]}"
    else
      lab_vipd_conf "$h" "${common[@]}"
    fi
  done
  echo "# vipd v$version $mode"

  start_redis_pair
  lab_vipd_start a
  lab_vipd_start b
  check "VIP on a only" lab_wait 100 0.2 lab_vip_on a
  check "status: a master, b backup" lab_wait 50 0.2 eval 'lab_state_is a master && lab_state_is b backup'
  check "b is a linked replica of a" lab_wait 50 0.2 linked_replica_of b a
  start_writer
  kill_master_redis
  check "a is in fault (its Redis is dead)" lab_wait 50 0.1 lab_state_is a fault
  empty_master_returns
  kill_master_vipd

  echo "# SIGTERM to the master's vipd"
  local listener=""
  if [ "$mode" = multicast ]; then
    local listen=(listen eth0 --version "$version" --vrid 52 --count 400 --timeout-ms 8000)
    if [ "$version" = 2 ]; then listen+=(--interval-ms 1000 --pass 1111); else listen+=(--interval-ms 100); fi
    lab_bg c "$LAB_DIR/c/adverts.log" "$LAB_DIR/bin/vipkit-vrrptool" "${listen[@]}"
    listener=$LAB_LAST_PID
    sleep 0.5
  fi
  lab_vipd_stop a TERM
  check "a removed the VIP and exited cleanly" eval '! holds_vip a && grep -q "stop instance=.* reason=signal" "$LAB_DIR/a/vipd.log"'
  check "b takes over after a's priority 0 (master-resigned)" \
    lab_wait 100 0.1 eval 'lab_vip_on b && vipd_log_since_start b 1 | grep -q "to=master reason=master-resigned"'
  if [ -n "$listener" ]; then
    kill "$listener" 2>/dev/null
    lab_wait 50 0.1 lab_gone "$listener"
    check "the priority-0 advert was on the wire" grep -q "prio=0 .*src=${LAB_ADDR[a]} " "$LAB_DIR/c/adverts.log"
  fi
  check "b is master" lab_wait 100 0.1 role_is b master
  check_writes b

  if [ "$CHECK_FAILS" -gt 0 ]; then
    echo "--- logs (a, b) ---"
    tail -n 60 "$LAB_DIR/a/vipd.log" "$LAB_DIR/b/vipd.log" "$LAB_DIR/writer.log"
  fi
  check_summary
}
