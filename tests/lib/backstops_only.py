#!/usr/bin/env python3
"""backstops_only.py KEEPALIVED_CONF: exit 0 when every vrrp_script in a
track-file variant is a slow backstop of a resident check: run every 5 s or
slower, and tracked by a vrrp_instance that also tracks the resident check's
files (INSTANCE.alive and INSTANCE.eligible); else print why, exit 1.
A fast vrrp_script left in would bring back the fork per check this
variant exists to remove."""
import re
import sys

path = sys.argv[1]
text = open(path).read()
problems = []
for name, body in re.findall(r"^vrrp_script\s+(\S+)\s*\{(.*?)\n\}", text, re.S | re.M):
    interval = re.search(r"^\s*interval\s+(\d+)", body, re.M)
    if not interval or int(interval.group(1)) < 5:
        problems.append(f"{name}: interval {interval.group(1) if interval else '(default 1)'} < 5 s")
    if not name.startswith("backstop_"):
        problems.append(f"{name}: not named backstop_*")
for name, body in re.findall(r"^vrrp_instance\s+(\S+)\s*\{(.*?)\n\}", text, re.S | re.M):
    files = re.search(r"track_file\s*\{(.*?)\}", body, re.S)
    tracked = files.group(1).split() if files else []
    for check in ("alive", "eligible"):
        if f"{check}_{name}" not in tracked:
            problems.append(f"vrrp_instance {name}: does not track the file {check}_{name}")
for p in problems:
    print(f"{path}: {p}")
sys.exit(1 if problems else 0)
