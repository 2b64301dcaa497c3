#!/usr/bin/env python3
"""cluster.py: the clients of the cluster tests (tests_cluster.sh).

usage:
  cluster.py resume PORT_A PORT_B
      A TLS 1.3 session made with the server on PORT_A (a reply read to
      its end, so that its ticket has arrived), offered to PORT_B;
      prints "resumed" or "full handshake".
  cluster.py resume-n PORT N
      A session from one connection, offered on N more (each one's own
      renewed ticket kept for the next); prints "resumed K/N".
  cluster.py load [--from ADDR,...] [--paths PATH,...] GEMINI_PORT
                  GOPHER_PORT N CONC TAG [PROGRESS]
      N Gemini requests (gemini://localhost/?TAG-g-I) and N Gopher ones
      (/?TAG-h-I), CONC at a time. --paths: request I asks for the I-th
      of PATHS in turn (PATH?TAG-g-I), and each path's answered requests
      are printed ("path PATH answered K"); --from: the connections
      come from these local addresses in turn (127.0.0.1, 127.0.0.2:
      the readers a balancer must name). An attempt that fails the way a
      dropped connection fails (refused, reset, closed with nothing, a
      Gemini reply without close_notify, a Gopher menu without its end
      line) is tried again after a short pause, as a reader's client
      would, up to 5 times; any other answer (a status that is not 20,
      a Gopher error) is wrong and never retried. PROGRESS, if given,
      is a file that holds the number answered so far. Prints
      "answered A/T, failed attempts F, wrong W, in flight at most C"
      and each failed or wrong attempt on stderr.
"""
import os
import socket
import ssl
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients import read_all  # noqa: E402

TIMEOUT = 60        # HAProxy's timeout client
TRIES = 5

_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_ctx.check_hostname = False
_ctx.verify_mode = ssl.CERT_NONE      # Gemini uses TOFU, not CAs
_ctx.minimum_version = ssl.TLSVersion.TLSv1_3


class Dropped(Exception):
    """what a client sees of a connection that went away: try again"""


def connect(port, src):
    return socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT,
                                    source_address=(src, 0) if src else None)


def gemini(port, path, session=None, src=None):
    """(reply, session, reused); Dropped if it was cut short"""
    try:
        raw = connect(port, src)
    except OSError as e:
        raise Dropped("connect: %s" % e)
    try:
        s = _ctx.wrap_socket(raw, server_hostname="localhost",
                             session=session, suppress_ragged_eofs=False)
        s.sendall(("gemini://localhost%s\r\n" % path).encode())
        out = read_all(s)
        sess, reused = s.session, s.session_reused
    except (OSError, ssl.SSLError) as e:
        raw.close()
        raise Dropped("gemini: %s" % e)
    s.close()
    if not out:
        raise Dropped("gemini: closed with nothing")
    return out, sess, reused


def gopher(port, selector, src=None):
    try:
        s = connect(port, src)
        s.sendall((selector + "\r\n").encode())
        out = read_all(s)
        s.close()
    except OSError as e:
        raise Dropped("gopher: %s" % e)
    if not out.endswith(b".\r\n"):
        raise Dropped("gopher: %d bytes, no end line" % len(out))
    return out


def resume(port_a, port_b):
    _, sess, _ = gemini(port_a, "/")
    if sess is None or not sess.has_ticket:
        print("no ticket from %d" % port_a)
        return 1
    _, _, reused = gemini(port_b, "/", sess)
    print("resumed" if reused else "full handshake")
    return 0


def resume_n(port, n):
    _, sess, _ = gemini(port, "/")
    k = 0
    for _ in range(n):
        _, s2, reused = gemini(port, "/", sess)
        k += 1 if reused else 0
        sess = s2 if s2 is not None else sess
    print("resumed %d/%d" % (k, n))
    return 0


class Load:
    def __init__(self, progress):
        self.lock = threading.Lock()
        self.answered = self.failed = self.wrong = 0
        self.flight = self.most = 0
        self.progress = progress
        self.paths = {}         # path: requests answered

    def _count(self, field, n=1):
        with self.lock:
            setattr(self, field, getattr(self, field) + n)
            if field == "flight":
                self.most = max(self.most, self.flight)
            if field == "answered" and self.progress:
                # whole or not at all: the test polls it
                with open(self.progress + ".new", "w") as f:
                    f.write("%d\n" % self.answered)
                os.replace(self.progress + ".new", self.progress)

    def attempt(self, what, port, arg, src):
        """the reply, or None if the connection was dropped"""
        self._count("flight")
        try:
            if what == "g":
                return gemini(port, arg, src=src)[0]
            return gopher(port, arg, src)
        except Dropped as e:
            self._count("failed")
            print("failed: %s %s: %s" % (what, arg, e), file=sys.stderr)
            return None
        finally:
            self._count("flight", -1)

    def one(self, what, port, arg, src):
        for t in range(TRIES):
            out = self.attempt(what, port, arg, src)
            if out is None:
                time.sleep(0.2 * (t + 1))
                continue
            # a Gopher menu or text; an error is a menu of one "3" item
            ok = (out.startswith(b"20 ") if what == "g"
                  else not out.startswith(b"3"))
            if not ok:
                self._count("wrong")
                print("wrong: %s %s: %r" % (what, arg, out[:80]),
                      file=sys.stderr)
                return
            with self.lock:
                path = arg.split("?")[0]
                self.paths[path] = self.paths.get(path, 0) + 1
            self._count("answered")
            return


def load(gport, hport, n, conc, tag, progress=None, paths=("/",),
         sources=(None,)):
    ld = Load(progress)
    jobs = []
    for i in range(n):
        path = paths[i % len(paths)]
        # every source asks for every path
        src = sources[i // len(paths) % len(sources)]
        jobs.append(("g", gport, "%s?%s-g-%d" % (path, tag, i), src))
        jobs.append(("h", hport, "%s?%s-h-%d" % (path, tag, i), src))
    with ThreadPoolExecutor(max_workers=conc) as pool:
        for j in jobs:
            pool.submit(ld.one, *j)
    print("answered %d/%d, failed attempts %d, wrong %d, in flight at most %d"
          % (ld.answered, len(jobs), ld.failed, ld.wrong, ld.most))
    for path in sorted(ld.paths):
        print("path %s answered %d" % (path, ld.paths[path]))
    return 0


def main():
    a = sys.argv[1:]
    if a[0] == "resume":
        return resume(int(a[1]), int(a[2]))
    if a[0] == "resume-n":
        return resume_n(int(a[1]), int(a[2]))
    if a[0] == "load":
        opt = {}
        a = a[1:]
        while a and a[0] in ("--from", "--paths"):
            opt["sources" if a[0] == "--from" else "paths"] = \
                tuple(a[1].split(","))
            a = a[2:]
        return load(int(a[0]), int(a[1]), int(a[2]), int(a[3]), a[4],
                    a[5] if len(a) > 5 else None, **opt)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
