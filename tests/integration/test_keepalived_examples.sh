#!/usr/bin/env bash
# Every keepalived-examples/* configuration is accepted by the real
# keepalived (`keepalived -t`, scripts resolved, nothing disabled), every
# vipkit instance file parses and copies its vrrp_instance's VRID, interface,
# advert interval, password and peers (the priority-0 advert vip-notify sends
# for a dead keepalived is ignored when they differ) and names a weight-0
# track_file as its yield-file, and no example puts a secret on a command line.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
lab_session
# One namespace with an eth0, the interface the examples name.
lab_up a 1

has_track_file_variant() {  # EXAMPLE_DIR
  local c
  for c in "$1"/host-*.keepalived.conf; do test -e "$1/track-file/$(basename "$c")" || return 1; done
}

for example in "$VIPKIT_ROOT"/keepalived-examples/*/; do
  name=$(basename "$example")
  check "$name: has a README" test -s "$example/README.md"
  for conf in "$example"/host-*.keepalived.conf; do
    h=$(basename "$conf"); h=${h#host-}; h=${h%%.*}
    rm -rf "${LAB_DIR:?}/$h"
    lab_install_example "$example" "$h"
    out=$(lab_exec a keepalived -t -f "$LAB_DIR/$h/keepalived.conf" 2>&1); rc=$?
    [ $rc -eq 0 ] || echo "$out" | sed 's/^/    /'
    check "$name host $h: keepalived -t accepts it" test $rc -eq 0
    check "$name host $h: no script disabled" eval '! grep -qi "disabling\|not found\|unknown keyword" <<<"$out"'
    for instance in "$LAB_DIR/$h"/vipkit/*.conf; do
      # Exit 1 (nothing listens here) proves the file parsed; 2 would be a config error.
      lab_exec a "$LAB_DIR/bin/vip-check" --config "$instance" --timeout 50 >/dev/null 2>&1; rc=$?
      check "$name host $h: $(basename "$instance") parses (vip-check exit $rc)" test $rc -eq 1
      check "$name host $h: $(basename "$instance") vrrp-* keys are keepalived.conf's vrrp_instance" \
        python3 "$here/../lib/speaker_keys_match.py" "$LAB_DIR/$h/keepalived.conf" "$instance"
    done
  done
  # The resident-checks variant (track-file/), one per example: keepalived
  # accepts it, it tracks the two files vip-notify writes, and its only
  # vrrp_scripts are the slow backstops (every 5 s or slower).
  check "$name: has a track-file/ variant of each host" has_track_file_variant "$example"
  for conf in "$example"/track-file/host-*.keepalived.conf; do
    h=$(basename "$conf"); h=${h#host-}; h=${h%%.*}
    rm -rf "${LAB_DIR:?}/$h"
    lab_install_example "$example" "$h" track-file
    out=$(lab_exec a keepalived -t -f "$LAB_DIR/$h/keepalived.conf" 2>&1); rc=$?
    [ $rc -eq 0 ] || echo "$out" | sed 's/^/    /'
    check "$name track-file host $h: keepalived -t accepts it" test $rc -eq 0
    check "$name track-file host $h: every vrrp_script is a backstop every 5 s or slower" \
      python3 "$here/../lib/backstops_only.py" "$LAB_DIR/$h/keepalived.conf"
    for instance in "$LAB_DIR/$h"/vipkit/*.conf; do
      dir=$(sed -n 's/^track-dir = "\(.*\)"/\1/p' "$instance")
      inst=$(basename "$instance" .conf)
      check "$name track-file host $h: $inst's two files are tracked" \
        eval 'grep -q "file \"$dir/$inst.alive\"" "$LAB_DIR/$h/keepalived.conf" && grep -q "file \"$dir/$inst.eligible\"" "$LAB_DIR/$h/keepalived.conf"'
    done
  done
  check "$name: no password on a command line" \
    eval '! grep -hE "script" "$example"/*.conf | grep -E -- "(^|[ \"])(-a|--pass|--password|--requirepass)[ =]" '
  check "$name: no password in the keepalived configs" eval '! grep -qiE "requirepass|masterauth" "$example"/*.keepalived.conf'
done
check_summary
