#!/usr/bin/env bash
# A speaker that dies takes its VIP with it (issue 8), with the seeds-003-pair
# example. kill -9 of keepalived on the master (its VRRP process and the
# parent that would respawn it) leaves nothing to release the VIP; the
# vip-notify --fifo it started sees the FIFO close without a STOP and its
# starter gone, removes the VIP and, with `fence`, pauses the local master.
#   - reload (SIGHUP) of keepalived on the master: the VIP stays on a;
#   - kill -9: within 1 s the VIP is on b alone (times printed): vip-notify
#     removes it from a, then sends the priority-0 advert keepalived would
#     have sent (the example's vrrp-* keys), so b waits its skew time (0.65 s
#     at priority 90) instead of 3 missed adverts; a's Redis follows b;
#   - keepalived back on a: it takes the VIP back and a's Redis takes writes
#     through it (no fence left behind).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"

seeds003_lab
# keepalived runs its scripts with stdio on /dev/null and the lab has no
# syslog: what vip-notify did is read from its state file and the processes.
state_file=$LAB_DIR/a/state/redis_16465.json
vrrp_pid() { ka_vrrp_pid a; }
reader_pid() { ka_notify_pid a; }
# transitions SOURCE: "action:result" of each transition applied with SOURCE.
transitions() {
  python3 -c 'import json,sys
for t in json.load(open(sys.argv[1]))["history"]:
    if t["source"] == sys.argv[2]: print(t["action"] + ":" + t["result"])' "$state_file" "$1" 2>/dev/null
}

vip_stays_on() {  # HOST SECONDS: the VIP is on HOST alone at every look
  local i
  for ((i = 0; i < $2 * 10; i++)); do lab_vip_on "$1" || return 1; sleep 0.1; done
}

echo "# reload"
old_reader=$(reader_pid)
check "a's vip-notify runs (pid ${old_reader:-none})" test -n "$old_reader"
kill -HUP "${LAB_KA_PID[a]}"
check "a's keepalived reloads: the old vip-notify exits, a new one starts" \
  lab_wait 50 0.1 eval '! kill -0 "$old_reader" 2>/dev/null && [ -n "$(reader_pid)" ]'
check "  the VIP stays on a alone for 3 s" vip_stays_on a 3
check "  nothing was released" test -z "$(transitions speaker-died)"

echo "# kill -9 of keepalived on a (fence on)"
echo 'fence = true' >> "$LAB_DIR/a/vipkit/redis_16465.conf"   # read at every event
child=$(vrrp_pid)
kill -STOP "${LAB_KA_PID[a]}"   # the parent must not respawn its VRRP process
t0=$(lab_now_ms)
kill -9 "$child" "${LAB_KA_PID[a]}"
gone_ms= only_b_ms=
for ((i = 0; i < 300; i++)); do
  holders=$(lab_vip_holders)
  if [ -z "$gone_ms" ] && [[ " $holders " != *" a "* ]]; then gone_ms=$(($(lab_now_ms) - t0)); fi
  if [ "$holders" = b ]; then only_b_ms=$(($(lab_now_ms) - t0)); break; fi
  sleep 0.02
done
echo "# VIP gone from a ${gone_ms:-never (6 s)} ms, on b alone ${only_b_ms:-never (6 s)} ms after the kill"
check "the VIP leaves a within 1 s" test -n "$gone_ms" -a "${gone_ms:-9999}" -le 1000
check "within 1 s the VIP is on b alone (priority-0 advert sent for the dead keepalived)" \
  test -n "$only_b_ms" -a "${only_b_ms:-9999}" -le 1000
check "  then STOP applied: a's master fenced" lab_wait 20 0.05 eval '[ "$(transitions speaker-died)" = fence:ok ]'
# Fenced (the write blocks), or already a replica of b (READONLY) now that b
# takes over within a second: either way no write is acknowledged on a.
check "  a's Redis acknowledges no write" eval '[ "$(timeout 1 ip netns exec "$(lab_ns a)" redis-cli --no-auth-warning \
  -p $PORT SET e2e:fenced 1 2>&1)" != OK ]'
check "  b is master, a's Redis follows it" lab_wait 50 0.2 eval '[ "$(lab_role b $PORT)" = master ] && linked_replica_of a b'
check "  the VIP stays on b alone" vip_stays_on b 1

echo "# keepalived back on a"
lab_keepalived_start a
check "a takes the VIP back (preemption)" lab_wait 150 0.1 lab_vip_on a
# A write blocks while Redis is paused: bound each try.
vip_write() { [ "$(timeout 1 ip netns exec "$(lab_ns c)" redis-cli --no-auth-warning -h "$LAB_VIP" -p $PORT \
  SET e2e:after 1 2>/dev/null)" = OK ]; }
check "  a's Redis is master and takes writes through the VIP (no fence left)" \
  lab_wait 20 0.2 eval '[ "$(lab_role a $PORT)" = master ] && vip_write'

if [ "$CHECK_FAILS" -gt 0 ]; then echo "--- a's transitions"; cat "$state_file"; fi
check_summary
