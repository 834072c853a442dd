#!/usr/bin/env bash
# vip-notify --fifo and SIGTERM (issue 8, race 6): idle, it exits at once; a
# SIGTERM that arrives in the middle of a step lets the step finish (README:
# "on SIGTERM after finishing the current action") and exits right after.
# The step is held in hiredis's connect: the local Redis is SIGSTOPped with
# its accept queue full (tcp-backlog 0 and one connection it cannot accept),
# so vip-notify's SYN is dropped until Redis runs again and the kernel
# retransmits it (about 1 s). A signal handler interrupts the poll() inside
# that connect (EINTR; poll is never restarted) and the step failed.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
NOTIFY=$VIPKIT_BIN/vip-notify
command -v ss >/dev/null || rt_skip "ss (iproute2) not installed"

rt_redis_start gone
rt_redis_start r "replicaof 127.0.0.1 ${RT_PORT[gone]}" "tcp-backlog 0"
rt_kill gone   # the peer is dead: MASTER means promote r
rt_instance_conf "$RT_DIR/conf.d/sig.conf" r gone "timeout = 4000"
mkfifo "$RT_DIR/fifo"

# start_reader LOG: vip-notify on the FIFO, our end held open as keepalived does.
start_reader() {
  REDISCLI_AUTH= "$NOTIFY" --fifo --config-dir "$RT_DIR/conf.d" --reconcile-ms 60000 --no-syslog \
    "$RT_DIR/fifo" > "$1" 2>&1 &
  READER=$!; RT_PIDS+=($READER)
  exec 7> "$RT_DIR/fifo"
  rt_wait 50 0.1 grep -q fifo-start "$1"
}
gone_within() {  # PID TENTHS: wait for PID to exit; its exit status in $rc
  local i
  for ((i = 0; i < $2; i++)); do
    kill -0 "$1" 2>/dev/null || { wait "$1"; rc=$?; return 0; }
    sleep 0.1
  done
  return 1
}

echo "# idle"
start_reader "$RT_DIR/idle.log"
kill -TERM "$READER"
check "SIGTERM while waiting on the FIFO: exits within 0.5 s" gone_within "$READER" 5
check "  with exit 0 and reason=signal" eval '[ $rc -eq 0 ] && grep -q "fifo-stop .*reason=signal" "$RT_DIR/idle.log"'
exec 7>&-

echo "# SIGTERM in the middle of a step"
start_reader "$RT_DIR/step.log"
port=${RT_PORT[r]}
kill -STOP "${RT_PID[r]}"
python3 -c 'import socket,sys,time; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(30)' \
  "$port" &
RT_PIDS+=($!); disown $!
queue_full() { [ "$(ss -ltnH "sport = :$port" | awk '{ print $2 }')" = 1 ]; }
connecting() { ss -tnH state syn-sent "dport = :$port" | grep -q .; }
check "r's accept queue is full" rt_wait 50 0.1 queue_full
echo 'INSTANCE "sig" MASTER 100' >&7
check "vip-notify is stuck in its connect to r" rt_wait 50 0.1 connecting
kill -TERM "$READER"
sleep 0.3
check "  still running 0.3 s after SIGTERM (the step goes on)" kill -0 "$READER"
kill -CONT "${RT_PID[r]}"
# The step ends when the SYN retransmit (about 1 s) gets through.
check "the step finishes and is logged as done" \
  rt_wait 60 0.05 grep -q "promote instance=sig state=master .*result=ok" "$RT_DIR/step.log"
check "  r is master" test "$(rt_role r)" = master
check "vip-notify exits within 0.5 s of the step's end" gone_within "$READER" 5
check "  with exit 0 and reason=signal" eval '[ $rc -eq 0 ] && grep -q "fifo-stop .*reason=signal" "$RT_DIR/step.log"'
exec 7>&-

if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- logs"; tail -n 20 "$RT_DIR/idle.log" "$RT_DIR/step.log"; fi
check_summary
