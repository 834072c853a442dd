#!/usr/bin/env bash
# vrrp/core + vrrp/sys on the wire with keepalived 2.2.7, both directions,
# VRRPv2 with PASS and VRRPv3:
#   - our socket receives keepalived's adverts; the codec decodes them and the
#     acceptance checks accept them (and reject a wrong password);
#   - adverts we encode at a higher priority make keepalived back off (it
#     drops the VIP); when we stop, keepalived takes the VIP back.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
lab_session
TOOL=$VIPKIT_BIN/../tests/vipkit-vrrptool
[ -x "$TOOL" ] || lab_skip "vipkit-vrrptool not built"
lab_up a b

keepalived_conf() {  # VERSION: a minimal keepalived speaker on host a
  local version=$1
  {
    echo "global_defs { router_id wire_a"
    [ "$version" = 3 ] && echo "  vrrp_version 3"
    echo "}"
    echo "vrrp_instance wire { state MASTER; interface eth0; virtual_router_id 52; priority 100"
    if [ "$version" = 3 ]; then echo "  advert_int 0.5"; else
      echo "  advert_int 1"; echo "  authentication { auth_type PASS; auth_pass 1111 }"; fi
    echo "  virtual_ipaddress { 192.0.2.100/24 dev eth0 } }"
  } | sed 's/; /\n  /g' > "$LAB_DIR/a/keepalived.conf"
}

for version in 2 3; do
  if [ $version = 2 ]; then interval=1000; pass=(--pass 1111); else interval=500; pass=(); fi
  keepalived_conf $version
  lab_keepalived_start a
  check "v$version: keepalived holds the VIP" lab_wait 100 0.1 eval '[ "$(lab_vip_holders)" = a ]'

  out=$(lab_exec b "$TOOL" listen eth0 --version $version --vrid 52 --interval-ms $interval "${pass[@]}" --count 3 --timeout-ms 5000)
  echo "$out" | head -n 1 | sed 's/^/    /'
  check "v$version: three keepalived adverts decoded and accepted" \
    test "$(grep -c "^advert v$version vrid=52 prio=100 interval_ms=$interval src=192.0.2.11 ttl=255 addrs=192.0.2.100 accepted" <<<"$out")" -eq 3
  if [ $version = 2 ]; then
    out=$(lab_exec b "$TOOL" listen eth0 --version 2 --vrid 52 --interval-ms 1000 --pass 1112 --count 1 --timeout-ms 3000)
    check "v2: a wrong password is rejected (auth-mismatch)" grep -q "rejected reason=auth-mismatch" <<<"$out"
  fi

  # Advertise at priority 200 for a while: keepalived must become backup.
  lab_bg b "$LAB_DIR/b/advertise.log" "$TOOL" advertise eth0 --version $version --vrid 52 --priority 200 \
    --interval-ms $interval "${pass[@]}" --vip 192.0.2.100 --count 12
  adv=$LAB_LAST_PID
  check "v$version: keepalived backs off from our higher-priority adverts" lab_wait 100 0.1 eval '[ -z "$(lab_vip_holders)" ]'
  check "v$version: keepalived logged BACKUP" lab_wait 30 0.1 grep -q "Entering BACKUP STATE" "$LAB_DIR/a/keepalived.log"
  kill "$adv" 2>/dev/null
  check "v$version: when we go silent, keepalived takes the VIP back" lab_wait 150 0.1 eval '[ "$(lab_vip_holders)" = a ]'

  kill "${LAB_KA_PID[a]}"
  lab_wait 50 0.1 lab_gone "${LAB_KA_PID[a]}"
  : > "$LAB_DIR/a/keepalived.log"
done
check_summary
