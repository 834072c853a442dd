#!/usr/bin/env bash
# Benchmark (figures, no assertions): `vipctl snapshot diff` and `merge` of a
# snapshot of N keys (default 1,000,000) of which half are absent from the
# live master, on loopback. The master shares the snapshot's history (it
# replicated the first half, then was detached), so no --force is needed.
# Prints the diff and merge wall times and the master's PING latency (p50,
# p99, max over a PING loop on its own connection) while the merge runs.
# Usage: scripts/bench-merge.sh [N]   (needs redis-server, redis-cli, python3)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-${N:-1000000}}
VIPCTL=${VIPCTL:-$root/build/tools/vipctl}
[ -x "$VIPCTL" ] || { echo "build vipctl first (scripts/build.sh)" >&2; exit 2; }
command -v redis-server > /dev/null || { echo "redis-server not installed" >&2; exit 2; }
unset REDISCLI_AUTH
DIR=$(mktemp -d /tmp/vipkit-bench-merge.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cli() { local port=$1; shift; redis-cli -p "$port" "$@"; }
wait_for() {  # COUNT SLEEP CMD...
  local count=$1 pause=$2 i; shift 2
  for ((i = 0; i < count; i++)); do "$@" && return 0; sleep "$pause"; done
  return 1
}
start() {  # NAME PORT [LINES...]
  local name=$1 port=$2; shift 2
  mkdir -p "$DIR/$name"
  printf '%s\n' "port $port" "bind 127.0.0.1" "dir $DIR/$name" 'save ""' "appendonly no" \
    "enable-debug-command local" "$@" > "$DIR/$name/redis.conf"
  redis-server "$DIR/$name/redis.conf" > "$DIR/$name/redis.log" 2>&1 &
  PIDS+=($!)
  disown $!
  wait_for 100 0.1 eval "[ \"\$(cli $port PING 2>/dev/null)\" = PONG ]"
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

SNAP_PORT=$(free_port) MASTER_PORT=$(free_port)
start snap "$SNAP_PORT"
cli "$SNAP_PORT" DEBUG POPULATE $((N / 2)) key 16 > /dev/null
start master "$MASTER_PORT" "replicaof 127.0.0.1 $SNAP_PORT"
wait_for 600 0.1 eval "[ \"\$(cli $MASTER_PORT DBSIZE)\" = $((N / 2)) ] && cli $MASTER_PORT INFO replication | grep -q 'master_link_status:up'" \
  || { echo "the master did not sync" >&2; exit 1; }
cli "$MASTER_PORT" REPLICAOF NO ONE > /dev/null
cli "$SNAP_PORT" DEBUG POPULATE "$N" key 16 > /dev/null  # the other half, only in the snapshot
cli "$SNAP_PORT" SAVE > /dev/null
BASE=bench-snap-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$DIR/backups"
cp "$DIR/snap/dump.rdb" "$DIR/backups/$BASE.rdb"
field() { cli "$SNAP_PORT" INFO replication | tr -d '\r' | sed -n "s/^$1://p"; }
printf '{"instance":"bench","time":"%s","replid":"%s","replid2":"%s","offset":%s,"dbsize":%s}\n' \
  "${BASE##*-}" "$(field master_replid)" "$(field master_replid2)" "$(field master_repl_offset)" \
  "$(cli "$SNAP_PORT" DBSIZE)" > "$DIR/backups/$BASE.json"
kill -9 "${PIDS[0]}"  # the snapshot's server is not needed any more
RDB=$DIR/backups/$BASE.rdb
echo "snapshot: $(cli "$MASTER_PORT" DBSIZE) keys on the master, $N in the snapshot ($(stat -c %s "$RDB") bytes)"

start=$(date +%s%N)
"$VIPCTL" --port "$MASTER_PORT" snapshot diff --rdb "$RDB" --json > "$DIR/diff.json" 2> "$DIR/diff.log"
diff_rc=$? diff_ms=$(ms_since "$start")

# PING loop on its own connection for the whole merge: latency in ms.
python3 - "$MASTER_PORT" "$DIR/stop" "$DIR/ping.ready" > "$DIR/ping.txt" <<'PY' &
import os, socket, sys, time
port, stop, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.create_connection(("127.0.0.1", port))
lat = []
while (not os.path.exists(stop) or not lat) and len(lat) < 10_000_000:
    if len(lat) == 1:
        open(ready, "w").close()
    t = time.perf_counter()
    s.sendall(b"PING\r\n")
    buf = b""
    while not buf.endswith(b"\r\n"):
        buf += s.recv(64)
    lat.append((time.perf_counter() - t) * 1000)
    time.sleep(0.001)
lat.sort()
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(f"{len(lat)} {pick(0.5):.2f} {pick(0.99):.2f} {lat[-1]:.2f}")
PY
ping_pid=$!
PIDS+=("$ping_pid")
wait_for 100 0.1 test -e "$DIR/ping.ready"
start=$(date +%s%N)
"$VIPCTL" --port "$MASTER_PORT" snapshot merge --rdb "$RDB" --json > "$DIR/merge.json" 2> "$DIR/merge.log"
merge_rc=$? merge_ms=$(ms_since "$start")
touch "$DIR/stop"
wait "$ping_pid"
read -r pings p50 p99 pmax < "$DIR/ping.txt"
get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
load_ms=$(grep -o 'name=load-snapshot ok=yes ms=[0-9]*' "$DIR/merge.log" | sed 's/.*ms=//')
echo "diff:  exit $diff_rc, ${diff_ms} ms (absent $(get "$DIR/diff.json" absent), equal $(get "$DIR/diff.json" equal))"
echo "merge: exit $merge_rc, ${merge_ms} ms (restored $(get "$DIR/merge.json" restored); RDB load ${load_ms:-?} ms of it)"
echo "master PING during the merge: ${pings} pings, p50 ${p50} ms, p99 ${p99} ms, max ${pmax} ms"
echo "master keys after: $(cli "$MASTER_PORT" DBSIZE)"
