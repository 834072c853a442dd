#!/usr/bin/env bash
# redis::Connection::open with an interrupt fd (redis/interruptible_connect.hpp),
# on real sockets: vipd's worker uses it so that a request (a second master
# heard at a heal) ends a check's connect to a cut-off peer at once instead
# of waiting out the timeout behind it.
#   - a connect whose SYN is dropped (a loopback listener with a full accept
#     queue, as a black-holed peer) ends "interrupted" when the fd turns
#     readable, long before its 5 s deadline;
#   - without the interruption it ends "timeout" at its deadline;
#   - a live redis-server answers PING through the same path, with AUTH.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
PROBE=$VIPKIT_BIN/../tests/vipkit-connect-probe
[ -x "$PROBE" ] || { echo "vipkit-connect-probe not built in $VIPKIT_BIN/../tests" >&2; exit 1; }

out=$("$PROBE")
echo "$out"
ms_of() { sed -n "s/^$1 code=[a-z-]* ms=\([0-9]*\)$/\1/p" <<< "$out"; }
code_of() { sed -n "s/^$1 code=\([a-z-]*\) .*/\1/p" <<< "$out"; }
check "a hung connect ends when the interrupt fd is readable" test "$(code_of black-hole)" = interrupted
# Behaviour, not speed: interrupted after 100 ms, it must not have waited for
# the 5 s deadline (a generous bound for a loaded machine).
check "  well before its deadline" test "$(ms_of black-hole)" -lt 4000
check "without an interruption it ends at its deadline" test "$(code_of black-hole-timeout)" = timeout

rt_redis_start r1
out=$(REDISCLI_AUTH=$RT_PASSWORD "$PROBE" redis "$(rt_addr r1)")
echo "$out"
check "a live Redis: connected, AUTH and PING answered" test "$(code_of redis)" = ok
rt_kill r1
out=$(REDISCLI_AUTH=$RT_PASSWORD "$PROBE" redis "$(rt_addr r1)")
echo "$out"
check "a closed port: unreachable at once" test "$(code_of redis)" = unreachable
