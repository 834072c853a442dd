# shellcheck shell=bash
# The seeds/000 layout in the namespace lab, shared by
# test_cluster_upgrade_seed000.sh and scripts/bench-cluster-upgrade.sh:
# hosts a, b, c each run a cluster master on 6479 and, on 6480, a replica of
# the NEXT host's master (a's 6480 replicates b's 6479, b's c's, c's a's),
# crossed as in the seed's first table (10.0.0.87 = a, .82 = b, .9 = c), so
# no host holds a master and its own replica. Host 1 is the client: the
# cluster writer and vipctl run there, over the bridge.
#
# Nodes bind to their namespace address and announce it, so the cluster bus
# and the slot map a client follows carry 192.0.2.x. Every node is started by
# $LAB_DIR/restart.sh — at creation as for vipctl's --restart-cmd — which
# keeps each node's PID in a file: the PID of a restarted node is only there,
# so seed_down stops nodes by those files (and only a PID that is still a
# redis-server), never by name.
# Source after tests/lib/lab.sh, then seed_session.

SEED_HOSTS=(a b c)
SEED_CLIENT=1
SEED_MASTER_PORT=6479
SEED_REPLICA_PORT=6480
declare -A SEED_NEXT=([a]=b [b]=c [c]=a)
declare -A SEED_HOST_OF=()  # address -> lab host, for the tests' messages
PY=/usr/bin/python3  # Debian's python3-redis, which a pyenv python3 first in PATH does not see
SEED_WRITER=$(dirname "${BASH_SOURCE[0]}")/../lib/cluster_writer.py

# seed_session: the lab (trap set), the six nodes, the crossed replicas;
# returns non-zero when the cluster did not form (bounded).
seed_session() {
  lab_init
  VIPCTL=$VIPKIT_BIN/vipctl
  [ -x "$VIPCTL" ] || lab_skip "vipctl not built in $VIPKIT_BIN"
  "$PY" -c 'import redis.cluster' 2>/dev/null || lab_skip "python3-redis (redis.cluster) not installed for $PY"
  trap seed_down EXIT
  lab_up "${SEED_HOSTS[@]}" "$SEED_CLIENT"
  local h
  # shellcheck disable=SC2034 # SEED_HOST_OF is read by the test
  for h in "${SEED_HOSTS[@]}"; do SEED_HOST_OF[${LAB_ADDR[$h]}]=$h; done
  seed_write_restart_script
  seed_create
}

seed_down() {
  local f pid
  for f in "$LAB_DIR"/nodes/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    # A node that died on its own may have left its PID to someone else.
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q '^redis-server ' && kill -9 "$pid"
  done
  lab_down
}

seed_addr() { echo "${LAB_ADDR[$1]}:$2"; }  # HOST PORT
seed_cli() { lab_cli "$SEED_CLIENT" -h "${LAB_ADDR[$1]}" -p "$2" "${@:3}"; }  # HOST PORT ARGS...

# restart.sh ADDR PORT [start]: stop the node by the PID in its file (TERM,
# then KILL after 5 s), start the same Debian redis-server with the same
# config (nodes.conf kept: it rejoins with its id) in its host's namespace.
# "start" only starts (creation). When $LAB_DIR/refuse holds ADDR:PORT the
# node is stopped and not started again — "a node refuses to come back" —
# and the script exits 3 saying so. Each restart is logged with its times.
seed_write_restart_script() {
  mkdir -p "$LAB_DIR/nodes"
  cat > "$LAB_DIR/restart.sh" <<SCRIPT
#!/bin/sh
dir=$LAB_DIR/nodes
node=\$1:\$2
running() { state=\$(cut -d' ' -f3 "/proc/\$1/stat" 2>/dev/null) && [ "\$state" != Z ]; }
ns=\$(cat "\$dir/\$node.ns") || { echo "restart.sh: \$node is not a lab node" >&2; exit 2; }
if [ "\${3:-}" != start ]; then
  echo "\$(date +%s%3N) stop \$node" >> "\$dir/restarts"
  pid=\$(cat "\$dir/\$node.pid") || exit 1
  kill "\$pid" 2>/dev/null
  i=0
  # Not kill -0: the node is nobody's child here, so it stays a zombie
  # until init reaps it, which took 1.7 s in this lab.
  while running "\$pid" && [ \$i -lt 100 ]; do sleep 0.05; i=\$((i + 1)); done
  running "\$pid" && kill -9 "\$pid"
  if [ "\$(cat $LAB_DIR/refuse 2>/dev/null)" = "\$node" ]; then
    echo "restart.sh: \$node stopped and does not come back (the test's refusing node)" >&2
    exit 3
  fi
fi
ip netns exec "\$ns" redis-server "\$dir/\$node.conf" >> "\$dir/\$node.log" 2>&1 < /dev/null &
echo \$! > "\$dir/\$node.pid"
echo "\$(date +%s%3N) start \$node pid \$!" >> "\$dir/restarts"
echo "started \$node as pid \$!"
SCRIPT
  chmod 0755 "$LAB_DIR/restart.sh"
}

seed_node_up() { [ "$(seed_cli "$1" "$2" PING)" = PONG ]; }  # HOST PORT

# seed_node_start HOST PORT: its config (password lines in the file, no
# persistence: a restarted replica full-syncs, as after a binary swap
# without an RDB), then restart.sh ADDR PORT start.
seed_node_start() {
  local h=$1 port=$2 addr=${LAB_ADDR[$1]}
  local node=$addr:$port d=$LAB_DIR/$h/$port
  mkdir -p "$d"
  umask 077
  cat > "$LAB_DIR/nodes/$node.conf" <<CONF
port $port
bind $addr
dir $d
cluster-enabled yes
cluster-config-file $d/nodes.conf
cluster-node-timeout 2000
cluster-announce-ip $addr
save ""
appendonly no
requirepass $LAB_PASSWORD
masterauth $LAB_PASSWORD
repl-diskless-sync-delay 0
CONF
  umask 022
  lab_ns "$h" > "$LAB_DIR/nodes/$node.ns"
  "$LAB_DIR/restart.sh" "$addr" "$port" start > /dev/null
  lab_wait 50 0.1 seed_node_up "$h" "$port"
}

seed_state_ok() {  # every node answers cluster_state:ok
  local h port
  for h in "${SEED_HOSTS[@]}"; do
    for port in $SEED_MASTER_PORT $SEED_REPLICA_PORT; do
      seed_cli "$h" "$port" CLUSTER INFO | tr -d '\r' | grep -qx 'cluster_state:ok' || return 1
    done
  done
}

# The masters by redis-cli --cluster create (three, no replicas), then each
# 6480 meets the cluster and replicates the next host's master by id, so the
# crossing is the seed's and not redis-cli's choice.
seed_create() {
  local h addrs=()
  for h in "${SEED_HOSTS[@]}"; do
    seed_node_start "$h" $SEED_MASTER_PORT && seed_node_start "$h" $SEED_REPLICA_PORT || return 1
    addrs+=("$(seed_addr "$h" $SEED_MASTER_PORT)")
  done
  lab_exec "$SEED_CLIENT" redis-cli --no-auth-warning --cluster create "${addrs[@]}" --cluster-replicas 0 \
    --cluster-yes > "$LAB_DIR/create.log" 2>&1 || return 1
  for h in "${SEED_HOSTS[@]}"; do
    seed_cli "$h" $SEED_REPLICA_PORT CLUSTER MEET "${LAB_ADDR[a]}" $SEED_MASTER_PORT > /dev/null
  done
  for h in "${SEED_HOSTS[@]}"; do
    local id; id=$(seed_cli "${SEED_NEXT[$h]}" $SEED_MASTER_PORT CLUSTER MYID | tr -d '\r')
    # Bounded: REPLICATE refuses a node the 6480 has not heard of yet.
    lab_wait 50 0.2 seed_replicate "$h" "$id" || return 1
  done
  # Then until vipctl sees every node agree (gossip spreads the replicas
  # in a few node-timeout periods).
  lab_wait 100 0.2 seed_state_ok && lab_wait 100 0.2 seed_healthy
}
seed_replicate() { [ "$(seed_cli "$1" $SEED_REPLICA_PORT CLUSTER REPLICATE "$2")" = OK ]; }

# seed_roles: each node as a's 6479 sees the cluster, "host:port=master" or
# "host:port=MASTERHOST:MASTERPORT" for a replica, sorted, on one line: the
# seed's tables in lab names.
seed_roles() {
  local h
  seed_cli "$1" "${2:-$SEED_MASTER_PORT}" CLUSTER NODES | tr -d '\r' | awk -v map="$(
    for h in "${SEED_HOSTS[@]}"; do printf '%s=%s ' "${LAB_ADDR[$h]}" "$h"; done)" '
    BEGIN { n = split(map, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); host[p[1]] = p[2] } }
    { split($2, a, "[:@]"); name[$1] = host[a[1]] ":" a[2]; master[$1] = $4 }
    END { for (id in name) print name[id] "=" (master[id] == "-" ? "master" : name[master[id]]) }' | sort | xargs
}

# The client: cluster_writer.py on the client host, seeded with a's master,
# a write every 2 ms (the check reads every key back in a few seconds).
seed_writer_start() {  # MAX-SECONDS
  : > "$LAB_DIR/acked"
  lab_bg "$SEED_CLIENT" "$LAB_DIR/writer.err" "$PY" "$SEED_WRITER" write --host "${LAB_ADDR[a]}" \
    --port $SEED_MASTER_PORT --acked "$LAB_DIR/acked" --stop "$LAB_DIR/stop" --max-seconds "$1" --interval-ms 2
  SEED_WRITER_PID=$LAB_LAST_PID
}
seed_acked() { [ "$(wc -l < "$LAB_DIR/acked")" -ge "$1" ]; }  # COUNT
seed_writer_stop() {  # returns once it has ended (bounded)
  touch "$LAB_DIR/stop"
  lab_wait 50 0.1 lab_gone "$SEED_WRITER_PID"
}
seed_writer_check() {  # prints "acked=N missing=M"; exit 1 when M > 0
  lab_exec "$SEED_CLIENT" "$PY" "$SEED_WRITER" check --host "${LAB_ADDR[a]}" --port $SEED_MASTER_PORT \
    --acked "$LAB_DIR/acked"
}

# vipctl on the client host, seeded with a's master, the password in a file.
seed_vipctl() {  # cluster SUBCOMMAND ARGS...
  lab_exec "$SEED_CLIENT" "$VIPCTL" "$1" "$2" --node "$(seed_addr a $SEED_MASTER_PORT)" \
    --password-file "$LAB_DIR/redis.pass" "${@:3}"
}
seed_healthy() { seed_vipctl cluster status > /dev/null 2>&1; }
seed_restart_cmd() { echo "$LAB_DIR/restart.sh {host} {port}"; }
