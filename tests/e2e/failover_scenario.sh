# shellcheck shell=bash
# The seeds/003 failover, end to end, with the keepalived-examples/seeds-003-pair
# configuration: two Redis hosts (a, b) and a client (c) in network
# namespaces, real keepalived driving vip-check and vip-notify --fifo.
#
#   1. a holds the VIP, b replicates; a client writes through the VIP.
#   2. kill -9 a's Redis -> the VIP moves to b, b is a writable master, the
#      client's writes resume.
#   3. a's Redis restarts empty (no persistence) -> a never holds the VIP while
#      empty, becomes b's replica; with preemption it takes the VIP back only
#      after resyncing (coordinated takeover), with nopreempt it stays backup.
#   4. every write acknowledged through the VIP is on the final master.
#   5. the password is never on any process's command line.
#
# Usage: run_failover_scenario preempt|nopreempt

PORT=16465

password_hidden() {
  local f
  for f in /proc/[0-9]*/cmdline; do
    # A process may exit while we look: unreadable means gone.
    # grep -f: the pattern itself must not be on grep's own command line.
    if { tr '\0' ' ' < "$f"; } 2>/dev/null | grep -qFf "$LAB_DIR/redis.pass"; then
      echo "password found in $f" >&2
      return 1
    fi
  done
  return 0
}

linked_replica_of() {  # HOST MASTER_HOST
  local info; info=$(lab_cli "$1" -p $PORT INFO replication)
  grep -q "^role:slave" <<<"$info" && grep -q "^master_host:${LAB_ADDR[$2]}" <<<"$info" &&
    grep -q "^master_link_status:up" <<<"$info"
}

writable_through_vip() { [ "$(lab_cli c -h "$LAB_VIP" -p $PORT SET e2e:probe 1)" = OK ]; }

acked_after() {  # MS: the writer acknowledged a write after this time
  [ -s "$LAB_DIR/acks" ] || return 1
  awk -v t="$1" '$2 > t { found = 1 } END { exit !found }' "$LAB_DIR/acks"
}

# Watch for up to SECONDS: the VIP must never be on a while a's Redis is an
# empty master. Returns when a is a linked replica of b.
watch_returning_node() {
  local deadline=$((SECONDS + $1)) holders role size
  while ((SECONDS < deadline)); do
    holders=$(lab_vip_holders)
    role=$(lab_role a $PORT)
    size=$(lab_dbsize a $PORT)
    if [[ " $holders " == *" a "* && $role == master && $size == 0 ]]; then
      echo "VIP on a while a is an empty master" >&2
      return 2
    fi
    linked_replica_of a b && return 0
    sleep 0.2
  done
  return 1
}

all_acked_present() {  # HOST [SINCE_MS]: every key acknowledged (after SINCE_MS) is on HOST's Redis
  local acked present lost
  read -r acked present lost < <(lab_lost_writes "$1" "${2:-0}")
  echo "# acknowledged=$acked present=$present lost=$lost"
  [ "$lost" -eq 0 ]
}

prefill_present() {  # HOST
  [ "$(lab_cli "$1" -p $PORT --scan --pattern 'pre:*' | wc -l)" -eq 100 ]
}

# The seeds-003-pair lab in its steady state: a master holding the VIP, b its
# linked replica, keepalived with the example configuration on both
# (VARIANT: lab_install_example's, e.g. nopreempt).
seeds003_pair_up() {
  local example=$VIPKIT_ROOT/keepalived-examples/seeds-003-pair variant=${1:-}
  lab_up a b c
  lab_install_example "$example" a "$variant"
  lab_install_example "$example" b "$variant"
  lab_redis_start a $PORT
  lab_redis_start b $PORT "replicaof ${LAB_ADDR[a]} $PORT"
  lab_keepalived_start a
  # nopreempt: the first master-down timer to run out wins for good (see
  # run_failover_scenario): b starts once a holds the VIP.
  [[ ",$variant," == *,nopreempt,* ]] && lab_wait 100 0.2 lab_vip_on a
  lab_keepalived_start b
  check "VIP on a" lab_wait 100 0.2 lab_vip_on a
  check "b is a linked replica of a" lab_wait 50 0.2 linked_replica_of b a
}

# A seeds-003-pair lab for one test script, torn down when the script exits.
seeds003_lab() { lab_session; seeds003_pair_up "$@"; }
# keepalived's VRRP process on HOST, and the vip-notify --fifo it started.
ka_vrrp_pid() { cat "$LAB_DIR/$1/vrrp.pid"; }
ka_notify_pid() { ps -o pid=,comm= --ppid "$(ka_vrrp_pid "$1")" | awk '$2 == "vip-notify" { print $1 }'; }

# The vipd pair of tests/lib/lab.sh (VRRPv3, 100 ms adverts and health
# checks) in its steady state: a master holding the VIP, b its linked replica.
# KEY=VALUE arguments go to both hosts' configs, "{addr}" replaced by the
# host's own address.
vipd_pair_up() {
  lab_require_vipd
  lab_up a b c
  local h
  for h in a b; do lab_vipd_conf "$h" "${@//\{addr\}/${LAB_ADDR[$h]}}"; done
  lab_redis_start a $PORT
  lab_redis_start b $PORT "replicaof ${LAB_ADDR[a]} $PORT"
  lab_vipd_start a
  lab_vipd_start b
  check "VIP on a" lab_wait 100 0.2 lab_vip_on a
  check "b is a linked replica of a" lab_wait 50 0.2 linked_replica_of b a
}

run_failover_scenario() {
  local variant=$1
  lab_session
  local EXAMPLE=$VIPKIT_ROOT/keepalived-examples/seeds-003-pair
  lab_up a b c
  lab_install_example "$EXAMPLE" a "$variant"
  lab_install_example "$EXAMPLE" b "$variant"

  lab_redis_start a $PORT
  lab_redis_start b $PORT "replicaof ${LAB_ADDR[a]} $PORT"
  local i
  for i in $(seq 1 100); do echo "SET pre:$i $i"; done | lab_cli a -p $PORT > /dev/null
  lab_keepalived_start a
  # nopreempt: both start BACKUP and the first master-down timer to run out
  # wins for good; a's lead is only its shorter skew (3.609 vs 3.648 s),
  # less than start-up jitter. Start b once a holds the VIP.
  [[ ",$variant," == *,nopreempt,* ]] && lab_wait 100 0.2 lab_vip_on a
  lab_keepalived_start b

  check "VIP on a only" lab_wait 100 0.2 lab_vip_on a
  check "b is a linked replica of a" lab_wait 50 0.2 linked_replica_of b a

  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 20 --timeout-ms 200 --duration-ms 150000
  local writer=$LAB_LAST_PID
  check "client writes through the VIP" lab_wait 50 0.2 acked_after 0

  check "password on no command line (steady state)" password_hidden

  local kill_ms; kill_ms=$(lab_now_ms)
  lab_redis_kill a
  check "VIP moves to b only" lab_wait 150 0.2 lab_vip_on b
  check "b is master" lab_wait 50 0.2 eval '[ "$(lab_role b $PORT)" = master ]'
  check "b is writable through the VIP" lab_wait 50 0.2 writable_through_vip
  check "client writes resume after the kill" lab_wait 100 0.2 acked_after "$kill_ms"
  local resumed_ms; resumed_ms=$(lab_now_ms)
  check "client writes on b" lab_wait 100 0.2 acked_after "$resumed_ms"
  echo "# write gap after kill -9: $(lab_write_gap "$kill_ms") ms"
  check "password on no command line (after failover)" password_hidden

  # a comes back empty: its config has no replicaof (it was the master).
  lab_redis_start a $PORT
  watch_returning_node 60
  local rc=$?
  check "a never held the VIP while empty" test $rc -ne 2
  check "a became a linked replica of b" test $rc -eq 0

  if [[ ",$variant," == *,nopreempt,* ]]; then
    sleep 5
    check "nopreempt: VIP stays on b" lab_vip_on b
    check "nopreempt: b still master" eval '[ "$(lab_role b $PORT)" = master ]'
    final=b
  else
    check "preempt: VIP back on a after resync" lab_wait 150 0.2 lab_vip_on a
    check "preempt: a is master" lab_wait 50 0.2 eval '[ "$(lab_role a $PORT)" = master ]'
    check "preempt: b follows a" lab_wait 100 0.2 linked_replica_of b a
    final=a
  fi
  sleep 1
  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  check "client writes after the switch back" acked_after "$kill_ms"
  check "every acknowledged write is on the final master ($final)" all_acked_present $final
  check "the data from before the failover survived" prefill_present $final
  check "password on no command line (end)" password_hidden

  if [ "$CHECK_FAILS" -gt 0 ]; then
    echo "--- logs (a, b) ---"
    tail -n 40 "$LAB_DIR/a/keepalived.log" "$LAB_DIR/b/keepalived.log" "$LAB_DIR/writer.log"
    cat "$LAB_DIR"/*/state/*.json 2>/dev/null | grep -E '"(action|reason|result|state)"' | tail -40
  fi
  check_summary
}
