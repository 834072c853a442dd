#!/usr/bin/env bash
# Both nodes start as keepalived `state BACKUP` (both notify BACKUP at start):
# no replication loop, no data wiped, one master holding the VIP.
#   phase 1: a is a master with data, b its replica.
#   phase 2: a is a master with data, b an *empty master* (e.g. restarted
#            without persistence) with the higher priority: b must not win
#            the VIP, must end as a's replica, and a's data must survive.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"

other() { [ "$1" = a ] && echo b || echo a; }

# The pair is settled: exactly one VIP holder, its Redis a master, the other
# node its linked replica. Also fails (2) the moment a node holds the VIP
# while its Redis is an empty master.
settled() {
  local holders h
  holders=$(lab_vip_holders)
  for h in $holders; do
    if [ "$(lab_role "$h" $PORT)" = master ] && [ "$(lab_dbsize "$h" $PORT)" = 0 ]; then
      echo "$h holds the VIP as an empty master" >&2
      return 2
    fi
  done
  [[ $holders == a || $holders == b ]] || return 1
  [ "$(lab_role "$holders" $PORT)" = master ] && linked_replica_of "$(other "$holders")" "$holders"
}

# Wait up to SECONDS for settled; 2 at once if an empty master got the VIP.
wait_settled() {
  local deadline=$((SECONDS + $1)) rc
  while ((SECONDS < deadline)); do
    settled; rc=$?
    [ $rc -ne 1 ] && return $rc
    sleep 0.2
  done
  return 1
}

no_loop() {
  # A loop shows as two replicas (each pointing at the other): never both.
  ! { [ "$(lab_role a $PORT)" = slave ] && [ "$(lab_role b $PORT)" = slave ]; }
}

run_phase() {
  local name=$1 b_extra=$2 b_priority=$3
  lab_init
  local EXAMPLE=$VIPKIT_ROOT/keepalived-examples/seeds-003-pair
  lab_up a b c
  lab_install_example "$EXAMPLE" a backup
  lab_install_example "$EXAMPLE" b backup
  sed -i "s/^\(\s*\)priority 90/\1priority $b_priority/" "$LAB_DIR/b/keepalived.conf"
  lab_redis_start a $PORT
  if [ -n "$b_extra" ]; then lab_redis_start b $PORT "$b_extra"; else lab_redis_start b $PORT; fi
  local i
  for i in $(seq 1 100); do echo "SET pre:$i $i"; done | lab_cli a -p $PORT > /dev/null
  lab_keepalived_start a
  lab_keepalived_start b

  wait_settled 60
  local rc=$?
  check "$name: no node held the VIP as an empty master" test $rc -ne 2
  check "$name: one master holds the VIP, the other is its linked replica" test $rc -eq 0
  # Let both notify handlers and a few reconcile passes run, then look again
  # (with preemption the VIP may move once more, by a zero-loss takeover).
  local t
  for t in $(seq 1 25); do
    no_loop || break
    sleep 0.2
  done
  check "$name: no replication loop" no_loop
  wait_settled 30
  check "$name: still settled" test $? -eq 0
  check "$name: a has its 100 keys" prefill_present a
  check "$name: b has a's 100 keys" prefill_present b
  check "$name: password on no command line" password_hidden
  lab_down
  LAB_PIDS=() LAB_NS=()
}

trap 'lab_down' EXIT
[ "${ONLY_PHASE2:-0}" = 1 ] || run_phase "replica b" "replicaof 192.0.2.11 $PORT" 90
# b outranks a (110 > 100): only --expect eligible (110 - 20 < 100) keeps the
# empty node from taking the VIP.
run_phase "empty master b, higher priority" "" 110
check_summary
