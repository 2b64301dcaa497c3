# tests_import.sh: bantin -I (issue 19): an old portal's saved pages
# (as wget --mirror leaves them: make_mirror) become a site
# that both protocols serve, with the right categories, dates and
# authors; a second import adds nothing.

# make_mirror DIR: tests/fixtures/mirror, and the converter's portal
# pages at the addresses they had on the portal
make_mirror() {
	cp -r tests/fixtures/mirror/phuong7.example.vn "$1"
	F=tests/fixtures/convert
	mkdir -p "$1/tin-tuc/tabid/55/ItemID/1042" "$1/the-thao/2012/10/hoi-thi-nau-an" "$1/thong-bao"
	# the issue's page, linking to another article and a document of
	# the portal (once by its full address), and its printable copy
	sed -e 's|<a href="/kinh-te/ke-hoach-von-2024">kế hoạch vốn năm 2024</a>|<a href="http://www.phuong7.example.vn/kinh-te/thu-ngan-sach.html">báo cáo thu ngân sách</a>, <a href="../uploads/van-ban/ke-hoach-von.pdf">kế hoạch vốn năm 2024</a>|' \
	    -e 's|<link rel="stylesheet" href="/css/style.css">|<link rel="canonical" href="http://phuong7.example.vn/kinh-te/giai-ngan-von.html">|' \
	    $F/portal-wrapper.html >"$1/kinh-te/giai-ngan-von.html"
	cp "$1/kinh-te/giai-ngan-von.html" "$1/kinh-te/giai-ngan-von.html?print=1"
	cp $F/portal-aspnet.html "$1/tin-tuc/tabid/55/ItemID/1042/Default.aspx"
	sed 's|http://hoiphunu-p9.example.vn/wp-content/uploads/2012/10/hoi-thi-300x200.jpg|/uploads/2023/12/cong-trinh.jpg|' \
	    $F/portal-blog.html >"$1/the-thao/2012/10/hoi-thi-nau-an/index.html"
	cp $F/portal-nodecl-1258.html "$1/thong-bao/tiem-phong.htm"
}

test_import_mirror() {
	# the portal's newsroom zone: its pages' +07:00 times read as written
	setup "$(printf '[site]\ntimezone = Asia/Ho_Chi_Minh')"
	make_mirror "$TMP/mirror"
	"$BANTIN" -c "$TMP/t.ini" -I "$TMP/mirror" >"$TMP/imp" 2>&1 || { cat "$TMP/imp"; fail "import: exit $?"; }
	for want in "imported 5, skipped 5" \
	    "skipped index.html: the home page" \
	    "skipped dang-nhap.html: a login page" \
	    "skipped tim-kiem.html?q=ngan+sach: a search page" \
	    "skipped kinh-te/giai-ngan-von.html?print=1: the same article as kinh-te/giai-ngan-von.html" \
	    "skipped kinh-te/index.html: no story found" \
	    "imported kinh-te/2023-12-04-quan-binh-lam-giai-ngan-95-von-dau-tu-cong.html (from kinh-te/giai-ngan-von.html, 2 files)"; do
		grep -qF -- "$want" "$TMP/imp" || { cat "$TMP/imp"; fail "report lacks '$want'"; }
	done
	# the last lines: the count, then each page skipped and why
	[ "$(sed -n '/^imported [0-9]*, skipped/,$p' "$TMP/imp" | wc -l)" = 6 ] || { cat "$TMP/imp"; fail "report's end"; }
	[ -z "$(find "$TMP/capsule" -name '.import*')" ] || fail "temporary files left"
	start_server
	gem "gemini://localhost/"
	expect_status 20
	expect_body "=> /kinh-te/ Kinh tế (2 bài)"
	expect_body "=> /tin-tuc/ Tin tức - Sự kiện (1 bài)"
	expect_body "=> /hoat-dong/ Hoạt động (1 bài)"
	expect_body "=> /thoi-su/ Thời sự"
	gem "gemini://localhost/kinh-te/"
	expect_body "=> /kinh-te/2023-12-04-quan-binh-lam-giai-ngan-95-von-dau-tu-cong 2023-12-04 Quận Bình Lâm giải ngân 95% vốn đầu tư công"
	expect_body "=> /kinh-te/2023-11-20-quan-thu-ngan-sach-dat-102-du-toan 2023-11-20 Quận thu ngân sách đạt 102% dự toán"
	art=/kinh-te/2023-12-04-quan-binh-lam-giai-ngan-95-von-dau-tu-cong
	gem "gemini://localhost$art"
	expect_status 20
	expect_body "4 Tháng Mười Hai 2023 08:30 · Tác giả: Minh Khoa"
	expect_body "=> /kinh-te/anh/2023-12-04-quan-binh-lam-giai-ngan-95-von-dau-tu-cong/cong-trinh.jpg Công trình trường tiểu học Phường 7"
	expect_body "=> /kinh-te/2023-11-20-quan-thu-ngan-sach-dat-102-du-toan báo cáo thu ngân sách"
	! printf '%s' "$BODY" | grep -q "Tin liên quan\|Đăng nhập\|Ý kiến bạn đọc" || fail "chrome kept"
	gem "gemini://localhost/kinh-te/anh/2023-12-04-quan-binh-lam-giai-ngan-95-von-dau-tu-cong/ke-hoach-von.pdf"
	expect_status 20 "the document"
	gem "gemini://localhost/kinh-te/2023-11-20-quan-thu-ngan-sach-dat-102-du-toan"
	expect_body "20 Tháng Mười Một 2023 15:45 · Tác giả: Thu Hà"
	gem "gemini://localhost/tin-tuc/2023-03-12-ra-quan-tong-ve-sinh-moi-truong"
	expect_status 20
	expect_body "Hưởng ứng phong trào “Ngày Chủ nhật xanh”"
	gem "gemini://localhost/thong-bao/2005-04-17-thong-bao-lich-tiem-phong-dai-cho-cho-meo"
	expect_body "Thực hiện kế hoạch của Trạm Thú y quận"
	gem "gemini://localhost/date/2023/11/20/"
	expect_body "Quận thu ngân sách đạt 102% dự toán"
	gem "gemini://localhost/search?giai%20ngan"
	expect_body "=> $art"
	gopher /kinh-te/
	printf '%s' "$GOPHER" | grep -q "^0[^	]*Quận Bình Lâm giải ngân 95%[^	]*	$art	" || fail "gopher: not in the category"
	gopher "$art"
	printf '%s' "$GOPHER" | grep -q "^Theo báo cáo của Phòng Tài chính" || fail "gopher: no story"
	lynx -dump "gopher://127.0.0.1:$HP/1/kinh-te/" >"$TMP/lynx" 2>&1
	grep -q "Quận thu ngân sách đạt 102% dự toán" "$TMP/lynx" || { cat "$TMP/lynx"; fail "lynx"; }
	# again, while it serves: nothing twice
	"$BANTIN" -c "$TMP/t.ini" -I "$TMP/mirror" >"$TMP/imp" 2>&1 || fail "second import: exit $?"
	grep -qF "imported 0, skipped 10" "$TMP/imp" || { cat "$TMP/imp"; fail "second import imported"; }
	grep -qF "skipped kinh-te/thu-ngan-sach.html: already imported as kinh-te/2023-11-20-quan-thu-ngan-sach-dat-102-du-toan.html" "$TMP/imp" || fail "not said already imported"
	[ "$(find "$TMP/capsule" -name '*.html' | wc -l)" = 5 ] || fail "files: $(find "$TMP/capsule" -name '*.html')"
	alive
}

# a folder that is not there, a tree that is not there
test_import_bad_folders() {
	setup
	rc=0
	"$BANTIN" -c "$TMP/t.ini" -I "$TMP/khong-co" >"$TMP/imp" 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "no mirror: exit $rc"
	grep -q "khong-co: No such file" "$TMP/imp" || { cat "$TMP/imp"; fail "no mirror: message"; }
}
