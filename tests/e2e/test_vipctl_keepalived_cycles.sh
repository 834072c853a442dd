#!/usr/bin/env bash
# Planned switchovers with vipctl under keepalived (keepalived-examples/
# seeds-003-pair, the preference file as VIP mover): a client writes through
# the VIP the whole time while vipctl moves the master role back and forth —
# 6 cycles, each a promote and a demote (the first half on host b, the rest
# on host a). Each takes 3-5 s (keepalived's master-down timer), so CI runs
# 6; VIPCTL_CYCLES=20 (or more) for a longer run. Every switchover must succeed (exit 0, VIP and master role on the
# new node, old master linked); at the end every acknowledged write is on the
# final master, key by key. Figures (not assertions): per switchover, the
# write pause measured on the old master and the longest gap between two
# acknowledged writes the client saw.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
source "$here/switchover_measure.sh"
VIPCTL_CYCLES=${VIPCTL_CYCLES:-6} run_vipctl_cycles_suite keepalived
