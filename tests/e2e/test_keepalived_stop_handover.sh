#!/usr/bin/env bash
# Planned handover without vipctl: stop keepalived on the master host. It
# advertises priority 0, the backup becomes MASTER while the old master's
# Redis is still alive, and vip-notify performs the coordinated takeover
# (pause writes, catch up, promote, old master follows): no acknowledged
# write lost, and the old master ends as a replica.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/lab.sh"
source "$here/failover_scenario.sh"

seeds003_lab

lab_bg c "$LAB_DIR/writer.log" "$LAB_DIR/bin/vipkit-writer" --host "$LAB_VIP" --port $PORT \
  --out "$LAB_DIR/acks" --interval-ms 10 --duration-ms 60000
writer=$LAB_LAST_PID
check "client writes through the VIP" lab_wait 50 0.2 acked_after 0

stop_ms=$(lab_now_ms)
kill "${LAB_KA_PID[a]}"
check "VIP moves to b" lab_wait 100 0.1 lab_vip_on b
check "b is master" lab_wait 50 0.2 eval '[ "$(lab_role b $PORT)" = master ]'
check "a's Redis follows b" lab_wait 50 0.2 linked_replica_of a b
check "client writes resume" lab_wait 100 0.1 acked_after "$stop_ms"
# The longest pause between two acknowledged writes from the stop on.
gap=$(awk -v t="$stop_ms" '$2 >= t && prev { if ($2 - prev > max) max = $2 - prev } { prev = $2 } END { print max + 0 }' "$LAB_DIR/acks")
echo "# longest write gap seen by the client: $gap ms"
pause=$(python3 -c 'import json,sys; h=[t for t in json.load(open(sys.argv[1]))["history"] if t["action"]=="takeover"]; print(h[-1]["write_pause_ms"] if h else "")' \
  "$LAB_DIR/b/state/redis_16465.json" 2>/dev/null)
check "b's vip-notify did a coordinated takeover (write pause ${pause:-?} ms)" test -n "$pause"
# A clean stop is not a dead speaker: a's vip-notify, SIGTERMed by a live
# keepalived, releases nothing itself (docs/decisions.md, "keepalived dies").
released=$(python3 -c 'import json,sys; print(sum(t["source"] == "speaker-died" for t in json.load(open(sys.argv[1]))["history"]))' \
  "$LAB_DIR/a/state/redis_16465.json" 2>/dev/null)
check "a's vip-notify did not take the stop for a death" test "$released" = 0
sleep 1
kill "$writer"; lab_wait 50 0.1 lab_gone "$writer"
check "every acknowledged write is on b" all_acked_present b

check_summary
