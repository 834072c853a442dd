#!/usr/bin/env python3
# Stand-in for systemd's notification socket in the tests: bind a datagram
# socket (a path, or "@name" in the abstract namespace of the current network
# namespace), then append each datagram received to OUT as one line,
# "MILLISECONDS MESSAGE" (the message's newlines as '|'), until SECONDS have
# passed. The first line, "0 bound", says the socket is there.
import socket
import sys
import time

name, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + name[1:] if name.startswith("@") else name)
deadline = time.monotonic() + seconds
with open(out, "a", buffering=1) as f:
    f.write("0 bound\n")
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = s.recv(4096)
        except socket.timeout:
            break
        f.write("%d %s\n" % (time.time() * 1000, data.decode(errors="replace").strip().replace("\n", "|")))
