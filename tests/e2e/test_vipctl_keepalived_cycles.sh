#!/usr/bin/env bash
# Planned switchovers with vipctl under keepalived (keepalived-examples/
# seeds-003-pair): a client writes through the VIP the whole time while
# vipctl moves the master role back and forth — 20 cycles, each a promote and
# a demote (cycles 1-10 run on host b, 11-20 on host a). Every switchover must
# succeed (exit 0, VIP and master role on the new node, old master linked);
# at the end every acknowledged write is on the final master, key by key.
# Figures (not assertions): per switchover, the write pause measured on the
# old master and the longest gap between two acknowledged writes the client saw.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
source "$here/switchover_measure.sh"

CYCLES=${VIPCTL_CYCLES:-20}
lab_init
trap lab_down EXIT
[ -x "$VIPKIT_BIN/vipctl" ] || lab_skip "vipctl not built in $VIPKIT_BIN"
cp "$VIPKIT_BIN/vipctl" "$LAB_DIR/bin/"
seeds003_pair_up

lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
  --out "$LAB_DIR/acks" --interval-ms 10 --timeout-ms 200 --duration-ms 600000
writer=$LAB_LAST_PID
check "client writes through the VIP" lab_wait 50 0.2 acked_after 0

failures=0
pauses=() gaps=()
# switchover N HOST OP NEW_MASTER OLD_MASTER
switchover() {
  local n=$1 host=$2 op=$3 new=$4 old=$5 ok=1
  measure_switchover "$host" "$LAB_DIR/$host/vipkit/redis_16465.conf" "$op" --timeout 8000
  [ "$SW_RC" -eq 0 ] && lab_vip_on "$new" && [ "$(lab_role "$new" $PORT)" = master ] &&
    linked_replica_of "$old" "$new" || ok=0
  printf '# switchover %2d: %-7s on %s -> master %s: exit %d, write pause on the old master %s ms, longest client gap %s ms, vipctl %s ms\n' \
    "$n" "$op" "$host" "$new" "$SW_RC" "${SW_PAUSE:-?}" "$SW_GAP" "${SW_TOTAL:-?}"
  if [ $ok -eq 1 ]; then pauses+=("${SW_PAUSE:-0}"); gaps+=("$SW_GAP"); else
    failures=$((failures + 1))
    echo "$SW_OUT" | tail -n 30
  fi
}

n=0
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
  if ((cycle <= CYCLES / 2)); then
    switchover $((++n)) b promote b a
    switchover $((++n)) b demote a b
  else
    switchover $((++n)) a demote b a
    switchover $((++n)) a promote a b
  fi
done
check "$n switchovers, each done (exit 0, VIP and role on the new master, old master linked)" test $failures -eq 0

echo "# write pause on the old master: median $(median "${pauses[@]}") ms, max $(maximum "${pauses[@]}") ms"
echo "# longest gap between acknowledged writes (client, through the VIP): median $(median "${gaps[@]}") ms, max $(maximum "${gaps[@]}") ms"

sleep 1
kill "$writer" 2>/dev/null
lab_wait 50 0.1 lab_gone "$writer"
check "the switchover marker is gone" test "$(lab_cli a -p $PORT EXISTS vipkit:switchover)" = 0
check "every acknowledged write is on the final master (a)" all_acked_present a
if [ "$CHECK_FAILS" -gt 0 ]; then
  tail -n 30 "$LAB_DIR/vipctl.log" "$LAB_DIR/a/keepalived.log" "$LAB_DIR/b/keepalived.log" "$LAB_DIR/writer.log"
fi
check_summary
