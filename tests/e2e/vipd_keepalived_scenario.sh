# shellcheck shell=bash
# vipd <-> keepalived 2.2.7, end to end, in both directions: one Redis host
# runs keepalived with the seeds-003 example (vip-check + vip-notify), the
# other runs vipd with the same VRID, VIP and (for v2) password.
#
#   keepalived-master: keepalived on a (priority 100), vipd on b (90).
#     kill -9 a's Redis -> keepalived resigns, vipd takes the VIP and
#     promotes b; a returns empty, resyncs from b and takes the VIP back;
#     kill -9 a's keepalived -> vipd takes the VIP (zero-loss takeover from
#     a's live Redis); keepalived restarted on a takes it back.
#   vipd-master: vipd on a (100), keepalived on b (90).
#     kill -9 a's Redis -> vipd resigns, keepalived takes the VIP and
#     vip-notify promotes b; a returns empty, resyncs and takes it back;
#     kill -9 a's vipd -> keepalived takes the VIP, a's stays behind; a
#     restarted vipd removes it before advertising and takes the VIP back;
#     SIGTERM a's vipd -> keepalived takes over.
# In both: exactly one host holds the VIP at each rest point, the client's
# writes resume, every acknowledged write is on the final master.
#
# Usage: run_vipd_keepalived_scenario keepalived-master|vipd-master 2|3 [multicast|unicast]
# (unicast: keepalived from keepalived-examples/unicast-pair, vipd with
# unicast-peer = the keepalived host; no multicast at all on the link.)

source "$(dirname "${BASH_SOURCE[0]}")/vipd_scenario.sh"

# The example's keepalived.conf for HOST, in VRRPv3 when asked: vrrp_version 3
# in global_defs and no authentication block (RFC 5798 has none).
install_keepalived() {  # HOST VERSION EXAMPLE
  lab_install_example "$VIPKIT_ROOT/keepalived-examples/$3" "$1"
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
  local direction=$1 version=$2 transport=${3:-multicast}
  lab_session
  lab_require_vipd
  lab_up a b c
  local ka vd
  if [ "$direction" = keepalived-master ]; then ka=a vd=b; else ka=b vd=a; fi
  local example=seeds-003-pair
  local vipd_opts=(version="$version" advert-int-ms=1000)
  [ "$version" = 2 ] && vipd_opts+=(auth-pass=1111)
  if [ "$transport" = unicast ]; then
    example=unicast-pair
    vipd_opts+=(unicast-peer="${LAB_ADDR[$ka]}")
  fi
  install_keepalived "$ka" "$version" "$example"
  lab_vipd_conf "$vd" "${vipd_opts[@]}"
  echo "# VRRPv$version $transport: keepalived on $ka, vipd on $vd, a at priority 100"

  start_redis_pair
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
  start_writer
  kill_master_redis
  empty_master_returns
  local final=a
  if [ "$direction" = keepalived-master ]; then
    echo "# kill -9 of a's keepalived"
    local speaker_ms; speaker_ms=$(lab_now_ms)
    # The VRRP child first, then its parent, before the parent can restart it.
    local vrrp_child; vrrp_child=$(cat "$LAB_DIR/a/vrrp.pid")
    kill -9 "$vrrp_child" "${LAB_KA_PID[a]}" 2>/dev/null
    # Both gone (reaped), not only the parent: a restarted keepalived finds
    # the child's pid in its pid file and refuses to start ("daemon is
    # already running") while that pid still answers kill -0.
    lab_wait 50 0.1 lab_gone "${LAB_KA_PID[a]}"
    lab_wait 50 0.1 lab_gone "$vrrp_child"
    check "vipd on b takes the VIP" lab_wait 150 0.1 holds_vip b
    check "b is master (takeover from a's live Redis)" lab_wait 150 0.1 role_is b master
    check "client writes resume after the speaker kill" lab_wait 150 0.1 acked_after "$speaker_ms"
    lab_keepalived_start a
    check "restarted keepalived on a takes the VIP back, the only holder" lab_wait 250 0.2 lab_vip_on a
    check "a is master again, b follows" lab_wait 150 0.2 eval 'role_is a master && linked_replica_of b a'
  fi
  if [ "$direction" = vipd-master ]; then
    kill_master_vipd
    echo "# SIGTERM to a's vipd"
    lab_vipd_stop a TERM
    check "a removed the VIP and exited cleanly" eval '! holds_vip a && grep -q "stop instance=.* reason=signal" "$LAB_DIR/a/vipd.log"'
    check "keepalived on b takes the VIP" lab_wait 100 0.1 lab_vip_on b
    check "b is master" lab_wait 150 0.1 role_is b master
    final=b
  fi
  check_writes $final

  if [ "$CHECK_FAILS" -gt 0 ]; then
    echo "--- logs ---"
    tail -n 50 "$LAB_DIR/$ka/keepalived.log" "$LAB_DIR/$vd/vipd.log" "$LAB_DIR/writer.log"
    cat "$LAB_DIR/$ka"/state/*.json 2>/dev/null | grep -E '"(action|reason|result|state)"' | tail -30
  fi
  check_summary
}
