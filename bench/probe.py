#!/usr/bin/env python3
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/probe.py: for bench/scale.sh, the time until a change to the
# content tree is served. It polls one Gemini page (a new connection
# each time, as a client would) until its text contains a marker, and
# prints the seconds since it started or since it sent SIGHUP to the
# server. Bounded by --timeout; exit status 1 if the marker never shows.
#
#   probe.py --port P --path /cat/slug --marker M [--hup PID]

import argparse
import os
import signal
import socket
import ssl
import sys
import time


def fetch(port, path, ctx):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(("gemini://localhost%s\r\n" % path).encode())
            chunks = []
            while True:
                try:
                    b = s.recv(65536)
                except (ssl.SSLError, OSError):
                    break
                if not b:
                    break
                chunks.append(b)
    return b"".join(chunks).decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", required=True)
    ap.add_argument("--marker", required=True)
    ap.add_argument("--hup", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--interval", type=float, default=0.01)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    t0 = time.monotonic()
    if a.hup:
        os.kill(a.hup, signal.SIGHUP)
    while time.monotonic() - t0 < a.timeout:
        try:
            if a.marker in fetch(a.port, a.path, ctx):
                print("%.3f" % (time.monotonic() - t0))
                return 0
        except OSError:
            pass
        time.sleep(a.interval)
    print("timeout")
    return 1


if __name__ == "__main__":
    sys.exit(main())
