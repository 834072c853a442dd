#!/usr/bin/env bash
# The Sentinel client and the `leader = sentinel` decision against real
# processes: one redis-server master, its replica, three redis-sentinel on
# free loopback ports. vipkit-sentinel-probe asks the Sentinels and the
# local Redis once and prints what vipd would decide.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
source "$(dirname "$0")/../lib/sentinel.sh"
rt_session
rt_sentinel_init
PROBE=$VIPKIT_BIN/../tests/vipkit-sentinel-probe
[ -x "$PROBE" ] || rt_skip "vipkit-sentinel-probe not built in $VIPKIT_BIN/../tests"

rt_redis_start m
rt_redis_start r "replicaof 127.0.0.1 ${RT_PORT[m]}"
rt_wait 100 0.1 rt_follows r m
for s in s1 s2 s3; do rt_sentinel_start "$s" m; done
for s in s1 s2 s3; do rt_wait 100 0.2 rt_sentinel_sees "$s" 2 || echo "  $s does not see the other two" >&2; done
SENTINELS=(--sentinel "127.0.0.1:${RT_PORT[s1]}" --sentinel "127.0.0.1:${RT_PORT[s2]}" --sentinel "127.0.0.1:${RT_PORT[s3]}")

# probe NAME [ARGS...]: the probe as the host of the Redis NAME.
probe() {
  local name=$1; shift
  "$PROBE" --master-name "$RT_SENTINEL_NAME" --sentinel-password-file "$RT_DIR/sentinel-pass" \
    --password-file "$RT_DIR/pass" --local "$(rt_addr "$name")" "$@"
}
# expect_decision WANT NAME [ARGS...]: the decision line starts with WANT.
expect_decision() {
  local want=$1 out; shift
  out=$(probe "$@" 2>&1)
  grep -Eq "^decision $want" <<<"$out" || { echo "  want: decision $want" >&2; echo "$out" | sed 's/^/  got: /' >&2; return 1; }
}
# expect_lines COUNT PATTERN NAME [ARGS...]: COUNT output lines match PATTERN.
expect_lines() {
  local count=$1 pattern=$2 out; shift 2
  out=$(probe "$@" 2>&1)
  [ "$(grep -c -- "$pattern" <<<"$out")" = "$count" ] || { echo "$out" | sed 's/^/  got: /' >&2; return 1; }
}

echo "# all three Sentinels agree"
check "each names the master at epoch 0" expect_lines 3 "master=127.0.0.1:${RT_PORT[m]} epoch=0$" m "${SENTINELS[@]}"
check "the master's host holds" expect_decision "hold reason=local-elected views=3/3 votes=3 stale=0" m "${SENTINELS[@]}"
check "the replica's host releases" expect_decision "release reason=local-replica" r "${SENTINELS[@]}"
RT_PORT[gone]=$(rt_free_port)  # a Redis nobody runs
check "a host whose Redis is down releases, no fence possible" \
  expect_decision "release reason=local-unreachable .* fence=none$" gone "${SENTINELS[@]}" --fence

echo "# credentials and names"
printf 'wrong\n' > "$RT_DIR/wrong-pass"; chmod 600 "$RT_DIR/wrong-pass"
check "a wrong Sentinel password is an error per Sentinel" \
  expect_lines 3 "error auth-failed" m "${SENTINELS[@]}" --sentinel-password-file "$RT_DIR/wrong-pass"
check "no Sentinel view -> quorum lost, fenced" \
  expect_decision "release reason=quorum-lost .* fence=fence$" m "${SENTINELS[@]}" --sentinel-password-file "$RT_DIR/wrong-pass" --fence
check "keep holds what it holds without a quorum" \
  expect_decision "hold reason=quorum-lost-keep" m "${SENTINELS[@]}" --sentinel-password-file "$RT_DIR/wrong-pass" --on-quorum-loss keep --holding
check "an unknown master name is reported as such" \
  expect_lines 3 "unknown-master" m "${SENTINELS[@]}" --master-name nosuch

echo "# Sentinels that do not answer"
DOWN=$(rt_free_port)
check "a fourth Sentinel, not listening: 3 of 4 still a majority" \
  expect_decision "hold reason=local-elected views=3/4" m "${SENTINELS[@]}" --sentinel "127.0.0.1:$DOWN"
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(8); print(s.getsockname()[1], flush=True); time.sleep(60)' > "$RT_DIR/hole" &
HOLE_PID=$!; RT_PIDS+=($HOLE_PID); disown $HOLE_PID
rt_wait 50 0.1 test -s "$RT_DIR/hole"
HOLE=$(cat "$RT_DIR/hole")
start=$(date +%s%3N)
check "a black-holed Sentinel is unreachable" \
  expect_lines 1 "127.0.0.1:$HOLE unreachable" m "${SENTINELS[@]}" --sentinel "127.0.0.1:$HOLE" --timeout 300
elapsed=$(( $(date +%s%3N) - start ))
check "it cost no more than its timeout (${elapsed} ms for --timeout 300)" test "$elapsed" -lt 2000
check "two silent of five is still a majority of three" expect_decision "hold reason=local-elected views=3/5" \
  m "${SENTINELS[@]}" --sentinel "127.0.0.1:$DOWN" --sentinel "127.0.0.1:$HOLE" --timeout 300

echo "# a lone lying Sentinel"
# A real Sentinel that monitors another master under the same name: the
# one answer naming x changes nothing.
rt_redis_start x
rt_sentinel_start liar x 1
LIAR=(--sentinel "127.0.0.1:${RT_PORT[s1]}" --sentinel "127.0.0.1:${RT_PORT[s2]}" --sentinel "127.0.0.1:${RT_PORT[liar]}")
check "the liar names x" expect_lines 1 "master=127.0.0.1:${RT_PORT[x]} epoch=0" m "${LIAR[@]}"
check "the master's host still holds" expect_decision "hold reason=local-elected views=3/3 votes=2" m "${LIAR[@]}"
check "x's host does not" expect_decision "release reason=other-elected .* elected=127.0.0.1:${RT_PORT[m]}" x "${LIAR[@]}" --holding

echo "# SENTINEL FAILOVER: the VIP follows"
check "SENTINEL FAILOVER accepted" eval '[ "$(rt_scli s1 SENTINEL FAILOVER "$RT_SENTINEL_NAME")" = OK ]'
all_name_r() {
  local s
  for s in s1 s2 s3; do [ "$(rt_sentinel_master_port "$s")" = "${RT_PORT[r]}" ] || return 1; done
}
check "all three Sentinels name r within 20 s" rt_wait 100 0.2 all_name_r
check "r's host holds, at epoch 1" \
  expect_decision "hold reason=local-elected views=3/3 votes=3 stale=0 elected=127.0.0.1:${RT_PORT[r]} epoch=1" \
  r "${SENTINELS[@]}"
# Until Sentinel has turned m into a replica, m's host sees other-elected.
m_demoted() {
  expect_decision "release reason=local-replica .* elected=127.0.0.1:${RT_PORT[r]} epoch=1" m "${SENTINELS[@]}" \
    --holding 2>/dev/null
}
check "m's host releases while Sentinel demotes m" \
  expect_decision "release reason=(other-elected|local-replica) .* elected=127.0.0.1:${RT_PORT[r]} epoch=1" \
  m "${SENTINELS[@]}" --holding
check "m's host releases once m is a replica (within 10 s)" rt_wait 50 0.2 m_demoted
check "epoch 1 remembered: the decision stays with r" \
  expect_decision "hold reason=local-elected .* epoch=1" r "${SENTINELS[@]}" --last-epoch 1
check "a Sentinel whose epoch is older than the remembered one is stale" \
  expect_decision "release reason=quorum-lost .* stale=3 .* epoch=5" r "${SENTINELS[@]}" --last-epoch 5

check_summary
