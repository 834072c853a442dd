#!/usr/bin/env python3
"""The chaos soak's accounting and invariants (scripts/chaos.sh, issue 10).

Reads what the run left in the lab directory and prints the figures as JSON
(the keys the issue lists), exit 0 when every invariant held, 1 otherwise.

  chaos_verdict.py LAB_DIR --mode M --seed S --faults N --allowance-ms A
                   --converged true|false [--check NAME=ok|why ...]

Files in LAB_DIR:
  acks, acks-wi*   writer lines "SEQ MS KIND RUN_ID" (KIND R: WAIT saw the
                   replica take it; P: +OK only); prefix w for acks, wiK for
                   acks-wiK (the writer inside a partitioned host)
  chaos.log        "MS event ..." lines of chaos_faults.sh
  final.keys       the keys on the final master
  snapshot.keys    the keys in every RDB snapshot of either host
  vip.samples      "MS HOLDER..." every ~100 ms

Each acknowledged write is, in this order: kept (on the final master);
preserved (in a snapshot: split brain keeps, never discards); lost in the
crash window (a plain ack by a Redis instance that was kill -9'd as master
after acking it: asynchronous replication, not a vipkit decision); or lost
otherwise. A replicated ack must be kept, always.
"""
import argparse
import glob
import json
import os
import sys


def read_acks(path, prefix):
    acks = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4:
                continue
            acks.append({"key": f"{prefix}:{parts[0]}", "ms": int(parts[1]),
                         "kind": parts[2], "run_id": parts[3]})
    return acks


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def kills_as_master(log):
    """run_id -> (kill ms, lag) for each Redis instance kill -9'd as master."""
    instance = {}
    kills = {}
    for ev in log:
        if len(ev) >= 4 and ev[1] == "instance":
            instance[ev[2]] = ev[3].split("=", 1)[1]
        elif len(ev) >= 5 and ev[1] == "kill9" and ev[2] == "redis":
            fields = dict(kv.split("=", 1) for kv in ev[4:] if "=" in kv)
            run_id = instance.get(ev[3], "-")
            if fields.get("role") in ("master", "unknown"):
                kills[run_id] = (int(ev[0]), fields.get("lag", "-"))
    return kills


def deaf_intervals(log, allowance_ms, end_ms):
    """[start, end + allowance] while some fault keeps the two speakers from
    hearing each other: a cut (until heal), loss (until clean), a dead or
    stopped speaker (until it starts again)."""
    open_at = {}
    intervals = []
    for ev in log:
        ms, kind, rest = int(ev[0]), ev[1], ev[2:]
        if kind in ("cut", "lossy"):
            open_at.setdefault((kind, rest[0]), ms)
        elif kind in ("kill9", "term") and rest[0] == "speaker":
            open_at.setdefault(("speaker", rest[1]), ms)
        else:
            key = {"heal": ("cut", rest[0] if rest else ""), "clean": ("lossy", rest[0] if rest else "")}.get(kind)
            if kind == "start" and rest[0] == "speaker":
                key = ("speaker", rest[1])
            if key in open_at:
                intervals.append((open_at.pop(key), ms + allowance_ms))
    for start in open_at.values():
        intervals.append((start, end_ms + allowance_ms))
    return intervals


def double_vip(samples, intervals, period_ms=100):
    """Longest time on both hosts, the longest part of one such time outside
    every interval in which the speakers could not hear each other (both in
    s), and the episodes with such a part: [start ms, length s, unexcused s]."""
    longest = longest_unexcused = 0
    run_start = run_unexcused = None
    prev_ms = None
    episodes = []
    for s in samples + [["0"]]:  # a last sample that ends any run
        ms = int(s[0])
        if len(s) >= 3:
            # Within a run, the time since the previous sample; at its start,
            # one sampling period (it began at most that long before).
            step = period_ms if run_start is None else ms - prev_ms
            if run_start is None:
                run_start, run_unexcused, run_end = ms, 0, ms
            if not any(a <= ms <= b for a, b in intervals):
                run_unexcused += step
            run_end = ms
            longest = max(longest, ms - run_start + period_ms)
            longest_unexcused = max(longest_unexcused, run_unexcused)
        else:
            if run_start is not None and run_unexcused:
                episodes.append([run_start, (run_end - run_start + period_ms) / 1000.0, run_unexcused / 1000.0])
            run_start = run_unexcused = None
        prev_ms = ms
    return longest / 1000.0, longest_unexcused / 1000.0, episodes


def max_gap(acks):
    """The longest time between two acknowledged writes (s), and the ms (epoch,
    as in chaos.log) of the ack that began it, to find its faults there."""
    times = sorted(a["ms"] for a in acks)
    gap, start = max(((b - a, a) for a, b in zip(times, times[1:])), default=(0, 0))
    return gap / 1000.0, start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lab_dir")
    ap.add_argument("--mode", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--faults", type=int, required=True)
    ap.add_argument("--allowance-ms", type=int, required=True)
    ap.add_argument("--converged", choices=["true", "false"], required=True)
    ap.add_argument("--spared", type=int, default=0, help="Redis kills turned into a SIGSTOP: the other copy was gone")
    ap.add_argument("--check", action="append", default=[], help="NAME=ok or NAME=why it failed")
    args = ap.parse_args()
    d = args.lab_dir

    main_acks = read_acks(os.path.join(d, "acks"), "w")
    inner = []
    for path in sorted(glob.glob(os.path.join(d, "acks-wi*"))):
        inner += read_acks(path, os.path.basename(path)[len("acks-"):])
    acks = main_acks + inner
    final = {l[0] for l in read_lines(os.path.join(d, "final.keys"))}
    snap = {l[0] for l in read_lines(os.path.join(d, "snapshot.keys"))}
    log = read_lines(os.path.join(d, "chaos.log"))
    kills = kills_as_master(log)

    fig = {"mode": args.mode, "seed": args.seed, "faults": args.faults,
           "acked_replicated": 0, "lost_replicated": 0, "acked_plain": 0, "kept": 0,
           "preserved_in_snapshots": 0, "lost_crash_window": 0, "lost_other": 0}
    lost_keys, crash_lags = [], set()
    for a in acks:
        replicated = a["kind"] == "R"
        fig["acked_replicated" if replicated else "acked_plain"] += 1
        if a["key"] in final:
            fig["kept"] += 1
            continue
        if replicated:
            fig["lost_replicated"] += 1
            lost_keys.append(f'{a["key"]} R{" (in a snapshot)" if a["key"] in snap else ""}')
            continue
        if a["key"] in snap:
            fig["preserved_in_snapshots"] += 1
            continue
        kill = kills.get(a["run_id"])
        if kill and kill[0] >= a["ms"]:
            fig["lost_crash_window"] += 1
            crash_lags.add(f'{a["run_id"][:8]}:lag={kill[1]}')
            continue
        fig["lost_other"] += 1
        lost_keys.append(f'{a["key"]} P run_id={a["run_id"][:8]} ms={a["ms"]}')

    samples = read_lines(os.path.join(d, "vip.samples"))
    end_ms = int(samples[-1][0]) if samples else 0
    longest, unexcused, episodes = double_vip(samples, deaf_intervals(log, args.allowance_ms, end_ms))
    fig["max_write_gap_s"], fig["max_write_gap_from_ms"] = max_gap(main_acks)
    fig["max_double_vip_s"] = longest
    fig["max_double_vip_hearing_s"] = unexcused
    fig["double_vip_while_hearing"] = episodes
    fig["crash_window_lags"] = sorted(crash_lags)
    fig["converged"] = args.converged == "true"
    fig["redis_kills_spared"] = args.spared

    failed = []
    if fig["lost_replicated"]:
        failed.append(f'{fig["lost_replicated"]} replicated acks lost')
    if fig["lost_other"]:
        failed.append(f'{fig["lost_other"]} plain acks lost outside the crash window')
    if not fig["acked_replicated"]:
        failed.append("no replicated ack at all: the writer or the replica never worked")
    # Sampling every ~100 ms: one sample of slack on top of the allowance.
    if unexcused * 1000 > 100:
        failed.append(f"VIP on both hosts {unexcused:.1f} s while the speakers could hear each other")
    if not fig["converged"]:
        failed.append("no convergence after the last fault")
    for c in args.check:
        name, _, why = c.partition("=")
        if why != "ok":
            failed.append(f"{name}: {why}")
    fig["invariants_failed"] = failed
    fig["lost_examples"] = lost_keys[:20]
    json.dump(fig, sys.stdout, indent=2)
    print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
