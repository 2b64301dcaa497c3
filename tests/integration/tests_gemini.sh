# tests_gemini.sh: the Gemini server core (issue 7), rule by rule.

test_home_page() {
	setup; start_server
	gem "gemini://localhost/"
	expect_status 20
	[ "$HDR" = "20 text/gemini; charset=utf-8; lang=vi" ] || fail "header '$HDR'"
	expect_body "# Bản tin thử"
	expect_body "=> /thoi-su/"
	[ $GEMRC -eq 0 ] || fail "no close_notify (rc $GEMRC)"
	alive
	expect_log "gemini 127.0.0.1 20 / "
}

test_empty_path_no_redirect() {
	setup; start_server
	gem "gemini://localhost"
	expect_status 20
	expect_body "# Bản tin thử"
}

test_dir_without_slash_redirects() {
	setup; start_server
	gem "gemini://localhost/thoi-su"
	expect_status 31
	[ "$HDR" = "31 /thoi-su/" ] || fail "header '$HDR'"
	gem "gemini://localhost/anh-chung"
	expect_status 31
}

test_index_gmi_serves_dir() {
	setup; start_server
	gem "gemini://localhost/anh-chung/"
	expect_status 20
	expect_body "Thư mục ảnh chung"
}

test_url_length_limit() {
	setup; start_server
	base="gemini://localhost/"
	pad=$($PYTHON -c "print('a' * (1024 - len('$base')))")
	gem "$base$pad"
	expect_status 51 "1024-byte URL"
	gem "${base}a$pad"
	expect_status 59 "1025-byte URL"
	alive
}

test_bad_requests_59() {
	setup; start_server
	for r in '\r\n' '/relative\r\n' 'localhost/\r\n' \
	    'gemini://user@localhost/\r\n' 'gemini://localhost/#frag\r\n' \
	    'gemini://localhost/\xff\r\n' 'gemini://localhost/\x00x\r\n' \
	    '\xef\xbb\xbfgemini://localhost/\r\n' 'gemini://localhost/\n'; do
		gem "$r" --raw
		expect_status 59 "$r"
		[ -z "$BODY" ] || fail "$r: body after 59"
	done
	alive
}

test_proxy_refused_53() {
	setup; start_server
	gem "gemini://example.org/"
	expect_status 53 "other host"
	gem "gemini://localhost:1/"
	expect_status 53 "other port"
	gem "https://localhost/"
	expect_status 53 "other scheme"
	gem "gemini://localhost:$GP/"
	expect_status 20 "own port"
}

test_traversal() {
	setup; start_server
	for p in '/../outside.txt' '/%2e%2e/outside.txt' '/thoi-su/..%2f..%2foutside.txt' \
	    '/%252e%252e/outside.txt' '/%c0%ae%c0%ae/outside.txt' \
	    '/thoi-su/../../outside.txt' '/./../outside.txt'; do
		gem "gemini://localhost$p"
		case $STATUS in 5?) ;; *) fail "$p: status $HDR" ;; esac
		! printf '%s' "$BODY" | grep -q 'outside the capsule' || fail "$p leaked"
	done
	gem "gemini://localhost/thoi-su/../gioi-thieu.gmi"
	expect_status 20 "dot segments inside the root"
}

test_symlink_out_of_tree() {
	setup; start_server
	gem "gemini://localhost/thoi-su/leak.txt"
	expect_status 51
	gem "gemini://localhost/thoi-su/leakdir/outside.txt"
	expect_status 51
	gem "gemini://localhost/thoi-su/"
	! printf '%s' "$BODY" | grep -q leak || fail "symlink listed"
}

test_hidden_names_51() {
	setup; start_server
	for p in /thoi-su/.hidden.gmi /_private.gmi /.git/config /thoi-su/_category.ini; do
		gem "gemini://localhost$p"
		expect_status 51 "$p"
	done
}

test_mime_types() {
	setup; start_server
	gem "gemini://localhost/gioi-thieu.gmi"
	expect_status 20
	case $HDR in "20 text/gemini"*) ;; *) fail "gmi: $HDR" ;; esac
	gem "gemini://localhost/thoi-su/anh/hoi-nghi.png"
	[ "$HDR" = "20 image/png" ] || fail "png: $HDR"
	gem "gemini://localhost/thoi-su/tai-lieu/ke-hoach"
	[ "$HDR" = "20 application/pdf" ] || fail "libmagic: $HDR"
	gem "gemini://localhost/nope"
	expect_status 51
	[ -z "$BODY" ] || fail "body after 51"
}

test_tls_versions() {
	setup; start_server
	v=$($GEMGET --version "$GP" gemini://localhost/)
	[ "$v" = "TLSv1.3" ] || fail "default: $v"
	v=$($GEMGET --tls12 --version "$GP" gemini://localhost/)
	[ "$v" = "TLSv1.2" ] || fail "1.2: $v"
	! $GEMGET --tls11 "$GP" gemini://localhost/ >/dev/null 2>&1 || fail "TLS 1.1 accepted"
	# a refused handshake still gets its alert, not a bare close
	out=$(openssl s_client -connect "127.0.0.1:$GP" -tls1_1 </dev/null 2>&1 || true)
	echo "$out" | grep -q 'alert protocol version' ||
	    fail "no protocol_version alert: $(echo "$out" | grep -i error | head -1)"
	out=$(openssl s_client -connect "127.0.0.1:$GP" -tls1_2 -cipher AES128-SHA </dev/null 2>&1 || true)
	echo "$out" | grep -q 'alert handshake failure' ||
	    fail "no handshake_failure alert: $(echo "$out" | grep -i error | head -1)"
	alive
}

# TLS 1.3 sends its ticket after the handshake; bantin holds it to go
# with the reply, but a client that has not sent its request yet must
# get it while the server waits
test_ticket_before_request() {
	setup; start_server
	out=$($PYTHON -c '
import socket, ssl, time
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
c.minimum_version = ssl.TLSVersion.TLSv1_3
s = c.wrap_socket(socket.create_connection(("127.0.0.1", '"$GP"')), server_hostname="localhost")
s.settimeout(0.2)
end = time.monotonic() + 20      # for a loaded machine: ends at the ticket
while time.monotonic() < end and not (s.session and s.session.has_ticket):
    try:
        s.recv(1)
    except (socket.timeout, TimeoutError):
        pass
print("ticket" if s.session is not None and s.session.has_ticket else "none")')
	[ "$out" = ticket ] || fail "no ticket before the request: $out"
}

test_sni_and_openssl_client() {
	setup; start_server
	out=$(printf 'gemini://localhost/\r\n' | openssl s_client -quiet -connect "127.0.0.1:$GP" -servername localhost 2>/dev/null | head -n 1 | tr -d '\r')
	[ "$out" = "20 text/gemini; charset=utf-8; lang=vi" ] || fail "s_client: $out"
}

test_session_resumption_across_workers() {
	WORKERS=2 setup; start_server
	for v in "" --tls12; do
		out=$($GEMGET $v --resume 12 "$GP" gemini://localhost/)
		[ "$out" = "resumed 11/12" ] || fail "resumption $v: $out"
	done
}

test_generated_certificate() {
	setup
	sed -i 's/^cert = .*/cert =/; s/^key = .*/key =/' "$TMP/t.ini"
	start_server
	[ -f "$TMP/state/cert.pem" ] || fail "no certificate"
	[ "$(stat -c %a "$TMP/state/key.pem")" = 600 ] || fail "key mode"
	openssl x509 -in "$TMP/state/cert.pem" -noout -text >"$TMP/x509"
	grep -q 'DNS:localhost' "$TMP/x509" || fail "no SAN"
	grep -q 'CN *= *localhost' "$TMP/x509" || fail "no CN"
	grep -q 'prime256v1\|P-256' "$TMP/x509" || fail "not P-256"
	fp1=$($GEMGET --cert-der "$GP" gemini://localhost/)
	stop_server
	start_server
	fp2=$($GEMGET --cert-der "$GP" gemini://localhost/)
	[ "$fp1" = "$fp2" ] || fail "certificate changed on restart"
	[ ! -e "$TMP/capsule/cert.pem" ] || fail "cert in capsule"
}

# The idle clients hold on until killed, and the request timeout is
# longer than the reader's: only a worker that never waits on them
# answers in time.
test_slow_client_does_not_block() {
	WORKERS=1 REQ_TIMEOUT=60 setup; start_server
	$PYTHON - "$GP" "$TMP/held" <<'PY' &
import socket, ssl, sys, time
port = int(sys.argv[1])
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
# an idle TLS connection that never sends its request
t = c.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
# a raw TCP connection stuck before the handshake (the kernel keeps it
# from the worker for a while: TCP_DEFER_ACCEPT), and one stuck inside
# its ClientHello, which the worker takes at once
r = socket.create_connection(("127.0.0.1", port))
h = socket.create_connection(("127.0.0.1", port)); h.sendall(b"\x16\x03")
open(sys.argv[2], "w").close()
time.sleep(120)
PY
	idle=$!; HELPERS=$idle
	wait_for 30 test -e "$TMP/held" || fail "idle clients not connected"
	gem "gemini://localhost/" --timeout 15
	expect_status 20 "while other clients idle"
	kill $idle 2>/dev/null; wait $idle 2>/dev/null || true
}

test_request_timeout_drip() {
	REQ_TIMEOUT=2 setup; start_server
	# a byte a second: the whole request would take 29 s
	start=$(date +%s)
	gem "gemini://localhost/thoi-su/" --drip 1 --timeout 40
	took=$(( $(date +%s) - start ))
	[ "$took" -le 12 ] || fail "drip extended the deadline: ${took}s"
	[ "$HDR" = "59 request timeout" ] || [ -z "$HDR" ] || fail "header '$HDR'"
	alive
}

sockets() { ls -l "/proc/$1/fd" | grep -c 'socket:'; }
holds_more() { [ $(( $(sockets "$1") - $2 )) -ge "$3" ]; }

test_max_connections_no_busy_loop() {
	MAXCONN=4 WORKERS=1 setup; start_server
	w=$(worker_pids | head -n 1)
	base=$(sockets "$w")
	# 12 connections, each with the first byte of a ClientHello: the
	# kernel hands them to the worker at once (a silent one it keeps
	# back, TCP_DEFER_ACCEPT), 4 up to the cap, 8 wait in the backlog
	$PYTHON -c '
import socket, sys, time
ss = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(12)]
for s in ss: s.sendall(b"\x16")
time.sleep(120)' "$GP" &
	hold=$!; HELPERS=$hold
	wait_for 30 holds_more "$w" "$base" 4 || fail "the worker never reached the cap"
	cpu1=$(awk '{print $14+$15}' /proc/$w/stat)
	sleep 1
	cpu2=$(awk '{print $14+$15}' /proc/$w/stat)
	[ $((cpu2 - cpu1)) -lt 20 ] || fail "worker spins at the cap"
	kill $hold; wait $hold 2>/dev/null || true
	gem "gemini://localhost/" --timeout 12
	expect_status 20 "after the cap is released"
}

test_worker_restart() {
	WORKERS=2 setup; start_server
	w=$(worker_pids | head -n 1)
	kill -KILL "$w"
	wait_for 30 replaced "$w"
	[ "$(worker_pids | wc -l)" -eq 2 ] || fail "worker not replaced"
	expect_log "restarting"
	gem "gemini://localhost/"
	expect_status 20
}

test_sighup_reload_new_article() {
	RESCAN=0 setup; start_server
	gem "gemini://localhost/thoi-su/2023-01-02-moi"
	expect_status 51
	printf 'title: Bài mới\ndate: 2023-01-02\n\nNội dung mới.\n' >"$TMP/capsule/thoi-su/2023-01-02-moi.gmi"
	kill -HUP "$PID"
	wait_for 30 status_is 20 "gemini://localhost/thoi-su/2023-01-02-moi"
	expect_status 20 "after SIGHUP"
	expect_body "Nội dung mới."
	alive
	stop_server || fail "exit status after reload"
}

test_sighup_bad_config_keeps_running() {
	setup; start_server
	cp "$TMP/t.ini" "$TMP/good.ini"
	printf '[gemini]\nport = nonsense\n' >>"$TMP/t.ini"
	kill -HUP "$PID"
	wait_for 30 log_has "reload failed"
	expect_log "reload failed"
	gem "gemini://localhost/"
	expect_status 20 "old configuration kept"
	alive
	stop_server || fail "exit status after failed reload"
}

reload_failed_twice() {
	[ "$(grep -c 'reload failed' "$TMP/log")" -ge 2 ]
}

# every way a SIGHUP reload can fail after the configuration loads:
# the old one keeps serving, and what the attempt built is released
# (a listener it opened is closed; under ASan a leak fails the test)
test_sighup_failed_reloads_release() {
	setup; start_server
	cp "$TMP/t.ini" "$TMP/good.ini"
	set -- $(free_ports 2)
	NP=$1 NH=$2
	# a certificate OpenSSL cannot read
	printf 'not a certificate\n' >"$TMP/bad.pem"
	sed "s|^cert = .*|cert = $TMP/bad.pem|" "$TMP/good.ini" >"$TMP/t.ini"
	kill -HUP "$PID"
	wait_for 30 log_has "reload failed: certificate refused"
	expect_log "gemini:cert: $TMP/bad.pem: no PEM certificate in it"
	gem "gemini://localhost/"
	expect_status 20 "kept after a bad certificate"
	# a listener that cannot be opened: the same address twice on a
	# new port, so the first one is opened, then closed again
	sed -e "s|^listen = 127.0.0.1\$|listen = 127.0.0.1 127.0.0.1|" \
	    -e "s|^port = $GP\$|port = $NP|" "$TMP/good.ini" >"$TMP/t.ini"
	grep -q "^port = $NP" "$TMP/t.ini" || fail "test ini not changed"
	kill -HUP "$PID"
	wait_for 30 reload_failed_twice
	[ "$(grep -c 'reload failed' "$TMP/log")" -eq 2 ] || fail "second reload did not fail"
	gem "gemini://localhost/"
	expect_status 20 "kept after a listener failed"
	python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)' "$NP" ||
	    fail "the failed reload left port $NP open"
	# and a good one on that port goes through; the Gopher listener
	# that stays the same is kept (its socket is reused, not bound again)
	sed -e "s|^port = $GP\$|port = $NP|" "$TMP/good.ini" >"$TMP/t.ini"
	kill -HUP "$PID"
	wait_for 30 log_has "reloaded: generation 2"
	expect_log "reloaded: generation 2"
	GP=$NP
	gem "gemini://localhost/"
	expect_status 20 "on the new port"
	gopher "/"
	printf '%s' "$GOPHER" | grep -q "^1" || fail "Gopher on its unchanged port"
	alive
	stop_server || fail "exit status after failed reloads"
}

test_sigterm_graceful() {
	setup; start_server
	gem "gemini://localhost/"
	stop_server || fail "exit status"
	expect_log "stopped"
	kill -0 "$PID" 2>/dev/null && fail "still running"
	true
}

test_check_config() {
	setup
	out=$("$BANTIN" -c "$TMP/t.ini" -n)
	[ "$out" = "configuration OK" ] || fail "-n: $out"
	"$BANTIN" -c "$TMP/t.ini" -nn >"$TMP/dump"
	grep -qx "gemini.port = $GP" "$TMP/dump" || fail "-nn lacks the port"
	grep -qx "site.root = $TMP/capsule" "$TMP/dump" || fail "-nn lacks root"
	printf '[gemini]\nport = 99999\n[bogus]\nx = 1\n' >>"$TMP/t.ini"
	if "$BANTIN" -c "$TMP/t.ini" -n >"$TMP/out" 2>&1; then fail "bad config accepted"; fi
	grep -q 'gemini:port: 99999 is out of range' "$TMP/out" || fail "no port problem"
	grep -q 'bogus: unknown section' "$TMP/out" || fail "no section problem"
	# start-up refuses it the same way, before creating anything
	if "$BANTIN" -d -c "$TMP/t.ini" >"$TMP/out" 2>&1; then fail "started"; fi
	grep -q 'configuration refused' "$TMP/out" || fail "no refusal"
	[ ! -d "$TMP/state" ] || fail "state_dir created by a refused config"
}

test_config_golden_dump() {
	setup
	TMP_ESC=$(printf '%s' "$TMP" | sed 's/[\/&]/\\&/g')
	# the instance's name is this machine's host name and the port
	"$BANTIN" -c "$TMP/t.ini" -nn | sed "s/$TMP_ESC/TMP/g; s/ = $GP\$/ = GP/; s/ = $HP\$/ = HP/; s/ = $(hostname):$GP\$/ = HOST:GP/" >"$TMP/dump"
	diff -u tests/integration/golden/dump.txt "$TMP/dump" || fail "-nn differs from the golden file"
}

test_folder_swapped_for_symlink() {
	RESCAN=0 setup; start_server
	mkdir "$TMP/x"; printf 'TOP SECRET\n' >"$TMP/x/hoi-nghi.png"
	mv "$TMP/capsule/thoi-su/anh" "$TMP/anh.old"
	ln -s "$TMP/x" "$TMP/capsule/thoi-su/anh"
	gem "gemini://localhost/thoi-su/anh/hoi-nghi.png"
	! grep -q 'TOP SECRET' "$TMP/resp" || fail "served through a swapped folder"
	case $STATUS in 4?|5?) ;; *) fail "status $HDR" ;; esac
	out=$(curl -s "gopher://127.0.0.1:$HP/9/thoi-su/anh/hoi-nghi.png")
	! printf '%s' "$out" | grep -q 'TOP SECRET' || fail "gopher served it"
}

test_symlink_to_hidden_name() {
	setup
	ln -s .git/config "$TMP/capsule/gitcfg.txt"
	ln -s ../_private.gmi "$TMP/capsule/thoi-su/2020-02-02-p.gmi"
	start_server
	gem "gemini://localhost/gitcfg.txt"
	expect_status 51
	gem "gemini://localhost/thoi-su/2020-02-02-p"
	expect_status 51
	expect_log "symbolic link to a hidden name"
}

test_bytes_after_request_keep_reply_whole() {
	setup
	head -c 2000000 /dev/urandom >"$TMP/capsule/thoi-su/anh/mid.bin"
	start_server
	$PYTHON - "$GP" "$HP" "$TMP/capsule/thoi-su/anh/mid.bin" <<'PY' || fail "reply cut short"
import socket, ssl, sys, time
gp, hp, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
want = open(path, "rb").read()
s = socket.create_connection(("127.0.0.1", hp), timeout=10)
s.sendall(b"/thoi-su/anh/mid.bin\r\n")
time.sleep(0.2); s.sendall(b"\r\n")        # a talkative client
data = b""
while True:
    d = s.recv(65536)
    if not d: break
    data += d
assert data == want, "gopher: %d of %d bytes" % (len(data), len(want))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
t = ctx.wrap_socket(socket.create_connection(("127.0.0.1", gp), timeout=10), server_hostname="localhost")
t.sendall(b"gemini://localhost/thoi-su/anh/mid.bin\r\n")
time.sleep(0.2); t.sendall(b"more\r\n")
data = b""
while True:
    try:
        d = t.recv(65536)
    except ssl.SSLError:
        break
    if not d: break
    data += d
body = data[data.index(b"\r\n") + 2:]
assert body == want, "gemini: %d of %d bytes" % (len(body), len(want))
PY
}

test_gopher_probe_no_file() {
	setup; start_server
	gopher "/thoi-su/anh/hoi-nghi.png	!"
	case $GOPHER in +*) ;; *) fail "probe: $(printf '%s' "$GOPHER" | head -c 30)" ;; esac
	! printf '%s' "$GOPHER" | grep -q 'PNG' || fail "file sent to a probe"
}
