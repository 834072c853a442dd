#!/usr/bin/env bash
# keepalived with resident checks (the seeds-003-pair track-file/ variant):
# a's checking reader (a child of vip-notify) is SIGSTOP'd, then a's Redis
# dies: the VIP must still leave a, and no acknowledged write is lost
# (track_watcher_scenario.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/track_watcher_scenario.sh"
run_watcher_lost_scenario stopped
