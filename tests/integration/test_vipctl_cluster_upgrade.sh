#!/usr/bin/env bash
# vipctl cluster upgrade against a real Redis Cluster of 3 masters and 3
# replicas on loopback, a cluster client writing during the full upgrade. The restart
# command is this test's restart.sh: it stops the node by the PID it keeps
# and starts the same redis-server binary again with the same config file
# (nodes.conf kept, so the node rejoins with its id), and records each port
# it restarted.
#
# Only one Redis version is installed here, so no node can be "not yet
# upgraded" in the sense of --expect-version: a full run is a rolling
# restart without --expect-version, and --expect-version is exercised where
# it is observable with one binary — the installed version skips every node,
# a version nobody runs stops the run at the first wait. The resume that
# one binary can show is the state file's: a stop (a failing restart
# command) must leave the cluster healthy, and the re-run must restart
# exactly the nodes the first run did not (the unit tests replay a stop
# after every step of the plan, by version and by the record).
# Assertions are on exit codes, reasons and JSON fields, not on wording.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
source "$(dirname "$0")/../lib/cluster.sh"
rt_session
VIPCTL=$VIPKIT_BIN/vipctl
[ -x "$VIPCTL" ] || rt_skip "vipctl not built in $VIPKIT_BIN"
PY=/usr/bin/python3  # Debian's python3-redis, which a pyenv python3 first in PATH does not see
"$PY" -c 'import redis.cluster' 2>/dev/null || rt_skip "python3-redis (redis.cluster) not installed for $PY"
INSTALLED=$(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
[ -n "$INSTALLED" ] || rt_skip "cannot read redis-server's version"

# The servers restart.sh starts are not children of this shell: stop them
# by the PIDs it recorded, then the rest as usual.
stop_restarted() {
  local f
  for f in "$RT_DIR"/pid-*; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
  rt_cleanup
}
trap stop_restarted EXIT

upgrade() {  # ARGS...: vipctl cluster upgrade, stdout kept, stderr (the step log) to a file
  "$VIPCTL" cluster upgrade --password-file "$RT_DIR/pass" --node "$(rt_addr n1)" "$@" 2>> "$RT_DIR/vipctl.log"
}
RESTART="$RT_DIR/restart.sh {port}"
healthy() { "$VIPCTL" cluster status --node "$(rt_addr n1)" --password-file "$RT_DIR/pass" > /dev/null 2>&1; }
field() {  # PYTHON-EXPRESSION on the JSON document `d` read from stdin
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
restarts() { [ -f "$RT_DIR/restarted" ] && wc -l < "$RT_DIR/restarted" || echo 0; }
masters() {  # the ports of the masters serving slots, sorted, as n1 sees them
  rt_cli n1 CLUSTER NODES | tr -d '\r' | awk '$3 ~ /master/ && $9 != "" { split($2, a, "[:@]"); print a[2] }' | sort -n | xargs
}

echo "# [${SECONDS}s] a 3+3 cluster, and the restart command"
cluster_create || { not_ok "cluster create: 6 nodes, cluster_state:ok on every node (bounded)"; check_summary; exit 1; }
ok "cluster create: 6 nodes, cluster_state:ok on every node"
check "healthy (bounded: gossip, replicas linking)" rt_wait 100 0.2 healthy
for n in "${CLUSTER_NAMES[@]}"; do
  echo "${RT_PID[$n]}" > "$RT_DIR/pid-${RT_PORT[$n]}"
  echo "$RT_DIR/$n/redis.conf" > "$RT_DIR/conf-${RT_PORT[$n]}"
done
cat > "$RT_DIR/restart.sh" <<SCRIPT
#!/bin/sh
# restart.sh PORT: stop the node on PORT by its PID, start it again, record it.
# Exits 3 without touching anything when PORT is in $RT_DIR/fail-port;
# restarts the node without its nodes.conf when PORT is in $RT_DIR/wipe-port.
dir=$RT_DIR
port=\$1
if [ -f "\$dir/fail-port" ] && [ "\$(cat "\$dir/fail-port")" = "\$port" ]; then
  echo "restart.sh: refusing to restart \$port (the test's failing node)" >&2
  exit 3
fi
pid=\$(cat "\$dir/pid-\$port") || exit 1
kill "\$pid" 2>/dev/null
i=0
while kill -0 "\$pid" 2>/dev/null && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
kill -9 "\$pid" 2>/dev/null
if [ -f "\$dir/wipe-port" ] && [ "\$(cat "\$dir/wipe-port")" = "\$port" ]; then rm -f "\$dir"/*/nodes-"\$port".conf; fi
redis-server "\$(cat "\$dir/conf-\$port")" >> "\$dir/restart-\$port.log" 2>&1 < /dev/null &
echo \$! > "\$dir/pid-\$port"
echo "\$port" >> "\$dir/restarted"
echo "restarted \$port as pid \$!"
SCRIPT
chmod +x "$RT_DIR/restart.sh"
original_masters=$(masters)
check "three masters" test "$(wc -w <<<"$original_masters")" = 3

echo "# [${SECONDS}s] usage errors: exit 2, one line, nothing runs"
for bad in "--restart-cmd" "--restart-cmd '' " "--restart-cmd {hostname}" "--restart-cmd x --expect-version 7.x" \
  "--restart-cmd x --timeout 5" "--restart-cmd x --bogus"; do
  # shellcheck disable=SC2086 # the flags split on purpose
  err=$(eval "\"$VIPCTL\" cluster upgrade --node $(rt_addr n1) --password-file $RT_DIR/pass $bad" 2>&1 >/dev/null)
  rc=$?
  check "'$bad': exit 2, one line" test "$rc-$(wc -l <<<"$err")" = 2-1
done
err=$("$VIPCTL" cluster upgrade --node nonsense --restart-cmd x --password-file "$RT_DIR/pass" 2>&1 >/dev/null); rc=$?
check "--node nonsense: exit 2, one line" test "$rc-$(wc -l <<<"$err")" = 2-1
check "  nothing restarted" test "$(restarts)" = 0

echo "# [${SECONDS}s] --dry-run: the plan, nothing changes"
json=$(upgrade --restart-cmd "$RESTART" --dry-run --json --swap-back --backup-dir "$RT_DIR/backups"); rc=$?
check "exit 0, 25 steps (health, 3 backups, 3 replicas x 2, 3 masters x 3, 3 swap-backs x 2)" \
  test "$rc-$(field 'len(d["plan"]["steps"])' <<<"$json")" = 0-25
check "  nothing restarted, no state file" test "$(restarts)-$(ls "$RT_DIR/backups" 2>/dev/null | wc -l)" = 0-0
json=$(upgrade --restart-cmd "$RESTART" --dry-run --json --expect-version "$INSTALLED"); rc=$?
check "--expect-version $INSTALLED (installed): every node skipped, the health check only" \
  test "$rc-$(field '(len(d["plan"]["skipped"]), [s["kind"] for s in d["plan"]["steps"]])' <<<"$json")" = \
  "0-(6, ['check-health'])"

echo "# [${SECONDS}s] the full upgrade with swap-back and backups, a client writing"
cluster_writer_start "${RT_PORT[n1]}" 60
check "the writer writes (bounded)" rt_wait 50 0.1 acked 50
json=$(upgrade --restart-cmd "$RESTART" --json --swap-back --backup-dir "$RT_DIR/backups" --timeout 30000); rc=$?
check "exit 0, done" test "$rc-$(field 'd["result"]' <<<"$json")" = 0-done
echo "# [${SECONDS}s] steps (ms): $(field '" ".join(s["name"] + "=" + str(s["ms"]) for s in d["steps"])' <<<"$json")"
check "  every step ran and held" \
  test "$(field '(len(d["steps"]), all(s["ok"] for s in d["steps"]), len(d["plan"]["steps"]))' <<<"$json")" = \
  "(25, True, 25)"
check "  each node restarted once" test "$(sort -u "$RT_DIR/restarted" | wc -l)-$(restarts)" = 6-6
check "  the original masters are masters again (swap-back)" test "$(masters)" = "$original_masters"
check "  3 RDB copies with their JSON" \
  test "$(ls "$RT_DIR"/backups/*.rdb | wc -l)-$(ls "$RT_DIR"/backups/cluster-*.json | wc -l)" = 3-3
check "  the state file is gone once done" test ! -e "$RT_DIR/backups/cluster-upgrade-state.json"
check "  cluster healthy" healthy
before=$(wc -l < "$RT_DIR/acked")
check "  the writer goes on (bounded)" rt_wait 50 0.1 acked $((before + 50))
cluster_writer_finish "${RT_PORT[n1]}"

echo "# [${SECONDS}s] --expect-version: the installed version skips every node; one nobody runs stops at the first wait"
json=$(upgrade --restart-cmd "$RESTART" --json --expect-version "$INSTALLED"); rc=$?
check "installed: exit 0, only the health check, nothing restarted" \
  test "$rc-$(field '[s["name"] for s in d["steps"]]' <<<"$json")-$(restarts)" = "0-['check-health']-6"
json=$(upgrade --restart-cmd "$RESTART" --json --expect-version 99.0.0 --timeout 3000); rc=$?
check "99.0.0: exit 1, stopped in the first wait" \
  test "$rc-$(field '(d["reason"], [s["name"] for s in d["steps"]])' <<<"$json")" = \
  "1-('wait-synced-failed', ['check-health', 'restart', 'wait-synced'])"
check "  the wait says version-unexpected" grep -q version-unexpected <<<"$(field 'd["pending"]' <<<"$json")"
check "  what is left starts with that wait" test "$(field 'd["remaining"][0]["kind"]' <<<"$json")" = wait-synced
check "  one node restarted" test "$(restarts)" = 7
check "  cluster healthy (bounded: its full sync)" rt_wait 100 0.2 healthy

echo "# [${SECONDS}s] a restart command that fails for one node: stop, healthy, a re-run finishes"
dry=$(upgrade --restart-cmd "$RESTART" --dry-run --json)
second=$(field '[s["node"]["address"] for s in d["plan"]["steps"] if s["kind"] == "restart"][1].split(":")[1]' <<<"$dry")
first_id=$(field '[s["node"]["id"] for s in d["plan"]["steps"] if s["kind"] == "restart"][0]' <<<"$dry")
echo "$second" > "$RT_DIR/fail-port"
STATE=$RT_DIR/state/upgrade.json
json=$(upgrade --restart-cmd "$RESTART" --json --state-file "$STATE"); rc=$?
check "exit 1, restart-failed at the second restart" \
  test "$rc-$(field '(d["reason"], [s["name"] for s in d["steps"]])' <<<"$json")" = \
  "1-('restart-failed', ['check-health', 'restart', 'wait-synced', 'restart'])"
check "  the step log has the command's exit code and output" \
  grep -q "exit 3: restart.sh: refusing to restart $second" <<<"$(field 'd["steps"][-1]["detail"]' <<<"$json")"
check "  what is left starts with that restart" \
  test "$(field '(d["remaining"][0]["kind"], d["remaining"][0]["node"]["address"])' <<<"$json")" = \
  "('restart', '127.0.0.1:$second')"
check "  one more node restarted (the first replica again), not $second" \
  test "$(restarts)-$(tail -n +8 "$RT_DIR/restarted" | grep -c "^$second\$")" = 8-0
check "  cluster healthy" healthy
check "  the state file records the 3 masters of the first run" \
  test "$(field 'len(d["original_masters"])' < "$STATE")" = 3
check "  and the one node it restarted" test "$(field 'd["restarted"]' < "$STATE")" = "['$first_id']"
rm -f "$RT_DIR/fail-port"
# The re-run reads the record back: an unreadable one refuses it.
cp "$STATE" "$RT_DIR/state.saved"
echo garbage > "$STATE"
json=$(upgrade --restart-cmd "$RESTART" --json --state-file "$STATE"); rc=$?
check "a re-run with an unreadable state file: exit 1, state-file-unusable, nothing restarted" \
  test "$rc-$(field 'd["reason"]' <<<"$json")-$(restarts)" = 1-state-file-unusable-8
cp "$RT_DIR/state.saved" "$STATE"
json=$(upgrade --restart-cmd "$RESTART" --json --state-file "$STATE" --timeout 30000); rc=$?
check "the re-run: exit 0, done" test "$rc-$(field 'd["result"]' <<<"$json")" = 0-done
echo "# [${SECONDS}s] steps (ms): $(field '" ".join(s["name"] + "=" + str(s["ms"]) for s in d["steps"])' <<<"$json")"
check "  the state file is gone once done" test ! -e "$STATE"
check "  the 5 others restarted once each, the one restarted before not again" \
  test "$(tail -n +9 "$RT_DIR/restarted" | sort | uniq -c | awk '$1 == 1' | wc -l)-$(restarts)-$(
    tail -n +9 "$RT_DIR/restarted" | grep -c "^$(sed -n 8p "$RT_DIR/restarted")\$")" = 5-13-0
check "  roles swapped: no original master serves slots (no --swap-back)" \
  test -z "$(comm -12 <(tr ' ' '\n' <<<"$original_masters" | sort) <(masters | tr ' ' '\n' | sort))"
check "  cluster healthy" healthy

echo "# [${SECONDS}s] a node restarted without its nodes.conf: the wait stops at once, node-id-changed"
# It comes back as a new node nobody meets; its old id stays unreachable
# (noaddr) for good, so waiting out --timeout (60 s here) cannot help.
wiped=$(upgrade --restart-cmd "$RESTART" --dry-run --json |
  field '[s["node"]["address"] for s in d["plan"]["steps"] if s["kind"] == "restart"][0].split(":")[1]')
echo "$wiped" > "$RT_DIR/wipe-port"
started=$SECONDS
json=$(upgrade --restart-cmd "$RESTART" --json --timeout 60000); rc=$?
echo "# [${SECONDS}s] $(field 'd["detail"]' <<<"$json")"
check "exit 1, wait-synced-failed after the restart of $wiped" \
  test "$rc-$(field '(d["reason"], [s["name"] for s in d["steps"]])' <<<"$json")" = \
  "1-('wait-synced-failed', ['check-health', 'restart', 'wait-synced'])"
check "  the first finding is node-id-changed, naming $wiped" \
  test "$(field '(d["pending"][0]["reason"], ":'"$wiped"' answers as node" in d["pending"][0]["detail"])' <<<"$json")" = \
  "('node-id-changed', True)"
check "  long before the 60 s timeout" test $((SECONDS - started)) -lt 30

check_summary
