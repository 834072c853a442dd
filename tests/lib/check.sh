# shellcheck shell=bash
# TAP-like checks shared by every bash suite: one line per case, then
# "N passed, M failed" (the closing line CI reads), exit status from the count.
CHECK_PASSES=0
CHECK_FAILS=0
ok() { echo "ok - $*"; CHECK_PASSES=$((CHECK_PASSES + 1)); }
not_ok() { echo "not ok - $*"; CHECK_FAILS=$((CHECK_FAILS + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
check_summary() { echo "$CHECK_PASSES passed, $CHECK_FAILS failed"; [ "$CHECK_FAILS" -eq 0 ]; }
