#!/usr/bin/env bash
# vipctl with leader = sentinel (docs/sentinel.md), three hosts from
# docs/sentinel-examples and a client writing through the VIP:
#  - status on each host shows the Sentinel view; healthy (exit 0) on the
#    master's host and on a replica's;
#  - promote on b: SENTINEL FAILOVER with only b eligible (c pinned to
#    replica-priority 0, restored after), the old master paused until b has
#    its offset; Sentinel names b, the VIP moves to b only, no acknowledged
#    write is lost, a becomes b's replica;
#  - promote again: already done (exit 0);
#  - demote on b: the VIP leaves b for the master Sentinel picks, no
#    acknowledged write lost;
#  - never two holders of the VIP (20 ms samples).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/../lib/sentinel_lab.sh"
sl_session
sl_watch_holders 150 "$LAB_DIR/holders"
vipctl() { local h=$1; shift; lab_exec "$h" "$VIPKIT_BIN/vipctl" "$@" --config "$LAB_DIR/$h/vipd.conf"; }
# No write acknowledged up to now is missing from HOST's Redis.
nothing_lost_on() {
  read -r acked present lost < <(sl_lost_writes "$1")
  echo "# acknowledged $acked, on $1 $present, lost $lost"
  [ "$lost" -eq 0 ]
}

out=$(vipctl a status 2>&1); rc=$?
check "status on a (master): exit 0" test "$rc" -eq 0
check "  held here, local-elected" grep -q "held by this host" <<<"$out"
grep -q "local-elected" <<<"$out" || echo "$out"
out=$(vipctl b status 2>&1); rc=$?
check "status on b (replica): exit 0, local-replica" test "$rc:$(grep -c 'local-replica' <<<"$out")" = "0:1"
check "  three Sentinel lines" test "$(grep -c '^  sentinel ' <<<"$out")" -eq 3
out=$(vipctl b status --json 2>&1)
check "status --json carries the view" python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["healthy"] and d["sentinel"]["local_role"] == "replica"' <<<"$out"

echo "# vipctl promote on b"
out=$(vipctl b promote 2>"$LAB_DIR/promote.log"); rc=$?
echo "$out"
check "promote on b: exit 0, switched" test "$rc:$(grep -c '^result: switched' <<<"$out")" = "0:1"
check "the Sentinels name b" sl_all_name b
check "the VIP is on b only" lab_wait 50 0.1 sl_vip_on b
check "c's replica-priority is restored" test "$(lab_cli c -p $LAB_PORT CONFIG GET replica-priority | tail -1)" = 100
check "writes resume on b" lab_wait 100 0.1 sl_acked_after "$(lab_now_ms)"
check "no acknowledged write is lost" nothing_lost_on b
a_follows_b() { [ "$(lab_role a $LAB_PORT)" = slave ] && lab_cli a -p $LAB_PORT INFO replication | grep -q "master_host:${LAB_ADDR[b]}"; }
check "Sentinel makes a b's replica" lab_wait 300 0.1 a_follows_b

out=$(vipctl b promote 2>&1); rc=$?
check "promote again: exit 0, already" test "$rc:$(grep -c '^result: already' <<<"$out")" = "0:1"

echo "# vipctl demote on b"
out=$(vipctl b demote 2>"$LAB_DIR/demote.log"); rc=$?
echo "$out"
check "demote on b: exit 0, switched" test "$rc:$(grep -c '^result: switched' <<<"$out")" = "0:1"
NEW=$(sl_host_of "$(sl_sentinel_master a)")
check "the Sentinels name another master" test -n "$NEW" -a "$NEW" != b
check "the VIP is on the new master only" lab_wait 50 0.1 sl_vip_on "$NEW"
check "writes resume" lab_wait 100 0.1 sl_acked_after "$(lab_now_ms)"
check "no acknowledged write is lost" nothing_lost_on "$NEW"

kill "$SL_WATCHER" 2>/dev/null; wait "$SL_WATCHER" 2>/dev/null
DOUBLE=$(sl_longest_double "$LAB_DIR/holders")
echo "# longest double VIP (20 ms samples): $DOUBLE ms"
check "never two holders" test "$DOUBLE" -eq 0
kill "$SL_WRITER" 2>/dev/null
check_summary
