#!/usr/bin/env bash
# Planned switchovers with vipctl where vipd moves the VIP (VRRPv3, 100 ms
# adverts; vipctl reads each host's vipd config): 10 promote/demote cycles
# (VIPCTL_CYCLES=20 or more for a longer run; CI keeps to its time budget)
# with a client writing through the VIP, as the keepalived suite, every
# acknowledged write checked key by key at the end.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
source "$here/switchover_measure.sh"
VIPCTL_CYCLES=${VIPCTL_CYCLES:-10} run_vipctl_cycles_suite vipd
