#!/usr/bin/env bash
# vipctl against real redis-server on loopback: status (verdict, JSON, the
# state file), argument and config errors.
# Assertions are on exit codes, roles, data and JSON fields, not on wording.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_init
trap rt_cleanup EXIT
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

mkdir -p "$RT_DIR/state"
cat > "$RT_DIR/state/it-r1.json" <<'JSON'
{"instance":"it-r1","last":{"time":"2026-01-01T00:00:00Z","state":"backup","action":"repoint","reason":"covered-empty","result":"ok"},
 "history":[{"time":"2026-01-01T00:00:00Z","state":"backup","action":"repoint","reason":"covered-empty","result":"ok","local":{},"steps":[]}]}
JSON
out=$(vctl r1 m1 status --json)
check "VRRP state from vip-notify's state file" test "$(field vrrp.state <<<"$out")" = backup
check "  last transitions listed" test "$(field transitions.0.action <<<"$out")" = repoint

rt_kill m1
out=$(vctl r1 m1 status --json); rc=$?
check "master down: exit 1" test $rc -eq 1
check "  reason peer-unreachable" test "$(field findings.0.reason <<<"$out")" = peer-unreachable

rt_fresh_pair m2 r2
rt_cli r2 REPLICAOF NO ONE > /dev/null
out=$(vctl r2 m2 status --json); rc=$?
check "two masters: exit 1, named" test "$rc-$(field findings.0.reason <<<"$out")" = 1-two-masters

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
"$VIPCTL" --help | grep -q "Exit codes"; rc=$?
check "--help documents the exit codes" test $rc -eq 0

check_summary
