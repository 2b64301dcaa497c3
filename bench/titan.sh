#!/bin/sh
# bench/titan.sh [N]: how soon an upload over Titan is live. Serves a
# tree of N articles (tests/gen_scale.py; 0: the bundled capsule) with
# Titan on, uploads 10 articles with a client certificate, and prints,
# for each, the milliseconds from the connection's start to the 30
# (the master's write and reload included) and to the first Gemini and
# Gopher replies that have the new page. Loopback only; one server,
# stopped by its PID.
N=${1:-0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/bantin-titan-bench.XXXXXX) || exit 1
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$W"' EXIT
if [ "$N" -gt 0 ]; then
	python3 "$ROOT/tests/gen_scale.py" "$W/tree" -n "$N" >/dev/null || exit 1
else
	cp -r "$ROOT/capsule" "$W/tree"
fi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 30 -subj /CN=bench -keyout "$W/a.key" -out "$W/a.pem" 2>/dev/null
printf '%s Bench *\n' "$(openssl x509 -in "$W/a.pem" -noout -fingerprint \
    -sha256 | cut -d= -f2)" >"$W/authors"
cat >"$W/t.ini" <<EOT
[server]
state_dir = $W/state
workers = 2
[gemini]
listen = 127.0.0.1
port = 19871
[gopher]
listen = 127.0.0.1
port = 19872
[site]
root = $W/tree
[titan]
enabled = yes
authors = $W/authors
EOT
"$ROOT/bantin" -d -c "$W/t.ini" 2>"$W/log" &
PID=$!
until grep -q ' ready: ' "$W/log"; do
	kill -0 "$PID" 2>/dev/null || { cat "$W/log"; exit 1; }
	sleep 0.2
done
python3 - "$W" <<'PY'
import socket, ssl, sys, time
w = sys.argv[1]
def tls(cert):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    if cert:
        c.load_cert_chain(w + "/a.pem", w + "/a.key")
    return c
def ask(s, data):
    s.sendall(data)
    out = b""
    while True:
        d = s.recv(65536)
        if not d:
            return out
        out += d
def gem(ctx, line, body=b""):
    return ask(ctx.wrap_socket(socket.create_connection(("127.0.0.1", 19871)),
               server_hostname="localhost"), line.encode() + b"\r\n" + body)
def gopher(sel):
    return ask(socket.create_connection(("127.0.0.1", 19872)),
               sel.encode() + b"\r\n")
up, rd = tls(True), tls(False)
rows, firsts = [], []
for i in range(10):
    slug = "thoi-su/2026-03-%02d-bench-%d" % (i + 1, i)
    body = ("title: Bài thử %d\ndate: 2026-03-%02d\n\nNội dung %d.\n"
            % (i, i + 1, i)).encode()
    t0 = time.monotonic()
    r = gem(up, "titan://localhost:19871/%s;mime=text/markdown;size=%d"
            % (slug, len(body)), body)
    t1 = time.monotonic()
    assert r.startswith(b"30 "), r
    first = gem(rd, "gemini://localhost/" + slug)[:2]
    tf = time.monotonic()
    firsts.append((first.decode(), (tf - t1) * 1000))
    while not gem(rd, "gemini://localhost/" + slug).startswith(b"20 "):
        time.sleep(0.005)
    t2 = time.monotonic()
    while ("Nội dung %d." % i).encode() not in gopher("/" + slug):
        time.sleep(0.005)
    t3 = time.monotonic()
    rows.append(((t1 - t0) * 1000, (t2 - t0) * 1000, (t3 - t0) * 1000))
print("first read after the 30: " + ", ".join("%s in %.0f ms" % f
      for f in firsts))
for name, k in (("30 reply", 0), ("Gemini page", 1), ("Gopher page", 2)):
    v = sorted(r[k] for r in rows)
    print("%-12s median %6.1f ms, max %6.1f ms" % (name, v[len(v) // 2],
          v[-1]))
PY
