#!/usr/bin/env bash
# vipctl cluster status against a real Redis Cluster of 3 masters and 3
# replicas on loopback (the seeds/000 layout, on one host): healthy, JSON, a
# replica killed (a finding naming it) and restarted, a master killed (the
# cluster fails over: findings) and restarted (healthy again); an unreachable
# --node, a Redis not in cluster mode, usage errors.
# Assertions are on exit codes, reasons and JSON fields, not on wording.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
source "$(dirname "$0")/../lib/cluster.sh"
rt_session
VIPCTL=$VIPKIT_BIN/vipctl
[ -x "$VIPCTL" ] || rt_skip "vipctl not built in $VIPKIT_BIN"

vcluster() {  # NODE-NAME ARGS...: cluster status through that node, stdout kept
  local name=$1; shift
  "$VIPCTL" cluster status --node "$(rt_addr "$name")" --password-file "$RT_DIR/pass" "$@" 2>> "$RT_DIR/vipctl.log"
}
healthy_via() { vcluster "$1" > /dev/null; }
finding_via() {  # NODE-NAME PATTERN: a line of its table (exit 1 when unhealthy) matches
  local out; out=$(vcluster "$1"); grep -q "$2" <<<"$out"
}
field() {  # PYTHON-EXPRESSION on the JSON document `d` read from stdin
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
echo "# a 3+3 cluster"
cluster_create || { not_ok "cluster create: 6 nodes, cluster_state:ok on every node (bounded)"; check_summary; exit 1; }
ok "cluster create: 6 nodes, cluster_state:ok on every node"
# Gossip needs a moment more for every node to agree and every replica to link.
check "healthy: exit 0 (within 20 s of cluster_state:ok)" rt_wait 100 0.2 healthy_via n1
out=$(vcluster n1); rc=$?
check "  exit 0 again" test $rc -eq 0
check "  the table says healthy" grep -q "^cluster via $(rt_addr n1): healthy" <<<"$out"
check "  the table lists 6 nodes" test "$(grep -cE '^  [0-9a-f]{8} +127\.0\.0\.1:' <<<"$out")" = 6
json=$(vcluster n4 --json); rc=$?
check "--json through another node: exit 0, healthy" test "$rc-$(field 'd["healthy"]' <<<"$json")" = 0-True
check "  3 masters, 3 replicas" test "$(field '[n["role"] for n in d["nodes"]].count("master"), [n["role"] for n in d["nodes"]].count("replica")' <<<"$json")" = "(3, 3)"
check "  16384 slots" test "$(field 'sum(n["slot_count"] for n in d["nodes"])' <<<"$json")" = 16384
check "  every node answered, one version" test "$(field 'len({n["version"] for n in d["nodes"] if n["reachable"]})' <<<"$json")" = 1
check "  replicas linked, lag known" test "$(field '{(n["master_link_status"], n["lag_bytes"] is not None) for n in d["nodes"] if n["role"] == "replica"}' <<<"$json")" = "{('up', True)}"

echo "# a replica killed"
master=n1
replica=$(cluster_replica_of "$master")
check "n1 has a replica" test -n "$replica"
rt_kill "$replica"
out=$(vcluster "$master"); rc=$?
check "replica $replica killed: exit 1" test $rc -eq 1
check "  a finding names it" grep -q "^  ! node-unreachable: $(rt_addr "$replica")" <<<"$out"
check "  its master has no linked replica" grep -q "^  ! master-without-replica: $(rt_addr "$master")" <<<"$out"
json=$(vcluster "$master" --json)
check "  in JSON: unreachable, not healthy" test "$(field '(d["healthy"], [n["reachable"] for n in d["nodes"]].count(False))' <<<"$json")" = "(False, 1)"
check "  flagged fail once the node timeout passed (bounded)" \
  rt_wait 50 0.2 finding_via "$master" "^  ! node-fail: $(rt_addr "$replica")"
cluster_start_node "$replica"
check "restarted: healthy again (bounded)" rt_wait 100 0.2 healthy_via "$master"

echo "# a master killed"
master=n2
replica=$(cluster_replica_of "$master")
check "n2 has a replica" test -n "$replica"
rt_kill "$master"
promoted() { [ "$(rt_role "$replica")" = master ] && cluster_state_ok "$replica"; }
check "the cluster fails over to $replica (bounded)" rt_wait 100 0.2 promoted
out=$(vcluster "$replica"); rc=$?
check "  exit 1" test $rc -eq 1
check "  the old master is unreachable" grep -q "^  ! node-unreachable: $(rt_addr "$master")" <<<"$out"
check "  and flagged fail" grep -q "^  ! node-fail: $(rt_addr "$master")" <<<"$out"
check "  the promoted master has no replica" grep -q "^  ! master-without-replica: $(rt_addr "$replica")" <<<"$out"
cluster_start_node "$master"
check "old master restarted: it rejoins as a replica, healthy again (bounded)" rt_wait 100 0.2 healthy_via "$replica"
check "  it is a replica now" test "$(rt_role "$master")" = slave

echo "# errors"
dead=$(rt_free_port)
out=$("$VIPCTL" cluster status --node "127.0.0.1:$dead" --password-file "$RT_DIR/pass" 2>/dev/null); rc=$?
check "unreachable --node: exit 1, one line naming it" \
  test "$rc-$(wc -l <<<"$out")-$(grep -c "node-unreachable: 127.0.0.1:$dead" <<<"$out")" = 1-1-1
rt_redis_start plain
out=$(vcluster plain); rc=$?
check "a Redis not in cluster mode: exit 1, not-a-cluster" test "$rc-$(grep -c 'not-a-cluster' <<<"$out")" = 1-1
for bad in "" "nonsense" "127.0.0.1:0" "127.0.0.1:99999"; do
  out=$("$VIPCTL" cluster status --node "$bad" --password-file "$RT_DIR/pass" 2>&1 >/dev/null); rc=$?
  check "--node '$bad': exit 2, one line" test "$rc-$(wc -l <<<"$out")" = 2-1
done
out=$("$VIPCTL" cluster status --password-file "$RT_DIR/pass" 2>&1 >/dev/null); rc=$?
check "no --node: exit 2" test $rc -eq 2
cp "$RT_DIR/pass" "$RT_DIR/pass-open"; chmod 644 "$RT_DIR/pass-open"
out=$("$VIPCTL" cluster status --node "$(rt_addr n1)" --password-file "$RT_DIR/pass-open" 2>&1 >/dev/null); rc=$?
check "group-readable password file: exit 2, one line" test "$rc-$(wc -l <<<"$out")" = 2-1
out=$("$VIPCTL" cluster 2>&1 >/dev/null); rc=$?
check "cluster without a subcommand: exit 2" test $rc -eq 2

check_summary
