#!/usr/bin/env bash
# vipd as scripts/vipd@.service runs it: not root, only CAP_NET_ADMIN and
# CAP_NET_RAW. The unit passes systemd-analyze verify; with exactly the
# unit's user and capabilities vipd wins the election, adds the VIP, serves
# its control socket and stops cleanly; without the capabilities it refuses
# to start with the cause.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/vipd_scenario.sh"
UNIT=$VIPKIT_ROOT/scripts/vipd@.service
for tool in setpriv systemd-analyze; do command -v $tool >/dev/null || lab_skip "$tool not installed"; done
lab_session
lab_require_vipd

unit_value() { sed -n "s/^$1=//p" "$UNIT" | head -1; }
user=$(unit_value User)
group=$(unit_value Group)
caps=$(unit_value AmbientCapabilities)
id "$user" >/dev/null 2>&1 || lab_skip "user $user (from the unit) does not exist here"
check "the unit runs vipd as a non-root user" test -n "$user" -a "$user" != root
check "the unit grants exactly CAP_NET_ADMIN and CAP_NET_RAW" \
  eval '[ "$caps" = "CAP_NET_ADMIN CAP_NET_RAW" ] && [ "$(unit_value CapabilityBoundingSet)" = "$caps" ]'
sed "s|/usr/local/bin/vipd|$LAB_DIR/bin/vipd|g" "$UNIT" > "$LAB_DIR/vipd@lab.service"
out=$(systemd-analyze verify "$LAB_DIR/vipd@lab.service" 2>&1)
check "systemd-analyze verify finds nothing to say" test -z "$out"
[ -z "$out" ] || echo "$out"

lab_up a
lab_redis_start a $PORT
run=$LAB_DIR/a/run
mkdir -p "$run"
install -m 0600 -o "$user" -g "$group" "$LAB_DIR/redis.pass" "$run/redis.pass"
chown "$user:$group" "$run"
lab_vipd_conf a password-file="$run/redis.pass" state-dir="$run/state" backup-dir="$run/backups" \
  control-socket="$run/vipd.sock" prefer-file="$run/vipd.prefer"
setpriv_caps=$(tr ' ' '\n' <<<"$caps" | sed 's/^CAP_//' | tr 'A-Z' 'a-z' | sed 's/^/+/' | paste -sd,)

# start_as CAPS: vipd as the unit's user with only CAPS (e.g. +net_admin,+net_raw).
start_as() {
  lab_bg a "$LAB_DIR/a/vipd.log" setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs \
    --inh-caps="-all${1:+,$1}" --ambient-caps="-all${1:+,$1}" --bounding-set="-all${1:+,$1}" \
    "$LAB_DIR/bin/vipd" --config "$LAB_DIR/a/vipd.conf"
}

start_as ""
pid=$LAB_LAST_PID
check "without the capabilities: no start (exit 1 after one line)" lab_wait 50 0.1 lab_gone "$pid"
check "  the cause is named" grep -q "start-failed .*Operation not permitted" "$LAB_DIR/a/vipd.log"

start_as "$setpriv_caps"
pid=$LAB_LAST_PID
LAB_VIPD_PID[a]=$pid
check "with them: master, VIP added" lab_wait 100 0.1 eval 'holds_vip a && lab_state_is a master'
check "  as $user" test "$(awk '/^Uid:/ { print $2 }' /proc/"$pid"/status)" = "$(id -u "$user")"
check "  effective capabilities: net_admin and net_raw only" \
  test "$(awk '/^CapEff:/ { print $2 }' /proc/"$pid"/status)" = 0000000000003000
check "  control socket 0600, owned by $user" test "$(stat -c '%a %U' "$run/vipd.sock")" = "600 $user"
check "  Redis promoted and recorded in the state file" test -s "$run/state/redis_$PORT.json"
lab_vipd_stop a TERM
check "SIGTERM: VIP removed, clean stop" eval '! holds_vip a && grep -q "stop instance=.* reason=signal" "$LAB_DIR/a/vipd.log"'
check_summary
