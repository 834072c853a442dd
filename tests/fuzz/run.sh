#!/usr/bin/env bash
# Build the VRRP decoder fuzzer with clang (libFuzzer + ASan + UBSan) and run
# it for a bounded time (FUZZ_SECONDS, default 30) from the keepalived frames.
# Skips (77) when clang's libFuzzer runtime is not installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-30}
command -v clang++ >/dev/null || { echo "SKIP: clang++ not installed (scripts/install-deps.sh)" >&2; exit 77; }
work=$(mktemp -d /tmp/vipkit-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root" \
  "$root"/tests/fuzz/fuzz_vrrp_decode.cpp "$root"/vrrp/core/{advert,checksum,ipv4,acceptance}.cpp \
  -o "$work/fuzz_vrrp_decode" 2> "$work/build.log" ||
  { cat "$work/build.log" >&2; echo "SKIP: cannot build with -fsanitize=fuzzer (libclang-rt-14-dev?)" >&2; exit 77; }

# Seed corpus: the IP packets (Ethernet header stripped) keepalived sent.
mkdir -p "$work/corpus"
n=0
for f in "$root"/tests/unit/fixtures/keepalived-2.2.7/*.frames; do
  grep '^vrrp' "$f" | awk '{print $NF}' | while read -r hex; do
    n=$((n + 1))
    python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1][28:]))' "$hex" \
      > "$work/corpus/$(basename "$f" .frames)-$n"
  done
done
if ! "$work/fuzz_vrrp_decode" -max_total_time="$seconds" -max_len=1500 -artifact_prefix="$work/" \
    "$work/corpus" > "$work/fuzz.log" 2>&1; then
  tail -n 30 "$work/fuzz.log"
  for crash in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
    [ -e "$crash" ] && echo "input (base64): $(base64 -w0 "$crash")"
  done
  exit 1
fi
tail -n 2 "$work/fuzz.log"
echo "fuzz: $seconds s without a crash"
