#!/usr/bin/env bash
# vrrp/sys VipManager against the real kernel, in a namespace of our own:
# add / remove / query a VIP, idempotently, with and without a label.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
lab_require
TOOL=${VIPKIT_BIN:-$here/../../build/tools}/../tests/vipkit-viptool
[ -x "$TOOL" ] || lab_skip "vipkit-viptool not built"
NS=vkvip$$
LAB_NS=("$NS")
trap 'ip netns del "$NS" 2>/dev/null' EXIT
ip netns add "$NS"
# a veth pair: the dummy module may be missing from the kernel
ip -n "$NS" link add d0 type veth peer name d1
ip -n "$NS" link set d0 up
ip -n "$NS" addr add 192.0.2.11/24 dev d0

in_ns() { ip netns exec "$NS" "$@"; }
listed() { ip -n "$NS" -4 addr show dev d0 | grep -q "inet $1 "; }

check "absent at first" test "$(in_ns "$TOOL" has d0 192.0.2.100; echo $?)" = 1
check "add /32" in_ns "$TOOL" add d0 192.0.2.100
check "  the kernel lists it" listed 192.0.2.100/32
check "  has says present" in_ns "$TOOL" has d0 192.0.2.100
check "add again: not an error" in_ns "$TOOL" add d0 192.0.2.100
check "remove" in_ns "$TOOL" del d0 192.0.2.100
check "  gone from the kernel" eval '! listed 192.0.2.100/32'
check "remove again: not an error" in_ns "$TOOL" del d0 192.0.2.100
check "add /24 with a label" in_ns "$TOOL" add d0 192.0.2.101/24 d0:vip
check "  labelled as asked" eval 'ip -n "$NS" -4 addr show dev d0 | grep "192.0.2.101/24" | grep -q "d0:vip"'
# A VIP removed by hand is seen as absent (vipd restores it).
ip -n "$NS" addr del 192.0.2.101/24 dev d0
check "removed by hand: seen as absent" test "$(in_ns "$TOOL" has d0 192.0.2.101; echo $?)" = 1
# Gratuitous ARP: a neighbour that accepts unsolicited ARP learns the VIP
# behind our MAC (d1 is the other end of the veth, in a namespace of its own).
NS2=vkvip2$$
trap 'ip netns del "$NS" 2>/dev/null; ip netns del "$NS2" 2>/dev/null' EXIT
ip netns add "$NS2"
ip -n "$NS" link set d1 netns "$NS2"
ip -n "$NS2" link set d1 up
ip -n "$NS2" addr add 192.0.2.12/24 dev d1
ip netns exec "$NS2" sysctl -qw net.ipv4.conf.d1.arp_accept=1
mac=$(ip -n "$NS" link show d0 | awk '/link\/ether/ {print $2}')
check "garp sent" in_ns "$TOOL" garp d0 192.0.2.100
check "  the neighbour learned 192.0.2.100 at $mac" lab_wait 20 0.1 eval \
  'ip -n "$NS2" neigh show 192.0.2.100 | grep -q "lladdr $mac"'
check "unknown interface: one-line error, exit 2" eval \
  'out=$(in_ns "$TOOL" add nosuch0 192.0.2.102 2>&1); [ $? -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "nosuch0" <<<"$out"'
check_summary
