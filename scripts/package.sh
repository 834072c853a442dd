#!/usr/bin/env bash
# Build the Debian package: a Release build in build-pkg/ installed to /usr,
# packed by CPack as build-pkg/vipkit_VERSION_amd64.deb (dependencies from
# dpkg-shlibdeps), then checked by lintian, whose errors fail the script.
# Warnings stay warnings (no VIPKIT_WERROR): a packager's build must not fail
# because a newer compiler warns. JOBS (default: every core) bounds the build.
#   bash scripts/package.sh && sudo dpkg -i build-pkg/vipkit_*_amd64.deb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build-pkg}

# Debian's hardening flags (fortify, stack protector, relro, bindnow), as a
# package built by debhelper gets them; Release's -O3 -DNDEBUG follow them.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cxxflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DVIPKIT_WERROR=OFF -DBUILD_TESTING=OFF \
  -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >/dev/null
cmake --build "$build_dir" -j"${JOBS:-$(nproc)}"
(cd "$build_dir" && cpack -G DEB >/dev/null)

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")
deb=$build_dir/vipkit_${version}_$(dpkg --print-architecture).deb
echo "package: $deb"
dpkg-deb --field "$deb"
echo "lintian:"
lintian --fail-on error --info "$deb" && echo "lintian: no errors"
