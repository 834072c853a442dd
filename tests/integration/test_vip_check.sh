#!/usr/bin/env bash
# vip-check against real redis-server: every --expect mode, every failure
# reason, credentials, config files, and the time bound.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
CHECK=$VIPKIT_BIN/vip-check

# run_check EXPECTED_RC EXPECTED_REASON ARGS...: exit code and the first word
# of the one-line output ("" = must be silent).
expect_check() {
  local want_rc=$1 want_reason=$2; shift 2
  local out rc
  out=$("$CHECK" "$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want_rc" ]; then echo "  rc=$rc (want $want_rc): $out" >&2; return 1; fi
  if [ -z "$want_reason" ]; then
    [ -z "$out" ] || { echo "  not silent: $out" >&2; return 1; }
    return 0
  fi
  [ "$(wc -l <<<"$out")" -eq 1 ] || { echo "  not one line: $out" >&2; return 1; }
  [[ $out == "$want_reason"* ]] || { echo "  got: $out" >&2; return 1; }
}

rt_redis_start m
rt_redis_start r "replicaof 127.0.0.1 ${RT_PORT[m]}"
rt_fill m k 10
rt_wait 50 0.1 rt_follows r m
P_M=${RT_PORT[m]} P_R=${RT_PORT[r]}

echo "# roles"
check "master is alive (silent)" expect_check 0 "" --port "$P_M"
check "master --expect master" expect_check 0 "" --port "$P_M" --expect master
check "master --expect replica -> wrong-role" expect_check 1 wrong-role --port "$P_M" --expect replica
check "linked replica --expect replica" expect_check 0 "" --port "$P_R" --expect replica
check "replica --expect master -> wrong-role" expect_check 1 wrong-role --port "$P_R" --expect master
# The probe is linked statically: name resolution must still work.
check "a host name resolves (--host localhost)" expect_check 0 "" --host localhost --port "$P_M"
check "-v prints the state on success" eval '"$CHECK" --port $P_R --expect replica -v | grep -q "^ok: role=replica"'

echo "# failures"
DOWN=$(rt_free_port)
check "nothing listening -> unreachable" expect_check 1 unreachable --port "$DOWN"
check "wrong password -> auth-failed" eval 'REDISCLI_AUTH=wrong expect_check 1 auth-failed --port $P_M'
check "no password -> auth-failed (NOAUTH)" eval 'REDISCLI_AUTH= expect_check 1 auth-failed --port $P_M'

# A black hole: a listening socket that never answers. The probe must give
# up within its --timeout.
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(1); print(s.getsockname()[1], flush=True); time.sleep(30)' > "$RT_DIR/hole" &
HOLE_PID=$!; RT_PIDS+=($HOLE_PID); disown $HOLE_PID
rt_wait 50 0.1 test -s "$RT_DIR/hole"
HOLE=$(cat "$RT_DIR/hole")
start=$(date +%s%3N)
check "silent server -> timeout" expect_check 1 timeout --port "$HOLE" --timeout 300
elapsed=$(( $(date +%s%3N) - start ))
check "gave up within the bound (${elapsed} ms for --timeout 300)" test "$elapsed" -lt 2000

echo "# credentials"
check "--password-file 0600" eval 'REDISCLI_AUTH= expect_check 0 "" --port $P_M --password-file $RT_DIR/pass'
cp "$RT_DIR/pass" "$RT_DIR/pass644"; chmod 644 "$RT_DIR/pass644"
check "--password-file 0644 refused (exit 2, says why)" eval \
  'REDISCLI_AUTH= expect_check 2 "vip-check: error: password file $RT_DIR/pass644 is readable by group/others" --port $P_M --password-file $RT_DIR/pass644'
check "missing password file -> exit 2" expect_check 2 "vip-check: error" --port "$P_M" --password-file "$RT_DIR/none"

echo "# loading and busy"
rt_redis_start big "enable-debug-command yes" "dbfilename big.rdb"
rt_cli big DEBUG POPULATE 20000 > /dev/null
rt_cli big SAVE > /dev/null
rt_kill big
# key-load-delay (µs per key) stretches loading so the probe can see it;
# without a small loading-process-events-interval-bytes Redis would not
# answer at all while loading a small file (the probe then says timeout).
rt_redis_start big "enable-debug-command yes" "dbfilename big.rdb" "key-load-delay 200" \
  "loading-process-events-interval-bytes 1024"
check "loading server -> loading" expect_check 1 loading --port "${RT_PORT[big]}"
rt_kill big

rt_redis_start busy "busy-reply-threshold 100"
rt_cli busy EVAL 'local i = 0 while true do i = i + 1 end' 0 > /dev/null &
EVAL_PID=$!
sleep 0.5
check "script past its time limit -> busy" expect_check 1 busy --port "${RT_PORT[busy]}"
rt_cli busy SCRIPT KILL > /dev/null
wait $EVAL_PID 2>/dev/null

echo "# eligible"
rt_redis_start empty
rt_redis_start lone
rt_fill lone k 5
rt_redis_start stale "replicaof 127.0.0.1 $DOWN"
check "(a) linked replica of the peer master -> eligible" expect_check 0 "" --port "$P_R" --expect eligible --peer "$(rt_addr m)"
check "(b) empty master while the peer is a master with data -> not-eligible" \
  expect_check 1 not-eligible --port "${RT_PORT[empty]}" --expect eligible --peer "$(rt_addr m)"
rt_cli stale REPLICAOF 127.0.0.1 "$DOWN" > /dev/null
check "(c) replica with its link down, peer master reachable -> not-eligible" \
  expect_check 1 not-eligible --port "${RT_PORT[stale]}" --expect eligible --peer "$(rt_addr m)"
check "(d) master, peer unreachable -> eligible" expect_check 0 "" --port "$P_M" --expect eligible --peer "127.0.0.1:$DOWN"
check "(e) master with data, peer an empty master -> eligible" \
  expect_check 0 "" --port "$P_M" --expect eligible --peer "$(rt_addr empty)"
check "diverged masters, VIP not here -> not-eligible" \
  expect_check 1 not-eligible --port "${RT_PORT[lone]}" --expect eligible --peer "$(rt_addr m)" --vip 192.0.2.100
check "eligible without --peer -> exit 2" expect_check 2 "vip-check: error" --port "$P_M" --expect eligible

echo "# options and config file"
cat > "$RT_DIR/check.conf" <<CONF
port = $P_R
password-file = "$RT_DIR/pass"
expect = "replica"
# keys of vip-notify are accepted in the shared instance file
self = "127.0.0.1:$P_R"
on-divergence = "snapshot"
CONF
check "--config sets every option by its long name" eval 'REDISCLI_AUTH= expect_check 0 "" --config $RT_DIR/check.conf'
check "command line overrides the config file" expect_check 1 wrong-role --config "$RT_DIR/check.conf" --port "$P_M"
printf 'prot = 1\n' > "$RT_DIR/typo.conf"
check "unknown key in config -> exit 2, names it" expect_check 2 "vip-check: error: unknown option 'prot'" --config "$RT_DIR/typo.conf"
printf 'port = many\n' > "$RT_DIR/badval.conf"
check "bad value in config -> exit 2" expect_check 2 "vip-check: error" --config "$RT_DIR/badval.conf"
check "missing config file -> exit 2" expect_check 2 "vip-check: error" --config "$RT_DIR/nope.conf"
check "bad flag -> exit 2" expect_check 2 "vip-check: error" --bogus
check "bad --expect -> exit 2" expect_check 2 "vip-check: error" --expect sleepy
check "bad --peer -> exit 2" expect_check 2 "vip-check: error" --expect eligible --peer nonsense

check_summary
