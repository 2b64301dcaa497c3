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

# A source that would publish something other than what its author
# meant is skipped with a warning naming the file, the line and the
# reason; the rest of the site is served. At start and after a rescan.
test_broken_files_skipped() {
	RESCAN=1 setup
	c=$TMP/capsule/thoi-su
	printf -- '---\ntitle: Quên đóng\ndate: 2024-01-02\n\nThân bài.\n' >"$c/2024-01-02-mo.md"
	: >"$c/2024-01-03-rong.md"
	python3 -c 'import sys; sys.stdout.write("<html><head><title>Sâu</title></head><body>\n<p>Mở đầu.</p>\n" + "<div>" * 100000 + "<p>Nội dung.</p></body></html>\n")' >"$c/2024-01-04-sau.html"
	start_server
	expect_log "thoi-su/2024-01-02-mo.md:1: header block opened by '---' is never closed"
	expect_log "thoi-su/2024-01-03-rong.md:1: empty file"
	expect_log "thoi-su/2024-01-04-sau.html:3: elements nested more than 128 deep"
	for a in 2024-01-02-mo 2024-01-03-rong 2024-01-04-sau; do
		gem "gemini://localhost/thoi-su/$a"
		expect_status 51 "$a" || return 1
	done
	gem "gemini://localhost/thoi-su/"
	expect_status 20
	expect_body "=> /thoi-su/2021-03-04-giao-thong 2021-03-04 Phân luồng giao thông dịp lễ"
	expect_body "=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 Chi bộ hoàn thành Đại hội"
	! printf '%s' "$BODY" | grep -q 'Quên đóng\|2024-01-0' || fail "a broken file is listed"
	gopher /thoi-su/2020-05-21-chi-bo-dai-hoi
	printf '%s' "$GOPHER" | grep -q "Quận Bình Thạnh" || fail "gopher article"
	gopher /thoi-su/
	! printf '%s' "$GOPHER" | grep -q '2024-01-0' || fail "a broken file in the gopher menu"
	# fixed by its editor: served after the next scan
	printf -- '---\ntitle: Đã đóng\ndate: 2024-01-02\n---\n\nThân bài.\n' >"$c/2024-01-02-mo.md"
	i=0
	while [ $i -lt 50 ]; do
		gem "gemini://localhost/thoi-su/2024-01-02-mo"
		[ "$STATUS" = 20 ] && break
		sleep 0.2; i=$((i + 1))
	done
	expect_status 20 "fixed file served"
	expect_body "# Đã đóng"
	alive
}

# A last paragraph in capitals signs a story whose source names no
# author: it is the author on the article's line and in Atom, over both
# protocols, and stays in the body. Acronyms are not signatures.
test_byline_author() {
	# the newsroom's zone: the page's 08:30+07:00 is shown as 08:30
	setup "$(printf '[site]\ntimezone = Asia/Ho_Chi_Minh')"
	c=$TMP/capsule/thoi-su
	cat >"$c/2024-03-01-hoi-nghi.html" <<'EOT'
<html><head><title>Hội nghị cán bộ chủ chốt</title>
<meta property="article:published_time" content="2024-03-01T08:30:00+07:00"></head>
<body><h1>Hội nghị cán bộ chủ chốt</h1>
<p>Sáng 1/3, quận tổ chức hội nghị cán bộ chủ chốt.</p>
<div align="right"><b>MỸ DUNG</b></div></body></html>
EOT
	printf 'Phường 7 ra mắt tổ dân phố tự quản\n\n       Chiều 14/4, Ủy ban MTTQ phường phối hợp Công an phường tổ chức ra mắt mô hình tổ dân phố tự quản về an ninh trật tự tại khu phố 3.\n       Đến dự có đại diện Ban Thường trực Ủy ban MTTQ quận, Đảng ủy, UBND phường cùng đông đảo người dân trong khu phố.\n                                THU HIỀN\n' >"$c/2024-03-02-to-dan-pho.txt"
	printf 'title: Thông báo\ndate: 2024-03-03\n\nLịch tiếp dân tháng 3.\n\nUBND QUẬN\n' >"$c/2024-03-03-thong-bao.md"
	start_server
	gem "gemini://localhost/thoi-su/2024-03-01-hoi-nghi"
	expect_status 20
	expect_body "08:30 · Tác giả: MỸ DUNG"
	[ "$(printf '%s\n' "$BODY" | grep -c '^MỸ DUNG$')" = 1 ] || fail "byline not kept in the body"
	gem "gemini://localhost/thoi-su/2024-03-02-to-dan-pho"
	expect_body "Tác giả: THU HIỀN"
	printf '%s\n' "$BODY" | grep -q '^THU HIỀN$' || fail "txt byline not kept"
	gem "gemini://localhost/thoi-su/2024-03-03-thong-bao"
	expect_status 20
	! printf '%s' "$BODY" | grep -q 'Tác giả' || fail "an acronym taken as author"
	gem "gemini://localhost/atom.xml"
	printf '%s' "$BODY" | python3 -c '
import sys, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
got = {}
for e in d.getElementsByTagName("entry"):
    t = e.getElementsByTagName("title")[0].firstChild.data
    a = [n.getElementsByTagName("name")[0].firstChild.data for n in e.getElementsByTagName("author")]
    got[t] = a
assert got["Hội nghị cán bộ chủ chốt"] == ["MỸ DUNG"], got
assert got["Phường 7 ra mắt tổ dân phố tự quản"] == ["THU HIỀN"], got
assert got["Thông báo"] == [], got
' || fail "atom authors"
	gopher /thoi-su/2024-03-01-hoi-nghi
	printf '%s' "$GOPHER" | grep -q "Tác giả: MỸ DUNG" || fail "gopher byline"
	gopher /thoi-su/2024-03-02-to-dan-pho
	printf '%s' "$GOPHER" | grep -q "Tác giả: THU HIỀN" || fail "gopher txt byline"
}

# A first paragraph that only repeats the date and author goes; one
# that says otherwise stays, but search never shows it as the excerpt.
test_dateline_repeat() {
	setup
	c=$TMP/capsule/thoi-su
	cat >"$c/2023-11-03-hoi-cho.html" <<'EOT'
<html><head><title>Hội chợ hàng Việt cuối năm</title>
<meta name="author" content="NGỌC LAN">
<meta property="article:published_time" content="2023-11-03T07:45:00+07:00"></head>
<body><h1>Hội chợ hàng Việt cuối năm</h1>
<p class="meta">03/11/2023 · NGỌC LAN</p>
<p>Từ ngày 9 đến 12/11, hội chợ hàng Việt mở cửa tại nhà văn hóa quận.</p></body></html>
EOT
	cat >"$c/2020-05-21-chi-bo.html" <<'EOT'
<html><head><title>Chi bộ khu phố 3 đại hội</title>
<meta name="date" content="2020-05-21"></head>
<body><p>21/05/2020 11:15</p>
<p>Sáng 20/5, Chi bộ khu phố 3 tổ chức thành công Đại hội lần thứ V.</p></body></html>
EOT
	start_server
	gem "gemini://localhost/thoi-su/2023-11-03-hoi-cho"
	expect_status 20
	expect_body "Tác giả: NGỌC LAN"
	expect_body "Từ ngày 9 đến 12/11"
	! printf '%s' "$BODY" | grep -q "03/11/2023" || fail "dateline repeated"
	gopher /thoi-su/2023-11-03-hoi-cho
	! printf '%s' "$GOPHER" | grep -q "03/11/2023" || fail "gopher: dateline repeated"
	# the time is more than the metadata says: kept
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo"
	expect_body "21/05/2020 11:15"
	# and neither is an excerpt
	gem "gemini://localhost/search?hoi%20cho%20hang%20viet"
	expect_body "=> /thoi-su/2023-11-03-hoi-cho"
	printf '%s\n' "$BODY" | grep -q "^Từ ngày 9 đến 12/11, hội chợ" || fail "excerpt"
	gem "gemini://localhost/search?chi%20bo%20khu%20pho%203%20dai%20hoi"
	expect_body "=> /thoi-su/2020-05-21-chi-bo"
	! printf '%s' "$BODY" | grep -q "21/05/2020 11:15" || fail "a dateline as excerpt"
	gopher "/search	hoi cho hang viet"
	printf '%s' "$GOPHER" | grep -q "^iTừ ngày 9 đến 12/11" || fail "gopher excerpt"
	! printf '%s' "$GOPHER" | grep -q "03/11/2023" || fail "gopher: dateline as excerpt"
}
