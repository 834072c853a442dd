#!/usr/bin/env bash
# vip-notify against real redis-server: promotion, coordinated takeover,
# safe re-point, divergence policies, the empty-peer guard, keepalived's
# generic form, FAULT/STOP, serialisation, and FIFO mode with reconcile.
# Assertions are on roles, data (key by key) and files, not on log wording.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
NOTIFY=$VIPKIT_BIN/vip-notify

# notify NAME PEER STATE [ARGS...]: vip-notify for the Redis NAME with PEER
# (run under "${WRAP[@]}" when set: strace).
WRAP=()
notify() {
  local name=$1 peer=$2 state=$3; shift 3
  "${WRAP[@]}" "$NOTIFY" "$state" --port "${RT_PORT[$name]}" --peer "$(rt_addr "$peer")" --self "$(rt_addr "$name")" \
    --instance "it-$name" --state-dir "$RT_DIR/state" --backup-dir "$RT_DIR/backups" --no-syslog \
    --wait-peer-ms 500 "$@" >> "$RT_DIR/notify.log" 2>&1
}
last_json() {  # INSTANCE KEY: from the state file's last transition
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["last"][sys.argv[2]])' \
    "$RT_DIR/state/$1.json" "$2" 2>/dev/null
}

echo "# MASTER"
rt_fresh_pair m1 r1
rt_kill m1
notify r1 m1 master; rc=$?
check "peer down: replica promoted (exit 0)" test $rc -eq 0
check "  ROLE says master" test "$(rt_role r1)" = master
check "  state file records it" test "$(last_json it-r1 action)" = promote
check "  ... with its reason" test "$(last_json it-r1 reason)" = peer-unreachable
check "  data kept" test "$(rt_count r1 m)" = 50
notify r1 m1 master; rc=$?
check "again: idempotent (nothing to do, exit 0)" test "$rc-$(last_json it-r1 action)" = 0-nothing

rt_fresh_pair m2 r2
sync_before=$(rt_field m2 sync_full stats)
notify r2 m2 master; rc=$?
check "peer is a live master: coordinated takeover (exit 0)" test $rc -eq 0
check "  local is master" test "$(rt_role r2)" = master
check "  old master follows the new one" rt_wait 50 0.1 rt_follows m2 r2
check "  every key is on the new master" test "$(rt_count r2 m)" = 50
check "  the write pause was measured" test -n "$(last_json it-r2 write_pause_ms)"
check "  writes are not left paused on the old master" test "$(rt_cli m2 CLIENT INFO | grep -c 'flags=')" = 1
# Armed by the takeover itself (no guard runs in this per-event mode, as on a
# host whose keepalived is stopped): a reconnect of m2 must wait for vipkit.
masteruser=$(rt_cli m2 CONFIG GET masteruser)
check "  the old master's replica guard is armed by the takeover" eval '[[ $masteruser == *vipkit-hold* ]]'

echo "# BACKUP"
rt_fresh_pair m3 r3
rt_redis_start e3
notify e3 m3 backup; rc=$?
check "empty master re-pointed to the peer (exit 0)" test $rc -eq 0
check "  it follows the peer" rt_wait 50 0.1 rt_follows e3 m3
check "  and has the peer's data" rt_wait 50 0.1 eval '[ "$(rt_count e3 m)" = 50 ]'

sync_before=$(rt_field m3 sync_full stats)
notify r3 m3 backup; rc=$?
check "already following: nothing (exit 0)" test "$rc-$(last_json it-r3 action)" = 0-nothing
check "  no new full sync on the peer" test "$(rt_field m3 sync_full stats)" = "$sync_before"

rt_redis_start lone3
rt_fill lone3 own 3
notify lone3 r3 backup; rc=$?
check "peer is a replica: not followed (exit 1 after --wait-peer-ms)" test $rc -eq 1
check "  still a master with its data (no loop)" test "$(rt_role lone3)-$(rt_count lone3 own)" = master-3
check "  logged as gave-up" grep -q "result=gave-up" "$RT_DIR/notify.log"
DOWN=$(rt_free_port)
"$NOTIFY" backup --port "${RT_PORT[lone3]}" --peer "127.0.0.1:$DOWN" --state-dir "$RT_DIR/state" \
  --no-syslog --wait-peer-ms 300 >> "$RT_DIR/notify.log" 2>&1; rc=$?
check "peer down: not followed (exit 1)" test "$rc-$(rt_role lone3)" = 1-master

echo "# divergence"
rt_redis_start d1
rt_fill d1 mine 7
notify d1 m3 backup --on-divergence refuse; rc=$?
check "refuse policy: exit 1" test $rc -eq 1
check "  still master with its own keys" test "$(rt_role d1)-$(rt_count d1 mine)" = master-7
check "  recorded as refused" test "$(last_json it-d1 result)" = refused

notify d1 m3 backup; rc=$?
check "snapshot policy (default): exit 0" test $rc -eq 0
check "  now follows the peer" rt_wait 50 0.1 rt_follows d1 m3
rdb=$(ls "$RT_DIR"/backups/it-d1-*.rdb 2>/dev/null | head -1)
meta=${rdb%.rdb}.json
check "  an RDB copy was kept" test -s "$rdb"
check "  with its JSON (replid, offset, dbsize)" python3 -c '
import json,sys; m=json.load(open(sys.argv[1])); assert m["dbsize"]==7 and m["replid"] and "offset" in m' "$meta"
check "  the copy holds the diverged keys" eval 'grep -aq "mine:" "$rdb"'
check "  the copy is private (0600)" test "$(stat -c %a "$rdb")" = 600

# The snapshot can be the only copy of these writes: it is fsync'd, and so is
# the directory holding its name, before the log calls it saved; a failed
# fsync is a failed snapshot and no re-point (strace shows and injects them).
if ! command -v strace > /dev/null || ! strace -f -o /dev/null true 2> /dev/null; then
  echo "# strace missing or ptrace not permitted: snapshot fsync checks not run"
else
  rt_redis_start d3
  rt_fill d3 mine 5
  WRAP=(strace -f -y -qq -e trace=fsync -o "$RT_DIR/d3.strace")
  notify d3 m3 backup; rc=$?
  WRAP=()
  line_of() { grep -n -m1 -E "$1" "$RT_DIR/d3.strace" | cut -d: -f1; }
  rdb_at=$(line_of "fsync\\([0-9]+<$RT_DIR/backups/it-d3-[0-9TZ]+\\.rdb>\\) += 0")
  meta_at=$(line_of "fsync\\([0-9]+<$RT_DIR/backups/it-d3-[0-9TZ]+\\.json>\\) += 0")
  dir_at=$(line_of "fsync\\([0-9]+<$RT_DIR/backups>\\) += 0")
  state_at=$(line_of "fsync\\([0-9]+<$RT_DIR/state/it-d3\\.json\\.tmp\\.[0-9.]+>\\) += 0")
  check "snapshot under strace: exit 0, re-pointed" test "$rc" -eq 0
  check "  the copy, its JSON, then the backup directory fsync'd, in that order" \
    test -n "$rdb_at" -a -n "$meta_at" -a -n "$dir_at" -a "${rdb_at:-0}" -lt "${meta_at:-0}" -a "${meta_at:-0}" -lt "${dir_at:-0}"
  check "  the state file's temp file fsync'd after them" test -n "$state_at" -a "${state_at:-0}" -gt "${dir_at:-0}"

  rt_redis_start d4
  rt_fill d4 mine 6
  WRAP=(strace -f -o /dev/null -e trace=fsync -e inject=fsync:error=EIO)
  notify d4 m3 backup; rc=$?
  WRAP=()
  failed_line=$(grep "instance=it-d4 " "$RT_DIR/notify.log" | grep "result=failed" | tail -1)
  check "fsync fails (EIO injected): exit 1, not re-pointed" test "$rc-$(rt_role d4)-$(rt_count d4 mine)" = 1-master-6
  check "  logged failed with the errno, no snapshot called saved" \
    eval '[[ $failed_line == *"Input/output error"* && $failed_line != *" snapshot="* ]]'
fi

rt_redis_start d2
rt_fill d2 mine 4
notify d2 m3 backup --on-divergence force; rc=$?
check "force policy: re-pointed without snapshot" test "$rc-$(ls "$RT_DIR"/backups/it-d2-* 2>/dev/null | wc -l)" = 0-0
check "  follows the peer" rt_wait 50 0.1 rt_follows d2 m3

echo "# empty peer with an unrelated history"
rt_redis_start full
rt_fill full keep 20
rt_redis_start void
notify full void backup; rc=$?
check "data vs empty master: not wiped even under snapshot (exit 1: it waits for the VIP)" test $rc -eq 1
check "  data intact, still master" test "$(rt_role full)-$(rt_count full keep)" = master-20
check "  reason: the larger dataset claims the role" test "$(last_json it-full reason)" = local-larger
notify full void backup --on-divergence force; rc=$?
check "only force re-points it" test $rc -eq 0
check "  (and then it follows the empty peer)" rt_wait 50 0.1 rt_follows full void

echo "# keepalived's generic form and FAULT/STOP"
rt_fresh_pair m5 r5
rt_redis_start e5
cat > "$RT_DIR/e5.conf" <<CONF
port = ${RT_PORT[e5]}
peer = "$(rt_addr m5)"
password-file = "$RT_DIR/pass"
state-dir = "$RT_DIR/state"
CONF
REDISCLI_AUTH= "$NOTIFY" --config "$RT_DIR/e5.conf" --no-syslog INSTANCE gen5 BACKUP 90 >> "$RT_DIR/notify.log" 2>&1; rc=$?
check "INSTANCE NAME BACKUP PRIO acts like backup" test $rc -eq 0
check "  (it re-pointed)" rt_wait 50 0.1 rt_follows e5 m5
check "  under the instance name keepalived gave" test -f "$RT_DIR/state/gen5.json"
rt_kill m5
for state in fault stop; do
  notify r5 m5 "$state"
  check "$state with the master down: no promotion" test "$(rt_role r5)" = slave
done

echo "# fencing"
rt_redis_start f1
DOWN2=$(rt_free_port)
"$NOTIFY" backup --port "${RT_PORT[f1]}" --peer "127.0.0.1:$DOWN2" --instance it-f1 --state-dir "$RT_DIR/state" \
  --no-syslog --wait-peer-ms 0 --fence --fence-ms 5000 >> "$RT_DIR/notify.log" 2>&1
check "--fence: a master without the VIP whose peer is down is fenced" test "$(last_json it-f1 action)" = fence
timeout 1 redis-cli --no-auth-warning -p "${RT_PORT[f1]}" SET fenced 1 > /dev/null 2>&1; rc=$?
check "  writes block (client still waiting after 1 s)" test $rc -eq 124
check "  reads still answer" timeout 1 redis-cli --no-auth-warning -p "${RT_PORT[f1]}" GET nothing
"$NOTIFY" master --port "${RT_PORT[f1]}" --peer "127.0.0.1:$DOWN2" --instance it-f1 --state-dir "$RT_DIR/state" \
  --no-syslog --fence >> "$RT_DIR/notify.log" 2>&1
check "  MASTER lifts the fence" test "$(timeout 2 redis-cli --no-auth-warning -p "${RT_PORT[f1]}" SET fenced 2 2>/dev/null)" = OK

echo "# serialisation"
rt_fresh_pair m6 r6
rt_kill m6
notify r6 m6 master --lock-wait-ms 5000 & p1=$!
notify r6 m6 master --lock-wait-ms 5000 & p2=$!
wait $p1; rc1=$?; wait $p2; rc2=$?
check "two concurrent handlers both finish cleanly" test "$rc1-$rc2" = 0-0
promotions=$(python3 -c 'import json,sys; print(sum(1 for t in json.load(open(sys.argv[1]))["history"] if t["action"]=="promote"))' "$RT_DIR/state/it-r6.json")
check "  exactly one promoted, the other saw it done" test "$promotions" = 1

echo "# planned switchover marker (vipctl)"
# r8 is a linked replica of m8. Were it MASTER now it would take over; with
# vipctl's marker in Redis it must keep its hands off, and move its host's
# preference towards the node the marker names.
rt_fresh_pair m8 r8
marker='{"to":"'"$(rt_addr m8)"'","from":"'"$(rt_addr r8)"'","op":"demote","by":"test"}'
rt_cli m8 SET vipkit:switchover "$marker" PX 20000 > /dev/null
rt_wait 50 0.1 eval '[ -n "$(rt_cli r8 GET vipkit:switchover)" ]'
echo 2 > "$RT_DIR/r8.prefer"
notify r8 m8 master --prefer-file "$RT_DIR/r8.prefer"; rc=$?
check "marker: MASTER does not take over (exit 0)" test "$rc-$(last_json it-r8 reason)" = 0-switchover-in-progress
check "  roles unchanged" test "$(rt_role r8)-$(rt_role m8)" = slave-master
check "  this host's preference drops to neutral (the marker names the peer)" test "$(cat "$RT_DIR/r8.prefer")" = 0
rt_cli m8 SET vipkit:switchover "$marker" > /dev/null   # no expiry: not a marker of ours
rt_wait 50 0.1 eval '[ "$(rt_cli r8 PTTL vipkit:switchover)" = -1 ]'
notify r8 m8 master --prefer-file "$RT_DIR/r8.prefer"; rc=$?
check "a marker without an expiry is ignored: the takeover goes ahead" test "$rc-$(rt_role r8)" = 0-master
check "  the old master follows" rt_wait 50 0.1 rt_follows m8 r8

echo "# a stalled switchover: the old master gone, its marker holds the promotion back for 3 s only"
# r12, a replica of m12, holds the VIP (vipctl demote on m12's host handed it
# over) and m12 is cut off before FAILOVER: the marker replicated to r12 says
# "vipctl will make you master", which it cannot do without m12.
rt_fresh_pair m12 r12
marker='{"to":"'"$(rt_addr r12)"'","from":"'"$(rt_addr m12)"'","op":"demote","by":"test"}'
rt_cli m12 SET vipkit:switchover "$marker" PX 60000 > /dev/null
rt_wait 50 0.1 eval '[ -n "$(rt_cli r12 GET vipkit:switchover)" ]'
rt_kill m12
notify r12 m12 master; rc=$?
check "cut off under 3 s: still the switchover's (exit 0, switchover-in-progress, a replica)" \
  test "$rc-$(last_json it-r12 reason)-$(rt_role r12)" = 0-switchover-in-progress-slave
check "  (bounded) r12's link to m12 down for 3 s, as Redis counts it" \
  rt_wait 60 0.1 eval '[ "$(rt_field r12 master_link_down_since_seconds)" -ge 3 ]'
notify r12 m12 master; rc=$?
check "stalled: promoted (exit 0, switchover-stalled-peer-unreachable)" \
  test "$rc-$(last_json it-r12 reason)-$(rt_role r12)" = 0-switchover-stalled-peer-unreachable-master
check "  the marker's copy on r12 is gone" test -z "$(rt_cli r12 GET vipkit:switchover)"
check "  data kept" test "$(rt_count r12 m)" = 50

echo "# FIFO mode"
rt_fresh_pair m7 r7
rt_instance_conf "$RT_DIR/conf.d/red7.conf" r7 m7
mkfifo "$RT_DIR/fifo"
REDISCLI_AUTH= "$NOTIFY" --fifo --config-dir "$RT_DIR/conf.d" --reconcile-ms 500 --no-syslog "$RT_DIR/fifo" \
  > "$RT_DIR/fifo.log" 2>&1 &
FIFO_PID=$!; RT_PIDS+=($FIFO_PID)
exec 7> "$RT_DIR/fifo"   # keepalived's end: held open like keepalived does
# grep -f: the pattern itself must not be on grep's own command line.
check "password on no command line" eval '! grep -lFf "$RT_DIR/pass" /proc/[0-9]*/cmdline 2>/dev/null | grep -q .'
echo 'INSTANCE "red7" MASTER 100' >&7
check "MASTER line: takeover done" rt_wait 100 0.1 eval '[ "$(rt_role r7)" = master ] && rt_follows m7 r7'
echo 'INSTANCE "red7" BACKUP 90' >&7
echo 'INSTANCE "m7" MASTER 100' >&7   # no m7.conf: reported, skipped, loop goes on
sleep 0.5
check "unknown instance reported, loop alive" eval 'grep -q "config-error instance=m7" "$RT_DIR/fifo.log" && kill -0 $FIFO_PID'
# While red7 is BACKUP, its Redis restarts empty as a master and m7 is the
# master again: no new event comes, the reconcile pass must re-point it.
rt_cli m7 REPLICAOF NO ONE > /dev/null
rt_kill r7
rt_redis_start r7 7>&-   # not keepalived: it must not hold the FIFO open
check "reconcile re-points the restarted empty master without an event" rt_wait 100 0.1 rt_follows r7 m7
check "  and it resynced the data" rt_wait 50 0.1 eval '[ "$(rt_count r7 m)" = 50 ]'
exec 7>&-
if rt_wait 50 0.1 eval '! kill -0 $FIFO_PID 2>/dev/null'; then
  ok "keepalived closing the FIFO ends vip-notify"
  wait $FIFO_PID 2>/dev/null; rc=$?
  check "  with exit 0" test $rc -eq 0
else
  not_ok "keepalived closing the FIFO ends vip-notify"
  kill -9 $FIFO_PID
fi

echo "# FIFO mode: a replica vipkit never saw linked, its master dies, then returns empty"
# The replica synced while no guard ran (vip-notify stops with its
# keepalived), so it is not armed. Its master dies; vip-notify starts (its
# keepalived is back) before the master does: it must hold the replica, or
# Redis's own reconnect replaces its 50 keys with the empty dataset.
rt_fresh_pair m9 r9
rt_instance_conf "$RT_DIR/conf9.d/red9.conf" r9 m9
rt_kill m9
check "  the replica's link is down" rt_wait 50 0.1 eval '! rt_linked r9'
mkfifo "$RT_DIR/fifo9"
REDISCLI_AUTH= "$NOTIFY" --fifo --config-dir "$RT_DIR/conf9.d" --no-syslog "$RT_DIR/fifo9" \
  > "$RT_DIR/fifo9.log" 2>&1 &
FIFO9_PID=$!; RT_PIDS+=($FIFO9_PID)
exec 8> "$RT_DIR/fifo9"
check "restarted vip-notify arms the replica whose master is down" \
  rt_wait 50 0.1 eval '[[ "$(rt_cli r9 CONFIG GET masterauth masteruser)" == *vipkit-hold* ]]'
check "  and says why" grep -q "replica-hold instance=red9 reason=arm-master-down" "$RT_DIR/fifo9.log"
rt_redis_start m9 8>&-   # back empty, as without persistence
# Redis retries its link once a second: three tries, each refused at AUTH.
sleep 3.5
check "  the master came back empty" test "$(rt_count m9 m)" = 0
check "  the replica kept its 50 keys" test "$(rt_count r9 m)" = 50
check "  and stays held (the master does not cover it)" \
  eval '[[ "$(rt_cli r9 CONFIG GET masterauth masteruser)" == *vipkit-hold* ]]'
exec 8>&-
rt_wait 50 0.1 eval '! kill -0 $FIFO9_PID 2>/dev/null' || kill -9 $FIFO9_PID

echo "# usage errors"
"$NOTIFY" promote --no-syslog 2>/dev/null; rc=$?
check "unknown state -> exit 2" test $rc -eq 2
"$NOTIFY" backup --on-divergence yolo --no-syslog 2>/dev/null; rc=$?
check "bad policy -> exit 2" test $rc -eq 2
"$NOTIFY" --fifo --no-syslog 2>/dev/null; rc=$?
check "--fifo without --config-dir -> exit 2" test $rc -eq 2

if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- notify log"; tail -n 30 "$RT_DIR/notify.log" "$RT_DIR/fifo.log"; fi
check_summary
