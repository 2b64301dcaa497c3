#!/usr/bin/env python3
"""limits.py: clients for the tests of the limits per address. Each
connection is made from a chosen loopback address (127.0.0.2 and so on
need no setup on Linux), to 127.0.0.1:PORT, Gemini over TLS or Gopher
with "gopher" last.

  hold PORT SRC N FILE [gopher]   open N connections and keep them:
      TLS handshakes done (Gopher: half a selector sent), no request;
      then write "held N" to FILE and wait until killed
  probe PORT SRC [gopher]         one request for the home page: print
      the reply's first line, or "refused" when the server closed the
      connection without a reply
  burst PORT SRC K [gopher]       K connections made first, then their
      K requests sent back to back: each reply's first line
  spoil PORT SRC N stuck|garbage  N connections that end badly: stuck
      in their ClientHello, or sending an HTTP request to the TLS
      port; print how many the server closed
  stall PORT SRC SECS             a connection stuck in its ClientHello
      and one idle after its handshake: print how many seconds the
      server took to close the first (or "open" after SECS), then the
      reply to a request sent on the second

With --header HDR first (before the command), every connection starts
with that PROXY protocol header, as from a load balancer (proxy.py
says what HDR may be).
"""
import socket
import ssl
import sys
import time

CTX = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
CTX.check_hostname = False
CTX.verify_mode = ssl.CERT_NONE      # Gemini uses TOFU, not CAs
TIMEOUT = 30
HEADER = None           # --header: a function of the port, or None


def tcp(port, src):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT,
                                 source_address=(src, 0))
    if HEADER is not None:
        s.sendall(HEADER(port))
    return s


def connect(port, src, gopher):
    """A connection the server has accepted and waits on for a request;
    None if it was closed on us."""
    s = tcp(port, src)
    try:
        if gopher:
            # half a selector: the server takes it (TCP_DEFER_ACCEPT
            # keeps back a connection with nothing to read)
            s.sendall(b"/")
            return s
        return CTX.wrap_socket(s, server_hostname="localhost")
    except socket.timeout:
        raise
    except (OSError, ssl.SSLError):
        s.close()
        return None


def request(gopher):
    """The rest of the request on a connection from connect()."""
    return b"\r\n" if gopher else b"gemini://localhost/\r\n"


def read_all(s):
    out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except socket.timeout:
        raise
    except (OSError, ssl.SSLError):
        pass            # a reset after the reply, or instead of one
    return out


def first_line(data):
    if not data:
        return "refused"
    return data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")


def hold(port, src, n, path, gopher):
    conns = []
    for i in range(n):
        s = connect(port, src, gopher)
        if s is None:
            with open(path, "w") as f:
                f.write("failed at %d\n" % i)
            return 1
        conns.append(s)
    with open(path, "w") as f:
        f.write("held %d\n" % len(conns))
    while True:
        time.sleep(60)


def probe(port, src, gopher):
    try:
        s = connect(port, src, gopher)
        if s is None:
            print("refused")
            return 0
        s.sendall(request(gopher))
        print(first_line(read_all(s)))
    except socket.timeout:
        print("timeout")
    except (OSError, ssl.SSLError):
        print("refused")
    return 0


def burst(port, src, k, gopher):
    conns = [connect(port, src, gopher) for _ in range(k)]
    for s in conns:
        if s is not None:
            s.sendall(request(gopher))
    for s in conns:
        print("refused" if s is None else first_line(read_all(s)))
    return 0


def spoil(port, src, n, kind):
    conns = [tcp(port, src) for _ in range(n)]
    for s in conns:
        s.sendall(b"\x16\x03\x01" if kind == "stuck" else
                  b"GET / HTTP/1.0\r\n\r\n")
    closed = 0
    for s in conns:
        try:
            while s.recv(4096):
                pass
            closed += 1
        except socket.timeout:
            pass
        except OSError:
            closed += 1
    print("closed %d of %d" % (closed, n))
    return 0


def stall(port, src, secs):
    stuck = tcp(port, src)
    stuck.sendall(b"\x16\x03\x01")          # the start of a ClientHello
    idle = connect(port, src, False)
    t0 = time.monotonic()
    stuck.settimeout(secs)
    try:
        while stuck.recv(4096):
            pass
        print("closed after %.0f s" % (time.monotonic() - t0))
    except socket.timeout:
        print("open")
    except OSError:
        print("closed after %.0f s" % (time.monotonic() - t0))
    if idle is None:
        print("refused")
        return 0
    idle.sendall(request(False))
    print(first_line(read_all(idle)))
    return 0


def main(a):
    global HEADER
    if a[1] == "--header":
        import proxy
        spec = a[2]
        HEADER = lambda port: proxy.header(spec, port)   # noqa: E731
        a = a[:1] + a[3:]
    gopher = a[-1] == "gopher"
    if gopher:
        a = a[:-1]
    cmd, port, src = a[1], int(a[2]), a[3]
    if cmd == "hold":
        return hold(port, src, int(a[4]), a[5], gopher)
    if cmd == "probe":
        return probe(port, src, gopher)
    if cmd == "burst":
        return burst(port, src, int(a[4]), gopher)
    if cmd == "spoil":
        return spoil(port, src, int(a[4]), a[5])
    if cmd == "stall":
        return stall(port, src, float(a[4]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
