# shellcheck shell=bash
# A Redis Cluster of 3 masters and 3 replicas, real redis-servers in cluster
# mode on loopback (the seeds/000 layout on one host), for integration tests.
# Source after redis.sh and rt_session; nodes are redis.sh's (RT_PORT,
# RT_PID, stopped by PID), named CLUSTER_NAMES.

CLUSTER_NAMES=(n1 n2 n3 n4 n5 n6)

# A port P with P+10000 free too: the cluster bus listens there.
cluster_free_port() {
  python3 -c '
import random, socket
for _ in range(500):
    p = random.randint(20000, 55000)
    held = []
    try:
        for q in (p, p + 10000):
            s = socket.socket(); held.append(s); s.bind(("127.0.0.1", q))
        print(p); break
    except OSError:
        pass
    finally:
        for s in held: s.close()
'
}

cluster_start_node() {  # NAME: start (or restart) a cluster node, its nodes.conf kept in its dir
  local name=$1
  [ -n "${RT_PORT[$name]:-}" ] || RT_PORT[$name]=$(cluster_free_port)
  rt_redis_start "$name" "cluster-enabled yes" \
    "cluster-config-file $RT_DIR/$name/nodes-${RT_PORT[$name]}.conf" "cluster-node-timeout 2000"
}

cluster_state_ok() { rt_cli "$1" CLUSTER INFO | tr -d '\r' | grep -qx 'cluster_state:ok'; }
cluster_all_state_ok() { local n; for n in "${CLUSTER_NAMES[@]}"; do cluster_state_ok "$n" || return 1; done; }

cluster_replica_of() {  # MASTER-NAME: the name of its replica
  local n
  for n in "${CLUSTER_NAMES[@]}"; do
    [ "$(rt_field "$n" master_port)" = "${RT_PORT[$1]}" ] && { echo "$n"; return 0; }
  done
  return 1
}

cluster_node_id() { rt_cli "$1" CLUSTER MYID | tr -d '\r'; }

# Start the six nodes and `redis-cli --cluster create` them; returns once
# every node says cluster_state:ok (bounded), non-zero on any failure.
cluster_create() {
  local n addresses=()
  for n in "${CLUSTER_NAMES[@]}"; do cluster_start_node "$n" || return 1; done
  for n in "${CLUSTER_NAMES[@]}"; do addresses+=("$(rt_addr "$n")"); done
  redis-cli --no-auth-warning --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes \
    > "$RT_DIR/create.log" 2>&1 || return 1
  rt_wait 100 0.2 cluster_all_state_ok
}

# A cluster client writing while a test acts (cluster_writer.py, run by $PY,
# which the test checked imports redis.cluster). cluster_writer_start PORT
# MAX-SECONDS, then cluster_writer_finish PORT: stops it, then checks it
# stopped cleanly and every acknowledged write is present (through PORT).
CLUSTER_WRITER=$(dirname "${BASH_SOURCE[0]}")/cluster_writer.py
acked() { [ "$(wc -l < "$RT_DIR/acked")" -ge "$1" ]; }  # COUNT: at least COUNT writes acknowledged
cluster_writer_start() {
  : > "$RT_DIR/acked"
  "$PY" "$CLUSTER_WRITER" write --port "$1" --acked "$RT_DIR/acked" --stop "$RT_DIR/stop" \
    --max-seconds "$2" > "$RT_DIR/writer.out" 2> "$RT_DIR/writer.err" &
  CLUSTER_WRITER_PID=$!
  RT_PIDS+=("$CLUSTER_WRITER_PID")  # killed by rt_cleanup should a check end the script early
}
cluster_writer_finish() {
  local out rc
  touch "$RT_DIR/stop"
  rt_wait 50 0.1 eval "! kill -0 $CLUSTER_WRITER_PID 2>/dev/null"
  wait "$CLUSTER_WRITER_PID"
  check "the writer stopped cleanly" test $? -eq 0
  echo "# writer: $(cat "$RT_DIR/writer.out") ($(grep -c 'failed' "$RT_DIR/writer.err" || true) errors)"
  out=$("$PY" "$CLUSTER_WRITER" check --port "$1" --acked "$RT_DIR/acked"); rc=$?
  echo "# $out"
  check "every acknowledged write present" test $rc -eq 0
  check "  and there were some" test "$(wc -l < "$RT_DIR/acked")" -ge 100
}
