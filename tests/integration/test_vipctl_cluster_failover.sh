#!/usr/bin/env bash
# vipctl cluster failover against a real Redis Cluster of 3 masters and 3
# replicas on loopback: refusals first (a master given as --replica, an
# unreachable node: exit 1, one line; bad flags: exit 2), --dry-run changes
# nothing, then one master handed to its replica while a cluster client
# writes: exit 0, roles swapped in every node's view, `vipctl cluster
# status` healthy, every acknowledged write present.
# Assertions are on exit codes, reasons and JSON fields, not on wording.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
source "$(dirname "$0")/../lib/cluster.sh"
rt_session
VIPCTL=$VIPKIT_BIN/vipctl
[ -x "$VIPCTL" ] || rt_skip "vipctl not built in $VIPKIT_BIN"
# Debian's python3-redis (scripts/install-deps.sh) lives under /usr/bin/python3,
# which a pyenv python3 first in PATH does not see.
PY=/usr/bin/python3
"$PY" -c 'import redis.cluster' 2>/dev/null || rt_skip "python3-redis (redis.cluster) not installed for $PY"

failover() {  # ARGS...: vipctl cluster failover, stdout kept, stderr (the step log) to a file
  "$VIPCTL" cluster failover --password-file "$RT_DIR/pass" "$@" 2>> "$RT_DIR/vipctl.log"
}
healthy_via() { "$VIPCTL" cluster status --node "$(rt_addr "$1")" --password-file "$RT_DIR/pass" > /dev/null 2>&1; }
field() {  # PYTHON-EXPRESSION on the JSON document `d` read from stdin
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
epoch() { rt_cli "$1" CLUSTER INFO | tr -d '\r' | sed -n 's/^cluster_current_epoch://p'; }
# "ROLE-OF-NEW MASTER-OF-OLD" as node N's CLUSTER NODES has them, e.g. "master <id>".
seen_by() {  # NODE NEW-ID OLD-ID
  rt_cli "$1" CLUSTER NODES | tr -d '\r' | awk -v new="$2" -v old="$3" '
    $1 == new { r = ($3 ~ /master/) ? "master" : "replica" }
    $1 == old { m = ($3 ~ /slave/) ? $4 : "not-a-replica" }
    END { print r, m }'
}
swapped_everywhere() {  # NEW-ID OLD-ID: every node sees NEW master, OLD its replica
  local n
  for n in "${CLUSTER_NAMES[@]}"; do [ "$(seen_by "$n" "$1" "$2")" = "master $1" ] || return 1; done
}

echo "# a 3+3 cluster"
cluster_create || { not_ok "cluster create: 6 nodes, cluster_state:ok on every node (bounded)"; check_summary; exit 1; }
ok "cluster create: 6 nodes, cluster_state:ok on every node"
check "healthy (bounded: gossip, replicas linking)" rt_wait 100 0.2 healthy_via n1
master=n1
replica=$(cluster_replica_of "$master")
check "n1 has a replica" test -n "$replica"
master_id=$(cluster_node_id "$master")
replica_id=$(cluster_node_id "$replica")

echo "# refusals and usage errors: nothing changes"
epoch_before=$(epoch "$master")
out=$(failover --replica "$(rt_addr "$master")"); rc=$?
check "a master as --replica: exit 1, one line" test "$rc-$(wc -l <<<"$out")" = 1-1
check "  it says is-replica" grep -q '^refused: is-replica: ' <<<"$out"
dead=$(rt_free_port)
out=$(failover --replica "127.0.0.1:$dead"); rc=$?
check "an unreachable --replica: exit 1, one line naming it" \
  test "$rc-$(wc -l <<<"$out")-$(grep -c "node-unreachable: 127.0.0.1:$dead" <<<"$out")" = 1-1-1
for bad in "--bogus" "--timeout nonsense" "--timeout 5" "--force --takeover" "--max-lag -1"; do
  # shellcheck disable=SC2086 # the flags split on purpose
  err=$("$VIPCTL" cluster failover --replica "$(rt_addr "$replica")" --password-file "$RT_DIR/pass" $bad 2>&1 >/dev/null)
  rc=$?
  check "'$bad': exit 2, one line" test "$rc-$(wc -l <<<"$err")" = 2-1
done
err=$("$VIPCTL" cluster failover --password-file "$RT_DIR/pass" 2>&1 >/dev/null); rc=$?
check "no --replica: exit 2" test $rc -eq 2
err=$("$VIPCTL" cluster failover --replica nonsense --password-file "$RT_DIR/pass" 2>&1 >/dev/null); rc=$?
check "--replica nonsense: exit 2, one line" test "$rc-$(wc -l <<<"$err")" = 2-1

json=$(failover --replica "$(rt_addr "$replica")" --dry-run --json); rc=$?
check "--dry-run: exit 0, result dry-run, no step" \
  test "$rc-$(field '(d["result"], len(d["steps"]), d["plan"]["master_id"])' <<<"$json")" = "0-('dry-run', 0, '$master_id')"
out=$(failover --replica "$(rt_addr "$replica")" --dry-run --takeover); rc=$?
check "--dry-run --takeover: exit 0, the risk printed" test "$rc-$(grep -c '^RISK: TAKEOVER' <<<"$out")" = 0-1
check "  nothing changed: roles and epoch as before" \
  test "$(rt_role "$master") $(rt_role "$replica") $(epoch "$master")" = "master slave $epoch_before"
check "  every view as before" swapped_everywhere "$master_id" "$replica_id"

echo "# failover with a client writing"
cluster_writer_start "${RT_PORT[$master]}" 25
check "the writer writes (bounded)" rt_wait 50 0.1 acked 50
json=$(failover --replica "$(rt_addr "$replica")" --json --timeout 15000); rc=$?
check "failover: exit 0, done" test "$rc-$(field 'd["result"]' <<<"$json")" = 0-done
check "  steps in order, each ok" test "$(field '[(s["name"], s["ok"]) for s in d["steps"]]' <<<"$json")" = \
  "[('cluster-failover', True), ('replica-is-master', True), ('views-agree', True), ('old-master-linked', True)]"
check "  roles swapped in every node's view" swapped_everywhere "$replica_id" "$master_id"
check "  ROLE: $replica master, $master its linked replica" \
  test "$(rt_role "$replica") $(rt_role "$master") $(rt_field "$master" master_port) $(rt_field "$master" master_link_status)" = \
  "master slave ${RT_PORT[$replica]} up"
check "cluster status healthy afterwards" healthy_via "$master"
before=$(wc -l < "$RT_DIR/acked")
check "  the writer goes on after the failover (bounded)" rt_wait 50 0.1 acked $((before + 50))
cluster_writer_finish "${RT_PORT[$replica]}"

echo "# the same node again: now a master, refused"
out=$(failover --replica "$(rt_addr "$replica")"); rc=$?
check "exit 1, one line" test "$rc-$(wc -l <<<"$out")" = 1-1

check_summary
