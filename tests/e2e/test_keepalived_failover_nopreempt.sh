#!/usr/bin/env bash
# The same failover with both nodes state BACKUP + nopreempt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"
run_failover_scenario nopreempt
