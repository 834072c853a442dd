# shellcheck shell=bash
# The master's Redis is killed and comes back empty *before* the failover
# (a fast auto-restart without persistence): its replica must keep its data
# (the replica guard holds it, ha/replica_guard.hpp), the VIP must go to the
# data, and the old master must follow it. Every write the replica had
# acknowledged (WAIT) must be on the final master.
#
# Usage: run_master_back_empty keepalived|vipd

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/partition_scenario.sh"

run_master_back_empty() {
  local mover=$1
  lab_session
  if [ "$mover" = vipd ]; then vipd_pair_up; else seeds003_pair_up; fi
  local i
  for i in $(seq 1 100); do echo "SET pre:$i $i"; done | lab_cli a -p $PORT > /dev/null
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 20 --timeout-ms 200 --wait-replicas 1 --wait-ms 100 --duration-ms 120000
  local writer=$LAB_LAST_PID
  check "client writes through the VIP" lab_wait 50 0.2 acked_after 0
  sleep 2
  lab_wait 50 0.1 linked_replica_of b a
  local kill_ms; kill_ms=$(lab_now_ms)
  lab_redis_kill a
  # Back empty at once: well before keepalived (3-4 s) or vipd (~400 ms)
  # would have failed over, but after the guard's first look (100 ms).
  sleep 0.3
  lab_redis_start a $PORT
  echo "# a's Redis back empty $(($(lab_now_ms) - kill_ms)) ms after the kill"
  check "the VIP goes to b, the data" lab_wait 150 0.2 lab_vip_on b
  check "b is master" lab_wait 50 0.2 eval '[ "$(lab_role b $PORT)" = master ]'
  check "b kept its data (no full sync from the empty a)" test "$(lab_dbsize b $PORT)" -gt 100
  check "a follows b" lab_wait 150 0.2 linked_replica_of a b
  check "client writes resume" lab_wait 100 0.2 acked_after "$(lab_now_ms)"
  # Preemption may take the role back to a once it has resynced: wait for
  # the pair to settle, then judge the final master.
  local final
  final=$(settled_stably) || final=b
  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  awk '$3 == "R" { print $1 }' "$LAB_DIR/acks" | sort > "$LAB_DIR/acked_r"
  lab_cli "$final" -p $PORT --scan --pattern 'w:*' | sed 's/^w://' | sort > "$LAB_DIR/present"
  echo "# replicated acks $(wc -l < "$LAB_DIR/acked_r"), plain $(awk '$3 == "P"' "$LAB_DIR/acks" | wc -l); final master $final"
  check "every replicated ack is on the final master ($final)" \
    test "$(comm -23 "$LAB_DIR/acked_r" "$LAB_DIR/present" | wc -l)" -eq 0
  check "the data from before the kill survived" prefill_present "$final"
  local other=${LAB_OTHER[$final]}
  check "the final master is not held" test -z "$(lab_cli "$final" -p $PORT CONFIG GET masteruser | sed -n 2p)"
  check "its replica is armed (ha/replica_guard.hpp)" \
    lab_wait 20 0.1 eval '[ "$(lab_cli "$other" -p $PORT CONFIG GET masteruser | sed -n 2p)" = vipkit-hold ]'
  if [ "$CHECK_FAILS" -gt 0 ]; then
    tail -n 30 "$LAB_DIR"/a/{keepalived,vipd}.log "$LAB_DIR"/b/{keepalived,vipd}.log "$LAB_DIR/writer.log" 2>/dev/null
    cat "$LAB_DIR"/*/state/*.json 2>/dev/null | grep -E '"(action|reason|result|state)"' | tail -40
  fi
  check_summary
}
