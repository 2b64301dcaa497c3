# tests_news.sh: what a newsroom's readers and editors meet (issue 13):
# search answers any query text, broken sources are skipped and named,
# bylines and repeated datelines. Each test is self-contained.

# Any text typed into search is a query: FTS5 operators and punctuation
# answer 20 with results or "no results", over Gemini and Gopher.
test_search_any_input() {
	setup; start_server
	# the reported ones, with gemget
	for q in '%2A' '%22' '%5E' '%28'; do
		gem "gemini://localhost/search?$q"
		expect_status 20 "gemini search?$q" || return 1
		expect_body "Không tìm thấy bài viết nào." || return 1
	done
	# many more, both protocols, in one client process: "-" lines have
	# no hits, "+" lines find the Đại hội article
	python3 - "$GP" "$HP" <<'EOT' || fail "search answers"
import sys
sys.path.insert(0, "tests/integration")
from clients import gemini, gopher
from urllib.parse import quote
gp, hp = int(sys.argv[1]), int(sys.argv[2])
none = ['*', '"', '^', '(', ')', '""', '"""', '"" *', '* * *', '-', '+',
        ':', ',', ';', '{}', '[', ']', '!!! ---', '...', '…', '“”', '„',
        '\u0301', '\\', "'", '`', '#', '=>', '/', '@', '|', 'NEAR(',
        'OR', 'NOT', 'NEAR', '" OR *', "'; DROP TABLE fts; --",
        'title:dai', 'NEAR(dai hoi)', 'dai AND hoi', '*' * 200]
hits = ['dai*', '"chi bo', '(dai hoi)', '^dai', 'dai^', '+dai -hoi',
        'Đảng!!!', '{dai} [hoi]', '"dai hoi"*', '«Đại»', 'dai:']
art = "/thoi-su/2020-05-21-chi-bo-dai-hoi"
bad = 0
for q in none + hits:
    g = gemini(gp, "/search?" + quote(q, safe="")).decode()
    head, _, body = g.partition("\r\n")
    found = ("=> " + art + " ") in body
    empty = "Không tìm thấy bài viết nào." in body
    if not head.startswith("20 ") or (found if q in none else not found) \
            or (empty != (q in none)):
        print("gemini %r: %s" % (q, head)); bad += 1
    if q[0] in "+$!":
        continue    # "selector TAB +...": a Gopher+ request, not a query
    m = gopher(hp, "/search\t" + q).decode()
    found = ("\t" + art + "\t") in m
    empty = "\niKhông tìm thấy bài viết nào." in "\n" + m
    if m.startswith("3") or (found if q in none else not found) \
            or (empty != (q in none)):
        print("gopher %r: %s" % (q, m.splitlines()[:2])); bad += 1
sys.exit(1 if bad else 0)
EOT
	gopher "/search?%2A"
	printf '%s' "$GOPHER" | grep -q "^iKhông tìm thấy bài viết nào." ||
		fail "gopher search?%2A: $(printf '%s' "$GOPHER" | head -n 2)"
	alive
	! grep -q 'search:' "$TMP/log" || fail "a query was logged as an error"
}
