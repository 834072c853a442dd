#!/usr/bin/env bash
# The chaos soak's short variant (scripts/chaos.sh; the long runs and their
# figures are in README's Figures): a few piled-up faults per speaker, with
# every acknowledged write accounted for and every invariant checked.
#
# Fixed seeds, so a CI failure replays with the command chaos.sh prints.
# Their first faults are the ones that found bugs: seed 1 opens with a
# SIGTERM'd speaker and a Redis back empty (the unguarded replica of the
# takeover), then loss, a stopped Redis, a partition. CHAOS_SEED and
# CHAOS_FAULTS override them for a different short run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seed=${CHAOS_SEED:-1}
faults=${CHAOS_FAULTS:-12}
status=0
for mode in keepalived vipd; do
  bash "$here/../../scripts/chaos.sh" --mode "$mode" --faults "$faults" --seed "$seed"
  rc=$?
  echo "# chaos $mode: exit $rc"
  case $rc in
    0) ;;
    77) exit 77 ;;  # no lab here (not root, no netns): the whole test skips
    *) status=1 ;;
  esac
done
exit $status
