#!/usr/bin/env bash
# Benchmark (figures, no assertions): the cost of one health probe.
#   vip-check --expect alive   vs   the seeds/003 redis_check.sh
# against the same local redis-server; per-invocation wall time and CPU time
# (user+sys of the probe and every process it forks), median of N runs.
# Then the demo failover's write gap. N=200 by default (env N).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
N=${N:-200}
[ -x build/tools/vip-check ] || bash scripts/build.sh >/dev/null
command -v redis-server >/dev/null || bash scripts/install-deps.sh >/dev/null

work=$(mktemp -d /tmp/vipkit-bench.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=bench-$$
(umask 077; printf 'port %s\nbind 127.0.0.1\nsave ""\nrequirepass %s\n' "$port" "$password" > "$work/redis.conf")
redis-server "$work/redis.conf" > "$work/redis.log" 2>&1 &
pid=$!
export REDISCLI_AUTH=$password
for _ in $(seq 1 50); do redis-cli -p "$port" PING 2>/dev/null | grep -q PONG && break; sleep 0.1; done

# The seeds/003 check, as published, except that the password comes from
# REDISCLI_AUTH instead of `-a $1` (so this benchmark leaks no secret).
cat > "$work/redis_check.sh" <<'SH'
#!/bin/bash
CMD_RES=`redis-cli -p $2 PING 2>/dev/null`
LOG_FILE="$3"
if [ "$CMD_RES"x == "PONG"x ]; then :
   echo "[CHECK] `date`, SUCCESS" >> $LOG_FILE 2>&1
    exit 0
else
    echo "[CHECK] `date`, ERROR" >> $LOG_FILE 2>&1
    exit 1
fi
SH
chmod +x "$work/redis_check.sh"
# The cheapest process there is: what any forked probe pays before doing anything.
printf 'int main(void) { return 0; }\n' > "$work/empty.c"
cc -O2 -static -o "$work/empty" "$work/empty.c"

# measure LABEL CMD...: median wall ms and median CPU ms (children's
# user+sys from getrusage), over N runs, each run checked for exit 0.
measure() {
  local label=$1; shift
  python3 - "$N" "$label" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
n, label, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
walls, cpus = [], []
for _ in range(n):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    rc = subprocess.run(cmd).returncode
    walls.append((time.perf_counter() - t) * 1000)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000)
    if rc != 0:
        sys.exit(f"{label}: exit {rc}")
print(f"{label}\t{statistics.median(walls):.2f}\t{statistics.median(cpus):.2f}")
PY
}

echo "probe cost, median of $N runs against redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$port"
{
  echo -e "probe\twall_ms\tcpu_ms"
  measure "vip-check --expect alive" build/tools/vip-check --port "$port" --expect alive
  measure "vip-check --expect replica-or-master (INFO)" build/tools/vip-check --port "$port" --expect master
  measure "seeds redis_check.sh (bash + redis-cli)" "$work/redis_check.sh" x "$port" "$work/check.log"
  measure "fork+exec floor (/bin/true)" /bin/true
  measure "exec floor (empty static program)" "$work/empty"
} | tee "$work/table" | column -t -s $'\t'
python3 - "$work/table" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
vip, script, floor = rows[0], rows[2], rows[4]
print(f"vip-check alive vs shell script: {float(script[1]) / float(vip[1]):.1f}x less wall time, "
      f"{float(script[2]) / max(float(vip[2]), 0.01):.1f}x less CPU")
# What each probe costs beyond starting a process at all, which no probe
# that keepalived forks can avoid.
above = lambda row, i: max(float(row[i]) - float(floor[i]), 0.01)
print(f"  beyond the exec floor of an empty static program: {above(script, 1) / above(vip, 1):.1f}x less wall, "
      f"{above(script, 2) / above(vip, 2):.1f}x less CPU")
PY

# Resident checks (vip-notify --fifo with track-dir, issue 9): nothing is
# forked; the cost is the reader's CPU while it checks once a second (alive +
# eligible, with a peer), read from /proc over SECONDS (env, default 30).
seconds=${SECONDS_RESIDENT:-30}
mkdir -p "$work/conf.d"
printf 'port = %s\npeer = "127.0.0.1:%s"\npassword-file = "%s"\nstate-dir = "%s"\ntrack-dir = "%s"\n' \
  "$port" "$port" "$work/pass" "$work/state" "$work/track" > "$work/conf.d/bench.conf"
(umask 077; echo "$password" > "$work/pass")
mkfifo "$work/fifo"
build/tools/vip-notify --fifo --config-dir "$work/conf.d" --no-syslog "$work/fifo" > "$work/notify.log" 2>&1 &
notify=$!
exec 7> "$work/fifo"
sleep 2
cpu_ns() {  # the supervisor and its reader, every thread: time on CPU in ns (schedstat)
  local p total=0 t
  for p in $notify $(ps -o pid= --ppid $notify); do
    for t in /proc/$p/task/*/schedstat; do total=$((total + $(awk '{ print $1 }' "$t"))); done
  done
  echo $total
}
t0=$(cpu_ns); sleep "$seconds"; t1=$(cpu_ns)
exec 7>&-
wait $notify 2>/dev/null || true
python3 - "$t0" "$t1" "$seconds" "$work/table" <<'PY'
import sys
t0, t1, seconds, table = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
rows = [l.rstrip("\n").split("\t") for l in open(table)][1:]
resident = (t1 - t0) / 1e6 / seconds  # CPU ms per second
script, vip = float(rows[2][2]), float(rows[0][2])
print(f"resident checks (vip-notify --fifo, track-dir, 1 check/s of alive + eligible): {resident:.3f} ms CPU per second "
      f"over {seconds:.0f} s")
print(f"  vs the seeds' script at 1 check/s: {script:.2f} ms/s ({script / max(resident, 0.001):.0f}x); "
      f"vs vip-check under vrrp_script, two checks/s: {2 * vip:.2f} ms/s ({2 * vip / max(resident, 0.001):.0f}x)")
# The track-file examples keep the two vip-check probes as a vrrp_script
# backstop every 5 s (for both vip-notify processes dead at once).
variant = resident + 2 * vip / 5
print(f"  with the examples' backstop (two vip-check every 5 s): {variant:.3f} ms/s, "
      f"{script / max(variant, 0.001):.0f}x cheaper than the seeds' script")
PY

if [ "$(id -u)" -eq 0 ] && [ "${SKIP_DEMO:-0}" != 1 ]; then
  echo
  echo "demo failover (scripts/demo.sh: keepalived + vip-check/vip-notify, advert_int 1, interval 1, fall 2):"
  bash scripts/demo.sh 2>&1 | grep -E "write gap|acknowledged writes"
fi
