# shellcheck shell=bash
# Real redis-sentinel processes on free loopback ports, watching Redis
# servers started by redis.sh. Source it after redis.sh; rt_session's cleanup
# stops them too (their PIDs join RT_PIDS). Sentinels require their own
# password (RT_SENTINEL_PASSWORD, also in $RT_DIR/sentinel-pass), distinct
# from the Redis one, so a test can tell which file a client used.

RT_SENTINEL_NAME=${RT_SENTINEL_NAME:-vipkit}

rt_sentinel_init() {
  command -v redis-sentinel >/dev/null || rt_skip "redis-sentinel not installed (apt-get install redis-sentinel)"
  RT_SENTINEL_PASSWORD="st-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  (umask 077; printf '%s\n' "$RT_SENTINEL_PASSWORD" > "$RT_DIR/sentinel-pass")
}

# rt_sentinel_start NAME MASTER [QUORUM]: a Sentinel NAME monitoring the
# Redis MASTER as $RT_SENTINEL_NAME. Short down-after and failover timeouts
# keep a test's failover within seconds.
rt_sentinel_start() {
  local name=$1 master=$2 quorum=${3:-2}
  local port=${RT_PORT[$name]:-$(rt_free_port)}
  local dir=$RT_DIR/$name
  mkdir -p "$dir"
  # Sentinel rewrites its config file (it records what it learns), so the
  # file lives in the test's directory and must stay writable.
  (
    umask 077
    cat > "$dir/sentinel.conf" <<EOF
port $port
bind 127.0.0.1
dir $dir
requirepass $RT_SENTINEL_PASSWORD
sentinel sentinel-pass $RT_SENTINEL_PASSWORD
sentinel monitor $RT_SENTINEL_NAME 127.0.0.1 ${RT_PORT[$master]} $quorum
sentinel auth-pass $RT_SENTINEL_NAME $RT_PASSWORD
sentinel down-after-milliseconds $RT_SENTINEL_NAME 1000
sentinel failover-timeout $RT_SENTINEL_NAME 4000
EOF
  )
  rt_spawn "$name" "$dir/sentinel.log" redis-sentinel "$dir/sentinel.conf"
  RT_PORT[$name]=$port
  rt_wait 50 0.1 rt_sentinel_answers "$name" || { echo "sentinel $name did not start" >&2; return 1; }
}

rt_scli() {
  local name=$1; shift
  REDISCLI_AUTH=$RT_SENTINEL_PASSWORD redis-cli --no-auth-warning -p "${RT_PORT[$name]}" "$@" 2>/dev/null
}
rt_sentinel_answers() { [ "$(rt_scli "$1" PING)" = PONG ]; }
# The port the Sentinel NAME reports for the master.
rt_sentinel_master_port() { rt_scli "$1" SENTINEL get-master-addr-by-name "$RT_SENTINEL_NAME" | sed -n 2p; }
# NAME knows COUNT other Sentinels (they found each other through the
# master's __sentinel__:hello channel).
rt_sentinel_sees() {
  [ "$(rt_scli "$1" SENTINEL master "$RT_SENTINEL_NAME" | grep -A1 -x num-other-sentinels | tail -1)" = "$2" ]
}
