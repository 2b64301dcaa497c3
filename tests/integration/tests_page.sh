# tests_page.sh: what a reader sees around and between pages (issue 13):
# special files, feeds and text over Gopher.

# robots.txt and favicon.txt are served on both protocols, and listed
# on neither home page
test_special_files_unlisted() {
	setup
	printf 'User-agent: *\nDisallow: /search\n' >"$TMP/capsule/robots.txt"
	printf '\360\237\223\260\n' >"$TMP/capsule/favicon.txt"
	start_server
	gem "gemini://localhost:$GP/"
	expect_status 20
	printf '%s' "$BODY" | grep -q "robots\|favicon" && fail "listed on the home page"
	expect_body "=> /gioi-thieu.gmi Giới thiệu"
	gem "gemini://localhost:$GP/robots.txt"
	expect_status 20 "robots.txt"
	printf '%s' "$HDR" | grep -q "^20 text/plain" || fail "robots.txt type: $HDR"
	expect_body "Disallow: /search"
	gem "gemini://localhost:$GP/favicon.txt"
	expect_status 20 "favicon.txt"
	expect_body "📰"
	out=$(curl -s "gopher://127.0.0.1:$HP/1/")
	printf '%s' "$out" | grep -q "robots\|favicon" && fail "listed in the Gopher menu"
	out=$(curl -s "gopher://127.0.0.1:$HP/0/robots.txt")
	printf '%s' "$out" | grep -q "^Disallow: /search" || fail "robots.txt over Gopher"
	true
}

# a feed over Gopher is the feed, byte for byte (no "." line, no dot
# doubling): an XML parser reads it; menus list it as a download (9)
test_gopher_feed_is_a_download() {
	setup; start_server
	gem "gemini://localhost:$GP/atom.xml"
	expect_status 20
	curl -s "gopher://127.0.0.1:$HP/9/atom.xml" >"$TMP/feed.xml"
	# the Gemini body is the same feed
	printf '%s\n' "$BODY" | cmp -s - "$TMP/feed.xml" ||
		python3 -c 'import sys; a=open(sys.argv[1],"rb").read(); sys.exit(0 if a.rstrip(b"\n")==sys.argv[2].encode().rstrip(b"\n") else 1)' "$TMP/feed.xml" "$BODY" ||
		fail "Gopher feed differs from the Gemini one"
	python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$TMP/feed.xml" || fail "feed is not well-formed XML"
	tail -c 3 "$TMP/feed.xml" | grep -q '^\.' && fail "feed ends with a . line"
	out=$(curl -s "gopher://127.0.0.1:$HP/1/")
	printf '%s' "$out" | grep -q "^9[^	]*	/atom.xml	" || fail "feed not listed as type 9"
	out=$(curl -s "gopher://127.0.0.1:$HP/1/thoi-su/")
	printf '%s' "$out" | grep -q "^9[^	]*	/thoi-su/atom.xml	" || fail "category feed not listed as type 9"
	true
}

# a .txt article whose paragraphs are one indented line each keeps a
# blank line between them in Gopher text (lynx shows the text as sent)
test_gopher_txt_paragraphs() {
	setup
	cat >"$TMP/capsule/thoi-su/2023-01-02-doan-van.txt" <<'EOT'
Chi bộ khu phố 5 hoàn thành đại hội nhiệm kỳ mới với nhiều đổi mới trong công tác

       Đến giữa tháng 5, cả 23 chi bộ trực thuộc Đảng bộ Khối đã tổ chức xong đại hội nhiệm kỳ mới, sớm hơn mười ngày so với kế hoạch đề ra từ đầu năm.
       Ngay từ cuối năm trước, Ban Thường vụ đã phân công từng đồng chí ủy viên phụ trách, theo dõi các chi bộ và tổ chức tập huấn nghiệp vụ.
EOT
	start_server
	curl -s "gopher://127.0.0.1:$HP/0/thoi-su/2023-01-02-doan-van" >"$TMP/g"
	python3 - "$TMP/g" <<'EOT' || fail "no blank line between the paragraphs"
import sys
lines = open(sys.argv[1], encoding="utf-8", newline="").read().split("\r\n")
b = next(i for i, l in enumerate(lines) if l.startswith("Ngay từ cuối"))
assert lines[b - 1] == "" and lines[b - 2].endswith("năm."), lines[b - 3:b + 1]
EOT
	lynx -dump "gopher://127.0.0.1:$HP/0/thoi-su/2023-01-02-doan-van" >"$TMP/lynx" 2>/dev/null
	grep -q "Ngay từ cuối năm trước" "$TMP/lynx" || fail "lynx shows no text"
	true
}

# every article shows what the reference page shows around it: the
# site's visits, the day's archive and search; the numbers are exact
# on every request, cached or not, on both protocols
test_article_furniture() {
	setup; start_server
	a=/thoi-su/2020-05-21-chi-bo-dai-hoi
	gem "gemini://localhost:$GP/"
	expect_body "Số lượt truy cập: 1"
	for n in 2 3 4; do
		gem "gemini://localhost:$GP$a"
		expect_status 20
		expect_body "Số lượt truy cập: $n"
		expect_body "Số lượt người xem: $((n - 1))"
		expect_body "=> /date/2020/05/21/ Xem theo ngày: 21 Tháng Năm 2020"
		expect_body "=> /search Tìm kiếm"
	done
	out=$(curl -s "gopher://127.0.0.1:$HP/0$a")
	printf '%s' "$out" | grep -q "^Số lượt truy cập: 5" || fail "Gopher: site visits"
	printf '%s' "$out" | grep -q "^Số lượt người xem: 4" || fail "Gopher: views"
	printf '%s' "$out" | grep -q "Xem theo ngày: 21 Tháng Năm 2020" || fail "Gopher: archive link"
	printf '%s' "$out" | grep -q "gopher://localhost:$HP/1/date/2020/05/21/" || fail "Gopher: archive link target"
	printf '%s' "$out" | grep -q "gopher://localhost:$HP/7/search" || fail "Gopher: search link"
	gem "gemini://localhost:$GP/date/2020/05/21/"
	expect_status 20 "the day's archive"
	expect_body "Chi bộ hoàn thành Đại hội"
	# the labels come from the label table: a [labels] override shows
	gen_config "[labels]
archive = Theo ngày"
	kill -HUP "$PID"
	i=0
	while [ $i -lt 100 ]; do
		gem "gemini://localhost:$GP$a"
		printf '%s' "$BODY" | grep -qF "=> /date/2020/05/21/ Theo ngày: 21" && break
		sleep 0.1; i=$((i + 1))
	done
	expect_body "=> /date/2020/05/21/ Theo ngày: 21 Tháng Năm 2020"
}

# bantin -p: what the site makes of one file, before it is published;
# exit 1 when it would be skipped; nothing left behind
test_preview_article() {
	setup "$(printf '[site]\ntimezone = Asia/Ho_Chi_Minh')"
	mkdir -p "$TMP/scratch"
	TMPDIR=$TMP/scratch "$BANTIN" -c "$TMP/t.ini" -p "$TMP/capsule/thoi-su/2020-05-21-chi-bo-dai-hoi.md" >"$TMP/p" 2>&1 ||
		fail "good article: exit $?"
	for want in "file:     thoi-su/2020-05-21-chi-bo-dai-hoi.md" \
	    "path:     /thoi-su/2020-05-21-chi-bo-dai-hoi" \
	    "title:    Chi bộ hoàn thành Đại hội" \
	    "date:     2020-05-21 11:15 +07:00 (Asia/Ho_Chi_Minh)" \
	    "author:   MỸ DUNG" "lang:     vi" "--- gemtext ---" \
	    "## Đảm bảo đúng yêu cầu"; do
		grep -qF -- "$want" "$TMP/p" || { cat "$TMP/p"; fail "preview lacks '$want'"; }
	done
	grep -q "^warning:" "$TMP/p" && fail "warnings for a good article"
	# a file outside the tree, with a bad date: the warning names the
	# file and the line, and the exit status says it would be skipped
	printf 'title: Sai ngày\ndate: 2020-13-45\n\nNội dung.\n' >"$TMP/sai.md"
	rc=0
	TMPDIR=$TMP/scratch "$BANTIN" -c "$TMP/t.ini" -p "$TMP/sai.md" >"$TMP/p" 2>&1 || rc=$?
	[ "$rc" = 1 ] || { cat "$TMP/p"; fail "bad article: exit $rc, want 1"; }
	grep -qF "warning:  preview/sai.md:2: bad date '2020-13-45'" "$TMP/p" || { cat "$TMP/p"; fail "no warning with file and line"; }
	grep -q "^skipped" "$TMP/p" || fail "not said skipped"
	# no file: exit 2, an error on stderr
	rc=0
	"$BANTIN" -c "$TMP/t.ini" -p "$TMP/khong-co.md" >"$TMP/p" 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "missing file: exit $rc, want 2"
	[ -z "$(ls -A "$TMP/scratch")" ] || fail "preview left $(ls "$TMP/scratch")"
}
