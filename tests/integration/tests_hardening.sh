# tests_hardening.sh: issue 14's items: counter files that cannot be
# lost silently, TLS 1.2 with AEAD suites only, and the fuzzers'
# reproducers served without a sanitizer report.

hard_counters() { cat "$TMP/state/counters" 2>/dev/null; }

# refused SPEC: bantin refuses to start; its log is in $TMP/refused
refused() {
	if timeout 60 "$BANTIN" -d -c "$TMP/t.ini" 2>"$TMP/refused"; then
		fail "started with $1"
	fi
}

# a first start makes the file; each flush keeps the one it replaces
# as counters.1; an empty or cut file is refused, naming counters.1,
# and restoring it brings the counts back
test_counters_last_good_file() {
	FLUSH=1 setup; start_server
	for i in 1 2 3; do gem "gemini://localhost/"; expect_status 20; done
	wait_for 30 grep -q '^site 3$' "$TMP/state/counters" || fail "not flushed"
	grep -q '^end 0$' "$TMP/state/counters" || fail "no end line: $(hard_counters)"
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"; expect_status 20
	wait_for 30 grep -q '^end 1$' "$TMP/state/counters" || fail "no end 1: $(hard_counters)"
	stop_server || fail "stop"
	[ -f "$TMP/state/counters.1" ] || fail "no counters.1"
	good=$(cat "$TMP/state/counters")

	# emptied: refused, with the way back
	: >"$TMP/state/counters"
	refused "an empty counter file"
	grep -q "counters:1: empty file: the counts were lost; the last good file is $TMP/state/counters.1: check it, then cp $TMP/state/counters.1 $TMP/state/counters" "$TMP/refused" ||
		fail "no reason and way back: $(cat "$TMP/refused")"
	[ ! -s "$TMP/state/counters" ] || fail "the refused file was written"

	# cut short in a line, and at a line's end
	printf 'site 12\n7 /thoi-' >"$TMP/state/counters"
	refused "a cut file"
	grep -q "counters:2: the file ends in the middle of this line: it was cut short; the last good file is" "$TMP/refused" ||
		fail "cut file: $(cat "$TMP/refused")"
	printf 'site 4\n1 /thoi-su/2020-05-21-chi-bo-dai-hoi\n' >"$TMP/state/counters"
	refused "a file with no end line"
	grep -q 'counters:3: no "end" line: the file was cut short' "$TMP/refused" ||
		fail "no end line: $(cat "$TMP/refused")"

	# removed, while counters.1 is there: not a new site
	rm "$TMP/state/counters"
	refused "a removed counter file"
	grep -q "counters: missing, but $TMP/state/counters.1 is there" "$TMP/refused" ||
		fail "removed file: $(cat "$TMP/refused")"

	# restored as told: the counts go on
	cp "$TMP/state/counters.1" "$TMP/state/counters"
	prev=$(sed -n 's/^site //p' "$TMP/state/counters")
	[ "$prev" -ge 4 ] || fail "counters.1 holds site $prev (last: $good)"
	start_server
	gem "gemini://localhost/"; expect_status 20
	stop_server || fail "stop"
	now=$(sed -n 's/^site //p' "$TMP/state/counters")
	[ "$now" = $((prev + 1)) ] || fail "counts did not go on: $prev then $now"
}

# a file written before the end line existed is read once, then gets one
test_counters_old_file_upgraded() {
	FLUSH=1 setup
	mkdir -p "$TMP/state"
	printf '# bantin counters: site visits, then views per article path\nsite 41\n5 /thoi-su/2020-05-21-chi-bo-dai-hoi\n' >"$TMP/state/counters"
	start_server
	expect_log 'no "end" line: read as a file of an older bantin'
	gem "gemini://localhost/"; expect_status 20
	stop_server || fail "stop"
	grep -q '^site 42$' "$TMP/state/counters" || fail "counts: $(hard_counters)"
	grep -q '^5 /thoi-su/2020-05-21-chi-bo-dai-hoi$' "$TMP/state/counters" || fail "views lost"
	tail -n 1 "$TMP/state/counters" | grep -qx 'end 1' || fail "no end line: $(hard_counters)"
}

# TLS 1.2: AEAD suites with ECDHE only, unless [gemini] ciphers says
# otherwise; TLS 1.3 as it was
s_client_ok() {
	printf 'gemini://localhost/\r\n' | openssl s_client -quiet -connect "127.0.0.1:$GP" -servername localhost "$@" 2>/dev/null |
		head -n 1 | tr -d '\r' | grep -q '^20 '
}

test_tls12_aead_only() {
	setup; start_server
	for c in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305; do
		s_client_ok -tls1_2 -cipher "$c" || fail "$c refused"
	done
	for c in AES128-SHA ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA384; do
		! s_client_ok -tls1_2 -cipher "$c" || fail "$c (CBC) accepted"
	done
	out=$(openssl s_client -connect "127.0.0.1:$GP" -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA </dev/null 2>&1 || true)
	echo "$out" | grep -q 'alert handshake failure' || fail "no handshake_failure alert"
	s_client_ok -tls1_3 || fail "TLS 1.3 refused"
	alive
}

test_tls12_ciphers_key() {
	setup
	sed -i 's/^\(key = .*\)$/\1\nciphers = ECDHE-ECDSA-AES128-SHA/' "$TMP/t.ini"
	start_server
	s_client_ok -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA || fail "the configured suite refused"
	! s_client_ok -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 || fail "a suite not in the list accepted"
	s_client_ok -tls1_3 || fail "TLS 1.3 refused"
	# a reload takes a new list
	sed -i '/^ciphers = /d' "$TMP/t.ini"
	kill -HUP "$PID"
	wait_for 30 sh -c "! { printf 'gemini://localhost/\r\n' | openssl s_client -quiet -connect 127.0.0.1:$GP -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA 2>/dev/null | grep -q '^20 '; }" ||
		fail "the old list still served after SIGHUP"
	s_client_ok -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 || fail "default list not taken on reload"
	stop_server
	# a list OpenSSL finds nothing in is refused with the configuration
	sed -i 's/^\(key = .*\)$/\1\nciphers = KHONG-CO:CUNG-KHONG/' "$TMP/t.ini"
	if "$BANTIN" -c "$TMP/t.ini" -n >"$TMP/out" 2>&1; then fail "bad list accepted"; fi
	grep -q "gemini:ciphers: 'KHONG-CO:CUNG-KHONG': OpenSSL knows no cipher in it" "$TMP/out" ||
		fail "no gemini:ciphers problem: $(cat "$TMP/out")"
}

# the fuzzers' finding: an article whose body converts to nothing,
# asked twice (converted, then from the cache); under SANITIZE=1 a
# report in the log fails the test (teardown)
test_empty_body_article() {
	WORKERS=1 setup
	printf 'title: Rỗng\n\n```\n' >"$TMP/capsule/thoi-su/2024-01-01-rong.md"
	printf 'title: Bảng rỗng\n\n| | |\n|---|---|\n| | |\n' >"$TMP/capsule/thoi-su/2024-01-02-bang-rong.md"
	start_server
	for p in 2024-01-01-rong 2024-01-01-rong 2024-01-02-bang-rong 2024-01-02-bang-rong; do
		gem "gemini://localhost/thoi-su/$p"; expect_status 20 "$p"
	done
	gopher "/thoi-su/2024-01-01-rong"
	printf '%s' "$GOPHER" | grep -q 'Rỗng' || fail "gopher: $GOPHER"
	alive
}
