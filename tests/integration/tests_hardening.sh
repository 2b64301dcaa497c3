# tests_hardening.sh: issue 14's items: counter files that cannot be
# lost silently, TLS 1.2 with AEAD suites only, the fuzzers'
# reproducers served without a sanitizer report, and the workers'
# sandbox (system call filter, Landlock).

hard_counters() { cat "$TMP/state/counters" 2>/dev/null; }

# start_refused SPEC: bantin refuses to start; its log is in $TMP/refused
# (counter files: -n does not read them)
start_refused() {
	if timeout 60 "$BANTIN" -d -c "$TMP/t.ini" 2>"$TMP/refused"; then
		fail "started with $1"
	fi
}

# a first start makes the file, with its format's line first, and its
# first write keeps counters.1 already (a copy: no hard link to the
# live file); each flush keeps the one it replaces as counters.1; an
# empty or cut file is refused wherever the cut falls, naming
# counters.1, and restoring it brings the counts back
test_counters_last_good_file() {
	# one write of the file only, at stop
	FLUSH=3600 setup; start_server
	for i in 1 2 3; do gem "gemini://localhost$ART"; expect_status 20; done
	stop_server || fail "stop"
	c=$TMP/state/counters
	[ "$(head -n 1 "$c")" = "bantin-counters 2" ] || fail "no format line: $(hard_counters)"
	grep -q '^flush 1$' "$c" && grep -q '^site 3$' "$c" && grep -q "^3 $ART\$" "$c" &&
		grep -q '^end 1$' "$c" || fail "not one flush of 3 views: $(hard_counters)"
	cmp -s "$c" "$c.1" || fail "no counters.1 after the first flush"
	[ "$(stat -c %i "$c")" != "$(stat -c %i "$c.1")" ] || fail "counters.1 is the live file"
	# cut at every line's end: refused, however much is left
	n=$(wc -l <"$c.1")
	k=1
	while [ $k -lt "$n" ]; do
		head -n $k "$c.1" >"$c"
		start_refused "a file cut after line $k"
		grep -q "counters:$((k + 1)): no \"end\" line: the file was cut short; the last good file is $c.1: check it, then cp $c.1 $c\$" "$TMP/refused" ||
			fail "cut after line $k: $(cat "$TMP/refused")"
		k=$((k + 1))
	done
	# the site line alone (as a cut file of an older bantin would be):
	# refused too, with the end line that makes it whole if it is
	printf 'site 3\n' >"$c"
	start_refused "the site line alone"
	grep -q "counters:2: no \"end\" line: the file was cut short, or was written before the end line existed (by hand, or by an older bantin): if it is whole, add the line \"end 0\" at its end; the last good file is $c.1" "$TMP/refused" ||
		fail "site line alone: $(cat "$TMP/refused")"
	grep -qx 'site 3' "$c" || fail "the refused file was written"
	# restored as told: the views go on
	cp "$c.1" "$c"
	start_server
	gem "gemini://localhost$ART"; expect_status 20
	stop_server || fail "stop"
	grep -q '^site 4$' "$c" && grep -q "^4 $ART\$" "$c" || fail "counts did not go on: $(hard_counters)"

	# a flush a second from here
	sed -i 's/^flush_interval = .*/flush_interval = 1/' "$TMP/t.ini"
	start_server
	for i in 1 2 3; do gem "gemini://localhost/"; expect_status 20; done
	wait_for 30 grep -q '^site 7$' "$TMP/state/counters" || fail "not flushed"
	grep -q '^end 1$' "$TMP/state/counters" || fail "no end line: $(hard_counters)"
	stop_server || fail "stop"
	[ -f "$TMP/state/counters.1" ] || fail "no counters.1"
	good=$(cat "$TMP/state/counters")

	# emptied: refused, with the way back
	: >"$TMP/state/counters"
	start_refused "an empty counter file"
	grep -q "counters:1: empty file: the counts were lost; the last good file is $TMP/state/counters.1: check it, then cp $TMP/state/counters.1 $TMP/state/counters" "$TMP/refused" ||
		fail "no reason and way back: $(cat "$TMP/refused")"
	[ ! -s "$TMP/state/counters" ] || fail "the refused file was written"

	# cut short in a line
	printf 'bantin-counters 2\nsite 12\n7 /thoi-' >"$TMP/state/counters"
	start_refused "a cut file"
	grep -q "counters:3: the file ends in the middle of this line: it was cut short; the last good file is" "$TMP/refused" ||
		fail "cut file: $(cat "$TMP/refused")"

	# removed, while counters.1 is there: not a new site
	rm "$TMP/state/counters"
	start_refused "a removed counter file"
	grep -q "counters: missing, but $TMP/state/counters.1 is there" "$TMP/refused" ||
		fail "removed file: $(cat "$TMP/refused")"

	# restored as told: the counts go on
	cp "$TMP/state/counters.1" "$TMP/state/counters"
	prev=$(sed -n 's/^site //p' "$TMP/state/counters")
	[ "$prev" -ge 7 ] || fail "counters.1 holds site $prev (last: $good)"
	start_server
	gem "gemini://localhost/"; expect_status 20
	stop_server || fail "stop"
	now=$(sed -n 's/^site //p' "$TMP/state/counters")
	[ "$now" = $((prev + 1)) ] || fail "counts did not go on: $prev then $now"
}

# a file without the format's line: taken if its end line says it is
# whole (older bantin's), and written with the format's line; one with
# no end line either is refused until an edit adds it
test_counters_old_file_upgraded() {
	FLUSH=1 setup
	mkdir -p "$TMP/state"
	printf '# bantin counters: site visits, then views per article path\nsite 41\n5 /thoi-su/2020-05-21-chi-bo-dai-hoi\n' >"$TMP/state/counters"
	start_refused "a file with no end line"
	grep -q 'counters:4: no "end" line: the file was cut short, or was written before the end line existed (by hand, or by an older bantin): if it is whole, add the line "end 1" at its end; there is no' "$TMP/refused" ||
		fail "no end line: $(cat "$TMP/refused")"
	echo 'end 1' >>"$TMP/state/counters"
	start_server
	expect_log 'a file without the "bantin-counters 2" line: whole'
	gem "gemini://localhost/"; expect_status 20
	stop_server || fail "stop"
	[ "$(head -n 1 "$TMP/state/counters")" = "bantin-counters 2" ] || fail "no format line: $(hard_counters)"
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

# status_has PID FIELD VALUE: /proc/PID/status has "FIELD:<tab>VALUE"
status_has() {
	grep -q "^$2:	$3\$" "/proc/$1/status"
}

# a worker runs under its filter and no_new_privs, and serves all it
# serves with them: pages, search (SQLite), feeds, a file libmagic
# types, counters, over both protocols; what the kernel lacks is
# logged once, not at each worker's start
test_worker_sandbox() {
	WORKERS=2 setup; start_server
	for w in $(worker_pids); do
		status_has "$w" Seccomp 2 || fail "worker $w: $(grep Seccomp "/proc/$w/status")"
		status_has "$w" NoNewPrivs 1 || fail "worker $w: no no_new_privs"
	done
	status_has "$PID" Seccomp 0 || fail "the master is filtered"
	for p in / thoi-su/ thoi-su/2020-05-21-chi-bo-dai-hoi date/2020/05/ \
	    tags/ stats "search?dai%20hoi"; do
		gem "gemini://localhost/$p"; expect_status 20 "$p"
	done
	gem "gemini://localhost/search?dai%20hoi"
	expect_body "=> /thoi-su/2020-05-21-chi-bo-dai-hoi"
	gem "gemini://localhost/atom.xml"
	case $HDR in "20 application/atom+xml"*) ;; *) fail "atom: $HDR" ;; esac
	gem "gemini://localhost/thoi-su/tai-lieu/ke-hoach"
	[ "$HDR" = "20 application/pdf" ] || fail "libmagic: $HDR"
	gopher "/"
	printf '%s' "$GOPHER" | grep -q "	/thoi-su/	" || fail "gopher menu: $GOPHER"
	gopher "/thoi-su/2020-05-21-chi-bo-dai-hoi"
	printf '%s' "$GOPHER" | grep -q "Chi bộ hoàn thành Đại hội" || fail "gopher article"
	gopher "/search	dai hoi"
	printf '%s' "$GOPHER" | grep -q "	/thoi-su/2020-05-21-chi-bo-dai-hoi	" || fail "gopher search"
	gopher "/thoi-su/tai-lieu/ke-hoach"
	printf '%s' "$GOPHER" | grep -q "^%PDF-1.4" || fail "gopher file"
	# the views were counted, and reach the file
	wait_for 30 grep -q '^2 /thoi-su/2020-05-21-chi-bo-dai-hoi$' "$TMP/state/counters" ||
		fail "views not counted: $(cat "$TMP/state/counters")"
	# a worker restarted logs nothing more of what the kernel lacks
	n=$(grep -c 'this kernel lacks' "$TMP/log" || true)
	w=$(worker_pids | head -n 1)
	kill -KILL "$w"
	wait_for 30 replaced "$w" || fail "worker not replaced"
	gem "gemini://localhost/"; expect_status 20 "after the restart"
	[ "$(grep -c 'this kernel lacks' "$TMP/log" || true)" = "$n" ] ||
		fail "logged again: $(grep 'this kernel lacks' "$TMP/log")"
	[ "$n" -le 1 ] || fail "logged $n times"
}

# a worker that makes a call its filter refuses is logged, by the call's
# name, and replaced. No request can make a sound worker do that, so a
# library preloaded for this test only stands in for libmagic's
# magic_descriptor and opens a TCP socket.
test_worker_filter_restart() {
	WORKERS=1 setup
	cat >"$TMP/shim.c" <<'EOT'
#include <sys/socket.h>
const char *magic_descriptor(void *cookie, int fd);
const char *
magic_descriptor(void *cookie, int fd)
{
	(void)cookie;
	(void)fd;
	socket(AF_INET, SOCK_STREAM, 0);
	return "application/x-not-reached";
}
EOT
	cc -shared -fPIC -o "$TMP/shim.so" "$TMP/shim.c" || fail "cc shim"
	# ASan wants to come first; the shim knows nothing of it
	LD_PRELOAD=$TMP/shim.so ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	export LD_PRELOAD ASAN_OPTIONS
	start_server
	unset LD_PRELOAD
	w=$(worker_pids)
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"; expect_status 20
	gem "gemini://localhost/thoi-su/tai-lieu/ke-hoach"
	[ -z "$STATUS" ] || fail "answered: $HDR"
	wait_for 30 log_has "stopped by its system call filter; restarting" ||
		fail "no restart line"
	expect_log "worker 0: system call 41 (socket) refused by the filter: stopping"
	expect_log "worker 0 (pid $w) stopped by its system call filter; restarting"
	wait_for 30 has_workers || fail "no new worker"
	[ "$(worker_pids)" != "$w" ] || fail "the same worker"
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"
	expect_status 20 "after the restart"
	stop_server || fail "exit status"
	# expected here: teardown fails a test on any other such line
	sed -i '/refused by the filter/d' "$TMP/log"
}
