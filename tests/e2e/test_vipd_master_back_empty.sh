#!/usr/bin/env bash
# The master's Redis back empty before the failover, under vipd: the replica
# keeps its data and gets the VIP (tests/e2e/master_back_empty.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/master_back_empty.sh"
run_master_back_empty vipd
