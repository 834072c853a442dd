"""Hostile scrapers of a /metrics endpoint: HOST PORT [IDLE].

IDLE connections (20 by default) that connect and send nothing, then one
that sends 1 MB of headers as fast as it is taken, then everything is held
for 2 s. Prints what happened; the caller checks that the daemon's own work
(adverts, FIFO events) went on meanwhile."""
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
idle = []
wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 20
for _ in range(wanted):  # connect, send nothing
    try:
        idle.append(socket.create_connection((host, port), timeout=2))
    except OSError as e:
        print("idle connect:", e, flush=True)
print(f"idle: {len(idle)} of {wanted} connected", flush=True)
big = socket.create_connection((host, port), timeout=5)
try:  # 1 MB of headers, as fast as it is taken
    big.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + b"X-Junk: " + b"a" * (1 << 20) + b"\r\n\r\n")
    print("1 MB sent", flush=True)
except OSError as e:
    print("1 MB refused after a while:", e, flush=True)
time.sleep(2)
print("done", flush=True)
