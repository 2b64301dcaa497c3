#!/usr/bin/env python3
"""titan.py: a small Titan client for the tests (Titan: Gemini's sister
protocol for uploads, "titan://host/path;size=N;mime=M;token=T" and
CRLF, then N bytes; the reply is a Gemini header).

usage: titan.py [options] PORT URL
Uploads FILE (or nothing: size=0, a removal) to URL over TLS at
127.0.0.1:PORT, with the parameters added to URL unless --raw, and
prints the reply. A gemini:// URL is fetched instead (with the same
certificate), for the publish page.
Options:
  --file FILE             the body (none: size=0)
  --cert FILE --key FILE  the client certificate (none by default)
  --mime TYPE             the mime parameter
  --token T               the token parameter
  --size N                announce N bytes whatever FILE holds
  --cut N                 send N bytes of the body, then close
  --raw                   URL is the whole request line
  --resume                connect twice, the second time resuming the
                          first session; print "resumed" if it was
"""
import socket
import ssl
import sys

from gemget import opt     # the same options' way, beside this file


def flag(args, name):
    if name in args:
        args.remove(name)
        return True
    return False


def exchange(ctx, port, head, body, cut, session=None):
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    s = ctx.wrap_socket(raw, server_hostname="localhost", session=session)
    out = b""
    try:
        if cut is not None:
            s.sendall(head + body[:cut])
            s.close()
            return b"", None, False
        s.sendall(head + body)
        out = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except (OSError, ssl.SSLError) as e:
        sys.stderr.write(f"titan.py: {e}\n")
    sess, reused = s.session, s.session_reused
    s.close()
    return out, sess, reused


def main():
    args = sys.argv[1:]
    cert, key = opt(args, "--cert"), opt(args, "--key")
    mime, token = opt(args, "--mime"), opt(args, "--token")
    size, cut = opt(args, "--size"), opt(args, "--cut")
    raw, resume = flag(args, "--raw"), flag(args, "--resume")
    path = opt(args, "--file")
    port, url = int(args[0]), args[1]
    body = open(path, "rb").read() if path else b""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE      # Gemini uses TOFU, not CAs
    if cert:
        ctx.load_cert_chain(cert, key)
    if raw or url.startswith("gemini://"):
        line = url
    else:
        line = url + ";size=" + (size if size is not None else str(len(body)))
        if mime:
            line += ";mime=" + mime
        if token is not None:
            line += ";token=" + token
    head = line.encode() + b"\r\n"
    if url.startswith("gemini://"):
        body = b""
    out, sess, _ = exchange(ctx, port, head, body,
                            int(cut) if cut is not None else None)
    if resume and sess is not None:
        # a new connection on the first one's session: a resumed TLS
        # 1.3 handshake asks for no certificate, so none is sent again;
        # the server must take it from the session
        out, _, reused = exchange(ctx, port, head, body, None, sess)
        print("resumed" if reused else "not resumed")
    sys.stdout.buffer.write(out)


main()
