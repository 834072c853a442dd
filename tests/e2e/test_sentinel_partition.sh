#!/usr/bin/env bash
# leader = sentinel (docs/sentinel-examples), the master's host cut off the
# bridge alone: it reaches only its own Sentinel (1 of 3), releases the VIP
# and fences its Redis (on-quorum-loss = release, fence = true); the
# majority side elects a new master, whose host takes the VIP, and the
# client's writes resume there. On heal Sentinel makes the old master a
# replica (vipd lifts its fence so Sentinel's REPLICAOF can run), and at no
# sample (every 20 ms) do two hosts hold the VIP for longer than one
# reconcile interval. No write acknowledged after the cut is lost.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/../lib/sentinel_lab.sh"
sl_session
RECONCILE_MS=$(sed -n 's/^reconcile-ms = //p' "$LAB_DIR/a/vipd.conf")
sl_watch_holders 90 "$LAB_DIR/holders"
cut_a() { ip -n "$(lab_ns sw)" link set pa nomaster; }
heal_a() { ip -n "$(lab_ns sw)" link set pa master br0; }

echo "# host a cut off the bridge"
cut_a
CUT_MS=$(lab_now_ms)
a_released() { ! ip -n "$(lab_ns a)" -4 addr show dev eth0 | grep -q "inet $LAB_VIP/"; }
check "a releases the VIP" lab_wait 100 0.1 a_released
quorum_lost_logged() { grep -q 'sentinel-decision .*reason=quorum-lost .*fence=fence' "$LAB_DIR/a/vipd.log"; }
check "a's vipd says quorum-lost and fences" lab_wait 50 0.1 quorum_lost_logged
# A write to a's Redis on a itself waits instead of landing in a dataset
# that Sentinel will discard (redis-cli is killed after 2 s, unanswered).
lab_exec a timeout 2 redis-cli --no-auth-warning -p $LAB_PORT SET fence:probe 1 > /dev/null 2>&1
check "a's Redis does not take writes (paused)" test $? -eq 124
new_master_elected() { NEW=$(sl_host_of "$(sl_sentinel_master b)"); [ -n "$NEW" ] && [ "$NEW" != a ]; }
check "the majority side elects b or c" lab_wait 200 0.1 new_master_elected
echo "# new master: $NEW"
check "the VIP moves to the new master only" lab_wait 100 0.1 sl_vip_on "$NEW"
check "writes resume on the new master" lab_wait 100 0.1 sl_acked_after "$(lab_now_ms)"
echo "# write gap after the cut: $(lab_write_gap "$CUT_MS") ms"
sleep 3

echo "# heal"
heal_a
HEAL_MS=$(lab_now_ms)
a_is_replica() { [ "$(lab_role a $LAB_PORT)" = slave ]; }
check "Sentinel makes a a replica" lab_wait 300 0.1 a_is_replica
unfenced() { grep -q 'fence instance=.* action=unpause' "$LAB_DIR/a/vipd.log"; }
check "a's vipd lifted its fence" unfenced
sleep 2
check "a never held the VIP after the heal" sl_kept_off "$LAB_DIR/holders" a "$HEAL_MS"
check "the VIP stays on $NEW" sl_vip_on "$NEW"
check "writes go on after the heal" lab_wait 50 0.1 sl_acked_after "$HEAL_MS"

kill "$SL_WATCHER" 2>/dev/null; wait "$SL_WATCHER" 2>/dev/null
read -r acked present lost < <(sl_lost_writes "$NEW")
late=$(sl_lost_after "$CUT_MS")
echo "# acknowledged $acked, on the new master $present, lost $lost (acknowledged after the cut: $late)"
check "no write acknowledged after the cut is lost" test "$late" -eq 0
DOUBLE=$(sl_longest_double "$LAB_DIR/holders")
echo "# longest double VIP (20 ms samples): $DOUBLE ms (allowed: one reconcile interval, $RECONCILE_MS ms)"
check "never two holders for longer than one reconcile interval" test "$DOUBLE" -le "$RECONCILE_MS"
kill "$SL_WRITER" 2>/dev/null
check_summary
