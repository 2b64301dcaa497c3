#!/usr/bin/env python3
"""gemget.py: a small, independent Gemini client for the tests.

usage: gemget.py [options] PORT REQUEST
Sends REQUEST (a URL; CRLF is appended unless --raw) to 127.0.0.1:PORT
over TLS and prints the response exactly as received (header + body).
Exit status 0 on a complete response ending with close_notify, 2 if the
server closed without close_notify, 1 on connection/TLS failure.
Options:
  --raw           send REQUEST as is (Python escapes allowed: \\r \\n \\x00)
  --sni NAME      server name (default localhost)
  --tls12         offer TLS 1.2 only;  --tls11: TLS 1.1 only
  --resume N      connect N times reusing the session; print "resumed K/N"
  --drip SECS     send the request one byte every SECS seconds
  --timeout SECS  socket timeout (default 10)
  --cert-der      print the server certificate's SHA-256 fingerprint
"""
import hashlib
import socket
import ssl
import sys
import time


def ctx_for(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE      # Gemini uses TOFU, not CAs
    if "--tls12" in args:
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if "--tls11" in args:
        ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


def opt(args, name, default=None):
    if name in args:
        i = args.index(name)
        val = args[i + 1]
        del args[i:i + 2]
        return val
    return default


def fetch(ctx, port, data, sni, timeout, drip=None, session=None):
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s = ctx.wrap_socket(raw, server_hostname=sni, session=session,
                        suppress_ragged_eofs=False)
    try:
        if drip:
            for i in range(len(data)):
                s.sendall(data[i:i + 1])
                time.sleep(drip)
        else:
            s.sendall(data)
    except (OSError, ssl.SSLError):
        pass        # the server answered early (timeout): read what it sent
    out = b""
    clean = True
    while True:
        try:
            chunk = s.recv(65536)
        except ssl.SSLEOFError:
            clean = False
            break
        except (ConnectionResetError, BrokenPipeError):
            clean = False
            break
        if not chunk:
            break
        out += chunk
    sess = s.session
    reused = s.session_reused
    fp = hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()
    version = s.version()
    try:
        s.close()
    except OSError:
        pass
    # TLS 1.3 tickets arrive after the handshake: the session is complete now
    return out, clean, sess, reused, fp, version


def main():
    args = sys.argv[1:]
    sni = opt(args, "--sni", "localhost")
    timeout = float(opt(args, "--timeout", "10"))
    drip = opt(args, "--drip")
    resume = opt(args, "--resume")
    flags = [a for a in args if a.startswith("--")]
    pos = [a for a in args if not a.startswith("--")]
    port, req = int(pos[0]), pos[1]
    if "--raw" in flags:
        data = req.encode("utf-8", "surrogateescape").decode(
            "unicode_escape").encode("latin-1")
    else:
        data = req.encode("utf-8") + b"\r\n"
    ctx = ctx_for(flags)
    try:
        if resume:
            n, k, sess = int(resume), 0, None
            for _ in range(n):
                _, _, sess2, reused, _, _ = fetch(ctx, port, data, sni,
                                                  timeout, session=sess)
                k += 1 if reused else 0
                sess = sess2 if sess2 is not None else sess
            print("resumed %d/%d" % (k - 0, n))
            return 0
        out, clean, _, _, fp, version = fetch(ctx, port, data, sni, timeout,
                                              float(drip) if drip else None)
    except (OSError, ssl.SSLError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    if "--cert-der" in flags:
        print(fp)
        return 0
    if "--version" in flags:
        print(version)
        return 0
    sys.stdout.buffer.write(out)
    return 0 if clean else 2


if __name__ == "__main__":
    sys.exit(main())
