#!/usr/bin/env python3
"""speaker_keys_match.py KEEPALIVED_CONF INSTANCE_CONF: exit 0 when the
instance file's vrrp-* keys say what keepalived.conf's vrrp_instance of the
same name (the file's stem) says; else print each difference, exit 1.
keepalived ignores a priority-0 advert whose VRID, interval, password or
address list differ from its own, so a stale copy would silently cost the
fast takeover after keepalived dies.
The instance file's yield-file must be a track_file of that vrrp_instance
with weight 0, or vip-notify's "yield the VIP" would change nothing."""
import os
import re
import sys

ka_path, inst_path = sys.argv[1], sys.argv[2]
name = os.path.basename(inst_path).rsplit(".", 1)[0]
text = open(ka_path).read()
m = re.search(r"vrrp_instance\s+" + re.escape(name) + r"\s*\{(.*?)\n\}", text, re.S)
if not m:
    sys.exit(f"{ka_path}: no vrrp_instance {name}")
body = m.group(1)


def ka(key, default=None):
    found = re.search(r"^\s*" + key + r"\s+(\S+)", body, re.M)
    return found.group(1) if found else default


vips = re.search(r"virtual_ipaddress\s*\{(.*?)\}", body, re.S).group(1).split("\n")
vips = [v.split()[0].split("/")[0] for v in vips if v.strip()]
peers = re.search(r"unicast_peer\s*\{(.*?)\}", body, re.S)
want = {
    "vrrp-vrid": ka("virtual_router_id"),
    "vrrp-interface": ka("interface"),
    "vrrp-version": ka("version", re.search(r"vrrp_version\s+(\d)", text) and
                       re.search(r"vrrp_version\s+(\d)", text).group(1) or "2"),
    "vrrp-advert-ms": str(round(float(ka("advert_int", "1")) * 1000)),
    "vrrp-auth-pass": ka("auth_pass", ""),
    "vrrp-unicast-peer": peers.group(1).split() if peers else [],
    "vrrp-address": vips,
}

have = {"vrrp-version": "2", "vrrp-advert-ms": "1000", "vrrp-auth-pass": "", "vrrp-unicast-peer": []}
for line in open(inst_path):
    kv = re.match(r"\s*([\w-]+)\s*=\s*(.+?)\s*$", line)
    if not kv:
        continue
    key, value = kv.group(1), kv.group(2)
    if value.startswith("["):
        value = re.findall(r'"([^"]*)"', value)
    else:
        value = value.strip('"')
    have[key] = value
if "vrrp-address" not in have:
    have["vrrp-address"] = [have.get("vip", "")]

bad = [f"{k}: instance file {have.get(k)!r}, keepalived.conf {v!r}" for k, v in want.items() if have.get(k) != v]
if "yield-file" in have:
    tracked = re.search(r"track_file\s*\{(.*?)\}", body, re.S)
    tracked = tracked.group(1).split() if tracked else []
    ok = False
    for t in tracked:
        tf = re.search(r"track_file\s+" + re.escape(t) + r"\s*\{(.*?)\}", text, re.S)
        if tf and re.search(r'file\s+"' + re.escape(have["yield-file"]) + '"', tf.group(1)) and \
                re.search(r"weight\s+0\b", tf.group(1)):
            ok = True
    if not ok:
        bad.append(f"yield-file {have['yield-file']}: not a weight-0 track_file of vrrp_instance {name}")
for b in bad:
    print(f"{inst_path}: {b}")
sys.exit(1 if bad else 0)
