# tests_hardening.sh: issue 14's items, each as it was reproduced: the
# fuzzers' reproducers served without a sanitizer report.

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
