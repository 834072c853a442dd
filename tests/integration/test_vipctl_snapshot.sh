#!/usr/bin/env bash
# vipctl snapshot list|diff|merge|prune against real redis-server on
# loopback. A master M with keys; R, its replica, detached (REPLICAOF NO ONE:
# it keeps M's history as replid2) and written to — keys of all five types
# only it holds, one equal on both, one conflicting, one with a TTL, one
# with a short TTL that expires — then saved with a JSON beside the RDB as
# ha/snapshot.cpp writes it. Then: exact diff counts; dry run writes nothing;
# merge restores exactly the absent keys with their types and TTLs;
# conflicts kept under skip, replaced under snapshot-wins; a second merge is
# a no-op; an unrelated snapshot is refused and --force overrides; a replica
# is refused; the private redis-server and its directory are gone
# afterwards, also when the merge is killed (SIGTERM, SIGINT); bad input
# gets exit 2 (or 1 for what only the servers can tell).
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_init
VIPCTL=${VIPCTL:-$VIPKIT_BIN/vipctl}
[ -x "$VIPCTL" ] || rt_skip "vipctl not built in $VIPKIT_BIN"
BG_PIDS=()
cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rt_cleanup
}
trap cleanup EXIT
BK=$RT_DIR/backups
mkdir -p "$BK"
LOG=$RT_DIR/vipctl.log
# The private servers' directories that exist before we start (another
# vipctl may run on this host): only new ones count as leftovers.
scratch_dirs() { find /tmp -maxdepth 1 -name 'vipctl-snapshot.*' 2>/dev/null | sort; }
SCRATCH_BEFORE=$(scratch_dirs)
no_leftover_dir() { [ "$(scratch_dirs)" = "$SCRATCH_BEFORE" ]; }
# The private server's pid, from the load-snapshot step line of the last run.
last_scratch_pid() { grep -o 'name=load-snapshot ok=yes .*pid=[0-9]*' "$LOG" | tail -1 | sed 's/.*pid=//'; }
scratch_gone() { local pid; pid=$(last_scratch_pid); [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; }

# vctl NAME ARGS...: vipctl against the Redis NAME, stdout kept, log appended.
vctl() {
  local name=$1; shift
  "$VIPCTL" --port "${RT_PORT[$name]}" --password-file "$RT_DIR/pass" --backup-dir "$BK" "$@" 2>> "$LOG"
}
field() {  # KEY: a top-level (or a.0.b) field of the JSON on stdin
  python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if isinstance(v,list) else v[k]
print(json.dumps(v) if isinstance(v,(dict,list,bool)) or v is None else v)' "$1"
}
# make_snapshot NAME BASE: SAVE NAME, keep its RDB as BASE.rdb and the JSON
# ha/snapshot.cpp writes beside it (keys and types as that code writes them).
make_snapshot() {
  local name=$1 base=$2
  [ "$(rt_cli "$name" SAVE)" = OK ] || { echo "SAVE failed on $name" >&2; return 1; }
  cp "$RT_DIR/$name/dump.rdb" "$BK/$base.rdb"
  cat > "$BK/$base.json" <<JSON
{"instance": "it-$name", "time": "${base##*-}", "rdb": "$BK/$base.rdb",
 "replid": "$(rt_field "$name" master_replid)", "replid2": "$(rt_field "$name" master_replid2)",
 "offset": $(rt_field "$name" master_repl_offset), "second_offset": $(rt_field "$name" second_repl_offset),
 "dbsize": $(rt_cli "$name" DBSIZE), "role": "master", "peer": "127.0.0.1:1"}
JSON
}

echo "# a master, and a snapshot sharing part of its history"
rt_redis_start m
rt_fill m b 50
rt_cli m SET shared:eq same > /dev/null
rt_cli m SET shared:conf master-value > /dev/null
rt_redis_start r "replicaof 127.0.0.1 ${RT_PORT[m]}"
rt_wait 100 0.1 rt_follows r m || { echo "r did not link" >&2; exit 1; }
rt_wait 50 0.1 eval '[ "$(rt_cli r DBSIZE)" = 52 ]'
rt_cli r REPLICAOF NO ONE > /dev/null
rt_cli m SET both:eq x > /dev/null  # written on both sides, same value
rt_cli m SET m:only 1 > /dev/null
{
  echo "SET both:eq x"
  echo "SET shared:conf snapshot-value"
  echo "SET s:str v"
  echo "HSET s:hash f1 v1 f2 v2"
  echo "RPUSH s:list a b c"
  echo "SADD s:set x y z"
  echo "ZADD s:zset 1 a 2 b"
  echo "XADD s:stream 1-1 f v"
  echo "SET s:ttl v PX 600000"
  echo "SET s:short v PX 800"
  # Past the listpack limits (128): a hashtable, dumped in the order of a
  # hash seed that differs from server to server.
  echo "SADD s:bigset $(seq -s ' ' -f 'm%g' 1 200)"
  echo "HSET s:bighash $(seq -s ' ' -f 'f%g v' 1 200)"
} | rt_cli r > /dev/null
make_snapshot r it-r-20261202T010000Z
sleep 1.2  # s:short has expired: it is in the RDB, but no longer a write to give back
M_KEYS=$(rt_cli m DBSIZE)  # 50 b:* + shared:eq + shared:conf + both:eq + m:only = 54

echo "# list"
out=$(vctl m snapshot list --json); rc=$?
check "list: exit 0, one snapshot" test "$rc-$(field 0.name <<<"$out")" = "0-it-r-20261202T010000Z"
check "  its keys from the JSON (dbsize)" test "$(field 0.keys <<<"$out")" = 63
check "  its replid" test "$(field 0.replid <<<"$out")" = "$(rt_field r master_replid)"
check "  its size" test "$(field 0.rdb_bytes <<<"$out")" = "$(stat -c %s "$BK/it-r-20261202T010000Z.rdb")"
out=$(vctl m snapshot list); rc=$?
check "list table: exit 0, the row" test "$rc-$(grep -c 'it-r-20261202T010000Z' <<<"$out")" = 0-1

echo "# diff"
SNAP=$BK/it-r-20261202T010000Z.rdb
out=$(vctl m snapshot diff --rdb "$SNAP" --json); rc=$?
check "diff: exit 0" test "$rc" = 0
check "  history related (replica, then promoted)" test "$(field relation <<<"$out")" = parent
check "  62 keys loaded (s:short expired)" test "$(field snapshot_keys <<<"$out")" = 62
check "  absent 9 (five types, big set and hash, a TTL'd string)" test "$(field absent <<<"$out")" = 9
check "  equal 52" test "$(field equal <<<"$out")" = 52
check "  conflict 1: shared:conf" test "$(field conflict <<<"$out")-$(field conflict_sample <<<"$out")" = '1-["shared:conf"]'
check "  expired 0" test "$(field expired <<<"$out")" = 0
check "  private server gone" scratch_gone
check "  its directory removed" no_leftover_dir
check "  nothing written by a diff" test "$(rt_cli m DBSIZE)" = "$M_KEYS"

echo "# merge"
out=$(vctl m snapshot merge --rdb "$SNAP" --dry-run --json); rc=$?
check "dry run: exit 0, would restore 9" test "$rc-$(field restored <<<"$out")-$(field skipped <<<"$out")" = 0-9-1
check "  nothing written" test "$(rt_cli m DBSIZE)-$(rt_cli m EXISTS s:str)" = "$M_KEYS-0"
out=$(vctl m snapshot merge --rdb "$SNAP" --json); rc=$?
check "merge: exit 0, restored 9, 1 conflict skipped" \
  test "$rc-$(field restored <<<"$out")-$(field skipped <<<"$out")-$(field replaced <<<"$out")" = 0-9-1-0
check "  exactly the absent keys added" test "$(rt_cli m DBSIZE)" = $((M_KEYS + 9))
for t in str:string hash:hash list:list set:set zset:zset stream:stream ttl:string bigset:set bighash:hash; do
  check "  s:${t%%:*} is a ${t##*:}" test "$(rt_cli m TYPE "s:${t%%:*}")" = "${t##*:}"
done
check "  values: hash, list, zset" test "$(rt_cli m HGET s:hash f2)-$(rt_cli m LRANGE s:list 0 -1 | tr '\n' ,)-$(rt_cli m ZSCORE s:zset b)" = "v2-a,b,c,-2"
pttl=$(rt_cli m PTTL s:ttl)
check "  s:ttl keeps its remaining TTL ($pttl ms)" test "$pttl" -gt 500000 -a "$pttl" -le 600000
check "  s:str has none" test "$(rt_cli m PTTL s:str)" = -1
check "  the expired s:short is not restored" test "$(rt_cli m EXISTS s:short)" = 0
check "  the conflict keeps the master's value" test "$(rt_cli m GET shared:conf)" = master-value
check "  the master's own writes kept" test "$(rt_cli m GET m:only)" = 1
check "  the snapshot is kept" test -f "$SNAP" -a -f "${SNAP%.rdb}.json"
check "  a step line per phase" test "$(grep 'op=snapshot-merge' "$LOG" | grep -c -e name=check-master -e name=load-snapshot -e 'name=merge ' -e name=stop-snapshot)" -ge 4
out=$(vctl m snapshot merge --rdb "$SNAP" --json); rc=$?
check "second merge: a no-op" test "$rc-$(field restored <<<"$out")-$(field absent <<<"$out")" = 0-0-0
check "  the restored sets and hashes are equal, not conflicts" test "$(field conflict <<<"$out")-$(field equal <<<"$out")" = 1-61
check "  nothing added" test "$(rt_cli m DBSIZE)" = $((M_KEYS + 9))
out=$(vctl m snapshot merge --rdb "$SNAP" --on-conflict snapshot-wins --json); rc=$?
check "snapshot-wins: the conflict replaced" test "$rc-$(field replaced <<<"$out")-$(field restored <<<"$out")" = 0-1-0
check "  with the snapshot's value" test "$(rt_cli m GET shared:conf)" = snapshot-value
check "  private server gone, directory removed" eval 'scratch_gone && no_leftover_dir'

echo "# refusals"
rt_redis_start u
rt_fill u u 20
make_snapshot u it-u-20261202T020000Z
out=$(vctl m snapshot merge --rdb "$BK/it-u-20261202T020000Z.rdb" --json); rc=$?
check "unrelated history: refused, exit 1" test "$rc-$(field reason <<<"$out")" = 1-history-unrelated
check "  says why" grep -q "shares no id with the master" <<<"$(field steps.0.detail <<<"$out")"
check "  nothing written" test "$(rt_cli m EXISTS u:1)" = 0
out=$(vctl m snapshot merge --rdb "$BK/it-u-20261202T020000Z.rdb" --force --json); rc=$?
check "--force merges it" test "$rc-$(field restored <<<"$out")-$(rt_cli m EXISTS u:20)" = 0-20-1
cp "$SNAP" "$RT_DIR/bare.rdb"
out=$(vctl m snapshot merge --rdb "$RT_DIR/bare.rdb" --json); rc=$?
check "no JSON beside the RDB: history unknown, refused" test "$rc-$(field reason <<<"$out")" = 1-history-unknown
rt_redis_start q "replicaof 127.0.0.1 ${RT_PORT[m]}"
out=$(vctl q snapshot merge --rdb "$SNAP" --json); rc=$?
check "a replica target: refused" test "$rc-$(field reason <<<"$out")" = 1-target-not-master

echo "# killed mid-way: the private server and its directory go too"
rt_redis_start big
for ((i = 1; i <= 4000; i++)); do echo "SET big:$i $i"; done | rt_cli big > /dev/null
make_snapshot big it-big-20261202T030000Z
for sig in TERM INT; do
  before=$(rt_cli m DBSIZE)
  "$VIPCTL" --port "${RT_PORT[m]}" --password-file "$RT_DIR/pass" snapshot merge --force \
    --rdb "$BK/it-big-20261202T030000Z.rdb" --batch-pause-ms 300 > /dev/null 2>> "$LOG" &
  pid=$!
  BG_PIDS+=("$pid")
  rt_wait 100 0.1 eval '[ "$(rt_cli m DBSIZE)" -gt "$before" ]'
  kill -"$sig" "$pid"
  wait "$pid"; rc=$?
  check "SIG$sig mid-merge: vipctl dies of it (rc $rc)" test "$rc" -gt 128
  check "  it was mid-way" test "$(rt_cli m DBSIZE)" -lt $((before + 4000))
  check "  the private server is gone" scratch_gone
  check "  its directory is removed" no_leftover_dir
done
out=$(vctl m snapshot merge --rdb "$BK/it-big-20261202T030000Z.rdb" --force --json); rc=$?
check "the interrupted merge completes on a rerun" test "$rc-$(rt_cli m EXISTS big:1 big:4000)" = 0-2

echo "# bad input"
vctl m snapshot diff --rdb "$RT_DIR/missing.rdb" > /dev/null; rc=$?
check "missing RDB: exit 2" test "$rc" = 2
printf 'not an rdb' > "$RT_DIR/garbage.rdb"
out=$(vctl m snapshot diff --rdb "$RT_DIR/garbage.rdb" --json); rc=$?
check "unreadable RDB: exit 1, snapshot-unreadable" test "$rc-$(field reason <<<"$out")" = 1-snapshot-unreadable
check "  no directory left" no_leftover_dir
vctl m snapshot diff --rdb "$SNAP" --redis-server /nonexistent/redis-server > /dev/null; rc=$?
check "no redis-server: exit 2" test "$rc" = 2
vctl m snapshot merge --rdb "$SNAP" --on-conflict master-wins > /dev/null; rc=$?
check "bad --on-conflict: exit 2" test "$rc" = 2
vctl m snapshot prune > /dev/null; rc=$?
check "prune without --keep/--older-than: exit 2" test "$rc" = 2
vctl m snapshot prune --older-than 7w > /dev/null; rc=$?
check "prune --older-than 7w: exit 2" test "$rc" = 2
out=$("$VIPCTL" --port "$(rt_free_port)" --password-file "$RT_DIR/pass" snapshot diff --rdb "$SNAP" --json 2>> "$LOG"); rc=$?
check "unreachable master: exit 1" test "$rc-$(field reason <<<"$out")" = 1-unreachable
printf 'wrong\n' > "$RT_DIR/wrongpass"; chmod 600 "$RT_DIR/wrongpass"
out=$("$VIPCTL" --port "${RT_PORT[m]}" --password-file "$RT_DIR/wrongpass" snapshot diff --rdb "$SNAP" --json 2>> "$LOG"); rc=$?
check "wrong password: exit 1" test "$rc-$(field reason <<<"$out")" = 1-auth-failed
check "  one-line errors, no exception" eval '! grep -q "terminate called" "$LOG"'

echo "# prune"
cp "$BK/it-u-20261202T020000Z.rdb" "$BK/it-old-20250101T000000Z.rdb"
sed 's/"time": "[0-9TZ]*"/"time": "20250101T000000Z"/' "$BK/it-u-20261202T020000Z.json" > "$BK/it-old-20250101T000000Z.json"
out=$(vctl m snapshot prune --older-than 30d); rc=$?
check "prune --older-than 30d: only the old pair goes" \
  test "$rc-$(grep -c '^deleted' <<<"$out")-$(ls "$BK" | grep -c it-old)-$(ls "$BK" | wc -l)" = 0-2-0-6
out=$(vctl m snapshot prune --keep 1 --dry-run); rc=$?
check "prune --keep 1 --dry-run: lists, deletes nothing" \
  test "$rc-$(grep -c '^would delete' <<<"$out")-$(ls "$BK" | wc -l)" = 0-4-6
out=$(vctl m snapshot prune --keep 1); rc=$?
check "prune --keep 1: the newest pair stays" \
  test "$rc-$(ls "$BK" | tr '\n' ' ')" = "0-it-big-20261202T030000Z.json it-big-20261202T030000Z.rdb "

check_summary
