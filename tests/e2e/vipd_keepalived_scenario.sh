# shellcheck shell=bash
# vipd <-> keepalived 2.2.7, end to end, in both directions: one Redis host
# runs keepalived with the seeds-003 example (vip-check + vip-notify), the
# other runs vipd with the same VRID, VIP and (for v2) password.
#
#   keepalived-master: keepalived on a (priority 100), vipd on b (90).
#     kill -9 a's Redis -> keepalived resigns, vipd takes the VIP and
#     promotes b; a returns empty, resyncs from b and takes the VIP back.
#   vipd-master: vipd on a (100), keepalived on b (90).
#     kill -9 a's Redis -> vipd resigns, keepalived takes the VIP and
#     vip-notify promotes b; a returns empty, resyncs and takes it back;
#     kill -9 a's vipd -> keepalived takes the VIP, a's stays behind; a
#     restarted vipd removes it before advertising and takes the VIP back;
#     SIGTERM a's vipd -> keepalived takes over.
# In both: exactly one host holds the VIP at each rest point, the client's
# writes resume, every acknowledged write is on the final master.
#
# Usage: run_vipd_keepalived_scenario keepalived-master|vipd-master 2|3

source "$(dirname "${BASH_SOURCE[0]}")/vipd_scenario.sh"

# The example's keepalived.conf for HOST, in VRRPv3 when asked: vrrp_version 3
# in global_defs and no authentication block (RFC 5798 has none).
install_keepalived() {  # HOST VERSION
  lab_install_example "$VIPKIT_ROOT/keepalived-examples/seeds-003-pair" "$1"
  local conf=$LAB_DIR/$1/keepalived.conf
  if [ "$2" = 3 ]; then
    sed -i -e 's/^global_defs {/&\n    vrrp_version 3/' -e '/authentication {/,/}/d' "$conf"
  fi
  sed -i 's/^\(\s*\)state MASTER/\1state BACKUP/' "$conf"  # both start as BACKUP: the election decides
}

keepalived_state_is() {  # HOST STATE: the last state keepalived logged
  [ "$(grep -o 'Entering [A-Z]* STATE' "$LAB_DIR/$1/keepalived.log" | tail -1)" = "Entering $2 STATE" ]
}

run_vipd_keepalived_scenario() {
  local direction=$1 version=$2
  lab_init
  trap 'lab_down' EXIT
  lab_require_vipd
  lab_up a b c
  local ka vd
  if [ "$direction" = keepalived-master ]; then ka=a vd=b; else ka=b vd=a; fi
  install_keepalived "$ka" "$version"
  local vipd_opts=(version="$version" advert-int-ms=1000)
  [ "$version" = 2 ] && vipd_opts+=(auth-pass=1111)
  lab_vipd_conf "$vd" "${vipd_opts[@]}"
  echo "# VRRPv$version: keepalived on $ka, vipd on $vd, a at priority 100"

  lab_redis_start a $PORT
  lab_redis_start b $PORT "replicaof ${LAB_ADDR[a]} $PORT"
  local i
  for i in $(seq 1 100); do echo "SET pre:$i $i"; done | lab_cli a -p $PORT > /dev/null
  lab_keepalived_start "$ka"
  lab_vipd_start "$vd"
  check "VIP on a only" lab_wait 150 0.2 lab_vip_on a
  check "b is a linked replica of a" lab_wait 50 0.2 linked_replica_of b a
  if [ "$direction" = keepalived-master ]; then
    check "vipd on b is backup of keepalived's a" lab_wait 50 0.2 \
      eval 'lab_state_is b backup && [ "$(lab_status b "s[\"master_ip\"]")" = "${LAB_ADDR[a]}" ]'
    check "vipd accepts every keepalived advert" test "$(lab_status b 's["counters"]["rejected"]')" = "{}"
  else
    check "keepalived on b is backup of vipd's a" lab_wait 50 0.2 keepalived_state_is b BACKUP
  fi

  lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
    --out "$LAB_DIR/acks" --interval-ms 20 --timeout-ms 200 --duration-ms 300000
  local writer=$LAB_LAST_PID
  check "client writes through the VIP" lab_wait 50 0.2 acked_after 0

  echo "# kill -9 of a's Redis"
  local kill_ms; kill_ms=$(lab_now_ms)
  lab_redis_kill a
  check "VIP moves to b only" lab_wait 150 0.1 lab_vip_on b
  check "b is master" lab_wait 100 0.1 role_is b master
  check "client writes resume after the kill" lab_wait 100 0.1 acked_after "$kill_ms"
  local first_ack; first_ack=$(awk -v t="$kill_ms" '$2 > t { print $2; exit }' "$LAB_DIR/acks")
  echo "# write gap after kill -9 of the Redis: $((first_ack - kill_ms)) ms"

  echo "# a's Redis returns empty"
  lab_redis_start a $PORT
  watch_returning_node 90
  local rc=$?
  check "a never held the VIP while empty" test $rc -ne 2
  check "a became a linked replica of b" test $rc -eq 0
  check "VIP back on a only after resync" lab_wait 200 0.2 lab_vip_on a
  check "a is master, b follows a" lab_wait 150 0.2 eval 'role_is a master && linked_replica_of b a'

  local final=a
  if [ "$direction" = vipd-master ]; then
    echo "# kill -9 of a's vipd"
    local speaker_ms; speaker_ms=$(lab_now_ms)
    lab_vipd_stop a KILL
    check "keepalived on b takes the VIP" lab_wait 150 0.1 holds_vip b
    check "b is master (takeover from a's live Redis)" lab_wait 150 0.1 role_is b master
    check "a's VIP stays behind (killed with -9)" holds_vip a
    check "client writes resume after the speaker kill" lab_wait 150 0.1 acked_after "$speaker_ms"
    lab_vipd_start a
    check "restarted vipd removed the stale VIP before advertising" lab_wait 50 0.1 stale_vip_removed_first a
    check "a takes the VIP back, the only holder" lab_wait 200 0.2 lab_vip_on a
    check "a is master again, b follows" lab_wait 150 0.2 eval 'role_is a master && linked_replica_of b a'

    echo "# SIGTERM to a's vipd"
    lab_vipd_stop a TERM
    check "a removed the VIP and exited cleanly" eval '! holds_vip a && grep -q "stop instance=.* reason=signal" "$LAB_DIR/a/vipd.log"'
    check "keepalived on b takes the VIP" lab_wait 100 0.1 lab_vip_on b
    check "b is master" lab_wait 150 0.1 role_is b master
    final=b
  fi

  sleep 1
  kill "$writer" 2>/dev/null
  lab_wait 50 0.1 lab_gone "$writer"
  check "every write acknowledged since the Redis kill is on $final" all_acked_present $final "$kill_ms"
  check "every acknowledged write at all is on $final" all_acked_present $final
  check "the data from before the failover survived" prefill_present $final

  if [ "$CHECK_FAILS" -gt 0 ]; then
    echo "--- logs ---"
    tail -n 50 "$LAB_DIR/$ka/keepalived.log" "$LAB_DIR/$vd/vipd.log" "$LAB_DIR/writer.log"
    cat "$LAB_DIR/$ka"/state/*.json 2>/dev/null | grep -E '"(action|reason|result|state)"' | tail -30
  fi
  check_summary
}
