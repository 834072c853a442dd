# shellcheck shell=bash
# The faults of the chaos soak (scripts/chaos.sh, issue 10), one pair of
# functions per kind: fault_KIND_start HOST and fault_KIND_end HOST. Each
# start and end is a line in $CHAOS_LOG ("MS event KIND HOST [k=v...]"),
# which the verdict (chaos_verdict.py) reads: kills of a master name the
# Redis instance (run_id) and its replication lag, so that a write lost with
# it is counted as the asynchronous-replication window, apart.
#
# Needs lab.sh, failover_scenario.sh and partition_scenario.sh (cut/heal,
# settled_on), CHAOS_MODE (keepalived|vipd) and CHAOS_LOG.

chaos_log() { echo "$(lab_now_ms) $*" >> "$CHAOS_LOG"; }

# A Redis command that cannot hang on a stopped server.
chaos_cli() { local h=$1; shift; timeout 2 ip netns exec "$(lab_ns "$h")" redis-cli --no-auth-warning -p $PORT "$@" 2>/dev/null; }

# The run_id of HOST's Redis, logged at each start: it names the instance.
chaos_note_instance() {
  local id
  id=$(chaos_cli "$1" INFO server | sed -n 's/^run_id:\([0-9a-f]*\).*/\1/p')
  chaos_log "instance $1 run_id=${id:--}"
}

# HOST's Redis with the soak's settings: persistence on (an RDB every second
# with writes), so a restart can come back from its RDB. KEEP_RDB=1 keeps
# the RDB (restart from it); otherwise the restart is empty.
chaos_redis_start() {
  local h=$1 conf=$LAB_DIR/$1/redis.conf; shift
  if [ "${KEEP_RDB:-0}" = 1 ] && [ -e "$conf" ]; then
    lab_bg "$h" "$LAB_DIR/$h/redis.log" redis-server "$conf"
    LAB_REDIS_PID[$h]=$LAB_LAST_PID
    lab_wait 100 0.1 lab_redis_up "$h" $PORT || echo "# redis on $h did not come back from its RDB" >&2
  else
    lab_redis_start "$h" $PORT "save 1 1" "$@"
  fi
  chaos_note_instance "$h"
}

# kill -9 of HOST's Redis: its role and lag at that moment are logged.
chaos_redis_kill9() {
  local h=$1 role info lag=-
  role=$(chaos_cli "$h" ROLE | head -1)
  if [ "$role" = master ]; then
    info=$(chaos_cli "$h" INFO replication)
    lag=$(awk -F'[:,=]' '/^master_repl_offset:/ { m = $2 } /^slave0:/ { for (i = 1; i < NF; i++) if ($i == "offset") o = $(i + 1) }
            END { if (o != "") print m - o; else print "no-replica" }' <<<"${info//$'\r'/}")
  fi
  kill -9 "${LAB_REDIS_PID[$h]}" 2>/dev/null
  lab_wait 50 0.1 lab_gone "${LAB_REDIS_PID[$h]}"
  chaos_log "kill9 redis $h role=${role:-unknown} lag=$lag"
}

# --- the last copy ---------------------------------------------------------------
# A pair keeps its data while one Redis holds it: the soak destroys one copy
# at a time (kill -9, then a restart empty or from an RDB up to a second
# old), never the last. CHAOS_COPY[H] is 1 while H's Redis holds every
# acknowledged write as far as the soak can tell: both at the start, 0 from
# H's kill, 1 again for both once either is seen a linked replica of the
# other (the sync gave it the master's data). A kill drawn while the other
# host's copy is gone becomes a SIGSTOP ("spare" in the log, counted in the
# verdict): a write lost in a run is then lost by a decision, not because
# every Redis that held it was wiped. Without this rule the 200-fault runs
# lost their oldest replicated writes to two kills a few ms apart, both
# restarted empty or from a stale RDB — a loss no pair can prevent.
declare -A CHAOS_COPY=([a]=1 [b]=1)
CHAOS_SPARED=0
chaos_refresh_copies() {
  local h other info
  for h in a b; do
    other=${LAB_OTHER[$h]}
    info=$(chaos_cli "$h" INFO replication) || continue
    info=${info//$'\r'/}
    if grep -q '^role:slave' <<<"$info" && grep -qx "master_host:${LAB_ADDR[$other]}" <<<"$info" &&
      grep -q '^master_link_status:up' <<<"$info"; then
      CHAOS_COPY[$h]=1 CHAOS_COPY[$other]=1
    fi
  done
}
# chaos_may_wipe HOST: may HOST's Redis be killed? (logs a spare when not)
chaos_may_wipe() {
  local other=${LAB_OTHER[$1]}
  chaos_refresh_copies
  [ "${CHAOS_COPY[$other]}" = 1 ] && return 0
  CHAOS_SPARED=$((CHAOS_SPARED + 1))
  chaos_log "spare redis $1 (the copy on $other is gone: a kill would destroy the last one)"
  return 1
}

fault_redis_empty_start() { CHAOS_COPY[$1]=0; chaos_redis_kill9 "$1"; }
fault_redis_empty_end() { chaos_redis_start "$1"; chaos_log "restart redis $1 empty"; }
fault_redis_rdb_start() { CHAOS_COPY[$1]=0; chaos_redis_kill9 "$1"; }
fault_redis_rdb_end() { KEEP_RDB=1 chaos_redis_start "$1"; chaos_log "restart redis $1 rdb"; }

fault_redis_stop_start() { kill -STOP "${LAB_REDIS_PID[$1]}"; chaos_log "stop redis $1"; }
fault_redis_stop_end() { kill -CONT "${LAB_REDIS_PID[$1]}"; chaos_log "cont redis $1"; }

# The speaker: keepalived (parent and VRRP child) or vipd.
# Logged once the speaker runs: until then it hears nothing, and a VIP that
# its killed predecessor left is removed only by it (first thing at start).
# vipd: its "start" line, not its control socket, which a kill -9 leaves
# behind (the soak once logged the start 1.1 s before a loaded machine ran
# vipd, and counted the stale VIP meanwhile as heard).
chaos_speaker_start() {
  local h=$1 log=$LAB_DIR/$1/vipd.log before
  if [ "$CHAOS_MODE" = vipd ]; then
    before=$(grep -c ' start instance=' "$log" 2>/dev/null)
    lab_vipd_start "$h"
    lab_wait 100 0.05 eval '[ "$(grep -c " start instance=" "$log")" -gt "${before:-0}" ]' ||
      echo "# vipd on $h logged no start within 5 s" >&2
  else
    lab_keepalived_start "$h"
  fi
  chaos_log "start speaker $h"
}
fault_speaker_kill_start() {
  local h=$1
  if [ "$CHAOS_MODE" = vipd ]; then
    lab_vipd_stop "$h" KILL
  else
    local child; child=$(cat "$LAB_DIR/$h/vrrp.pid" 2>/dev/null)
    kill -STOP "${LAB_KA_PID[$h]}"   # the parent must not respawn its VRRP child
    kill -9 ${child:+"$child"} "${LAB_KA_PID[$h]}" 2>/dev/null
    lab_wait 50 0.1 lab_gone "${LAB_KA_PID[$h]}"
    [ -n "$child" ] && lab_wait 50 0.1 lab_gone "$child"
  fi
  chaos_log "kill9 speaker $h"
}
fault_speaker_kill_end() { chaos_speaker_start "$1"; }
fault_speaker_term_start() {
  local h=$1
  if [ "$CHAOS_MODE" = vipd ]; then
    lab_vipd_stop "$h" TERM
  else
    kill -TERM "${LAB_KA_PID[$h]}" 2>/dev/null
    lab_wait 100 0.1 lab_gone "${LAB_KA_PID[$h]}"
  fi
  chaos_log "term speaker $h"
}
fault_speaker_term_end() { chaos_speaker_start "$1"; }

# Partition: HOST off the bridge (link up, so no FAULT state), and a second
# writer inside HOST's namespace writing to the VIP it may still hold.
declare -A CHAOS_INNER_WRITER
CHAOS_INNER_SEQ=0
fault_partition_start() {
  local h=$1
  ip -n "$(lab_ns sw)" link set "p$h" nomaster
  CHAOS_INNER_SEQ=$((CHAOS_INNER_SEQ + 1))
  local prefix=wi$CHAOS_INNER_SEQ
  lab_bg "$h" "$LAB_DIR/writer-$prefix.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --prefix "$prefix" --out "$LAB_DIR/acks-$prefix" --interval-ms 20 --timeout-ms 300 \
    --wait-replicas 1 --wait-ms 100 --duration-ms 60000
  CHAOS_INNER_WRITER[$h]=$LAB_LAST_PID
  chaos_log "cut $h writer=$prefix"
}
fault_partition_end() {
  local h=$1
  kill "${CHAOS_INNER_WRITER[$h]}" 2>/dev/null
  lab_wait 50 0.1 lab_gone "${CHAOS_INNER_WRITER[$h]}"
  ip -n "$(lab_ns sw)" link set "p$h" master br0
  chaos_log "heal $h"
}

# Packet loss and delay on HOST's bridge port: tc netem when the kernel has
# it; else loss in bursts (the port off the bridge 100-400 ms at a time) by a
# background loop that the end stops.
declare -A CHAOS_FLAPPER
chaos_have_netem() {
  local ns=$LAB_ID-netem ok=1
  ip netns add "$ns" 2>/dev/null || return 1
  ip -n "$ns" link add v0 type veth peer name v1 && ip -n "$ns" link set v0 up &&
    tc -n "$ns" qdisc add dev v0 root netem loss 1% 2>/dev/null && ok=0
  ip netns del "$ns"
  return $ok
}
fault_lossy_start() {
  local h=$1 sw; sw=$(lab_ns sw)
  if [ "$CHAOS_NETEM" = 1 ]; then
    tc -n "$sw" qdisc add dev "p$h" root netem loss "$((5 + RANDOM % 20))%" delay "$((5 + RANDOM % 40))ms"
    chaos_log "lossy $h netem"
  else
    (
      trap 'ip -n "$sw" link set "p$h" master br0; exit 0' TERM
      for ((i = 0; i < 200; i++)); do
        ip -n "$sw" link set "p$h" nomaster; sleep "0.$((1 + RANDOM % 4))"
        ip -n "$sw" link set "p$h" master br0; sleep "0.$((2 + RANDOM % 7))"
      done
    ) &
    CHAOS_FLAPPER[$h]=$!
    LAB_PIDS+=($!)
    chaos_log "lossy $h bursts"
  fi
}
fault_lossy_end() {
  local h=$1 sw; sw=$(lab_ns sw)
  if [ "$CHAOS_NETEM" = 1 ]; then
    tc -n "$sw" qdisc del dev "p$h" root 2>/dev/null
  else
    kill -TERM "${CHAOS_FLAPPER[$h]}" 2>/dev/null
    lab_wait 50 0.1 lab_gone "${CHAOS_FLAPPER[$h]}"
    ip -n "$sw" link set "p$h" master br0
  fi
  chaos_log "clean $h"
}

# vipctl promote or demote on HOST, in the background (its own timeouts
# bound it); its exit code is logged, not judged: faults may make it refuse.
declare -A CHAOS_VIPCTL
fault_vipctl_start() {
  local h=$1 op=$2 conf
  if [ "$CHAOS_MODE" = vipd ]; then conf=$LAB_DIR/$h/vipd.conf; else conf=$LAB_DIR/$h/vipkit/redis_$PORT.conf; fi
  (
    ip netns exec "$(lab_ns "$h")" "$LAB_DIR/bin/vipctl" --config "$conf" "$op" >> "$LAB_DIR/vipctl.log" 2>&1
    echo "$(lab_now_ms) vipctl-done $op $h rc=$?" >> "$CHAOS_LOG"
  ) &
  CHAOS_VIPCTL[$h]=$!
  LAB_PIDS+=($!)
  chaos_log "vipctl $op $h"
}
fault_vipctl_end() { :; }   # it ends by itself; the final checks wait for it
