#!/usr/bin/env bash
# Races a code review found in applying a state (issue 8), each against real
# redis-server and each able to fail on the code before its fix:
#  1. the instance lock is held through the execution, not only the decision;
#  2. a MASTER application never lifts a write pause that a takeover or a
#     switchover holds (the marker is set);
#  4. an error reply to CLIENT UNPAUSE other than "unknown command" (an ACL's
#     NOPERM) is a failure, not "old Redis, fine".
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
NOTIFY=$VIPKIT_BIN/vip-notify
STATE=$RT_DIR/state
mkdir -p "$STATE"
last_json() {  # INSTANCE KEY
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["last"][sys.argv[2]])' \
    "$STATE/$1.json" "$2" 2>/dev/null
}
# writes_blocked NAME: a SET is still waiting after 1 s (a write pause holds it).
writes_blocked() {
  timeout 1 redis-cli --no-auth-warning -p "${RT_PORT[$1]}" SET probe 1 > /dev/null 2>&1
  [ $? -eq 124 ]
}

echo "# 1. the lock covers the execution"
# d1 holds writes of its own; its peer p1 is not a master yet, so a BACKUP
# handler waits for it (releasing the lock between looks). When p1 becomes a
# master with another history, and more keys (with no fork to count from,
# the larger dataset leads), the handler snapshots d1 (a BGSAVE slowed to
# ~1.5 s) and re-points it: all of that must happen under the lock.
rt_redis_start d1
rt_fill d1 mine 8
rt_cli d1 CONFIG SET rdb-key-save-delay 200000 > /dev/null   # µs per key
rt_redis_start p1
rt_fill p1 theirs 9
rt_cli p1 REPLICAOF 127.0.0.1 "$(rt_free_port)" > /dev/null
"$NOTIFY" backup --port "${RT_PORT[d1]}" --peer "$(rt_addr p1)" --self "$(rt_addr d1)" --instance it-d1 \
  --state-dir "$STATE" --backup-dir "$RT_DIR/backups" --no-syslog --wait-peer-ms 8000 \
  >> "$RT_DIR/notify.log" 2>&1 &
handler=$!
rt_wait 50 0.1 grep -qs "waiting instance=it-d1" "$RT_DIR/notify.log"
rt_cli p1 REPLICAOF NO ONE > /dev/null
if rt_wait 100 0.05 eval '[ "$(rt_field d1 rdb_bgsave_in_progress persistence)" = 1 ]'; then
  ok "the handler started the snapshot"
  flock -n "$STATE/it-d1.lock" true; rc=$?
  check "  during the snapshot the instance lock is held (flock -n fails)" test $rc -ne 0
else
  not_ok "the handler started the snapshot"
fi
wait $handler; rc=$?
check "  the handler finished: snapshot + re-point (exit 0)" test "$rc-$(last_json it-d1 action)" = 0-snapshot-repoint
check "  d1 follows p1" rt_wait 50 0.1 rt_follows d1 p1

echo "# 2. no unpause while a takeover holds the pause"
rt_redis_start f2
DOWN=$(rt_free_port)
marker='{"to":"127.0.0.1:1","from":"","op":"takeover","by":"test"}'
rt_cli f2 SET vipkit:switchover "$marker" PX 20000 > /dev/null
rt_cli f2 CLIENT PAUSE 20000 WRITE > /dev/null
"$NOTIFY" master --port "${RT_PORT[f2]}" --peer "127.0.0.1:$DOWN" --instance it-f2 --state-dir "$STATE" \
  --no-syslog --fence >> "$RT_DIR/notify.log" 2>&1; rc=$?
check "MASTER with --fence while the marker is set: nothing (exit 0)" \
  test "$rc-$(last_json it-f2 reason)" = 0-switchover-in-progress
check "  the takeover's write pause still holds" writes_blocked f2
rt_cli f2 CLIENT UNPAUSE > /dev/null
rt_cli f2 DEL vipkit:switchover > /dev/null

echo "# 4. NOPERM on CLIENT UNPAUSE is a failure"
rt_redis_start f4
rt_cli f4 ACL SETUSER vk on ">$RT_PASSWORD" '~*' '&*' +@all -client\|unpause > /dev/null
rt_cli f4 CLIENT PAUSE 20000 WRITE > /dev/null
"$NOTIFY" master --port "${RT_PORT[f4]}" --user vk --password-file "$RT_DIR/pass" --peer "127.0.0.1:$DOWN" \
  --instance it-f4 --state-dir "$STATE" --no-syslog --fence >> "$RT_DIR/notify.log" 2>&1; rc=$?
check "MASTER --fence, user may not UNPAUSE: exit 1" test $rc -eq 1
check "  recorded as failed" test "$(last_json it-f4 result)" = failed
check "  with Redis's NOPERM text" eval 'last_json it-f4 error | grep -q NOPERM'
check "  (the writes are indeed still paused)" writes_blocked f4
rt_cli f4 CLIENT UNPAUSE > /dev/null

if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- notify log"; tail -n 30 "$RT_DIR/notify.log"; fi
check_summary
