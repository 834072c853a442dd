#!/usr/bin/env bash
# vipd <-> vipd, VRRPv3 multicast, 100 ms adverts and health checks
# (vipd_scenario.sh says what is checked).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/vipd_scenario.sh"
run_vipd_scenario 3 multicast
