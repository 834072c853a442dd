# shellcheck shell=bash
# Planned switchovers with vipctl in the namespace lab, measured: used by the
# e2e cycle suites and scripts/bench-switchover.sh. Needs lab.sh,
# failover_scenario.sh, and vipctl in $LAB_DIR/bin.

# Longest gap between consecutive acknowledged writes around [FROM, TO] ms.
client_gap() {
  awk -v from="$1" -v to="$2" 'prev && $2 >= from && prev <= to { if ($2 - prev > max) max = $2 - prev }
    { prev = $2 } END { print max + 0 }' "$LAB_DIR/acks"
}

# measure_switchover HOST CONFIG OP [VIPCTL ARGS...]: vipctl OP on HOST with
# its instance file. Sets SW_RC, SW_OUT (the JSON), SW_PAUSE (write pause on
# the old master, ms), SW_TOTAL (vipctl's duration, ms), SW_GAP (the
# client's longest gap between acknowledged writes meanwhile, ms).
measure_switchover() {
  local host=$1 config=$2 op=$3 start end; shift 3
  # Back-to-back switchovers measure the client's ARP cache, not vipctl: Linux
  # ignores a gratuitous ARP within locktime (1 s) of the entry's last update.
  sleep "${SW_SPACING:-0}"
  start=$(lab_now_ms)
  SW_OUT=$(lab_exec "$host" "$LAB_DIR/bin/vipctl" --config "$config" "$op" --json "$@" 2>> "$LAB_DIR/vipctl.log")
  SW_RC=$?
  end=$(lab_now_ms)
  # The gap is closed by the first acknowledged write after vipctl returned.
  lab_wait 100 0.05 acked_after "$end"
  SW_PAUSE=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["write_pause_ms"])' <<<"$SW_OUT" 2>/dev/null)
  SW_TOTAL=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["total_ms"])' <<<"$SW_OUT" 2>/dev/null)
  SW_GAP=$(client_gap "$start" "$end")
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "?" }'; }
maximum() { printf '%s\n' "$@" | sort -n | tail -1; }

# switchover_steps ORDER COUNT: COUNT switchovers as "HOST OP NEW OLD" lines,
# from a holding the role, in one of the orders an operator uses:
#   same-host  promote then demote, the first half on host b, the rest on a;
#   alternate  promote on b, promote on a, promote on b, ...;
#   twice      each command run twice in a row on host b (promote, promote,
#              demote, demote, ...): the second one has nothing to do.
switchover_steps() {
  local order=$1 count=$2 i
  for ((i = 0; i < count; i++)); do
    case $order in
      same-host)
        if ((i < count / 2)); then
          ((i % 2 == 0)) && echo "b promote b a" || echo "b demote a b"
        else
          ((i % 2 == 0)) && echo "a demote b a" || echo "a promote a b"
        fi ;;
      alternate) ((i % 2 == 0)) && echo "b promote b a" || echo "a promote a b" ;;
      twice) ((i % 4 < 2)) && echo "b promote b a" || echo "b demote a b" ;;
    esac
  done
}

# run_switchover_cycles CYCLES CONF_FN [VIPCTL ARGS...]: with a client writing
# through the VIP, 2 x CYCLES switchovers in the order SW_ORDER (same-host by
# default; CONF_FN HOST names the host's config file). Each switchover must
# succeed: exit 0, VIP and master role on the new node, the old master its
# linked replica. Figures per switchover and in summary; at the end every
# acknowledged write must be on the final master.
run_switchover_cycles() {
  local cycles=$1 conf_fn=$2; shift 2
  local -a vipctl_args=("$@")
  local order=${SW_ORDER:-same-host}
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 10 --timeout-ms 200 --duration-ms 600000
  local writer=$LAB_LAST_PID
  check "client writes through the VIP" lab_wait 50 0.2 acked_after 0

  local failures=0 n=0 host op new old final=a ok
  local -a pauses=() gaps_promote=() gaps_demote=()
  while read -r host op new old; do
    n=$((n + 1)) ok=1
    measure_switchover "$host" "$("$conf_fn" "$host")" "$op" "${vipctl_args[@]}"
    [ "$SW_RC" -eq 0 ] && lab_vip_on "$new" && [ "$(lab_role "$new" $PORT)" = master ] &&
      linked_replica_of "$old" "$new" || ok=0
    printf '# %s switchover %2d: %-7s on %s -> master %s: exit %d (%s), write pause on the old master %s ms, longest client gap %s ms, vipctl %s ms\n' \
      "$order" "$n" "$op" "$host" "$new" "$SW_RC" \
      "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' <<<"$SW_OUT" 2>/dev/null)" \
      "${SW_PAUSE:-?}" "$SW_GAP" "${SW_TOTAL:-?}"
    final=$new
    if [ $ok -eq 1 ]; then
      pauses+=("${SW_PAUSE:-0}")
      if [ "$op" = promote ]; then gaps_promote+=("$SW_GAP"); else gaps_demote+=("$SW_GAP"); fi
    else
      failures=$((failures + 1))
      echo "$SW_OUT" | tail -n 30
    fi
  done < <(switchover_steps "$order" $((cycles * 2)))
  check "$order: $n switchovers, each done (exit 0, VIP and role on the new master, old master linked)" test $failures -eq 0
  echo "# $order: write pause on the old master: median $(median "${pauses[@]}") ms, max $(maximum "${pauses[@]}") ms"
  echo "# $order: longest gap between acknowledged writes (client, through the VIP): promote median $(median "${gaps_promote[@]}") ms, max $(maximum "${gaps_promote[@]}") ms; demote median $(median "${gaps_demote[@]}") ms, max $(maximum "${gaps_demote[@]}") ms"

  sleep 1
  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  check "the switchover marker is gone" test "$(lab_cli "$final" -p $PORT EXISTS vipkit:switchover)" = 0
  check "every acknowledged write is on the final master ($final)" all_acked_present "$final"
}

# The configuration vipctl reads on HOST, per VIP mover.
vipctl_conf_keepalived() { echo "$LAB_DIR/$1/vipkit/redis_16465.conf"; }
vipctl_conf_vipd() { echo "$LAB_DIR/$1/vipd.conf"; }

# vipctl_lab_up keepalived|vipd: the lab (trap set) with vipctl in it and
# the pair up under that VIP mover.
vipctl_lab_up() {
  lab_session
  [ -x "$VIPKIT_BIN/vipctl" ] || lab_skip "vipctl not built in $VIPKIT_BIN"
  cp "$VIPKIT_BIN/vipctl" "$LAB_DIR/bin/"
  if [ "$1" = vipd ]; then vipd_pair_up; else seeds003_pair_up; fi
}

# run_vipctl_cycles_suite keepalived|vipd: the whole e2e suite — the lab with
# that VIP mover, VIPCTL_CYCLES (20) promote/demote cycles in each order of
# SW_ORDERS (same-host by default), the verdict.
run_vipctl_cycles_suite() {
  local mover=$1
  vipctl_lab_up "$mover"
  if [ "$mover" = vipd ]; then
    check "vipd: a master, b backup" lab_wait 50 0.2 eval 'lab_state_is a master && lab_state_is b backup'
    local status
    status=$(lab_exec b "$LAB_DIR/bin/vipctl" --config "$(vipctl_conf_vipd b)" status --json 2>/dev/null)
    check "vipctl status with vipd's config: VRRP state from vipd" test "$(python3 -c \
      'import json,sys; v=json.load(sys.stdin)["vrrp"]; print(v["source"], v["state"])' <<<"$status")" = "vipd backup"
    # vipd switches in ms: space the switchovers so that the client's ARP
    # cache takes every gratuitous ARP (see measure_switchover).
    SW_SPACING=${SW_SPACING:-1.2}
  fi
  local order
  for order in ${SW_ORDERS:-same-host}; do
    SW_ORDER=$order run_switchover_cycles "${VIPCTL_CYCLES:-20}" "vipctl_conf_${mover}"
  done
  if [ "$CHECK_FAILS" -gt 0 ]; then
    tail -n 30 "$LAB_DIR/vipctl.log" "$LAB_DIR"/a/{keepalived,vipd}.log "$LAB_DIR"/b/{keepalived,vipd}.log \
      "$LAB_DIR/writer.log" 2>/dev/null
  fi
  check_summary
}

# run_vipctl_rollback_suite keepalived|vipd: forced failures of a planned
# switchover, with a client writing through the VIP: the hand-over that never
# completes (the old master cannot authenticate to the new one: FAILOVER
# times out and is aborted), and the new master's Redis killed mid-switch.
# Each must end rolled back (exit 1): one master — the old one — holding the
# VIP, writes unpaused through the VIP, automation not completing the switch
# afterwards; every acknowledged write on it at the end.
run_vipctl_rollback_suite() {
  local mover=$1
  vipctl_lab_up "$mover"
  local conf; conf=$("vipctl_conf_$mover" b)
  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 10 --timeout-ms 200 --duration-ms 600000
  local writer=$LAB_LAST_PID
  check "client writes through the VIP" lab_wait 50 0.2 acked_after 0

  # rolled_back_to_a WHAT: the checks after each forced failure.
  rolled_back_to_a() {
    local json=$1 rc=$2 end
    check "$3: exit 1, rolled back" test "$rc-$(python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' \
      <<<"$json" 2>/dev/null)" = 1-rolled-back
    end=$(lab_now_ms)
    check "  writes through the VIP acknowledged again (not paused)" lab_wait 100 0.1 acked_after "$end"
    check "  a is the master, b is not" eval '[ "$(lab_role a $PORT)" = master ] && [ "$(lab_role b $PORT)" != master ]'
    check "  the VIP is on a" lab_vip_on a
    # The rollback marker expires after 5 s; the automation must then leave
    # the role where it is (its preferences followed the marker back).
    sleep 8
    check "  8 s later: still a master holding the VIP, no switch by automation" \
      eval 'lab_vip_on a && [ "$(lab_role a $PORT)" = master ] && [ "$(lab_role b $PORT)" != master ]'
    check "  the marker is gone" test "$(lab_cli a -p $PORT EXISTS vipkit:switchover)" = 0
  }

  echo "# the hand-over never completes (timeout)"
  lab_cli a -p $PORT CONFIG SET masterauth wrong-password > /dev/null
  measure_switchover b "$conf" promote --timeout 1000
  rolled_back_to_a "$SW_OUT" "$SW_RC" "FAILOVER aborted after --timeout"
  check "  b follows a again" lab_wait 100 0.1 linked_replica_of b a

  echo "# the new master's Redis is killed mid-switch"
  ( lab_exec b "$LAB_DIR/bin/vipctl" --config "$conf" promote --timeout 3000 --json > "$LAB_DIR/killed.json" \
      2>> "$LAB_DIR/vipctl.log" ) &
  local switch=$!
  lab_wait 300 0.05 eval '[ "$(lab_cli a -p $PORT INFO replication | tr -d "\r" | sed -n "s/^master_failover_state://p")" = failover-in-progress ]'
  lab_redis_kill b
  wait $switch
  local rc=$?
  rolled_back_to_a "$(cat "$LAB_DIR/killed.json")" $rc "replica killed mid-switch"
  lab_cli a -p $PORT CONFIG SET masterauth "$LAB_PASSWORD" > /dev/null
  lab_redis_start b $PORT "replicaof ${LAB_ADDR[a]} $PORT"
  check "b's Redis restarted empty rejoins as a's replica" lab_wait 150 0.2 linked_replica_of b a

  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  check "every acknowledged write is on a" all_acked_present a
  if [ "$CHECK_FAILS" -gt 0 ]; then
    tail -n 40 "$LAB_DIR/vipctl.log" "$LAB_DIR"/b/{keepalived,vipd}.log "$LAB_DIR/writer.log" 2>/dev/null
  fi
  check_summary
}
