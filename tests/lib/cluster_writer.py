#!/usr/bin/python3
"""A Redis Cluster client for the integration tests: Debian's python3-redis
RedisCluster, which follows MOVED/ASK and refreshes its slot map.

write: SET cw:N vN for N = 0, 1, ... until the stop file appears, --max-writes
       or --max-seconds (every loop bounded), --interval-ms apart. Each
       acknowledged key is appended to --acked at once as "N MS" (MS: the
       wall clock of the acknowledgement, for the client's write gaps); a
       failed write is counted, not retried (it was not acknowledged, so it
       may or may not be there).
check: every key of --acked holds its value; prints "acked=N missing=M" and
       exits 1 when M > 0.
--host: the seed node's address (127.0.0.1; a namespace address in the e2e
       lab). The others come from its slot map.
The password comes from REDISCLI_AUTH, never from the command line."""
import argparse
import os
import sys
import time

from redis.cluster import RedisCluster


def client(host, port):
    return RedisCluster(host=host, port=port, password=os.environ.get("REDISCLI_AUTH"),
                        socket_timeout=2, socket_connect_timeout=2, cluster_error_retry_attempts=5)


def write(args):
    rc = client(args.host, args.port)
    end = time.monotonic() + args.max_seconds
    written = failed = 0
    with open(args.acked, "a", buffering=1) as acked:
        for n in range(args.max_writes):
            if time.monotonic() > end or os.path.exists(args.stop):
                break
            try:
                if rc.set(f"cw:{n}", f"v{n}"):
                    acked.write(f"{n} {time.time_ns() // 1_000_000}\n")
                    written += 1
            except Exception as e:  # noqa: BLE001 - any failure is "not acknowledged"
                failed += 1
                print(f"write cw:{n} failed: {e}", file=sys.stderr)
                time.sleep(0.01)
            if args.interval_ms:
                time.sleep(args.interval_ms / 1000)
    print(f"written={written} failed={failed}")


def check(args):
    rc = client(args.host, args.port)
    with open(args.acked) as f:
        keys = [int(line.split()[0]) for line in f if line.strip()]
    missing = [n for n in keys if rc.get(f"cw:{n}") != f"v{n}".encode()]
    print(f"acked={len(keys)} missing={len(missing)}")
    for n in missing[:10]:
        print(f"missing cw:{n}", file=sys.stderr)
    return 1 if missing else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["write", "check"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--acked", required=True)
    p.add_argument("--stop", default="/nonexistent")
    p.add_argument("--max-writes", type=int, default=200000)
    p.add_argument("--max-seconds", type=float, default=30)
    p.add_argument("--interval-ms", type=float, default=0)
    args = p.parse_args()
    return check(args) if args.mode == "check" else write(args)


if __name__ == "__main__":
    sys.exit(main())
