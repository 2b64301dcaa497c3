# tests_board.sh: what a small board asks of a build, where long and
# size_t may have 32 bits: start, pages over both protocols, search,
# counts past 2^32 kept in the counter file, a date past 2038, a file
# past 4 GB. make check runs them on the native build; make check-cross
# (tests/cross.sh) on the arm64 and armhf builds under qemu-user.

BOARD_ART=/thoi-su/2020-05-21-chi-bo-dai-hoi

# board_count WHAT: the site count ("site") or an article's, from the file
board_count() {
	awk -v w="$1" '$1 == "site" && w == "site" { print $2 }
	    $2 == w { print $1 }' "$TMP/state/counters"
}

test_board_smoke() {
	WORKERS=1 setup
	# past 2^31 and 2^32: a 32-bit long or size_t would wrap them
	mkdir -p "$TMP/state"
	printf 'site 3000000000\n4294967296 %s\nend 1\n' "$BOARD_ART" \
	    >"$TMP/state/counters"
	# past 2038: a 32-bit time_t cannot hold its date
	printf 'title: Kế hoạch năm 2040\ndate: 2040-05-06 08:30\n\nNội dung.\n' \
	    >"$TMP/capsule/thoi-su/2040-05-06-ke-hoach.md"
	start_server
	gem "gemini://localhost/"
	expect_status 20 "home"
	expect_body "=> /thoi-su/ "
	expect_body "Số lượt truy cập: 3.000.000.001"
	gem "gemini://localhost$BOARD_ART"
	expect_status 20 "article"
	expect_body "Quận Bình Thạnh tổ chức Đại hội"
	expect_body "Số lượt người xem: 4.294.967.297"
	gem "gemini://localhost/date/2040/05/06/"
	expect_status 20 "archive of 2040"
	expect_body "=> /thoi-su/2040-05-06-ke-hoach 2040-05-06 Kế hoạch năm 2040"
	gem "gemini://localhost/thoi-su/2040-05-06-ke-hoach"
	expect_body "6 Tháng Năm 2040 08:30"
	gem "gemini://localhost/search?dai%20hoi%20dang"
	expect_status 20 "search"
	expect_body "=> $BOARD_ART"
	gopher "/"
	printf '%s' "$GOPHER" | grep -q "^iSố lượt truy cập: 3.000.000.006	" ||
		fail "gopher home: $GOPHER"
	gopher "$BOARD_ART"
	printf '%s' "$GOPHER" | grep -q "Số lượt người xem: 4.294.967.298" ||
		fail "gopher article: $GOPHER"
	gopher "/search	dai hoi dang"
	printf '%s' "$GOPHER" | grep -q "	$BOARD_ART	" ||
		fail "gopher search: $GOPHER"
	stop_server || fail "exit status $rc"
	# each of the eight pages was a visit
	[ "$(board_count site)" = 3000000008 ] ||
		fail "site count $(board_count site), want 3000000008"
	[ "$(board_count $BOARD_ART)" = 4294967298 ] ||
		fail "article count $(board_count $BOARD_ART), want 4294967298"
	tail -n 1 "$TMP/state/counters" | grep -qx 'end [0-9]*' ||
		fail "counter file not ended: $(cat "$TMP/state/counters")"
}

# a sparse file of 4 GB and 4 bytes: its size does not fit 32 bits. Its
# first megabyte over each protocol (all of it would read 4 GB of holes
# into the page cache): a build that took its size for a size_t of 32
# bits would send 4 bytes and stop; one without large-file support
# could not open it.
test_board_file_over_4gb() {
	setup
	f=$TMP/capsule/thoi-su/tai-lieu/lon.bin
	printf 'head' >"$f"
	truncate -s 4294967296 "$f"
	printf 'tail' >>"$f"
	start_server
	$PYTHON - "$GP" "$HP" <<'PY' || fail "the file not sent"
import socket, ssl, sys
MB = 1 << 20
def first_mb(s, req):
    s.sendall(req)
    got = b""
    while len(got) < MB + 64:
        d = s.recv(65536)
        if not d:
            break
        got += d
    s.close()
    return got
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
raw = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
g = first_mb(ctx.wrap_socket(raw, server_hostname="localhost"),
             b"gemini://localhost/thoi-su/tai-lieu/lon.bin\r\n")
raw = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=60)
p = first_mb(raw, b"/thoi-su/tai-lieu/lon.bin\r\n")
print("gemini:", len(g), g[:30], "gopher:", len(p), p[:4])
ok = g.startswith(b"20 ") and b"\r\nhead" in g[:100] and len(g) > MB
sys.exit(0 if ok and p.startswith(b"head") and len(p) > MB else 1)
PY
	alive
}
