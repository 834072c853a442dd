#!/usr/bin/env bash
# Partition and heal with keepalived, writers on b's side: partition_scenario.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/partition_scenario.sh"
run_partition_scenario keepalived one
