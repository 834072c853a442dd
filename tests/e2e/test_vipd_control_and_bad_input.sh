#!/usr/bin/env bash
# vipd facing bad input and its operator, in the namespace lab (a master,
# b backup, VRRPv2 with PASS over multicast, c sends the packets):
#   - malformed, truncated, wrong-TTL, wrong-auth, wrong-VRID, wrong-version
#     and wrong-interval packets at a priority that would win are counted by
#     reason on both speakers and change nothing; both keep running;
#   - the control socket: mode 0600, every status field, errors for unknown
#     or malformed requests, demote and promote move the VIP (and Redis),
#     the preference is written to prefer-file and moves the priority;
#   - a VIP removed by hand from the master is restored;
#   - a second vipd on the same control socket refuses to start;
#   - the control socket abused (non-JSON, 1 MB of JSON, 1,000 connections
#     that never write): a keeps advertising on time, seen on the wire from
#     c, and answers the next good request.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/vipd_scenario.sh"
lab_session
lab_require_vipd
TOOL=$LAB_DIR/bin/vipkit-vrrptool
[ -x "$TOOL" ] || lab_skip "vipkit-vrrptool not built"
lab_up a b c
for h in a b; do lab_vipd_conf "$h" version=2 advert-int-ms=1000 auth-pass=1111; done
start_redis_pair
lab_vipd_start a
lab_vipd_start b
check "VIP on a only" lab_wait 100 0.2 lab_vip_on a
check "b is backup" lab_wait 50 0.2 lab_state_is b backup

echo "# bad input from c, three of each, at priority 254"
# send [--vrid V] [--pass P] [--interval-ms I] [--version N] [OTHER...]: three
# adverts that would win, but for what is wrong with them.
send() {
  local -A opt=([--vrid]=52 [--pass]=1111 [--interval-ms]=1000 [--version]=2)
  local other=()
  while [ $# -gt 0 ]; do
    if [ -n "${opt[$1]:-}" ]; then opt[$1]=$2; else other+=("$1" "$2"); fi
    shift 2
  done
  local args=(--vrid "${opt[--vrid]}" --interval-ms "${opt[--interval-ms]}" --version "${opt[--version]}")
  [ "${opt[--version]}" = 2 ] && args+=(--pass "${opt[--pass]}")
  lab_exec c "$TOOL" advertise eth0 --priority 254 --vip "$LAB_VIP" --count 3 --every-ms 50 "${args[@]}" "${other[@]}" \
    >>"$LAB_DIR/c/send.log" 2>&1 || echo "send $* failed" >&2
}
send --mangle truncate
send --mangle bad-version
send --mangle bad-type
send --mangle extra-bytes
send --mangle bad-checksum
send --ttl 64
send --pass 2222
send --vrid 53
send --interval-ms 2000
send --version 3
sleep 0.5
for h in a b; do
  for reason in too-short bad-version bad-type length-mismatch bad-checksum ttl-not-255 auth-mismatch \
                vrid-mismatch interval-mismatch version-mismatch; do
    check "$h counted 3 x $reason" test "$(lab_status $h "s['counters']['rejected'].get('$reason', 0)")" = 3
  done
done
check "a still holds the VIP, the only holder" lab_vip_on a
check "a still master, b still backup" eval 'lab_state_is a master && lab_state_is b backup'
check "both speakers still run" eval 'kill -0 ${LAB_VIPD_PID[a]} && kill -0 ${LAB_VIPD_PID[b]}'
rx=$(lab_status b 's["counters"]["adverts_rx"]')
check "b goes on accepting a's adverts" lab_wait 30 0.2 eval '[ "$(lab_status b "s[\"counters\"][\"adverts_rx\"]")" -gt "$rx" ]'

echo "# control socket"
check "socket mode 0600, owner root" test "$(stat -c '%a %U' "$LAB_DIR/a/vipd.sock")" = "600 root"
status=$(lab_ctl a '{"cmd":"status"}')
field() { python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$status" "$1"; }
check "status: ok, instance, state" test "$(field 's["ok"], s["instance"], s["state"]')" = "(True, 'redis_16465', 'master')"
check "status: priorities and preference" test "$(field 's["priority"], s["effective_priority"], s["preference"]')" = "(100, 100, 0)"
check "status: interface, vrid, version" test "$(field 's["interface"], s["vrid"], s["version"]')" = "('eth0', 52, 2)"
check "status: vips, vip_present, master_ip" test "$(field 's["vips"], s["vip_present"], s["master_ip"]')" = "(['192.0.2.100/24'], True, '192.0.2.11')"
check "status: health" test "$(field 's["health"]["healthy"], s["health"]["reason"]')" = "(True, 'peer-not-master')"
check "status: local Redis role, replid, offset" \
  test "$(field 's["health"]["local"]["role"], len(s["health"]["local"]["replid"]), s["health"]["local"]["offset"] > 0')" = "('master', 40, True)"
check "status: peer Redis" test "$(field 's["health"]["peer"]["role"], s["health"]["peer"]["link_up"]')" = "('replica', True)"
check "status: counters" test "$(field 's["counters"]["adverts_tx"] > 0, s["counters"]["adverts_rx"] >= 0')" = "(True, True)"
check "status: last transition" test "$(field 's["last_transition"]["state"], s["last_transition"]["source"]')" = "('master', 'vipd')"
check "unknown command refused" test "$(lab_ctl a '{"cmd":"reboot"}')" = '{"error":"unknown command '"'reboot'"' (status, promote, demote)","ok":false}'
check "malformed request refused" test "$(printf 'status\n' | lab_exec a python3 -c '
import socket,sys
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.stdin.buffer.read()); print(s.recv(4096).decode().strip())' "$LAB_DIR/a/vipd.sock")" = '{"error":"request is not JSON","ok":false}'

check "demote answers backup" test "$(lab_ctl a '{"cmd":"demote"}')" = '{"ok":true,"state":"backup"}'
# A second demote while a still holds the VIP for the handover (an operator
# or a script repeating itself) must not cancel the handover.
check "  demote again at once: still backup" test "$(lab_ctl a '{"cmd":"demote"}')" = '{"ok":true,"state":"backup"}'
check "  the VIP moves to b only" lab_wait 100 0.1 lab_vip_on b
# Make-before-break: a kept the VIP until it heard b as master, so there was
# no moment without a holder.
check "  a held the VIP through the handover" grep -q "handover-hold instance=" "$LAB_DIR/a/vipd.log"
check "  and let it go once b was heard, not on the bound" \
  eval 'grep -q "vip-remove .*reason=handover$" "$LAB_DIR/a/vipd.log" && ! grep -q "reason=handover-timeout" "$LAB_DIR/a/vipd.log"'
check "  b's Redis is master, a's follows it" lab_wait 100 0.1 eval 'role_is b master && linked_replica_of a b'
check "  a's preference -1 is in its prefer-file" test "$(cat "$LAB_DIR/a/vipd.prefer")" = -1
check "  a's effective priority is 100 - 15" test "$(lab_status a 's["effective_priority"]')" = 85
check "  and a stays backup (85 < 90)" eval 'sleep 4; lab_vip_on b && lab_state_is a backup'
check "promote answers master" test "$(lab_ctl a '{"cmd":"promote"}')" = '{"ok":true,"state":"master"}'
check "  the VIP comes back to a only" lab_wait 100 0.1 lab_vip_on a
check "  a's Redis is master, b's follows it" lab_wait 100 0.1 eval 'role_is a master && linked_replica_of b a'
check "  a's preference 2 is in its prefer-file" test "$(cat "$LAB_DIR/a/vipd.prefer")" = 2
check "  a's effective priority is 100 + 30" test "$(lab_status a 's["effective_priority"]')" = 130

echo "# the VIP removed by hand"
ip -n "$(lab_ns a)" addr del "$LAB_VIP/24" dev eth0
check "a restores it" lab_wait 50 0.1 lab_vip_on a
check "  and says so" grep -q "vip-restored .*reason=removed-by-hand" "$LAB_DIR/a/vipd.log"

echo "# a second vipd on the same control socket"
out=$(lab_exec a "$LAB_DIR/bin/vipd" --config "$LAB_DIR/a/vipd.conf" 2>&1); rc=$?
check "refuses to start (exit 1, one line with the reason)" \
  eval '[ $rc = 1 ] && grep -q "start-failed .*served by a running process" <<<"$out" && [ "$(wc -l <<<"$out")" = 1 ]'
check "the first one still serves" test "$(lab_status a 's["state"]')" = master
check "the VIP is still on a only" lab_vip_on a

echo "# the control socket abused"
lab_bg c "$LAB_DIR/c/abuse-adverts.log" "$TOOL" listen eth0 --version 2 --vrid 52 --interval-ms 1000 --pass 1111 \
  --count 100 --timeout-ms 4500
listener=$LAB_LAST_PID
sleep 0.3
t0=$(lab_now_ms)
lab_exec a python3 - "$LAB_DIR/a/vipd.sock" "$LAB_DIR/a/abuse-answer" <<'PY'
import socket, sys, time
path = sys.argv[1]
held = []
def connect():
    s = socket.socket(socket.AF_UNIX)
    s.setblocking(False)
    try:
        s.connect(path)
    except (BlockingIOError, ConnectionRefusedError, OSError):
        pass
    return s
for i in range(1000):          # connect and never write
    held.append(connect())
big = connect()                # 1 MB of JSON, one line
try:
    big.setblocking(True); big.settimeout(2)
    big.sendall(b'{"cmd":"status","pad":"' + b'x' * (1 << 20) + b'"}\n')
except OSError:
    pass                       # closed by vipd past 4 KiB: expected
junk = connect()
try:
    junk.setblocking(True); junk.settimeout(2)
    junk.sendall(b'\x00\xff\x01 not json at all\n')
except OSError:
    pass
time.sleep(0.5)
# A good request while the idle ones still hold their connections (vipd
# drops an idle client after 2 s): it must be answered, not refused as busy.
good = socket.socket(socket.AF_UNIX)
good.settimeout(2)
good.connect(path)
good.sendall(b'{"cmd":"status"}\n')
answer = b''
try:
    while not answer.endswith(b'\n'):
        chunk = good.recv(65536)
        if not chunk:
            break
        answer += chunk
except OSError:
    pass
with open(sys.argv[2], 'wb') as out:
    out.write(answer)
time.sleep(2.5)                # hold everything open over three advert intervals
PY
lab_wait 60 0.1 lab_gone "$listener"   # it ends at its own timeout, its output flushed
held_ms=$(($(lab_now_ms) - t0))
from_a=$(grep -c "^advert .*src=${LAB_ADDR[a]} .* accepted" "$LAB_DIR/c/abuse-adverts.log")
echo "# $from_a adverts from a on the wire in the ${held_ms} ms of abuse and after"
check "a advertised every second through it (>= 3 in 4.5 s)" test "$from_a" -ge 3
check "a still master, b still backup, VIP on a only" eval 'lab_state_is a master && lab_state_is b backup && lab_vip_on a'
check "a answered a good request amid 1,000 idle connections" grep -q '"state":"master"' "$LAB_DIR/a/abuse-answer"
check "a answers the next good request" test "$(lab_status a 's["state"]')" = master
check "vipd still runs" kill -0 "${LAB_VIPD_PID[a]}"

if [ "$CHECK_FAILS" -gt 0 ]; then tail -n 40 "$LAB_DIR/a/vipd.log" "$LAB_DIR/b/vipd.log"; fi
check_summary
