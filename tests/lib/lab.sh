# shellcheck shell=bash
# Namespace lab: hosts as network namespaces on one bridge, each with its own
# Redis and keepalived. Source it and call lab_session (or lab_init, and
# lab_down when done); check.sh's check/check_summary come with it.
#
# Addresses: only 192.0.2.0/24 (TEST-NET-1) inside namespaces we create.
# Processes: everything started here is recorded by PID and stopped by PID.
# Every wait is bounded in count and time.

source "$(dirname "${BASH_SOURCE[0]}")/check.sh"

LAB_NET=192.0.2
LAB_VIP=$LAB_NET.100
declare -A LAB_ADDR=([a]=$LAB_NET.11 [b]=$LAB_NET.12 [c]=$LAB_NET.20 [1]=$LAB_NET.31)
LAB_PIDS=()
LAB_NS=()

lab_skip() { echo "SKIP: $*" >&2; exit 77; }

lab_require() {
  [ "$(id -u)" -eq 0 ] || lab_skip "needs root (network namespaces)"
  for tool in ip redis-server redis-cli keepalived; do
    command -v "$tool" >/dev/null || lab_skip "$tool not installed (scripts/install-deps.sh)"
  done
  ip netns list >/dev/null 2>&1 || lab_skip "ip netns not usable here"
}

# lab_init: a private directory under /run (root-owned, not world-writable:
# keepalived's enable_script_security refuses scripts under /tmp) with copies
# of the binaries under test.
lab_init() {
  lab_require
  LAB_ID=vk$$
  LAB_DIR=/run/vklab.$$
  VIPKIT_BIN=${VIPKIT_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../build/tools" && pwd)}
  VIPKIT_ROOT=${VIPKIT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  [ -x "$VIPKIT_BIN/vip-check" ] && [ -x "$VIPKIT_BIN/vip-notify" ] || lab_skip "binaries not built in $VIPKIT_BIN"
  mkdir -m 0755 -p "$LAB_DIR/bin"
  cp "$VIPKIT_BIN/vip-check" "$VIPKIT_BIN/vip-notify" "$LAB_DIR/bin/"
  [ -x "$VIPKIT_BIN/../tests/vipkit-writer" ] && cp "$VIPKIT_BIN/../tests/vipkit-writer" "$LAB_DIR/bin/"
  [ -x "$VIPKIT_BIN/../vrrp/vipd" ] && cp "$VIPKIT_BIN/../vrrp/vipd" "$LAB_DIR/bin/"
  local tool
  for tool in vipkit-vrrptool vipkit-ctl; do
    [ -x "$VIPKIT_BIN/../tests/$tool" ] && cp "$VIPKIT_BIN/../tests/$tool" "$LAB_DIR/bin/"
  done
  # The test password: in a 0600 file and in REDISCLI_AUTH, never on a command line.
  LAB_PASSWORD="lab-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  export REDISCLI_AUTH=$LAB_PASSWORD
  umask 077
  printf '%s\n' "$LAB_PASSWORD" > "$LAB_DIR/redis.pass"
  umask 022
}

lab_ns() { echo "$LAB_ID-$1"; }

# lab_up HOST...: a switch namespace with a bridge, one namespace per host
# joined to it by a veth pair (eth0 inside the host).
lab_up() {
  local sw; sw=$(lab_ns sw)
  ip netns add "$sw"; LAB_NS+=("$sw")
  ip -n "$sw" link add br0 type bridge
  ip -n "$sw" link set br0 up
  local h ns
  for h in "$@"; do
    ns=$(lab_ns "$h")
    ip netns add "$ns"; LAB_NS+=("$ns")
    ip link add eth0 netns "$ns" type veth peer name "p$h" netns "$sw"
    ip -n "$sw" link set "p$h" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "${LAB_ADDR[$h]}/24" dev eth0
    ip -n "$ns" link set eth0 up
    mkdir -p "$LAB_DIR/$h"
  done
}

lab_exec() { local h=$1; shift; ip netns exec "$(lab_ns "$h")" "$@"; }

# lab_bg HOST LOGFILE CMD...: start in the background inside HOST, record PID.
lab_bg() {
  local h=$1 log=$2; shift 2
  ip netns exec "$(lab_ns "$h")" "$@" >"$log" 2>&1 &
  LAB_PIDS+=($!)
  LAB_LAST_PID=$!
  disown "$LAB_LAST_PID"  # we stop it by PID ourselves; no job-control noise
}

# lab_redis_start HOST PORT [EXTRA CONFIG LINES...]: Redis from a config file
# (password lines in the file), no persistence. PID in LAB_REDIS_PID[HOST].
declare -A LAB_REDIS_PID
lab_redis_start() {
  local h=$1 port=$2; shift 2
  local conf=$LAB_DIR/$h/redis.conf
  umask 077
  {
    echo "port $port"
    echo "bind 0.0.0.0"
    echo "dir $LAB_DIR/$h"
    echo "dbfilename dump.rdb"
    echo 'save ""'
    echo "appendonly no"
    echo "requirepass $LAB_PASSWORD"
    echo "masterauth $LAB_PASSWORD"
    echo "repl-diskless-sync-delay 0"
    local line; for line in "$@"; do echo "$line"; done
  } > "$conf"
  umask 022
  rm -f "$LAB_DIR/$h/dump.rdb"
  lab_bg "$h" "$LAB_DIR/$h/redis.log" redis-server "$conf"
  LAB_REDIS_PID[$h]=$LAB_LAST_PID
  lab_wait 50 0.1 lab_redis_up "$h" "$port" || { echo "redis on $h did not start" >&2; return 1; }
}

lab_redis_up() { lab_exec "$1" redis-cli -p "$2" PING 2>/dev/null | grep -q PONG; }

lab_redis_kill() {
  local pid=${LAB_REDIS_PID[$1]}
  kill -9 "$pid" 2>/dev/null || true
  lab_wait 50 0.1 lab_gone "$pid"
}
lab_gone() { ! kill -0 "$1" 2>/dev/null; }

lab_cli() { local h=$1; shift; lab_exec "$h" redis-cli --no-auth-warning "$@" 2>/dev/null; }
lab_role() { lab_cli "$1" -p "$2" ROLE | head -1; }
lab_dbsize() { lab_cli "$1" -p "$2" DBSIZE; }

# lab_lost_writes HOST [SINCE_MS]: compare the keys the writer had
# acknowledged (after SINCE_MS) with the w:* keys on HOST's Redis (port
# LAB_PORT). Prints "ACKED PRESENT LOST"; the lost keys stay in
# $LAB_DIR/lost. comm needs both lists in the same *lexical* order (sort -n
# only looked right while both lists held the same numbers).
lab_lost_writes() {
  local host=$1 since=${2:-0}
  lab_cli "$host" -p "$LAB_PORT" --scan --pattern 'w:*' | sed 's/^w://' | sort > "$LAB_DIR/present"
  awk -v t="$since" '$2 > t { print $1 }' "$LAB_DIR/acks" | sort > "$LAB_DIR/acked"
  comm -23 "$LAB_DIR/acked" "$LAB_DIR/present" > "$LAB_DIR/lost"
  echo "$(wc -l < "$LAB_DIR/acked") $(wc -l < "$LAB_DIR/present") $(wc -l < "$LAB_DIR/lost")"
}

# lab_write_gap SINCE_MS: the longest pause, in ms, between two consecutive
# acknowledged writes, from the last one at or before SINCE_MS on: the
# client's view of an outage that starts then. ("First ack after the kill"
# under-counts: a write in flight at kill -9 can still be acknowledged by
# the dying master a millisecond after the kill began.)
lab_write_gap() {
  awk -v t="$1" '$2 <= t { prev = $2; next }
                 { if (prev != "" && $2 - prev > gap) gap = $2 - prev; prev = $2 }
                 END { print gap + 0 }' "$LAB_DIR/acks"
}

# lab_vip_holders: hosts (among a, b) whose eth0 carries the VIP now.
lab_vip_holders() {
  local h out=()
  for h in a b; do
    ip -n "$(lab_ns "$h")" -4 addr show dev eth0 2>/dev/null | grep -q "inet $LAB_VIP/" && out+=("$h")
  done
  echo "${out[*]}"
}

# lab_wait COUNT SLEEP CMD...: retry CMD up to COUNT times, SLEEP s apart.
lab_wait() {
  local count=$1 pause=$2 i; shift 2
  for ((i = 0; i < count; i++)); do
    "$@" && return 0
    sleep "$pause"
  done
  return 1
}

lab_vip_on() { [ "$(lab_vip_holders)" = "$1" ]; }

lab_now_ms() { date +%s%3N; }

# lab_session: a lab for the whole script, torn down when it exits.
lab_session() { lab_init; trap lab_down EXIT; }

# lab_down: stop what we started (by PID), delete our namespaces and files.
lab_down() {
  local pid ns
  for pid in "${LAB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.3
  for pid in "${LAB_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for ns in "${LAB_NS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  [ -n "${LAB_DIR:-}" ] && [ "${LAB_KEEP:-0}" != 1 ] && rm -rf "$LAB_DIR"
  return 0
}

# lab_install_example EXAMPLE_DIR HOST [backup|nopreempt]: the example's keepalived
# and vipkit configs for HOST, with paths moved into the lab (binaries, config
# dir, FIFO, state and backup dirs) — everything else as shipped.
lab_install_example() {
  local example=$1 h=$2 variant=${3:-}
  local d=$LAB_DIR/$h
  mkdir -p "$d/vipkit" "$d/state" "$d/backups" "$d/lib"
  local subst=(
    -e "s|/usr/local/bin/|$LAB_DIR/bin/|g"
    -e "s|/etc/vipkit/redis.pass|$LAB_DIR/redis.pass|g"
    -e "s|/etc/vipkit|$d/vipkit|g"
    -e "s|/run/keepalived/vrrp_notify.fifo|$d/vrrp_notify.fifo|g"
    -e "s|/run/vipkit|$d/state|g"
    -e "s|/var/lib/vipkit/backups|$d/backups|g"
    -e "s|/var/lib/vipkit/|$d/lib/|g"
  )
  local f
  for f in "$example"/host-"$h".*.conf; do
    case $f in
      *.keepalived.conf) sed "${subst[@]}" "$f" > "$d/keepalived.conf" ;;
      *) sed "${subst[@]}" "$f" > "$d/vipkit/$(basename "${f#"$example"/host-"$h".}")" ;;
    esac
  done
  local v
  for v in ${variant//,/ }; do
    case $v in
      preempt) ;;  # the examples as they are
      backup) sed -i 's/^\(\s*\)state MASTER/\1state BACKUP/' "$d/keepalived.conf" ;;
      # nopreempt requires state BACKUP on every node.
      nopreempt) sed -i -e 's/^\(\s*\)state MASTER/\1state BACKUP/' -e 's/^\(\s*\)state BACKUP/&\n\1nopreempt/' \
                   "$d/keepalived.conf" ;;
      # The example's track-file/ keepalived.conf (resident checks), and the
      # one line its README adds to each instance file.
      track-file)
        sed "${subst[@]}" "$example/track-file/host-$h.keepalived.conf" > "$d/keepalived.conf"
        # keepalived drops a track_file whose directory is missing at start
        # (the README's tmpfiles.d line creates it on a real host).
        mkdir -p "$d/state/track"
        for f in "$d"/vipkit/*.conf; do echo "track-dir = \"$d/state/track\"" >> "$f"; done ;;
      *) echo "lab_install_example: unknown variant $v" >&2; return 1 ;;
    esac
  done
}

# lab_keepalived_start HOST: keepalived (VRRP only) in the foreground of a
# background job, its own pid files, logging to the lab.
declare -A LAB_KA_PID
lab_keepalived_start() {
  local h=$1 d=$LAB_DIR/$1
  lab_bg "$h" "$d/keepalived.log" keepalived --vrrp --dont-fork --log-console --log-detail \
    --use-file "$d/keepalived.conf" --pid "$d/keepalived.pid" --vrrp_pid "$d/vrrp.pid"
  LAB_KA_PID[$h]=$LAB_LAST_PID
}

# --- vipd ---------------------------------------------------------------------
# Hosts a and b run Redis on LAB_PORT and vipd for VRID 52, VIP LAB_VIP/24.
LAB_PORT=16465
declare -A LAB_OTHER=([a]=b [b]=a)

lab_require_vipd() {
  [ -x "$LAB_DIR/bin/vipd" ] && [ -x "$LAB_DIR/bin/vipkit-ctl" ] || lab_skip "vipd or vipkit-ctl not built"
}

# lab_vipd_conf HOST [KEY=VALUE...]: HOST's vipd config, from
# docs/vipd-examples (VRRPv3, 100 ms adverts and health checks, a at priority
# 100, b at 90) with its paths moved into the lab; each KEY=VALUE replaces a
# key or adds one (KEY= alone drops it). A key given several times (vip,
# unicast-peer) is repeated.
lab_vipd_conf() {
  local h=$1; shift
  local d=$LAB_DIR/$h line
  mkdir -p "$d/state" "$d/backups"
  local -A conf=()
  while IFS= read -r line; do
    [[ $line =~ ^([a-z0-9-]+)\ =\ (.*)$ ]] && conf[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
  done < "$VIPKIT_ROOT/docs/vipd-examples/host-$h.redis_$LAB_PORT.vipd.conf"
  conf[password-file]=$LAB_DIR/redis.pass
  conf[state-dir]=$d/state
  conf[backup-dir]=$d/backups
  conf[control-socket]=$d/vipd.sock
  conf[prefer-file]=$d/vipd.prefer
  conf[no-syslog]=true
  local kv key
  local -A seen=()
  for kv in "$@"; do
    key=${kv%%=*}
    if [ -n "${seen[$key]:-}" ]; then conf[$key]+=$'\n'"${kv#*=}"; else conf[$key]=${kv#*=}; fi
    seen[$key]=1
  done
  for key in "${!conf[@]}"; do
    [ -n "${conf[$key]}" ] || continue
    while IFS= read -r kv; do echo "$key = $kv"; done <<<"${conf[$key]}"
  done | sort > "$d/vipd.conf"
}

# lab_vipd_start HOST: vipd with HOST's config, in the background; PID in
# LAB_VIPD_PID[HOST], log in HOST/vipd.log (appended across restarts).
declare -A LAB_VIPD_PID
lab_vipd_start() {
  local h=$1 d=$LAB_DIR/$1
  ip netns exec "$(lab_ns "$h")" "$LAB_DIR/bin/vipd" --config "$d/vipd.conf" >>"$d/vipd.log" 2>&1 &
  LAB_PIDS+=($!)
  LAB_VIPD_PID[$h]=$!
  disown "$!"
  lab_wait 50 0.1 test -S "$(lab_vipd_socket "$h")"
}

# lab_vipd_stop HOST [SIGNAL]: signal vipd (TERM by default) and wait for it.
lab_vipd_stop() {
  local pid=${LAB_VIPD_PID[$1]}
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  lab_wait 100 0.1 lab_gone "$pid"
}

# lab_ctl HOST JSON: one control request (through the shared control
# client, as vipctl sends it); the response line on stdout.
lab_ctl() { "$LAB_DIR/bin/vipkit-ctl" "$(lab_vipd_socket "$1")" "$2"; }
lab_vipd_socket() { sed -n 's/^control-socket = //p' "$LAB_DIR/$1/vipd.conf"; }

# lab_status HOST EXPR: a field of vipd's status, by a Python expression on
# `s` (e.g. 's["state"]').
lab_status() {
  lab_ctl "$1" '{"cmd":"status"}' | python3 -c 'import json,sys; s=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2" 2>/dev/null
}
lab_state_is() { [ "$(lab_status "$1" 's["state"]')" = "$2" ]; }
