#!/usr/bin/env bash
# The Debian package of the build under test: `cpack -G DEB` of the existing
# build directory (no second build) into a temporary directory, `dpkg -i`,
# the installed binaries answer --version with this version, vipd accepts
# the installed example config, each man page is found, the unit names the
# installed vipd; `dpkg -r` leaves nothing behind but conffiles. The package
# is removed on every exit. Skips (77) without root, dpkg or cpack, and
# when the install would overwrite binaries no package owns (a hand install).
set -uo pipefail
source "$(dirname "$0")/../lib/check.sh"
VIPKIT_ROOT=${VIPKIT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${VIPKIT_BUILD:-$VIPKIT_ROOT/build}
CPACK=${VIPKIT_CPACK:-cpack}
BINARIES=(vip-check vip-notify vipctl vipd)

skip() { echo "SKIP: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
for tool in dpkg dpkg-deb dpkg-query dpkg-shlibdeps "$CPACK"; do
  command -v "$tool" >/dev/null || skip "$tool not found (apt-get install dpkg-dev cmake)"
done
[ -f "$BUILD/CPackConfig.cmake" ] || skip "no CPackConfig.cmake in $BUILD (configure the build first)"
for b in "${BINARIES[@]}"; do
  [ -x "$BUILD/tools/$b" ] || [ -x "$BUILD/vrrp/$b" ] || skip "$b not built in $BUILD"
done
cpack_value() { sed -n "s/^set($1 \"\\(.*\\)\")\$/\\1/p" "$BUILD/CPackConfig.cmake"; }
VERSION=$(cpack_value CPACK_PACKAGE_VERSION)
PREFIX=$(cpack_value CPACK_PACKAGING_INSTALL_PREFIX)

installed() { dpkg-query -W -f='${Status}' vipkit 2>/dev/null | grep -q 'install ok installed'; }
if installed; then
  echo "vipkit is installed (left over from an earlier run?): removing it first"
  dpkg -r vipkit >/dev/null || skip "could not remove the installed vipkit"
fi
for b in "${BINARIES[@]}"; do
  if [ -e "$PREFIX/bin/$b" ] && ! dpkg -S "$PREFIX/bin/$b" >/dev/null 2>&1; then
    skip "$PREFIX/bin/$b exists and no package owns it: dpkg -i would replace a hand install"
  fi
done

DIR=$(mktemp -d /tmp/vipkit-deb.XXXXXX)
cleanup() {
  installed && dpkg -r vipkit >/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT

# -B: the package and CPack's staging tree go to $DIR, not into the build.
if ! out=$("$CPACK" -G DEB -B "$DIR" --config "$BUILD/CPackConfig.cmake" 2>&1); then
  echo "$out" >&2
fi
deb=$DIR/vipkit_${VERSION}_$(dpkg --print-architecture).deb
check "cpack made $(basename "$deb")" test -f "$deb"
[ -f "$deb" ] || { check_summary; exit; }
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends computed by dpkg-shlibdeps (libc6: $depends)" grep -q 'libc6 (>=' <<<"$depends"

check "dpkg -i" eval 'dpkg -i "$deb" >/dev/null'
files=$(dpkg -L vipkit)
conffiles=$(dpkg-query -W -f='${Conffiles}\n' vipkit | awk 'NF {print $1}')

for b in "${BINARIES[@]}"; do
  out=$("$PREFIX/bin/$b" --version 2>&1); rc=$?
  re="^$b ${VERSION//./\\.} \\(git [^)]+\\)\$"
  check "$b --version: $out" eval '[ $rc = 0 ] && [[ $out =~ $re ]]'
done

example=$PREFIX/share/doc/vipkit/examples/vipd-examples/host-a.redis_16465.vipd.conf
check "vipd example installed" test -f "$example"
(umask 077; echo secret > "$DIR/redis.pass")
sed -e 's|^interface = .*|interface = "lo"|' -e "s|/etc/vipkit/redis.pass|$DIR/redis.pass|" \
  "$example" > "$DIR/example.conf"
out=$("$PREFIX/bin/vipd" --check-config --config "$DIR/example.conf" 2>&1); rc=$?
check "installed vipd --check-config on the installed example" \
  test "$rc:$out" = "0:vipd: configuration ok (instance redis_16465)"

# The installed keepalived examples call the installed binaries, not /usr/local/bin's.
confs=$(find "$PREFIX/share/doc/vipkit/examples/keepalived-examples" -name '*.keepalived.conf')
check "keepalived examples installed ($(wc -w <<<"$confs") files)" test -n "$confs"
named=$(cat $confs | grep -o '"/[^" ]*/vip-[a-z]*' | tr -d '"' | sort -u)
installed_binaries() {  # every path in $named is an installed executable in $PREFIX/bin
  local p
  [ -n "$named" ] || return 1
  for p in $named; do [ "$p" = "$PREFIX/bin/${p##*/}" ] && [ -x "$p" ] || return 1; done
}
check "  each names the installed binaries: $(echo $named)" installed_binaries

unit=$PREFIX/lib/systemd/system/vipd@.service
check "vipd@.service runs the installed vipd" grep -qxF "ExecStart=$PREFIX/bin/vipd --config /etc/vipkit/%i.vipd.conf --instance %i" "$unit"
if command -v systemd-analyze >/dev/null && id redis >/dev/null 2>&1; then
  out=$(systemd-analyze verify "$unit" 2>&1)
  check "systemd-analyze verify of the installed unit finds nothing to say${out:+: $out}" test -z "$out"
fi

if ! grep -q '/man/man1/' <<<"$files"; then
  echo "# no man pages in the package (help2man missing at build time): not checked"
elif ! command -v man >/dev/null; then
  echo "# man not installed (apt-get install man-db): man pages not looked up"
else
  for b in "${BINARIES[@]}"; do
    # /usr/local/man is a link to /usr/local/share/man: compare real paths.
    page=$(man -w "$b" 2>/dev/null)
    check "man -w $b: $page" test "$(realpath -q "$page")" = "$(realpath -q "$PREFIX/share/man/man1/$b.1.gz")"
  done
fi

check "dpkg -r" eval 'dpkg -r vipkit >/dev/null'
status=$(dpkg-query -W -f='${Status}' vipkit 2>/dev/null)
check "not installed afterwards ($status)" eval '! installed'
left=()
while read -r path; do
  [ -n "$path" ] && [ -e "$path" ] && [ ! -d "$path" ] && ! grep -qxF "$path" <<<"$conffiles" && left+=("$path")
done <<<"$files"
check "no file of the package left but conffiles (${left[*]:-none})" test ${#left[@]} = 0
check "no $PREFIX/share/doc/vipkit left" test ! -e "$PREFIX/share/doc/vipkit"

check_summary
