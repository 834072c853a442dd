#!/usr/bin/env bash
# The failover scenario of test_keepalived_failover_preempt.sh with the
# seeds-003-pair example's track-file/ variant (issue 9): keepalived reads
# vip-notify's resident checks through track_file, no vrrp_script forked.
# kill -9 of the master's Redis moves the VIP, writes resume, the empty
# returning node never holds the VIP and rejoins as a replica, every
# acknowledged write checked key by key.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
run_failover_scenario track-file,preempt
