# tests_tags.sh: tags (issue 13, item 2): the article's tag links, the
# pages /tags/ and /tags/<tag>/ on both protocols, Atom categories,
# search by a tag's words, labels, and tags that change while serving.

# tagged_capsule: three articles that share the tag "Đại hội", written
# three ways (two of them "Đại hội"), one of them in HTML keywords, and
# a folder named tags, which is the site's
tagged_capsule() {
	c=$TMP/capsule
	printf 'title: Họp dân phố\ndate: 2023-03-01\ntags: Đại hội, Phường Tân Định\n\nNội dung họp dân.\n' >"$c/thoi-su/2023-03-01-hop-dan.md"
	printf '<html><head><title>Tin kinh tế</title><meta name="keywords" content="đại hội, Kinh tế"></head><body><p>Chợ mở cửa.</p></body></html>\n' >"$c/thoi-su/2023-03-02-kinh-te.html"
	printf 'title: Giải chạy\ndate: 2023-03-03\ntags: [Đại hội, "thể thao"]\n\nGiải chạy sáng nay.\n' >"$c/the-thao/2023-03-03-giai-chay.gmi"
	mkdir -p "$c/tags"
	printf '# Không phải trang thẻ\n' >"$c/tags/x.gmi"
}

test_tags_gemini() {
	setup; tagged_capsule; start_server
	expect_log "tags: reserved name, skipped"
	gem "gemini://localhost/tags/"
	expect_status 20; expect_body "# Thẻ"
	expect_body "=> /tags/dai-hoi/ Đại hội (3 bài)"
	expect_body "=> /tags/the-thao/ thể thao (1 bài)"
	expect_body "=> /tags/kinh-te/ Kinh tế (1 bài)"
	gem "gemini://localhost/tags"
	[ "$HDR" = "31 /tags/" ] || fail "/tags: $HDR"
	gem "gemini://localhost/tags/dai-hoi/"
	expect_status 20; expect_body "# Thẻ: Đại hội"
	expect_body "3 bài"
	# newest first
	printf '%s\n' "$BODY" | grep '^=> /[a-z-]*/2023' | cut -d' ' -f2 >"$TMP/order"
	printf '/the-thao/2023-03-03-giai-chay\n/thoi-su/2023-03-02-kinh-te\n/thoi-su/2023-03-01-hop-dan\n' | cmp -s - "$TMP/order" || fail "order: $(cat "$TMP/order")"
	# the tag as written, its slug's page
	gem "gemini://localhost/tags/%C4%90%E1%BA%A1i%20h%E1%BB%99i/"
	[ "$HDR" = "31 /tags/dai-hoi/" ] || fail "spelled tag: $HDR"
	gem "gemini://localhost/tags/dai-hoi"
	[ "$HDR" = "31 /tags/dai-hoi/" ] || fail "no slash: $HDR"
	gem "gemini://localhost/tags/khong-co/"
	expect_status 51
	gem "gemini://localhost/tags/x.gmi"
	expect_status 51 "the folder named tags is not served"
	# the article lists its tags; the home page links to /tags/
	gem "gemini://localhost/thoi-su/2023-03-01-hop-dan"
	expect_body "Thẻ:"
	expect_body "=> /tags/dai-hoi/ Đại hội"
	expect_body "=> /tags/phuong-tan-dinh/ Phường Tân Định"
	gem "gemini://localhost/thoi-su/2023-03-02-kinh-te"
	expect_body "=> /tags/kinh-te/ Kinh tế"
	gem "gemini://localhost/"
	expect_body "=> /tags/ Thẻ"
}

test_tags_paging() {
	setup
	for i in $(seq -w 1 12); do
		printf 'title: Tin nhanh %s\ndate: 2019-02-%s\ntags: Tin nhanh\n\nTin %s.\n' "$i" "$i" "$i" >"$TMP/capsule/the-thao/2019-02-$i-tin-$i.md"
	done
	start_server
	gem "gemini://localhost/tags/tin-nhanh/"
	expect_status 20
	expect_body "12 bài · Trang 1/2"
	expect_body "=> /the-thao/2019-02-12-tin-12 2019-02-12 Tin nhanh 12"
	expect_body "=> /tags/tin-nhanh/page/2/ Trang sau"
	printf '%s' "$BODY" | grep -q "2019-02-02-tin-02" && fail "page 1 too long"
	gem "gemini://localhost/tags/tin-nhanh/page/2/"
	expect_status 20
	expect_body "12 bài · Trang 2/2"
	expect_body "=> /the-thao/2019-02-01-tin-01 2019-02-01 Tin nhanh 01"
	expect_body "=> /tags/tin-nhanh/ Trang trước"
	gem "gemini://localhost/tags/tin-nhanh/page/2"
	[ "$HDR" = "31 /tags/tin-nhanh/page/2/" ] || fail "page 2: $HDR"
	gem "gemini://localhost/tags/tin-nhanh/page/1/"
	[ "$HDR" = "31 /tags/tin-nhanh/" ] || fail "page 1: $HDR"
	gem "gemini://localhost/tags/tin-nhanh/page/3/"
	expect_status 51
	gopher /tags/tin-nhanh/page/2/
	printf '%s' "$GOPHER" | grep -q "^0Tin nhanh 01\|^02019-02-01 Tin nhanh 01	/the-thao/2019-02-01-tin-01	" || fail "gopher page 2"
}

test_tags_gopher() {
	setup; tagged_capsule; start_server
	# menus with the right item types: tags are menus, articles text
	curl -s "gopher://127.0.0.1:$HP/1/tags/" >"$TMP/g"
	menu_ok "$TMP/g"
	grep -q "^1Đại hội (3 bài)	/tags/dai-hoi/	localhost	$HP" "$TMP/g" || fail "no tag item"
	curl -s "gopher://127.0.0.1:$HP/1/tags/dai-hoi/" >"$TMP/g"
	menu_ok "$TMP/g"
	grep -q "^iThẻ: Đại hội	" "$TMP/g" || fail "no heading"
	grep -q "^02023-03-03 Giải chạy	/the-thao/2023-03-03-giai-chay	localhost	$HP" "$TMP/g" || fail "no article item"
	grep -q "^1Thẻ	/tags/	localhost	$HP" "$TMP/g" || fail "no link to /tags/"
	# the home menu links to /tags/, the article's text to its tags
	curl -s "gopher://127.0.0.1:$HP/1/" | grep -q "^1Thẻ	/tags/	" || fail "home: no /tags/"
	out=$(curl -s "gopher://127.0.0.1:$HP/0/thoi-su/2023-03-01-hop-dan")
	printf '%s' "$out" | grep -q "^Thẻ:" || fail "article: no tags"
	printf '%s' "$out" | grep -q "gopher://localhost:$HP/1/tags/dai-hoi/" || fail "article: no tag link"
	out=$(lynx -dump "gopher://127.0.0.1:$HP/1/tags/" 2>&1)
	printf '%s' "$out" | grep -q "(DIR) \[[0-9]*\]Đại hội (3 bài)" || fail "lynx /tags/: $out"
	out=$(lynx -dump "gopher://127.0.0.1:$HP/1/tags/dai-hoi/" 2>&1)
	printf '%s' "$out" | grep -q "(FILE) \[[0-9]*\]2023-03-01 Họp dân phố" || fail "lynx tag page: $out"
	out=$(lynx -dump "gopher://127.0.0.1:$HP/0/thoi-su/2023-03-01-hop-dan" 2>&1)
	printf '%s' "$out" | grep -q "Phường Tân Định" || fail "lynx article"
	curl -s "gopher://127.0.0.1:$HP/1/tags/khong-co/" | grep -q "^3" || fail "no error for an unknown tag"
}

test_tags_atom() {
	setup; tagged_capsule; start_server
	gem "gemini://localhost/atom.xml"
	printf '%s' "$BODY" | python3 -c '
import sys, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
for e in d.getElementsByTagName("entry"):
    if e.getElementsByTagName("id")[0].firstChild.data.endswith("/2023-03-01-hop-dan"):
        cats = [(c.getAttribute("term"), c.getAttribute("label"),
            c.getAttribute("scheme")) for c in e.getElementsByTagName("category")]
        assert cats == [("dai-hoi", "Đại hội", "gemini://localhost/tags/"),
            ("phuong-tan-dinh", "Phường Tân Định",
            "gemini://localhost/tags/")], cats
        break
else:
    raise SystemExit("no entry")
' || fail "atom categories"
	gem "gemini://localhost/thoi-su/atom.xml"
	expect_body '<category term="kinh-te" label="Kinh tế"'
}

test_tags_search() {
	setup; tagged_capsule; start_server
	# "Tân Định" is only in a tag
	gem "gemini://localhost/search?tan%20dinh"
	expect_status 20
	expect_body "=> /thoi-su/2023-03-01-hop-dan 2023-03-01 Họp dân phố"
	expect_body "Nội dung họp dân."
	gem "gemini://localhost/search?%22the%20thao%22"
	expect_body "=> /the-thao/2023-03-03-giai-chay"
	gopher "/search	tan dinh"
	printf '%s' "$GOPHER" | grep -q "	/thoi-su/2023-03-01-hop-dan	" || fail "gopher search"
}

test_tags_labels() {
	setup "[labels]
tags = Từ khóa
tag = Chủ đề"
	tagged_capsule; start_server
	gem "gemini://localhost/tags/"
	expect_body "# Từ khóa"
	gem "gemini://localhost/tags/dai-hoi/"
	expect_body "# Chủ đề: Đại hội"
	expect_body "=> /tags/ Từ khóa"
	gem "gemini://localhost/thoi-su/2023-03-01-hop-dan"
	expect_body "Từ khóa:"
}

test_tags_live() {
	RESCAN=1 setup; tagged_capsule; start_server
	gem "gemini://localhost/tags/"
	expect_body "=> /tags/dai-hoi/ Đại hội (3 bài)"
	# a changed article: its new tag appears, the page kept by the
	# worker for the last snapshot is not served again
	sleep 1.1
	printf 'title: Họp dân phố\ndate: 2023-03-01\ntags: Chỉnh trang hẻm\n\nNội dung họp dân.\n' >"$TMP/capsule/thoi-su/2023-03-01-hop-dan.md"
	i=0
	while [ $i -lt 50 ]; do
		gem "gemini://localhost/tags/"
		printf '%s' "$BODY" | grep -q "chinh-trang-hem" && break
		sleep 0.2; i=$((i + 1))
	done
	expect_body "=> /tags/chinh-trang-hem/ Chỉnh trang hẻm (1 bài)"
	expect_body "=> /tags/dai-hoi/ Đại hội (2 bài)"
	gem "gemini://localhost/tags/phuong-tan-dinh/"
	expect_status 51 "a tag no article has now"
	gem "gemini://localhost/search?chinh%20trang%20hem"
	expect_body "=> /thoi-su/2023-03-01-hop-dan"
	gopher /tags/
	printf '%s' "$GOPHER" | grep -q "^1Chỉnh trang hẻm (1 bài)	/tags/chinh-trang-hem/	" || fail "gopher after the change"
}
