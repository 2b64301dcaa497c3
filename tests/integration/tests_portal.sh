# tests_portal.sh: pages saved from web portals (issue 19): the story
# alone, once titled, on both protocols; the block chosen is logged
# with -v and shown by -p.

# the issue's page: a #wrapper of divs with a top bar, a breadcrumb,
# the story, share, tag, related-news and comment boxes and a footer
test_portal_story_alone() {
	setup
	mkdir -p "$TMP/capsule/kinh-te"
	cp tests/fixtures/convert/portal-wrapper.html "$TMP/capsule/kinh-te/2023-12-04-giai-ngan.html"
	# -v through a wrapper: lib.sh starts "$BANTIN -d -c FILE"
	printf '#!/bin/sh\nexec "%s" -v "$@"\n' "$BANTIN" >"$TMP/bantin-v"
	chmod +x "$TMP/bantin-v"
	BANTIN=$TMP/bantin-v start_server
	art=/kinh-te/2023-12-04-giai-ngan
	gem "gemini://localhost$art"
	expect_status 20
	expect_body "# Quận Bình Lâm giải ngân 95% vốn đầu tư công"
	expect_body "Theo báo cáo của Phòng Tài chính - Kế hoạch"
	expect_body "Công trình trường tiểu học Phường 7 hoàn thành trước tiến độ"
	expect_body "## Những dự án về đích sớm"
	expect_body "MINH KHOA"
	for chrome in "Đăng nhập" "Liên hệ" "Văn hóa" "Chia sẻ" "Từ khóa" "Tin liên quan" "Ý kiến bạn đọc" "Xem nhiều" "Địa chỉ: 12 Lê Lợi" "/tag/"; do
		! printf '%s' "$BODY" | grep -qF -- "$chrome" || fail "kept '$chrome'"
	done
	n=$(printf '%s\n' "$BODY" | grep -c "Quận Bình Lâm giải ngân 95% vốn đầu tư công$")
	[ "$n" = 1 ] || fail "title shown $n times"
	gopher "$art"
	printf '%s' "$GOPHER" | grep -q "^Theo báo cáo của Phòng Tài chính" || fail "gopher: no story"
	! printf '%s' "$GOPHER" | grep -q "Tin liên quan\|Đăng nhập" || fail "gopher: chrome kept"
	expect_log "kinh-te/2023-12-04-giai-ngan.html: the story is div.content-detail and 3 blocks beside it: 819 of 1133 characters"
	"$BANTIN" -c "$TMP/t.ini" -p "$TMP/capsule/kinh-te/2023-12-04-giai-ngan.html" >"$TMP/p" 2>&1 || fail "preview: exit $?"
	grep -qF "block:    div.content-detail and 3 blocks beside it" "$TMP/p" || { cat "$TMP/p"; fail "preview: no block"; }
	# a page with <article> is read as before
	"$BANTIN" -c "$TMP/t.ini" -p tests/fixtures/convert/cms-article.html >"$TMP/p" 2>&1 || fail "preview: exit $?"
	grep -qF "block:    - (its <article> or <main>" "$TMP/p" || { cat "$TMP/p"; fail "preview of an <article> page"; }
}

# links to the old portal: to an article of the tree by its name,
# rewritten; to nothing on the site, text, with one warning
test_portal_no_dead_links() {
	setup
	mkdir -p "$TMP/capsule/kinh-te"
	cp tests/fixtures/convert/portal-wrapper.html "$TMP/capsule/kinh-te/2023-12-04-giai-ngan.html"
	printf 'title: Kế hoạch vốn năm 2024\ndate: 2024-01-05\n\nDự kiến 1.300 tỷ đồng.\n' >"$TMP/capsule/kinh-te/2024-01-05-ke-hoach-von-2024.md"
	start_server
	art=/kinh-te/2023-12-04-giai-ngan
	gem "gemini://localhost$art"
	expect_status 20
	expect_body "=> /kinh-te/2024-01-05-ke-hoach-von-2024 kế hoạch vốn năm 2024"
	expect_body "=> https://mof.gov.vn/quy-dinh quy định của Bộ Tài chính"
	# the picture the tree lacks: its caption, as text
	expect_body "Công trình trường tiểu học Phường 7 hoàn thành trước tiến độ. Ảnh: Minh Khoa"
	! printf '%s\n' "$BODY" | grep -q "^=> /uploads/" || fail "dead picture linked"
	# every link on the page answers
	for p in $(printf '%s\n' "$BODY" | sed -n 's|^=> \(/[^ ]*\).*|\1|p'); do
		gem "gemini://localhost$p"
		case $STATUS in 10|20|31) ;; *) fail "$p answers $STATUS" ;; esac
	done
	gopher "$art"
	printf '%s' "$GOPHER" | grep -q "/kinh-te/2024-01-05-ke-hoach-von-2024" || fail "gopher: link not rewritten"
	expect_log "kinh-te/2023-12-04-giai-ngan.html: links to pages not on the site, shown as text: /uploads/2023/12/cong-trinh.jpg"
	n=$(grep -c "links to pages not on the site" "$TMP/log")
	[ "$n" = 1 ] || fail "$n warnings, want 1"
	# the preview looks the links up in the tree, as the server does
	"$BANTIN" -c "$TMP/t.ini" -p "$TMP/capsule/kinh-te/2023-12-04-giai-ngan.html" >"$TMP/p" 2>&1 || fail "preview: exit $?"
	grep -qF "warning:  kinh-te/2023-12-04-giai-ngan.html: links to pages not on the site, shown as text: /uploads/2023/12/cong-trinh.jpg" "$TMP/p" || { cat "$TMP/p"; fail "preview: no warning"; }
	[ "$(grep -c '^warning:' "$TMP/p")" = 1 ] || { cat "$TMP/p"; fail "preview: other warnings"; }
	grep -qF "=> /kinh-te/2024-01-05-ke-hoach-von-2024 kế hoạch vốn năm 2024" "$TMP/p" || { cat "$TMP/p"; fail "preview: link not rewritten"; }
}
