#!/usr/bin/env bash
# vipd --check-config and start-up refusals: a bad config file is refused
# with one line per fault naming the file's line and the reason (exit 2); a
# good one passes; a run-time failure at start is one line and exit 1.
set -uo pipefail
source "$(dirname "$0")/../lib/check.sh"
VIPKIT_BIN=${VIPKIT_BIN:-$(cd "$(dirname "$0")/../../build/tools" && pwd)}
VIPD=$VIPKIT_BIN/../vrrp/vipd
[ -x "$VIPD" ] || { echo "SKIP: vipd not built in $VIPKIT_BIN/../vrrp" >&2; exit 77; }
DIR=$(mktemp -d /tmp/vipkit-vipd-config.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
(umask 077; echo secret > "$DIR/redis.pass")

# The loopback interface exists on every machine.
cat > "$DIR/good.conf" <<CONF
# vipd for redis_16465
interface = lo
vrid = 52
priority = 100
version = 3
advert-int-ms = 100
vip = 192.0.2.100/24
vip = 192.0.2.101
port = 16465
peer = "192.0.2.12:16465"
password-file = $DIR/redis.pass
instance = redis_16465
control-socket = $DIR/vipd.sock
CONF

out=$("$VIPD" --check-config --config "$DIR/good.conf" 2>&1); rc=$?
check "a good config passes (exit 0)" test "$rc:$out" = "0:vipd: configuration ok (instance redis_16465)"

# The shipped examples, with the machine-specific bits moved here.
VIPKIT_ROOT=${VIPKIT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
for example in "$VIPKIT_ROOT"/docs/vipd-examples/*.vipd.conf; do
  sed -e 's|^interface = .*|interface = "lo"|' -e "s|/etc/vipkit/redis.pass|$DIR/redis.pass|" "$example" > "$DIR/example.conf"
  out=$("$VIPD" --check-config --config "$DIR/example.conf" 2>&1); rc=$?
  check "example $(basename "$example") passes" test "$rc:$out" = "0:vipd: configuration ok (instance redis_16465)"
done
(umask 077; echo sentinel-secret > "$DIR/sentinel.pass")
for example in "$VIPKIT_ROOT"/docs/sentinel-examples/*.vipd.conf; do
  sed -e 's|^interface = .*|interface = "lo"|' -e "s|/etc/vipkit/redis.pass|$DIR/redis.pass|" \
      -e "s|/etc/vipkit/sentinel.pass|$DIR/sentinel.pass|" "$example" > "$DIR/example.conf"
  out=$("$VIPD" --check-config --config "$DIR/example.conf" 2>&1); rc=$?
  check "sentinel example $(basename "$example") passes" test "$rc:$out" = "0:vipd: configuration ok (instance redis_16465)"
done
# leader = sentinel: the fence is renewed once per round, so it must outlast one.
sed -e 's|^interface = .*|interface = "lo"|' -e "s|/etc/vipkit/redis.pass|$DIR/redis.pass|" \
    -e "s|/etc/vipkit/sentinel.pass|$DIR/sentinel.pass|" -e 's|^fence-ms = .*|fence-ms = 1000|' \
    "$VIPKIT_ROOT/docs/sentinel-examples/host-a.redis_16465.vipd.conf" > "$DIR/short-fence.conf"
out=$("$VIPD" --check-config --config "$DIR/short-fence.conf" 2>&1); rc=$?
check "sentinel: fence-ms not above reconcile-ms is refused (exit 2, one line)" \
  test "$rc:$(wc -l <<<"$out")" = "2:1"
check "  naming the key and why" grep -q "fence-ms: 1000: must exceed reconcile-ms (1000)" <<<"$out"

cat > "$DIR/bad.conf" <<'CONF'
# every value wrong
interface = vk-none0
vrid = 256
priority = 0
version = 2
advert-int-ms = 1500
auth-pass = "far-too-long"
vip = 192.0.2.300/24
unicast-peer = peer-b
CONF
out=$("$VIPD" --check-config --config "$DIR/bad.conf" 2>&1); rc=$?
check "a bad config is refused (exit 2)" test $rc = 2
expect_line() { grep -qxF "vipd: error: $DIR/bad.conf:$1" <<<"$out"; }
check "  vrid, at line 3" expect_line "3: vrid: 256: must be 1..255 (required)"
check "  priority, at line 4" expect_line "4: priority: 0: must be 1..254, or 255 for the address owner"
check "  v2 interval, at line 6" expect_line "6: advert-int-ms: 1500 ms: VRRPv2 needs whole seconds, 1000..255000"
check "  auth-pass length, at line 7" expect_line "7: auth-pass: at most 8 characters (RFC 3768 section 5.3.10)"
check "  vip, at line 8" expect_line "8: vip: 192.0.2.300/24: expected an IPv4 ADDR or ADDR/PLEN (1..32)"
check "  unicast-peer, at line 9" expect_line "9: unicast-peer: peer-b: not an IPv4 address"
check "  interface, at line 2" expect_line "2: interface: vk-none0: No such device"
check "  one line per fault, nothing else" test "$(wc -l <<<"$out")" = 7

printf 'interface = lo\nvrid = 52\nvip = 192.0.2.100\nprot = 1\n' > "$DIR/typo.conf"
out=$("$VIPD" --check-config --config "$DIR/typo.conf" 2>&1); rc=$?
check "an unknown key: exit 2, its line" test "$rc:$out" = "2:vipd: error: $DIR/typo.conf:4: prot: unknown option"

printf 'interface = lo\nvrid = 52\nvip = 192.0.2.100\nversion = 3\nauth-pass = 1111\n' > "$DIR/v3auth.conf"
out=$("$VIPD" --check-config --config "$DIR/v3auth.conf" 2>&1); rc=$?
check "auth-pass with v3: exit 2, its line" \
  test "$rc:$out" = "2:vipd: error: $DIR/v3auth.conf:5: auth-pass: only VRRPv2 has authentication (RFC 5798 removed it)"

(umask 022; echo secret > "$DIR/open.pass")
sed "s|$DIR/redis.pass|$DIR/open.pass|" "$DIR/good.conf" > "$DIR/open.conf"
out=$("$VIPD" --check-config --config "$DIR/open.conf" 2>&1); rc=$?
check "a password file others can read: exit 2, its line" \
  eval '[ $rc = 2 ] && grep -q "^vipd: error: $DIR/open.conf:11: password-file: .*0644" <<<"$out"'

out=$("$VIPD" --check-config --interface lo --vip 192.0.2.100 2>&1); rc=$?
check "command line only: the missing vrid is named" test "$rc:$out" = "2:vipd: error: vrid: 0: must be 1..255 (required)"
out=$("$VIPD" --check-config --config "$DIR/none.conf" 2>&1); rc=$?
check "a missing config file: exit 2" eval '[ $rc = 2 ] && grep -q "^vipd: error: .*none.conf" <<<"$out"'

if [ "$(id -u)" = 0 ]; then
  touch "$DIR/not-a-socket"
  sed "s|$DIR/vipd.sock|$DIR/not-a-socket|" "$DIR/good.conf" > "$DIR/run.conf"
  echo "no-syslog = true" >> "$DIR/run.conf"
  out=$(timeout 10 "$VIPD" --config "$DIR/run.conf" 2>&1); rc=$?
  check "a start-up failure: exit 1, one line with the cause" \
    eval '[ $rc = 1 ] && grep -q "start-failed instance=redis_16465 error=\"control socket: .*not-a-socket exists and is not a socket\"" <<<"$out" && [ "$(wc -l <<<"$out")" = 1 ]'
  check "  the file is left alone" test -f "$DIR/not-a-socket"
else
  echo "# not root: the start-up failure case needs a raw socket, skipped"
fi
check_summary
