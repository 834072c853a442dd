#!/usr/bin/env bash
# vipd, master on host a, hears a lower-priority master (c plays it, with
# vipkit-vrrptool): it stays master and announces its VIP again, so that
# neighbours that the other master's gratuitous ARPs pointed elsewhere come
# back at once, not when their ARP entries age out (15-45 s). The chaos soak
# found that gap: 22 s without a write after a flapping pair had settled.
#
# c's own entry for the VIP is pointed at a MAC of nobody's (what the other
# master's GARP would have done); a's first burst is over (garp-repeat=1) and
# its periodic refresh off, so only a new announcement can put a's MAC back.
#
# Then the example's garp-refresh-ms (1 s): with nobody advertising at all
# (the host that gave the VIP up is silent: the chaos soak's 11 s without a
# write after a heal), c's entry comes back to a within the refresh period.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
lab_session
lab_require_vipd
TOOL=$LAB_DIR/bin/vipkit-vrrptool
[ -x "$TOOL" ] || lab_skip "vipkit-vrrptool not built"
lab_up a c
lab_redis_start a $LAB_PORT
lab_vipd_conf a garp-repeat=1 garp-refresh-ms=
lab_vipd_start a
check "a is master with the VIP" lab_wait 100 0.1 lab_vip_on a
a_mac=$(ip netns exec "$(lab_ns a)" cat /sys/class/net/eth0/address)
other_mac=02:00:00:00:99:99
c_vip_mac() { ip -n "$(lab_ns c)" neigh show "$LAB_VIP" dev eth0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'; }

# lower_master_heard: c's entry points elsewhere (a second master's GARP),
# then c advertises at a lower priority for a's VRID.
lower_master_heard() {
  ip -n "$(lab_ns c)" neigh replace "$LAB_VIP" lladdr "$other_mac" dev eth0 nud reachable
  # The kernel ignores an ARP update within locktime (1 s) of the last one.
  sleep 1.2
  lab_exec c "$TOOL" advertise eth0 --version 3 --vrid 52 --interval-ms 100 --priority 50 --vip "$LAB_VIP" \
    --count 1 >> "$LAB_DIR/c/send.log" 2>&1
}

sleep 1.5  # a's only GARP of its burst is long gone
ip -n "$(lab_ns c)" neigh replace "$LAB_VIP" lladdr "$other_mac" dev eth0 nud reachable
sleep 1.5
check "control: with no advert heard, c's entry stays pointed elsewhere" test "$(c_vip_mac)" = "$other_mac"

lower_master_heard
check "a lower-priority master heard: c's entry points at a again within 1 s" \
  lab_wait 50 0.02 eval '[ "$(c_vip_mac)" = "$a_mac" ]'
check "  a stayed master with the VIP" lab_vip_on a
check "  a logged the announcement" grep -q "garp .*reason=lower-priority-master" "$LAB_DIR/a/vipd.log"

lower_master_heard
check "and again, a second time" lab_wait 50 0.02 eval '[ "$(c_vip_mac)" = "$a_mac" ]'

echo "# [${SECONDS}s] the example's garp-refresh-ms, nobody advertising"
lab_vipd_stop a
check "  the example config sets garp-refresh-ms = 1000" \
  grep -qx 'garp-refresh-ms = 1000' "$VIPKIT_ROOT/docs/vipd-examples/host-a.redis_$LAB_PORT.vipd.conf"
lab_vipd_conf a garp-repeat=1
lab_vipd_start a
check "a is master with the VIP again" lab_wait 100 0.1 lab_vip_on a
sleep 1.5
ip -n "$(lab_ns c)" neigh replace "$LAB_VIP" lladdr "$other_mac" dev eth0 nud reachable
check "c's entry points at a again within 2 s, no advert heard" \
  lab_wait 100 0.02 eval '[ "$(c_vip_mac)" = "$a_mac" ]'
ip -n "$(lab_ns c)" neigh replace "$LAB_VIP" lladdr "$other_mac" dev eth0 nud reachable
check "  and again, the next period" lab_wait 100 0.02 eval '[ "$(c_vip_mac)" = "$a_mac" ]'
check "  a stayed master with the VIP" lab_vip_on a
check_summary
