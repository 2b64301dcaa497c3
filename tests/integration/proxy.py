#!/usr/bin/env python3
"""proxy.py: PROXY protocol headers (HAProxy's proxy-protocol.txt), as a
load balancer sends them before the client's first byte, for the tests
of proxy_protocol; limits.py --header sends them before its requests.
Each connection is made from a chosen loopback address SRC to
127.0.0.1:PORT.

  raw PORT SRC HEX     these bytes, then wait (20 s at most): "refused"
      when closed without a byte, "open" when still open, else the
      first line of what came
  cut PORT SRC HEX     the same, but the client's side is closed after
      the bytes (shutdown)
  half PORT SRC HDR    the first half of the header, then wait (60 s
      at most): "closed after N s", or "open"

HDR: v1:ADDR | v2:ADDR | v2tlv:ADDR (with TLVs) | v2local (a health
check) | v1unknown. v1 and v2 name ADDR as the client, port 40000,
TCP6 when ADDR is IPv6, and 127.0.0.1:PORT or [::1]:PORT as the
destination.
"""
import ipaddress
import socket
import struct
import sys
import time

SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def v1(addr, port):
    ip = ipaddress.ip_address(addr)
    fam, dst = ("TCP4", "127.0.0.1") if ip.version == 4 else ("TCP6", "::1")
    return ("PROXY %s %s %s 40000 %d\r\n" % (fam, addr, dst, port)).encode()


def v2(addr, port, tlvs=b""):
    ip = ipaddress.ip_address(addr)
    if ip.version == 4:
        fam, dst = 0x11, ipaddress.ip_address("127.0.0.1").packed
    else:
        fam, dst = 0x21, ipaddress.ip_address("::1").packed
    body = ip.packed + dst + struct.pack("!HH", 40000, port) + tlvs
    return SIG + bytes([0x21, fam]) + struct.pack("!H", len(body)) + body


def tlv(t, value):
    return bytes([t]) + struct.pack("!H", len(value)) + value


def header(spec, port):
    kind, _, arg = spec.partition(":")
    if kind == "v1":
        return v1(arg, port)
    if kind == "v2":
        return v2(arg, port)
    if kind == "v2tlv":
        return v2(arg, port, tlv(0x01, b"gemini") +
                  tlv(0x02, b"localhost") + tlv(0x04, b"") +
                  tlv(0x05, b"u" * 128))
    if kind == "v2local":
        return SIG + b"\x20\x00\x00\x00"
    if kind == "v1unknown":
        return b"PROXY UNKNOWN\r\n"
    raise SystemExit("proxy.py: unknown header " + spec)


def tcp(port, src):
    return socket.create_connection(("127.0.0.1", port), timeout=30,
                                    source_address=(src, 0))


def wait_close(s, secs):
    """What the server sent until it closed, or None if it is still
    open after secs."""
    s.settimeout(secs)
    out = b""
    try:
        while True:
            d = s.recv(4096)
            if not d:
                return out
            out += d
    except socket.timeout:
        return None
    except OSError:
        return out


def raw(port, src, data, shut):
    s = tcp(port, src)
    try:
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    out = wait_close(s, 20)
    if out is None:
        print("open")
    elif not out:
        print("refused")
    else:
        print(out.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8",
                                                           "replace"))
    return 0


def half(port, src, spec):
    s = tcp(port, src)
    h = header(spec, port)
    s.sendall(h[:len(h) // 2])
    t0 = time.monotonic()
    out = wait_close(s, 60)
    if out is None:
        print("open")
    elif out:
        print("got %r" % out[:40])
    else:
        print("closed after %.0f s" % (time.monotonic() - t0))
    return 0


def main(a):
    cmd, port, src = a[1], int(a[2]), a[3]
    if cmd in ("raw", "cut"):
        return raw(port, src, bytes.fromhex(a[4]), cmd == "cut")
    if cmd == "half":
        return half(port, src, a[4])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
