#!/usr/bin/env bash
# vipd <-> vipd, VRRPv2 with PASS over unicast, 1 s adverts, 100 ms health
# checks (vipd_scenario.sh says what is checked).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/vipd_scenario.sh"
run_vipd_scenario 2 unicast
