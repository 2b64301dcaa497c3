"""clients.py: the minimal Gemini and Gopher clients the load tests
share (import with sys.path set to this folder). Each request is a new
connection, read to the end, as both protocols require."""
import socket
import ssl

_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_ctx.check_hostname = False
_ctx.verify_mode = ssl.CERT_NONE      # Gemini uses TOFU, not CAs


def read_all(s):
    """what s sends until it closes"""
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            return data
        data += d


def gemini(port, path, timeout=10):
    """The whole response (header and body) to gemini://localhost<path>."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s = _ctx.wrap_socket(raw, server_hostname="localhost")
    s.sendall(("gemini://localhost%s\r\n" % path).encode())
    return read_all(s)


def gopher(port, selector, timeout=10):
    """The whole response to a Gopher selector (TAB-separated parts)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall((selector + "\r\n").encode())
    return read_all(s)
