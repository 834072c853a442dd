#!/usr/bin/env bash
# Partition and heal with keepalived, both nodes state BACKUP + nopreempt,
# writers on b's side: partition_scenario.sh. Without preemption only the
# side that is behind can move the VIP, by yielding it (the yield track_file).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/partition_scenario.sh"
run_partition_scenario keepalived one nopreempt
