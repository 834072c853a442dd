#!/usr/bin/env bash
# Planned switchovers with vipd in the other orders an operator uses (the
# cycles suite covers promote/demote on one host): promote on each host in
# turn, and every command run twice in a row (the second has nothing to do).
# 20 switchovers per order with a client writing through the VIP; each
# switch's client gap printed, every acknowledged write checked key by key.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
source "$here/switchover_measure.sh"
SW_ORDERS="alternate twice" VIPCTL_CYCLES=${VIPCTL_CYCLES:-10} run_vipctl_cycles_suite vipd
