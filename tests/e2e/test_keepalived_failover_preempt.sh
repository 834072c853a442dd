#!/usr/bin/env bash
# seeds/003 settings: state MASTER/BACKUP, priority 100/90, preemption on.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
run_failover_scenario preempt
