#!/usr/bin/env bash
# vipctl against real redis-server on loopback: status (verdict, JSON, the
# state file); promote/demote without a VIP (--redis-only) by FAILOVER and by
# the CLIENT PAUSE path, --dry-run, refusals, and the rollback paths (replica
# killed mid-switch, timeout, a VIP that does not move); argument and config
# errors.
# Assertions are on exit codes, roles, data and JSON fields, not on wording.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
[ -n "${KEEP_LOG:-}" ] && trap 'cp "$RT_DIR/vipctl.log" "$KEEP_LOG"; rt_cleanup' EXIT
VIPCTL=$VIPKIT_BIN/vipctl
[ -x "$VIPCTL" ] || rt_skip "vipctl not built in $VIPKIT_BIN"

# vctl NAME PEER ARGS...: vipctl for the Redis NAME with PEER, stdout kept.
vctl() {
  local name=$1 peer=$2; shift 2
  "$VIPCTL" --port "${RT_PORT[$name]}" --peer "$(rt_addr "$peer")" --self "$(rt_addr "$name")" \
    --password-file "$RT_DIR/pass" --instance "it-$name" --state-dir "$RT_DIR/state" "$@" 2>> "$RT_DIR/vipctl.log"
}
field() {  # JSON-PATH: read a field from the JSON on stdin ("nodes.local.role")
  python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if isinstance(v,list) else v[k]
print(json.dumps(v) if isinstance(v,(dict,list,bool)) or v is None else v)' "$1"
}

echo "# status"
rt_fresh_pair m1 r1
out=$(vctl r1 m1 status --json); rc=$?
check "healthy pair: exit 0" test $rc -eq 0
check "  healthy in JSON" test "$(field healthy <<<"$out")" = true
check "  local is the replica" test "$(field nodes.local.role <<<"$out")" = replica
check "  peer is the master" test "$(field nodes.peer.role <<<"$out")" = master
check "  lag in bytes" test "$(field nodes.local.lag_bytes <<<"$out")" = 0
check "  versions shown" test -n "$(field nodes.peer.version <<<"$out")"
out=$(vctl m1 r1 status); rc=$?
check "from the master's side: healthy too (table)" test "$rc" -eq 0
check "  the table says so" grep -q ": healthy$" <<<"$out"
out=$(vctl r1 m1 status --format prometheus); rc=$?
check "--format prometheus: exit 0, healthy 1" eval '[ $rc -eq 0 ] && grep -q "^vipkit_pair_healthy{instance=\"[^\"]*\"} 1$" <<<"$out"'
if command -v promtool > /dev/null; then
  check "  promtool accepts it" eval 'promtool check metrics <<<"$out"'
fi

mkdir -p "$RT_DIR/state"
cat > "$RT_DIR/state/it-r1.json" <<'JSON'
{"instance":"it-r1","last":{"time":"2026-01-01T00:00:00Z","state":"backup","action":"repoint","reason":"covered-empty","result":"ok"},
 "history":[{"time":"2026-01-01T00:00:00Z","state":"backup","action":"repoint","reason":"covered-empty","result":"ok","local":{},"steps":[]}]}
JSON
out=$(vctl r1 m1 status --json)
check "VRRP state from vip-notify's state file" test "$(field vrrp.state <<<"$out")" = backup
check "  last transitions listed" test "$(field transitions.0.action <<<"$out")" = repoint
# A torn or hand-edited state file: one finding line naming the file and the
# field, exit 1 (not an uncaught exception: 134), the rest of the status shown.
for bad in '{"last":{"state":7}}' '{"instance":"it-r1","last":{"sta' '[1,2]' '{"last":"backup"}' \
  '{"last":{"state":"backup"},"history":[{"time":1}]}' '{"instance":"it-r1"}'; do
  printf '%s' "$bad" > "$RT_DIR/state/it-r1.json"
  out=$(vctl r1 m1 status); rc=$?
  check "bad state file $bad: exit 1, one line" \
    test "$rc-$(grep -c "^  ! state-file-invalid: state file $RT_DIR/state/it-r1.json" <<<"$out")" = 1-1
  check "  nodes still shown" grep -q "^  role  *replica  *master" <<<"$out"
done
out=$(vctl r1 m1 status --json); rc=$?
check "  in JSON: the finding" test "$rc-$(field findings.0.reason <<<"$out")" = 1-state-file-invalid
rm "$RT_DIR/state/it-r1.json"

rt_kill m1
out=$(vctl r1 m1 status --json); rc=$?
check "master down: exit 1" test $rc -eq 1
check "  reason peer-unreachable" test "$(field findings.0.reason <<<"$out")" = peer-unreachable
out=$(vctl r1 m1 status --format prometheus); rc=$?
check "  --format prometheus: still exit 0 (for the textfile collector), healthy 0, the finding named" \
  eval '[ $rc -eq 0 ] && grep -q "^vipkit_pair_healthy{.*} 0$" <<<"$out" && grep -q "^vipkit_pair_finding{.*reason=\"peer-unreachable\"} 1$" <<<"$out"'
out=$(vctl r1 m1 status --format yaml 2>&1); rc=$?
check "  --format yaml: usage error (2), one line" eval '[ $rc -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ]'

rt_fresh_pair m2 r2
rt_cli r2 REPLICAOF NO ONE > /dev/null
out=$(vctl r2 m2 status --json); rc=$?
check "two masters: exit 1, named" test "$rc-$(field findings.0.reason <<<"$out")" = 1-two-masters

writable() {  # NAME: a write returns at once (not paused, a master)
  [ "$(timeout 3 redis-cli --no-auth-warning -p "${RT_PORT[$1]}" SET it:probe 1 2>/dev/null)" = OK ]
}
no_marker() {  # NAME...
  local n; for n in "$@"; do [ "$(rt_cli "$n" EXISTS vipkit:switchover)" = 0 ] || return 1; done
}
# After a rollback: a short-lived marker naming the old master, so the
# automation's preferences follow it back; then removed here so the next case
# may start at once.
rollback_marker_to() {  # NAME: the marker on NAME names NAME, expires within 5 s
  local value ttl
  value=$(rt_cli "$1" GET vipkit:switchover)
  ttl=$(rt_cli "$1" PTTL vipkit:switchover)
  rt_cli "$1" DEL vipkit:switchover > /dev/null
  python3 -c 'import json,sys; m=json.loads(sys.argv[1]); assert m["op"]=="rollback" and m["to"]==sys.argv[2]' \
    "$value" "$(rt_addr "$1")" 2>/dev/null && [ "$ttl" -gt 0 ] && [ "$ttl" -le 5000 ]
}

echo "# promote / demote (Redis only)"
rt_fresh_pair m3 r3
out=$(vctl r3 m3 promote --dry-run --redis-only --json); rc=$?
check "--dry-run: exit 0 when every check passes" test $rc -eq 0
check "  result dry-run" test "$(field result <<<"$out")" = dry-run
check "  nine checks shown" test "$(field preflight <<<"$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 9
check "  nothing changed: roles" test "$(rt_role m3)-$(rt_role r3)" = master-slave
check "  nothing changed: no marker" no_marker m3 r3
out=$(vctl m3 r3 promote --dry-run --redis-only --json); rc=$?
check "--dry-run from the master's side: nothing to do (already), exit 0" \
  test "$rc-$(field result <<<"$out")" = 0-already

out=$(vctl r3 m3 promote --redis-only --json); rc=$?
check "promote (FAILOVER): exit 0" test $rc -eq 0
check "  result switched, method failover" test "$(field result <<<"$out")-$(field method <<<"$out")" = switched-failover
check "  local is master" test "$(rt_role r3)" = master
check "  old master follows it" rt_follows m3 r3
check "  every key on the new master" test "$(rt_count r3 m)" = 50
check "  write pause measured" test "$(field write_pause_ms <<<"$out")" != null
check "  marker gone from both" no_marker m3 r3
check "  new master writable" writable r3
check "  each step timed in the output" test "$(field steps.1.name <<<"$out")" = failover
rt_fill r3 n 20
out=$(vctl r3 m3 demote --redis-only --json); rc=$?
check "demote (FAILOVER): exit 0, the peer is master again" test "$rc-$(rt_role m3)" = 0-master
check "  local follows it" rt_wait 50 0.1 rt_follows r3 m3
check "  writes made on the promoted node kept" test "$(rt_count m3 n)" = 20
out=$(vctl r3 m3 promote --redis-only --client-pause --json); rc=$?
check "promote (CLIENT PAUSE path): exit 0" test "$rc-$(field method <<<"$out")" = 0-client-pause
check "  local is master, old master follows" eval 'rt_follows m3 r3 && [ "$(rt_role r3)" = master ]'
check "  old master not left paused" eval 'rt_cli m3 CLIENT INFO > /dev/null && writable r3'
out=$(vctl r3 m3 demote --redis-only --client-pause --json); rc=$?
check "demote (CLIENT PAUSE path): exit 0" test "$rc-$(rt_role m3)" = 0-master
check "  marker gone" no_marker m3 r3

echo "# refusals"
out=$(vctl m3 r3 promote --redis-only --json); rc=$?
check "promote on the master (twice in a row): nothing to do, exit 0" test "$rc-$(field result <<<"$out")" = 0-already
check "  nothing changed" test "$(rt_role m3)-$(rt_role r3)" = master-slave
"$VIPCTL" --port "${RT_PORT[r3]}" --peer "$(rt_addr m3)" --self 127.0.0.9:1 --password-file "$RT_DIR/pass" \
  promote --redis-only --json > "$RT_DIR/out" 2>> "$RT_DIR/vipctl.log"; rc=$?
check "a --self the master does not list: refused (target-address)" \
  eval '[ $rc -eq 1 ] && grep -q "\"target-address\"" "$RT_DIR/out" && [ "$(rt_role r3)" = slave ]'
rt_cli m3 SET vipkit:switchover '{"to":"x:1","from":"y:2","op":"promote","by":"someone"}' PX 60000 > /dev/null
out=$(vctl r3 m3 promote --redis-only --json); rc=$?
check "another switchover's marker: refused" test "$rc-$(field result <<<"$out")" = 1-refused
rt_cli m3 DEL vipkit:switchover > /dev/null
"$VIPCTL" --port "${RT_PORT[r3]}" --peer "$(rt_addr m3)" --password-file "$RT_DIR/pass" promote --redis-only \
  > /dev/null 2>&1; rc=$?
check "no --self: exit 2" test $rc -eq 2
vctl r3 m3 promote > /dev/null; rc=$?
check "no VIP mover (neither --vip nor --redis-only): exit 2" test $rc -eq 2

echo "# ACL"
for n in m3 r3; do
  rt_cli "$n" ACL SETUSER ops on '>ops-pw' '~*' '&*' +@all -failover > /dev/null
  rt_cli "$n" ACL SETUSER admin on '>admin-pw' '~*' '&*' +@all > /dev/null
done
(umask 077; echo ops-pw > "$RT_DIR/ops.pass"; echo admin-pw > "$RT_DIR/admin.pass")
acl_dry_run() {  # USER PASSFILE
  "$VIPCTL" --port "${RT_PORT[r3]}" --peer "$(rt_addr m3)" --self "$(rt_addr r3)" --user "$1" --password-file "$2" \
    promote --redis-only --dry-run --json 2>> "$RT_DIR/vipctl.log"
}
out=$(acl_dry_run ops "$RT_DIR/ops.pass"); rc=$?
acl=$(python3 -c 'import json,sys; print([c for c in json.load(sys.stdin)["preflight"] if c["check"]=="acl"][0]["status"])' <<<"$out")
check "ACL user without FAILOVER: the acl check fails, exit 1" test "$rc-$acl" = 1-fail
check "  and names the command" grep -q "failover" <<<"$out"
out=$(acl_dry_run admin "$RT_DIR/admin.pass"); rc=$?
acl=$(python3 -c 'import json,sys; print([c for c in json.load(sys.stdin)["preflight"] if c["check"]=="acl"][0]["status"])' <<<"$out")
check "ACL user with every right: passes (ACL DRYRUN), exit 0" test "$rc-$acl" = 0-pass

echo "# rollback"
# The old master cannot authenticate to the new one: FAILOVER demotes it,
# then the hand-over never completes. vipctl's bound passes: FAILOVER ABORT.
rt_fresh_pair m4 r4
rt_cli m4 CONFIG SET masterauth wrong-password > /dev/null
out=$(vctl r4 m4 promote --redis-only --timeout 500 --json); rc=$?
check "hand-over never completes: exit 1, rolled back" test "$rc-$(field result <<<"$out")" = 1-rolled-back
check "  reason failover-timeout" test "$(field reason <<<"$out")" = failover-timeout
check "  old master is master again, writable" eval '[ "$(rt_role m4)" = master ] && writable m4'
check "  local still a replica" test "$(rt_role r4)" = slave
check "  a rollback marker names the old master (5 s)" rollback_marker_to m4
check "  the replica follows the old master again" rt_wait 100 0.1 rt_follows r4 m4
check "  no key lost" test "$(rt_count r4 m)" = 50

# The replica dies while the old master hands over to it.
( vctl r4 m4 promote --redis-only --timeout 1000 --json > "$RT_DIR/killed.json" ) &
switch=$!
rt_wait 100 0.02 eval '[ "$(rt_field m4 master_failover_state)" = failover-in-progress ]'
rt_kill r4
wait $switch; rc=$?
out=$(cat "$RT_DIR/killed.json")
check "replica killed mid-switch: exit 1, rolled back" test "$rc-$(field result <<<"$out")" = 1-rolled-back
check "  one master: the old one, writable" eval '[ "$(rt_role m4)" = master ] && writable m4'
check "  a rollback marker names the old master (5 s)" rollback_marker_to m4
check "  every key still there" test "$(rt_count m4 m)" = 50
rt_cli m4 CONFIG SET masterauth "$RT_PASSWORD" > /dev/null

# A VIP that never moves (keepalived mover, the address answered by the old
# master throughout, as under nopreempt): the VIP goes first, so Redis is
# never switched; the preference file is restored.
rt_fresh_pair m5 r5
echo 0 > "$RT_DIR/m5.prefer"
out=$(vctl m5 r5 demote --vip 127.0.0.1 --vip-port "${RT_PORT[m5]}" --prefer-file "$RT_DIR/m5.prefer" \
  --vip-timeout 500 --json); rc=$?
check "VIP does not move: exit 1, rolled back" test "$rc-$(field result <<<"$out")" = 1-rolled-back
check "  reason vip-did-not-move" test "$(field reason <<<"$out")" = vip-did-not-move
check "  the preference file was written, then restored" \
  eval '[ "$(cat "$RT_DIR/m5.prefer")" = 0 ] && grep -q "name=vip-restore ok=yes" "$RT_DIR/vipctl.log"'
check "  the master role stays on the local node (Redis never switched), writable" eval '[ "$(rt_role m5)" = master ] && writable m5'
check "  the peer follows it" rt_wait 100 0.1 rt_follows r5 m5
check "  a rollback marker names the old master (5 s)" rollback_marker_to m5
check "  no key lost" test "$(rt_count m5 m)" = 50

echo "# arguments and configuration"
"$VIPCTL" > /dev/null 2>&1; rc=$?
check "no subcommand: exit 2" test $rc -eq 2
"$VIPCTL" status --port "${RT_PORT[m2]}" > /dev/null 2>&1; rc=$?
check "no --peer: exit 2" test $rc -eq 2
"$VIPCTL" status --bogus > /dev/null 2>&1; rc=$?
check "unknown flag: exit 2" test $rc -eq 2
printf 'port = %s\npeer = "%s"\nstate-dir = "%s"\nfence = true\n' "${RT_PORT[r2]}" "$(rt_addr m2)" "$RT_DIR/state" \
  > "$RT_DIR/r2.conf"
"$VIPCTL" --config "$RT_DIR/r2.conf" status > /dev/null 2>&1; rc=$?
check "vip-notify's instance file is accepted (its keys too): exit 1 for the split" test $rc -eq 1
echo 'no-such-key = 1' >> "$RT_DIR/r2.conf"
"$VIPCTL" --config "$RT_DIR/r2.conf" status > /dev/null 2>&1; rc=$?
check "unknown key in the config file: exit 2" test $rc -eq 2
# Into a variable first: grep -q leaves at the first match, and vipctl,
# still writing, would die of SIGPIPE (141 under pipefail) now and then.
help_text=$("$VIPCTL" --help); rc=$?
[ $rc -eq 0 ] && { grep -q "Exit codes" <<<"$help_text"; rc=$?; }
check "--help documents the exit codes" test $rc -eq 0

check_summary
