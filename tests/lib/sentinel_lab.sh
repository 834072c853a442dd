# shellcheck shell=bash
# The three-host Sentinel lab (docs/sentinel-examples): hosts a, b, c each
# run Redis on LAB_PORT, a redis-sentinel on SL_SPORT and vipd with
# leader = sentinel, configured from the example files with paths moved
# into the lab; host w is the client writing through the VIP. Source it
# after lab.sh and call sl_up.

SL_HOSTS=(a b c)
SL_SPORT=26379
LAB_ADDR[c]=$LAB_NET.13
LAB_ADDR[w]=$LAB_NET.40
SL_EXAMPLE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../docs/sentinel-examples" && pwd)
declare -A SL_SENTINEL_PID

sl_require() {
  command -v redis-sentinel >/dev/null || lab_skip "redis-sentinel not installed (scripts/install-deps.sh)"
  lab_require_vipd
}

# sl_vipd_conf HOST [KEY=VALUE...]: HOST's vipd config from the example,
# paths into the lab; each KEY=VALUE replaces a key (KEY= drops it).
sl_vipd_conf() {
  local h=$1; shift
  local d=$LAB_DIR/$h
  mkdir -p "$d/state"
  sed -e "s|/etc/vipkit/redis.pass|$LAB_DIR/redis.pass|" \
      -e "s|/etc/vipkit/sentinel.pass|$LAB_DIR/sentinel.pass|" \
      -e "s|/run/vipkit/redis_16465.sock|$d/vipd.sock|" \
      -e "s|/run/vipkit|$d/state|" \
      "$SL_EXAMPLE/host-$h.redis_16465.vipd.conf" > "$d/vipd.conf"
  echo 'no-syslog = true' >> "$d/vipd.conf"
  # A key given several times (sentinel) is repeated, its lines together.
  local kv key
  local -A seen=()
  for kv in "$@"; do
    key=${kv%%=*}
    [ -n "${seen[$key]:-}" ] || sed -i "/^$key = /d" "$d/vipd.conf"
    seen[$key]=1
    [ -n "${kv#*=}" ] && echo "$key = ${kv#*=}" >> "$d/vipd.conf"
  done
  return 0
}

# sl_sentinel_start HOST: HOST's Sentinel from the example (passwords
# filled in, a 1 s down-after so a failover takes seconds, not tens).
sl_sentinel_start() {
  local h=$1 d=$LAB_DIR/$1
  umask 077
  sed -e "s|CHANGE-ME-SENTINEL|$SL_SENTINEL_PASSWORD|g" -e "s|CHANGE-ME-REDIS|$LAB_PASSWORD|" \
      -e "s|^dir .*|dir $d|" -e "s|^bind .*|bind ${LAB_ADDR[$h]}|" \
      -e "s|down-after-milliseconds vipkit .*|down-after-milliseconds vipkit 1000|" \
      -e "s|failover-timeout vipkit .*|failover-timeout vipkit 6000|" \
      "$SL_EXAMPLE/host-$h.sentinel.conf" > "$d/sentinel.conf"
  umask 022
  lab_bg "$h" "$d/sentinel.log" redis-sentinel "$d/sentinel.conf"
  SL_SENTINEL_PID[$h]=$LAB_LAST_PID
  lab_wait 50 0.1 sl_scli_ok "$h" || { echo "sentinel on $h did not start" >&2; return 1; }
}

sl_scli() {
  local h=$1; shift
  REDISCLI_AUTH=$SL_SENTINEL_PASSWORD lab_exec "$h" redis-cli --no-auth-warning -h "${LAB_ADDR[$h]}" -p $SL_SPORT \
    "$@" 2>/dev/null
}
sl_scli_ok() { [ "$(sl_scli "$1" PING)" = PONG ]; }
# The address HOST's Sentinel names for the master, "IP:PORT".
sl_sentinel_master() { sl_scli "$1" SENTINEL get-master-addr-by-name vipkit | paste -sd: -; }
# Every Sentinel names HOST's Redis as the master.
sl_all_name() {
  local h s
  h=${LAB_ADDR[$1]}:$LAB_PORT
  for s in "${SL_HOSTS[@]}"; do [ "$(sl_sentinel_master "$s")" = "$h" ] || return 1; done
}
# Each Sentinel knows the other two and both replicas.
sl_sentinels_settled() {
  local s
  for s in "${SL_HOSTS[@]}"; do
    [ "$(sl_scli "$s" SENTINEL master vipkit | grep -A1 -x num-other-sentinels | tail -1)" = 2 ] || return 1
    [ "$(sl_scli "$s" SENTINEL master vipkit | grep -A1 -x num-slaves | tail -1)" = 2 ] || return 1
  done
}

# sl_vip_holders: hosts among a, b, c whose eth0 carries the VIP now.
sl_vip_holders() {
  local h out=()
  for h in "${SL_HOSTS[@]}"; do
    ip -n "$(lab_ns "$h")" -4 addr show dev eth0 2>/dev/null | grep -q "inet $LAB_VIP/" && out+=("$h")
  done
  echo "${out[*]}"
}
sl_vip_on() { [ "$(sl_vip_holders)" = "$1" ]; }

# sl_up: the three hosts and the client, Redis a master with b and c its
# replicas (100 keys pre:*), the Sentinels settled, vipd on each, the VIP
# on a, the client writing through it (PID in SL_WRITER; a write every
# SL_WRITE_INTERVAL_MS, default 20, each given SL_WRITE_TIMEOUT_MS, 200).
sl_up() {
  sl_require
  lab_up a b c w
  SL_SENTINEL_PASSWORD="st-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  (umask 077; printf '%s\n' "$SL_SENTINEL_PASSWORD" > "$LAB_DIR/sentinel.pass")
  lab_redis_start a $LAB_PORT
  lab_redis_start b $LAB_PORT "replicaof ${LAB_ADDR[a]} $LAB_PORT"
  lab_redis_start c $LAB_PORT "replicaof ${LAB_ADDR[a]} $LAB_PORT"
  local i
  for i in $(seq 1 100); do echo "SET pre:$i $i"; done | lab_cli a -p $LAB_PORT > /dev/null
  local h
  for h in "${SL_HOSTS[@]}"; do sl_sentinel_start "$h"; done
  check "the Sentinels found each other and both replicas" lab_wait 150 0.2 sl_sentinels_settled
  for h in "${SL_HOSTS[@]}"; do
    sl_vipd_conf "$h" "$@"
    lab_vipd_start "$h"
  done
  check "the VIP is on a only" lab_wait 50 0.1 sl_vip_on a
  lab_bg w "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $LAB_PORT \
    --out "$LAB_DIR/acks" --interval-ms "${SL_WRITE_INTERVAL_MS:-20}" --timeout-ms "${SL_WRITE_TIMEOUT_MS:-200}" \
    --duration-ms 300000
  SL_WRITER=$LAB_LAST_PID
  check "the client writes through the VIP" lab_wait 50 0.2 sl_acked_after 0
}

# An acknowledged write after T ms (epoch).
sl_acked_after() { awk -v t="$1" '$2 > t { found = 1 } END { exit !found }' "$LAB_DIR/acks" 2>/dev/null; }

# sl_watch_holders SECONDS FILE: sample the VIP holders every 20 ms into
# FILE ("TIME_MS HOLDERS"), in the background (PID in SL_WATCHER).
sl_watch_holders() {
  local seconds=$1 out=$2
  (
    end=$(( $(date +%s) + seconds ))
    while [ "$(date +%s)" -lt "$end" ]; do
      echo "$(date +%s%3N) $(sl_vip_holders)"
      sleep 0.02
    done
  ) > "$out" &
  SL_WATCHER=$!
  LAB_PIDS+=($SL_WATCHER)
}
# sl_longest_double FILE: the longest run, in ms, of samples with two or
# more holders.
sl_longest_double() {
  awk '{ n = NF - 1 }
       n >= 2 { if (start == "") start = $1; last = $1; next }
       { if (start != "" && last - start > worst) worst = last - start; start = "" }
       END { if (start != "" && last - start > worst) worst = last - start; print worst + 0 }' "$1"
}
# sl_held_since FILE HOST T: HOST held the VIP in some sample taken at or
# after T (ms).
sl_held_since() {
  awk -v h="$2" -v t="$3" '$1 >= t { for (i = 2; i <= NF; i++) if ($i == h) found = 1 } END { exit !found }' "$1"
}
# sl_kept_off FILE HOST T: the opposite.
sl_kept_off() { ! sl_held_since "$@"; }

# sl_lost_writes HOST: as lab_lost_writes, counting only the writes
# acknowledged before the scan began (a write acknowledged during the scan
# may be missed by it and would look lost). "ACKED PRESENT LOST".
sl_lost_writes() {
  local cut; cut=$(lab_now_ms)
  lab_cli "$1" -p "$LAB_PORT" --scan --pattern 'w:*' | sed 's/^w://' | sort > "$LAB_DIR/present"
  awk -v t="$cut" '$2 <= t { print $1 }' "$LAB_DIR/acks" | sort > "$LAB_DIR/acked"
  comm -23 "$LAB_DIR/acked" "$LAB_DIR/present" > "$LAB_DIR/lost"
  echo "$(wc -l < "$LAB_DIR/acked") $(wc -l < "$LAB_DIR/present") $(wc -l < "$LAB_DIR/lost")"
}
# sl_lost_after T: how many of the writes sl_lost_writes found lost had been
# acknowledged after T (ms).
sl_lost_after() {
  awk -v t="$1" 'NR == FNR { lost[$1] = 1; next } ($1 in lost) && $2 > t' "$LAB_DIR/lost" "$LAB_DIR/acks" | wc -l
}
# sl_host_of IP:PORT: the lab host whose Redis that is ("" when none).
sl_host_of() {
  local h
  for h in "${SL_HOSTS[@]}"; do [ "${LAB_ADDR[$h]}:$LAB_PORT" = "$1" ] && echo "$h"; done
  return 0
}

# sl_session [KEY=VALUE...]: a lab for the whole script (torn down when it
# exits), brought up by sl_up.
sl_session() { lab_session; sl_up "$@"; }
