#!/usr/bin/env bash
# The chaos soak (issue 10): random, piled-up faults on a namespace lab (two
# Redis hosts a and b with the project's example configs, a client c), with a
# client writing through the VIP the whole time, then the accounting of every
# acknowledged write and the invariants (tests/e2e/chaos_verdict.py).
#
#   scripts/chaos.sh [--mode keepalived|vipd] [--faults N] [--seed S] [--json FILE]
#
# Faults, drawn from the seed: kill -9 of a Redis (restarted empty, or from
# its RDB), SIGSTOP/SIGCONT of a Redis, kill -9 or SIGTERM of a speaker and
# its restart, a partition of one host (with a second writer inside it),
# packet loss on a host's port (tc netem, or bursts of cuts when the kernel
# has no netem), vipctl promote/demote fired in the middle. About one fault
# in three starts while another is still on. A Redis kill is never drawn
# while the other Redis has lost its copy (it becomes a SIGSTOP: see "the
# last copy" in tests/e2e/chaos_faults.sh), so every loss is a decision's.
#
# Exit 0 when every invariant held, 1 when one failed (the seed is printed:
# the same seed draws the same numbers, so mostly the same faults: which host
# holds the VIP when a fault is aimed at the master still varies), 2 on a usage error, 77 when the lab
# cannot run here. Needs root and a build (scripts/build.sh).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: chaos.sh [--mode keepalived|vipd] [--faults N] [--seed S] [--json FILE]"; }
die_usage() { echo "chaos.sh: $*" >&2; usage >&2; exit 2; }
mode=keepalived faults=20 seed=$((RANDOM * 32768 + RANDOM)) json_out=
while [ $# -gt 0 ]; do
  case $1 in
    --mode) mode=${2:-}; shift 2 || die_usage "--mode needs a value" ;;
    --faults) faults=${2:-}; shift 2 || die_usage "--faults needs a value" ;;
    --seed) seed=${2:-}; shift 2 || die_usage "--seed needs a value" ;;
    --json) json_out=${2:-}; shift 2 || die_usage "--json needs a file" ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown argument: $1" ;;
  esac
done
[[ $mode == keepalived || $mode == vipd ]] || die_usage "--mode must be keepalived or vipd, not '$mode'"
[[ $faults =~ ^[0-9]+$ ]] && ((faults >= 1 && faults <= 10000)) || die_usage "--faults must be 1..10000"
[[ $seed =~ ^[0-9]+$ ]] && ((seed <= 1073741823)) || die_usage "--seed must be a number 0..1073741823"

VIPKIT_BIN=${VIPKIT_BIN:-$root/build/tools}
source "$root/tests/lib/lab.sh"
source "$root/tests/e2e/partition_scenario.sh"
source "$root/tests/e2e/chaos_faults.sh"
PORT=$LAB_PORT
CHAOS_MODE=$mode

lab_session
[ -x "$VIPKIT_BIN/vipctl" ] && [ -x "$LAB_DIR/bin/vipkit-writer" ] || lab_skip "vipctl or vipkit-writer not built"
cp "$VIPKIT_BIN/vipctl" "$LAB_DIR/bin/"
CHAOS_LOG=$LAB_DIR/chaos.log
: > "$CHAOS_LOG"
CHAOS_NETEM=0
chaos_have_netem && CHAOS_NETEM=1
echo "# chaos: mode=$mode faults=$faults seed=$seed (replay: scripts/chaos.sh --mode $mode --faults $faults --seed $seed)"
[ "$CHAOS_NETEM" = 1 ] || echo "# no tc netem in this kernel: packet loss comes as bursts of cuts"

# --- the lab -------------------------------------------------------------------
lab_up a b c
if [ "$mode" = vipd ]; then
  lab_require_vipd
  lab_vipd_conf a; lab_vipd_conf b
  # One advert plus the skew time of the lower priority (RFC 9568): how long
  # two masters may both hold the VIP once they hear each other.
  allowance_ms=$((100 + 100 * (256 - 90) / 256))
else
  for h in a b; do lab_install_example "$root/keepalived-examples/seeds-003-pair" "$h"; done
  allowance_ms=$((1000 + 1000 * (256 - 90) / 256))
fi
chaos_redis_start a
chaos_redis_start b "replicaof ${LAB_ADDR[a]} $PORT"
chaos_speaker_start a
chaos_speaker_start b
if ! lab_wait 150 0.2 lab_vip_on a || ! lab_wait 100 0.2 linked_replica_of b a; then
  echo "chaos: the lab did not reach its steady state (VIP on a, b its replica)" >&2
  tail -n 20 "$LAB_DIR"/a/*.log "$LAB_DIR"/b/*.log >&2
  exit 1
fi

# --- the observers ---------------------------------------------------------------
budget_s=$((120 + faults * 40))
# Who holds the VIP, every ~100 ms, until the stop file appears (bounded).
(
  for ((i = 0; i < budget_s * 10; i++)); do
    [ -e "$LAB_DIR/stop-monitor" ] && break
    echo "$(lab_now_ms) $(lab_vip_holders)"
    sleep 0.1
  done > "$LAB_DIR/vip.samples"
) &
monitor=$!
LAB_PIDS+=("$monitor")
lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
  --out "$LAB_DIR/acks" --interval-ms 20 --timeout-ms 300 --wait-replicas 1 --wait-ms 100 \
  --duration-ms $((budget_s * 1000))
writer=$LAB_LAST_PID
lab_wait 50 0.2 acked_after 0 || { echo "chaos: the client cannot write through the VIP" >&2; exit 1; }

# vipd's file descriptors: counted 2 s into each vipd's life and at the end.
declare -A fd_base
vipd_fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
note_fd_base() {
  [ "$mode" = vipd ] || return 0
  local h pid
  for h in a b; do
    pid=${LAB_VIPD_PID[$h]}
    [ -n "${fd_base[$pid]:-}" ] && continue
    # Settled: sockets, netlink and Redis connections open.
    (($(ps -o etimes= -p "$pid" 2>/dev/null || echo 0) >= 2)) && fd_base[$pid]=$(vipd_fds "$pid")
  done
  return 0
}
sleep 2; note_fd_base

# --- the faults ------------------------------------------------------------------
# Random numbers only in this shell (never in $(...)): the seed replays.
RANDOM=$seed
pick() { R=$((RANDOM % $1)); }
KINDS=(redis_empty redis_rdb redis_stop speaker_kill speaker_term partition lossy vipctl)
WEIGHTS=(3 2 3 2 2 3 2 2)
declare -A busy active_end active_host
pick_kind() {
  local total=0 w i
  for w in "${WEIGHTS[@]}"; do total=$((total + w)); done
  pick "$total"
  for ((i = 0; i < ${#KINDS[@]}; i++)); do
    ((R < WEIGHTS[i])) && { KIND=${KINDS[i]}; return; }
    R=$((R - WEIGHTS[i]))
  done
}
resource_of() {  # KIND HOST
  case $1 in
    redis_*) echo "redis:$2" ;; speaker_*) echo "speaker:$2" ;;
    partition|lossy) echo "link:$2" ;; vipctl) echo "vipctl" ;;
  esac
}
hold_ms() {  # KIND: how long the fault lasts
  case $1 in
    redis_empty|redis_rdb) pick 3500; R=$((500 + R)) ;;
    redis_stop) pick 4700; R=$((300 + R)) ;;
    speaker_*) pick 5000; R=$((1000 + R)) ;;
    partition) pick 10000; R=$((2000 + R)) ;;
    lossy) pick 6000; R=$((2000 + R)) ;;
    vipctl) R=0 ;;
  esac
}
end_fault() {  # ID (KIND:HOST)
  local id=$1 kind=${1%%:*} host=${1#*:}
  "fault_${kind}_end" "$host"
  unset "busy[$(resource_of "$kind" "$host")]" "active_end[$id]" "active_host[$id]"
}
end_due() {
  local id now; now=$(lab_now_ms)
  for id in "${!active_end[@]}"; do ((active_end[$id] <= now)) && end_fault "$id"; done
  note_fd_base
}
end_all() { local id; for id in "${!active_end[@]}"; do end_fault "$id"; done; }

started=0
for ((n = 0; n < faults * 4 && started < faults; n++)); do
  pick_kind
  # Mostly on the master's host (the VIP holder), else either.
  host=
  pick 10
  if ((R < 6)); then host=$(lab_vip_holders); host=${host%% *}; fi
  if [[ $host != a && $host != b ]]; then pick 2; host=$([ $R = 0 ] && echo a || echo b); fi
  res=$(resource_of "$KIND" "$host")
  [ -n "${busy[$res]:-}" ] && continue
  # Never the last copy of the data (chaos_faults.sh, "the last copy").
  [[ $KIND == redis_empty || $KIND == redis_rdb ]] && ! chaos_may_wipe "$host" && KIND=redis_stop
  if [ "$KIND" = vipctl ]; then
    pick 2; op=$([ $R = 0 ] && echo promote || echo demote)
    fault_vipctl_start "$host" "$op"
  else
    "fault_${KIND}_start" "$host"
    hold_ms "$KIND"
    active_end[$KIND:$host]=$(($(lab_now_ms) + R))
    busy[$res]=1
  fi
  started=$((started + 1))
  echo "# fault $started/$faults: $KIND on $host"
  # About one in three piles up: the next fault starts while this one is on.
  pick 3
  ((R == 0 && ${#active_end[@]} < 3)) && { pick 1500; sleep "$((R / 1000)).$(printf %03d $((R % 1000)))"; continue; }
  for ((w = 0; w < 300 && ${#active_end[@]} > 0; w++)); do end_due; sleep 0.1; done
  end_all
  # Mostly let the pair settle before the next fault; sometimes not.
  pick 10
  if ((R < 7)); then lab_wait 100 0.2 settled_on > /dev/null; fi
  pick 2000; sleep "$((R / 1000)).$(printf %03d $((R % 1000)))"
done
end_all
chaos_log "last-fault-ended"

# --- convergence and the invariants --------------------------------------------------
checks=()
for h in a b; do
  pid=${CHAOS_VIPCTL[$h]:-}
  [ -n "$pid" ] && ! lab_wait 300 0.1 lab_gone "$pid" && checks+=("vipctl-on-$h=still running 30 s after the last fault")
done
no_marker() { [ -z "$(chaos_cli "$1" GET vipkit:switchover)" ]; }
converged_now() {
  local holder; holder=$(settled_on) || return 1
  [ "$(timeout 2 ip netns exec "$(lab_ns c)" redis-cli --no-auth-warning -h "$LAB_VIP" -p $PORT SET chaos:probe 1 2>/dev/null)" = OK ] &&
    no_marker "$holder"
}
converge_start=$(lab_now_ms)
converged=false
lab_wait 300 0.2 converged_now && converged=true
echo "# converged: $converged in $(($(lab_now_ms) - converge_start)) ms after the last fault"
sleep 1
kill "$writer" 2>/dev/null; lab_wait 50 0.1 lab_gone "$writer"
touch "$LAB_DIR/stop-monitor"; lab_wait 50 0.1 lab_gone "$monitor"

final=$(settled_on) || final=$(lab_vip_holders); final=${final%% *}; final=${final:-a}
chaos_cli "$final" --scan --pattern 'w*:*' | sort -u > "$LAB_DIR/final.keys"
: > "$LAB_DIR/snapshot.keys"
for h in a b; do snapshot_keys "$h" 'w*:*' "$LAB_DIR/snap-$h.keys"; cat "$LAB_DIR/snap-$h.keys" >> "$LAB_DIR/snapshot.keys"; done

# No vip-notify or vip-check left running past its time, no vipctl at all.
for h in a b; do
  stuck=$(ip netns pids "$(lab_ns "$h")" 2>/dev/null | while read -r pid; do
    args=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || continue
    age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')
    case $args in
      *vip-notify*--fifo*|*vipd*|*redis-server*|*keepalived*|*vipkit-writer*) ;;
      *vipctl*) echo "vipctl($pid)" ;;
      *vip-notify*|*vip-check*) ((${age:-0} > 10)) && echo "$(basename "${args%% *}")($pid,${age}s)" ;;
    esac
  done)
  [ -n "$stuck" ] && checks+=("stuck-on-$h=$(echo $stuck)")
done
if [ "$mode" = vipd ]; then
  for h in a b; do
    pid=${LAB_VIPD_PID[$h]} now=$(vipd_fds "${LAB_VIPD_PID[$h]}")
    echo "# vipd on $h (pid $pid): $now fds, ${fd_base[$pid]:-?} at its start"
    [ -n "${fd_base[$pid]:-}" ] && ((now > fd_base[$pid] + 3)) &&
      checks+=("vipd-fds-$h=grew from ${fd_base[$pid]} to $now")
  done
fi

check_args=()
for c in "${checks[@]}"; do check_args+=(--check "$c"); done
verdict=$(python3 "$root/tests/e2e/chaos_verdict.py" "$LAB_DIR" --mode "$mode" --seed "$seed" --faults "$started" \
  --allowance-ms "$allowance_ms" --converged "$converged" --spared "$CHAOS_SPARED" "${check_args[@]}")
rc=$?
echo "$verdict"
[ -n "$json_out" ] && echo "$verdict" > "$json_out"
if [ $rc -ne 0 ]; then
  echo "chaos: invariants failed (seed $seed); the lab's logs follow" >&2
  tail -n 40 "$CHAOS_LOG" >&2
  tail -n 15 "$LAB_DIR"/a/*.log "$LAB_DIR"/b/*.log "$LAB_DIR/vipctl.log" >&2 2>/dev/null
fi
exit $rc
