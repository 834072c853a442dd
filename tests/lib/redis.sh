# shellcheck shell=bash
# Real redis-server instances on free loopback ports for integration tests.
# Source it, call rt_init, `trap rt_cleanup EXIT`. Passwords live in config
# files and REDISCLI_AUTH, never on a command line. Servers are stopped by
# the PIDs recorded here, never by name.

source "$(dirname "${BASH_SOURCE[0]}")/check.sh"

RT_PIDS=()
declare -A RT_PORT RT_PID

rt_skip() { echo "SKIP: $*" >&2; exit 77; }

rt_init() {
  command -v redis-server >/dev/null || rt_skip "redis-server not installed (scripts/install-deps.sh)"
  command -v redis-cli >/dev/null || rt_skip "redis-cli not installed"
  VIPKIT_BIN=${VIPKIT_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../build/tools" && pwd)}
  [ -x "$VIPKIT_BIN/vip-check" ] && [ -x "$VIPKIT_BIN/vip-notify" ] || rt_skip "binaries not built in $VIPKIT_BIN"
  RT_DIR=$(mktemp -d /tmp/vipkit-it.XXXXXX)
  RT_PASSWORD="it-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  export REDISCLI_AUTH=$RT_PASSWORD
  (umask 077; printf '%s\n' "$RT_PASSWORD" > "$RT_DIR/pass")
}

rt_cleanup() {
  local pid
  for pid in "${RT_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -n "${RT_DIR:-}" ] && rm -rf "$RT_DIR"
  return 0
}

# rt_session: rt_init, and rt_cleanup when the script exits.
rt_session() { rt_init; trap rt_cleanup EXIT; }


# A loopback port nobody listens on now (the kernel picks it).
rt_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rt_wait() {  # COUNT SLEEP CMD...
  local count=$1 pause=$2 i; shift 2
  for ((i = 0; i < count; i++)); do "$@" && return 0; sleep "$pause"; done
  return 1
}

# rt_spawn NAME LOG CMD...: CMD in the background as NAME, output to LOG,
# its PID recorded for rt_kill and rt_cleanup.
rt_spawn() {
  local name=$1 log=$2; shift 2
  "$@" > "$log" 2>&1 &
  RT_PID[$name]=$!
  RT_PIDS+=($!)
  disown $!
}

# rt_redis_start NAME [CONFIG LINES...]: start (or restart, same port) NAME.
rt_redis_start() {
  local name=$1; shift
  local port=${RT_PORT[$name]:-$(rt_free_port)}
  local dir=$RT_DIR/$name
  mkdir -p "$dir"
  (
    umask 077
    {
      echo "port $port"
      echo "bind 127.0.0.1"
      echo "dir $dir"
      echo 'save ""'
      echo "appendonly no"
      echo "requirepass $RT_PASSWORD"
      echo "masterauth $RT_PASSWORD"
      echo "repl-diskless-sync-delay 0"
      local line; for line in "$@"; do echo "$line"; done
    } > "$dir/redis.conf"
  )
  rt_spawn "$name" "$dir/redis.log" redis-server "$dir/redis.conf"
  RT_PORT[$name]=$port
  rt_wait 50 0.1 rt_answers "$name" || { echo "redis $name did not start" >&2; return 1; }
}

rt_answers() { [ "$(rt_cli "$1" PING)" = PONG ] || rt_cli "$1" PING | grep -q LOADING; }
rt_cli() { local name=$1; shift; redis-cli --no-auth-warning -p "${RT_PORT[$name]}" "$@" 2>/dev/null; }
rt_kill() {
  kill -9 "${RT_PID[$1]}" 2>/dev/null || true
  rt_wait 50 0.1 eval "! kill -0 ${RT_PID[$1]} 2>/dev/null"
}
rt_addr() { echo "127.0.0.1:${RT_PORT[$1]}"; }
rt_role() { rt_cli "$1" ROLE | head -1; }
rt_info() { rt_cli "$1" INFO "${2:-replication}" | tr -d '\r'; }
rt_field() { rt_info "$1" "${3:-replication}" | sed -n "s/^$2://p"; }
rt_linked() { [ "$(rt_field "$1" master_link_status)" = up ]; }
rt_follows() {  # NAME MASTER: NAME is a linked replica of MASTER
  [ "$(rt_field "$1" master_port)" = "${RT_PORT[$2]}" ] && rt_linked "$1"
}
rt_fill() {  # NAME PREFIX COUNT
  local i
  for ((i = 1; i <= $3; i++)); do echo "SET $2:$i $i"; done | rt_cli "$1" > /dev/null
}
rt_count() { rt_cli "$1" --scan --pattern "$2:*" | wc -l; }
# rt_instance_conf FILE NAME PEER [LINES...]: a vip-notify instance file for
# the Redis NAME with PEER, its state and backups under RT_DIR.
rt_instance_conf() {
  local file=$1 name=$2 peer=$3 line; shift 3
  mkdir -p "$(dirname "$file")"
  {
    echo "port = ${RT_PORT[$name]}"
    echo "peer = \"$(rt_addr "$peer")\""
    echo "self = \"$(rt_addr "$name")\""
    echo "password-file = \"$RT_DIR/pass\""
    echo "state-dir = \"$RT_DIR/state\""
    echo "backup-dir = \"$RT_DIR/backups\""
    for line in "$@"; do echo "$line"; done
  } > "$file"
}
rt_fresh_pair() {  # M R: M master with 50 keys m:*, R its linked replica
  rt_redis_start "$1"
  rt_redis_start "$2" "replicaof 127.0.0.1 ${RT_PORT[$1]}"
  rt_fill "$1" m 50
  rt_wait 100 0.1 rt_follows "$2" "$1"
  rt_wait 50 0.1 eval "[ \"\$(rt_count $2 m)\" = 50 ]"
}
