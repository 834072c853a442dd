#!/usr/bin/env bash
# Install every Debian 12 package that the build, the tests and the demo need.
# Idempotent: packages already present are skipped without touching apt.
#   scripts/install-deps.sh [--fuzz]
# --fuzz adds clang and its libFuzzer runtime, which only scripts/fuzz.sh
# uses (CI's g++ builds replay the fuzz targets without them): about 300 MB
# that CI's fresh machine need not download.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  libhiredis-dev libnl-3-dev libnl-route-3-dev libcli11-dev libspdlog-dev libfmt-dev
  catch2 nlohmann-json3-dev
  libcivetweb-dev  # vipd's /metrics (HTTP)
  # tests, demo, benchmarks
  redis-server redis-tools keepalived iproute2 procps util-linux python3 strace curl
  python3-redis  # RedisCluster: the cluster writer of tests/lib/cluster_writer.py
  redis-sentinel  # real Sentinels for tests/integration/test_sentinel_client.sh (issue 13)
  prometheus  # promtool checks the /metrics text; a real scraper in the e2e test
  # man pages (help2man), the Debian package (dpkg-shlibdeps in dpkg-dev,
  # file) and its checks: scripts/package.sh (lintian), tests/package (man -w)
  help2man dpkg-dev file lintian man-db
)
case "${1:-}" in
  "") ;;
  --fuzz) packages+=(clang libclang-rt-14-dev) ;;
  *) echo "install-deps: unknown option ${1} (usage: install-deps.sh [--fuzz])" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root (apt-get needs it)" >&2
  exit 2
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends keeps the image small; policy-rc.d stops Debian from
# starting redis-server/keepalived services we did not ask for.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}"
