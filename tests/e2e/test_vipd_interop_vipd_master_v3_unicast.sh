#!/usr/bin/env bash
# vipd <-> keepalived 2.2.7, VRRPv3 over unicast (keepalived's unicast-pair
# example), vipd master (vipd_keepalived_scenario.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/vipd_keepalived_scenario.sh"
run_vipd_keepalived_scenario vipd-master 3 unicast
