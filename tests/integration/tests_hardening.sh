# tests_hardening.sh: issue 14's items, each as it was reproduced:
# counter files that cannot be lost silently, and the fuzzers'
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
