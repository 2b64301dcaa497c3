# tests_privsep.sh: the privileged parent, the unprivileged master and
# workers, and the key process that alone holds the TLS private key.

# uid PID: the process's real user id
uid_of() { awk '/^Uid:/ { print $2 }' "/proc/$1/status"; }

# key_scalar FILE: the EC private key's 32 bytes, as hex
key_scalar() {
	openssl ec -in "$1" -outform DER 2>/dev/null | $PYTHON -c '
import sys
d = sys.stdin.buffer.read()
i = d.find(b"\x02\x01\x01\x04\x20")
print(d[i + 5:i + 37].hex() if i >= 0 else "")'
}

# holds_bytes PID HEX: the process's memory holds those bytes (root
# reads any process's memory, a non-dumpable one too)
holds_bytes() {
	$PYTHON - "$1" "$2" <<'PY'
import re, sys
pid, needle = sys.argv[1], bytes.fromhex(sys.argv[2])
CHUNK = 1 << 20
def search(mem, lo, hi):
    tail = b""
    for at in range(lo, hi, CHUNK):
        mem.seek(at)
        data = tail + mem.read(min(CHUNK, hi - at))
        if needle in data:
            return True
        tail = data[-len(needle):]
    return False
found = False
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (r)", line)
        if not m or "[vvar]" in line or "[vsyscall]" in line:
            continue
        lo, hi = int(m.group(1), 16), int(m.group(2), 16)
        # a sanitizer's shadow memory: terabytes of nothing
        if hi - lo > (1 << 30):
            continue
        try:
            if search(mem, lo, hi):
                found = True
                break
        except OSError:
            pass
sys.exit(0 if found else 1)
PY
}

# as root, with user = nobody: a tree the user may read, a key only
# root may
privsep_setup() {
	setup "[server]
user = nobody
$1"
	chmod 755 "$TMP"
	chmod 600 "$TMP/key.pem"
}

need_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	echo "skipped: needs root (user = nobody)"
	return 1
}

test_privsep_users() {
	need_root || return 0
	privsep_setup; start_server
	[ "$(uid_of "$PID")" -eq 0 ] || fail "the parent is not root"
	nobody=$(id -u nobody)
	m=$(master_pid); k=$(key_pids); w=$(worker_pids)
	[ -n "$m" ] && [ -n "$k" ] && [ -n "$w" ] || fail "processes: master '$m' key '$k' workers '$w'"
	for p in $m $k $w; do
		[ "$(uid_of "$p")" -eq "$nobody" ] || fail "pid $p runs as $(uid_of "$p")"
	done
	gem "gemini://localhost/"; expect_status 20
	gopher ""; printf '%s' "$GOPHER" | grep -q "^1" || fail "gopher menu"
}

# SIGHUP with user = nobody: a new certificate and key (readable by
# root only), a changed configuration and a changed tree all take
test_privsep_reload_takes_everything() {
	need_root || return 0
	RESCAN=0 privsep_setup; start_server
	fp1=$($GEMGET --cert-der "$GP" gemini://localhost/)
	gen_cert "$TMP"; chmod 600 "$TMP/key.pem"
	sed -i 's/^title = .*/title = Tin mới nạp lại/' "$TMP/t.ini"
	mkdir -p "$TMP/capsule/moi"
	printf '# Bài mới sau SIGHUP\n\nNội dung.\n' >"$TMP/capsule/moi/2024-01-02-bai-moi.gmi"
	kill -HUP "$PID"
	wait_for 60 grep -q 'reloaded: generation 2' "$TMP/log" || fail "no reload: $(tail -n 5 "$TMP/log")"
	! grep -q 'reload failed' "$TMP/log" || fail "$(grep 'reload failed' "$TMP/log")"
	fp2=$($GEMGET --cert-der "$GP" gemini://localhost/)
	[ -n "$fp2" ] && [ "$fp1" != "$fp2" ] || fail "the old certificate is still served"
	gem "gemini://localhost/"; expect_status 20; expect_body "Tin mới nạp lại"
	gem "gemini://localhost/moi/2024-01-02-bai-moi"; expect_status 20
	expect_body "Bài mới sau SIGHUP"
	[ "$(uid_of "$(master_pid)")" -eq "$(id -u nobody)" ] || fail "master uid"
}

# only the key process holds the private key: no worker, no master,
# and not the privileged parent that reads the file, neither at start
# nor after a SIGHUP that loads a new key (the key process does hold
# it, which shows the search would find it)
test_key_only_in_key_process() {
	need_root || return 0
	privsep_setup; start_server
	gem "gemini://localhost/"; expect_status 20
	old=$(key_scalar "$TMP/key.pem")
	[ ${#old} -eq 64 ] || fail "no key scalar: '$old'"
	k=$(key_pids)
	holds_bytes "$k" "$old" || fail "not found in the key process: the search is broken"
	for p in "$PID" $(master_pid) $(worker_pids); do
		! holds_bytes "$p" "$old" || fail "pid $p ($(cat /proc/$p/comm)) holds the private key"
	done
	# a new pair, readable by root only, read by the parent on SIGHUP
	gen_cert "$TMP"; chmod 600 "$TMP/key.pem"
	new=$(key_scalar "$TMP/key.pem")
	[ ${#new} -eq 64 ] && [ "$new" != "$old" ] || fail "no new key scalar: '$new'"
	kill -HUP "$PID"
	wait_for 60 grep -q 'reloaded: generation 2' "$TMP/log" || fail "no reload: $(tail -n 5 "$TMP/log")"
	gem "gemini://localhost/"; expect_status 20 "with the new key"
	found=
	for k in $(key_pids); do
		holds_bytes "$k" "$new" && found=$k
	done
	[ -n "$found" ] || fail "the new key is in no key process: $(key_pids)"
	for p in "$PID" $(master_pid) $(worker_pids); do
		for hex in "$old" "$new"; do
			! holds_bytes "$p" "$hex" || fail "after SIGHUP, pid $p ($(cat /proc/$p/comm)) holds a private key ($hex)"
		done
	done
}

# a generated pair is made in a child of the parent's: the parent
# never holds the key it made, nor the one a new host name makes again
test_generated_key_only_in_key_process() {
	need_root || return 0
	privsep_setup
	sed -i 's/^cert = .*/cert =/; s/^key = .*/key =/' "$TMP/t.ini"
	start_server
	gem "gemini://localhost/"; expect_status 20
	first=$(key_scalar "$TMP/state/key.pem")
	[ ${#first} -eq 64 ] || fail "no key scalar: '$first'"
	holds_bytes "$(key_pids)" "$first" || fail "not found in the key process: the search is broken"
	! holds_bytes "$PID" "$first" || fail "the parent holds the key it generated"
	sed -i 's/^hostname = .*/hostname = tin.example/' "$TMP/t.ini"
	kill -HUP "$PID"
	wait_for 60 grep -q 'reloaded: generation 2' "$TMP/log" || fail "no reload: $(tail -n 5 "$TMP/log")"
	expect_log "made for localhost, not for server:hostname tin.example: making a new one"
	second=$(key_scalar "$TMP/state/key.pem")
	[ ${#second} -eq 64 ] && [ "$second" != "$first" ] || fail "not made again: '$second'"
	for hex in "$first" "$second"; do
		! holds_bytes "$PID" "$hex" || fail "the parent holds a generated key ($hex)"
	done
}

# the key process killed: the parent starts another, and handshakes
# work again with the same certificate
test_key_process_replaced() {
	WORKERS=1 setup; start_server
	fp1=$($GEMGET --cert-der "$GP" gemini://localhost/)
	k=$(key_pids)
	kill -KILL "$k"
	wait_for 60 grep -q "the key process (pid $k) ended; starting another" "$TMP/log" ||
		fail "not replaced: $(tail -n 5 "$TMP/log")"
	wait_for 60 grep -q 'reloaded: generation 2' "$TMP/log" || fail "no new generation"
	gem "gemini://localhost/"; expect_status 20
	[ "$($GEMGET --cert-der "$GP" gemini://localhost/)" = "$fp1" ] || fail "certificate changed"
	[ "$(key_pids | wc -l)" -eq 1 ] || fail "key processes: $(key_pids)"
}

# a key that does not match the certificate: the reload is refused,
# and the running certificate and key go on serving
test_reload_bad_key_keeps_running() {
	setup; start_server
	fp1=$($GEMGET --cert-der "$GP" gemini://localhost/)
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMP/key.pem" 2>/dev/null
	kill -HUP "$PID"
	wait_for 60 grep -q 'reload failed: certificate refused' "$TMP/log" ||
		fail "no refusal: $(tail -n 5 "$TMP/log")"
	expect_log "key.pem: not the key of the certificate"
	gem "gemini://localhost/"; expect_status 20
	[ "$($GEMGET --cert-der "$GP" gemini://localhost/)" = "$fp1" ] || fail "certificate changed"
}

# an RSA certificate signs through the key process too (TLS 1.3's
# RSA-PSS and TLS 1.2's PKCS#1)
test_rsa_key_through_key_process() {
	setup
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
	start_server
	gem "gemini://localhost/"; expect_status 20 "TLS 1.3, RSA-PSS"
	gem "gemini://localhost/" --tls12; expect_status 20 "TLS 1.2, RSA"
}

# the master gone: the parent stops, and says why
test_master_death_stops_parent() {
	setup; start_server
	kill -KILL "$(master_pid)"
	wait_for 60 gone "$PID" || fail "the parent outlived the master"
	wait "$PID" && fail "exit status 0 after the master died"
	PID=
	expect_log "the master (pid"
}
