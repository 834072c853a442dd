#!/usr/bin/env bash
# vipctl's rollback paths with vipd moving the VIP, forced: a hand-over that
# times out, the new master's Redis killed mid-switch
# (switchover_measure.sh, run_vipctl_rollback_suite, says what is checked).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
source "$here/switchover_measure.sh"
run_vipctl_rollback_suite vipd
