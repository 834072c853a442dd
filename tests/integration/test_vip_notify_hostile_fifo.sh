#!/usr/bin/env bash
# vip-notify --fifo fed what keepalived never writes (issue 14): a name of
# 100,000 bytes, a path as a name, garbage, an unknown state, binary bytes,
# an empty line, 1 MB without a newline, a 5,000-digit priority. Each is
# refused in one warning naming its line, escaped and cut; the reader stays
# alive, and the valid MASTER line after them is applied.
set -uo pipefail
source "$(dirname "$0")/../lib/redis.sh"
rt_session
NOTIFY=$VIPKIT_BIN/vip-notify

rt_fresh_pair m1 r1
rt_instance_conf "$RT_DIR/conf.d/red1.conf" r1 m1
# A file the path-like name would reach if it were used as a path.
mkdir -p "$RT_DIR/etc" && rt_instance_conf "$RT_DIR/etc/passwd.conf" r1 m1
mkfifo "$RT_DIR/fifo"
"$NOTIFY" --fifo --config-dir "$RT_DIR/conf.d" --reconcile-ms 60000 --no-syslog "$RT_DIR/fifo" \
  > "$RT_DIR/fifo.log" 2>&1 &
FIFO_PID=$!; RT_PIDS+=($FIFO_PID)
exec 7> "$RT_DIR/fifo"   # keepalived's end, held open

python3 - "$RT_DIR/fifo" <<'PY'
import sys
lines = [
    b'INSTANCE "' + b'x' * 100000 + b'" MASTER 100',   # line 1: too long a name (and line)
    b'INSTANCE "../etc/passwd" MASTER 100',             # 2: a path
    b'garbage',                                          # 3
    b'INSTANCE "red1" PROMOTE 100',                      # 4: unknown state
    b'\x01\x02\xff\xfe \x1b[2J \x00 \x80',               # 5: binary
    b'',                                                 # 6: empty: routine, not warned
    b'INSTANCE "red1" MASTER ' + b'9' * 3000,            # 7: a 3,000-digit priority
    b'INSTANCE "red\x1b[31m" MASTER 100',                # 8: an escape sequence in the name
    b'y' * (1 << 20),                                    # 9: 1 MB without a newline... then one
    b'GROUP "g" MASTER',                                 # 10: routine
]
with open(sys.argv[1], 'wb') as fifo:
    for line in lines:
        fifo.write(line + b'\n')
PY
sleep 0.5
check "the reader is alive after the hostile lines" kill -0 $FIFO_PID
check "r1 untouched so far (a replica of m1)" rt_follows r1 m1
for n in 1 2 3 4 5 7 8 9; do
  check "line $n refused in one warning" test "$(grep -c "fifo-skipped line=$n " "$RT_DIR/fifo.log")" = 1
done
check "the routine lines are not warned about" eval '! grep -qE "fifo-skipped line=(6|10) " "$RT_DIR/fifo.log"'
check "the long name is cut, its length said" \
  grep -q 'fifo-skipped line=1 bytes=100022 text="INSTANCE \\"x*" why="longer than 4096 bytes"' "$RT_DIR/fifo.log"
check "the path-like name is refused as a name" \
  grep -q 'fifo-skipped line=2 .*cannot be used as a file name' "$RT_DIR/fifo.log"
check "binary bytes are escaped" grep -qF 'fifo-skipped line=5 bytes=13 text="\x01\x02\xff\xfe \x1b[2J \x00 \x80"' "$RT_DIR/fifo.log"
check "the 3,000-digit priority is cut" grep -qF "bad priority '$(printf '9%.0s' {1..40})...(3000 bytes)'" "$RT_DIR/fifo.log"
check "no control byte reached the log" eval '! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d "\n" < "$RT_DIR/fifo.log")'
check "no line of the log is longer than 1 KB" eval '[ "$(awk "{ if (length > m) m = length } END { print m }" "$RT_DIR/fifo.log")" -lt 1024 ]'
check "nothing was read as a path" eval '! grep -q "etc/passwd.conf" "$RT_DIR/fifo.log"'

printf 'INSTANCE "red1" MASTER 100\n' >&7
check "the valid MASTER line after them is applied" \
  rt_wait 100 0.1 eval '[ "$(rt_role r1)" = master ] && rt_follows m1 r1'
# A last line without its newline, then keepalived goes: never applied, no crash.
printf 'INSTANCE "red1" BACKUP 90' >&7
exec 7>&-
if rt_wait 50 0.1 eval '! kill -0 $FIFO_PID 2>/dev/null'; then
  wait $FIFO_PID 2>/dev/null; rc=$?
  check "keepalived closing the FIFO ends the reader cleanly (exit 0)" test $rc -eq 0
else
  not_ok "keepalived closing the FIFO ends the reader"
fi
check "  the unterminated line was not acted on: r1 still master" test "$(rt_role r1)" = master

echo "# the generic notify form refuses the same names"
out=$("$NOTIFY" --config-dir "$RT_DIR/conf.d" --no-syslog INSTANCE "$(head -c 100000 /dev/zero | tr '\0' x)" MASTER 100 2>&1); rc=$?
check "a 100,000-byte name: exit 2, one line" eval '[ $rc = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "too long" <<<"$out"'
out=$("$NOTIFY" --config-dir "$RT_DIR/conf.d" --no-syslog INSTANCE "../etc/passwd" MASTER 100 2>&1); rc=$?
check "a path as a name: exit 2, one line" eval '[ $rc = 2 ] && grep -q "cannot be used as a file name" <<<"$out"'
out=$("$NOTIFY" master --no-syslog --port "$(head -c 5000 /dev/zero | tr '\0' 9)" 2>&1); rc=$?
check "a 5,000-digit port: exit 2, the value cut" eval '[ $rc = 2 ] && [ ${#out} -lt 300 ] && grep -q "(5000 bytes)" <<<"$out"'

if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- fifo log"; cut -c1-300 "$RT_DIR/fifo.log" | tail -n 30; fi
check_summary
