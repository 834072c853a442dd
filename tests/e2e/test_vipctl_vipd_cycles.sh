#!/usr/bin/env bash
# Planned switchovers with vipctl where vipd moves the VIP (VRRPv3, 100 ms
# adverts; vipctl reads each host's vipd config): the same 20 promote/demote
# cycles with a client writing through the VIP as the keepalived suite, every
# acknowledged write checked key by key at the end.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
source "$here/switchover_measure.sh"
run_vipctl_cycles_suite vipd
