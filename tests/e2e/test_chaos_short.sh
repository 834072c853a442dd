#!/usr/bin/env bash
# The chaos soak's short variant (scripts/chaos.sh, issue 10): 8 faults on
# the keepalived lab, drawn from a fixed seed so that CI replays the same
# sequence; every invariant must hold. The soak itself, for as long as
# wanted: scripts/chaos.sh --mode keepalived|vipd --faults 200.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../../scripts/chaos.sh" --mode keepalived --faults 8 --seed "${CHAOS_SEED:-1}"
