#!/usr/bin/env bash
# Two masters of one forked history, against real redis-server: the fork
# point, the replay of each backlog past it (PSYNC), the tally of data vs
# non-data commands, and the decisions that rest on it (issue 8). Exact
# counts: a replay whose byte accounting were off would end at the timeout
# as incomplete and fail the "complete" checks.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
NOTIFY=$VIPKIT_BIN/vip-notify
CHECK=$VIPKIT_BIN/vip-check
STATE=$RT_DIR/state
divergence() {  # INSTANCE PATH: a field of the last transition's divergence record
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))["last"]["divergence"]
for k in sys.argv[2].split("."): d=d[k]
print(str(d).lower())' "$STATE/$1.json" "$2" 2>/dev/null
}

# m: the old master, cut off, takes no client write (only PUBLISH, which is
# in its stream but changes no data); r: its replica, promoted, takes 5 writes.
rt_fresh_pair m r
rt_cli r REPLICAOF NO ONE > /dev/null
for i in 1 2 3; do rt_cli m PUBLISH chan "hello $i" > /dev/null; done
for i in 1 2 3 4 5; do rt_cli r SET "new:$i" "$i" > /dev/null; done
check "two masters, r promoted from m's history" \
  test "$(rt_role m)-$(rt_role r)-$(rt_field r master_replid2)" = "master-master-$(rt_field m master_replid)"

"$CHECK" --expect eligible --port "${RT_PORT[m]}" --peer "$(rt_addr r)" --password-file "$RT_DIR/pass" \
  > "$RT_DIR/check_m" 2>&1; rc=$?
check "vip-check on m (no data past the fork): not eligible" test $rc -ne 0
check "  reason names it" grep -q "no-data-past-fork-peer-master" "$RT_DIR/check_m"
"$CHECK" --expect eligible --port "${RT_PORT[r]}" --peer "$(rt_addr m)" --password-file "$RT_DIR/pass" -v \
  > "$RT_DIR/check_r" 2>&1; rc=$?
check "vip-check on r (the writes past the fork): eligible" test $rc -eq 0
check "  reason names it" grep -q "peer-no-data-past-fork" "$RT_DIR/check_r"

"$NOTIFY" backup --port "${RT_PORT[m]}" --peer "$(rt_addr r)" --self "$(rt_addr m)" --instance it-m \
  --state-dir "$STATE" --backup-dir "$RT_DIR/backups" --no-syslog --wait-peer-ms 0 >> "$RT_DIR/notify.log" 2>&1; rc=$?
check "BACKUP on m: re-pointed without a snapshot (exit 0)" \
  test "$rc-$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["last"]["reason"])' "$STATE/it-m.json")" \
  = 0-covered-no-data-past-fork
check "  no snapshot made" test "$(ls "$RT_DIR"/backups 2>/dev/null | wc -l)" = 0
check "  m's replay is complete, no data command" test "$(divergence it-m local.complete)-$(divergence it-m local.data_commands)" = true-0
check "  ... and holds the three PUBLISHes' bytes" test "$(divergence it-m local.bytes)" -gt 0
check "  r's replay is complete, exactly the 5 SETs" test "$(divergence it-r peer.complete 2>/dev/null || divergence it-m peer.complete)-$(divergence it-m peer.data_commands)" = true-5
check "  the lead is the peer's" test "$(divergence it-m lead)" = peer
check "  m follows r and has r's writes" rt_wait 50 0.1 eval 'rt_follows m r && [ "$(rt_count m new)" = 5 ]'

# fork_left_backlog M R EXTRA: M and R split, both write 120 KB (the fork
# leaves both 16 KiB backlogs), M writes EXTRA more keys, R one; then M's
# BACKUP handler.
fork_left_backlog() {
  local m=$1 r=$2 extra=$3 i big
  rt_fresh_pair "$m" "$r"
  rt_cli "$m" CONFIG SET repl-backlog-size 16384 > /dev/null
  rt_cli "$r" CONFIG SET repl-backlog-size 16384 > /dev/null
  rt_cli "$r" REPLICAOF NO ONE > /dev/null
  rt_cli "$r" SET theirs 1 > /dev/null
  for ((i = 0; i < extra; i++)); do rt_cli "$m" SET "own$i" 1 > /dev/null; done
  big=$(head -c 20000 /dev/zero | tr '\0' x)
  for i in 1 2 3 4 5 6; do
    rt_cli "$r" SET "big$i" "$big" > /dev/null
    rt_cli "$m" SET "big$i" "$big" > /dev/null
  done
  "$NOTIFY" backup --port "${RT_PORT[$m]}" --peer "$(rt_addr "$r")" --self "$(rt_addr "$m")" --instance "it-$m" \
    --state-dir "$STATE" --backup-dir "$RT_DIR/backups" --no-syslog --wait-peer-ms 0 >> "$RT_DIR/notify.log" 2>&1
}
last_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["last"][sys.argv[2]])' "$STATE/it-$1.json" "$2"; }

echo "# the fork has left the backlog, same size: the older rule, and the log says why"
fork_left_backlog m2 r2 1
check "replay impossible: the divergence policy applies (snapshot, then re-point)" test "$(last_of m2 action)" = snapshot-repoint
check "  the log line says why" grep -q "divergence_error=.*backlog" "$RT_DIR/notify.log"

echo "# the fork has left the backlog, ours larger: kept, the role claimed"
fork_left_backlog m3 r3 3
check "no snapshot, no re-point: it waits for the VIP (local-larger)" \
  test "$(last_of m3 action)-$(last_of m3 reason)-$(rt_role m3)" = wait-local-larger-master

if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- logs"; cat "$RT_DIR/check_m" "$RT_DIR/check_r"; tail -n 20 "$RT_DIR/notify.log"; fi
check_summary
