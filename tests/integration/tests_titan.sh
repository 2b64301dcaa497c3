# tests_titan.sh: publishing over Titan (titan://host/path;size=N;...,
# then N bytes) with client certificates: uploads in Markdown, gemtext
# and HTML, a replacement and a removal, a file, the publish page, and
# every refusal; an upload cut short or timed out leaves nothing, and
# concurrent uploads to one article leave one whole version. Clients:
# tests/integration/titan.py (python3's ssl) and openssl s_client.
# Debian packages no Titan client of its own (no gmid, no Lagrange in
# bookworm): s_client sends the request line and body as they are.

TITAN="$PYTHON $HERE/titan.py"

# author_cert NAME: a self-signed client certificate, as Lagrange or
# `openssl req -x509` makes one: $TMP/NAME.pem and $TMP/NAME.key
author_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 30 -subj "/CN=$1" -keyout "$TMP/$1.key" \
	    -out "$TMP/$1.pem" 2>/dev/null
}

# fingerprint NAME: the SHA-256 fingerprint openssl prints, "AB:CD:..."
fingerprint() {
	openssl x509 -in "$TMP/$1.pem" -noout -fingerprint -sha256 | cut -d= -f2
}

# expired_cert NAME: a certificate valid in January 2020 only
expired_cert() {
	_ca=$TMP/ca; mkdir -p "$_ca"; : >"$_ca/index.txt"; echo 01 >"$_ca/serial"
	printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s/index.txt\nnew_certs_dir = %s\nserial = %s/serial\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n' \
	    "$_ca" "$_ca" "$_ca" >"$_ca/ca.cnf"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -subj "/CN=$1" -keyout "$TMP/$1.key" -out "$_ca/$1.csr" 2>/dev/null
	openssl ca -config "$_ca/ca.cnf" -selfsign -keyfile "$TMP/$1.key" \
	    -in "$_ca/$1.csr" -out "$TMP/$1.pem" -startdate 20200101000000Z \
	    -enddate 20200201000000Z -batch >/dev/null 2>&1
}

# titan_setup [extra ini]: a server with Titan on; authors "dung" (thoi-su,
# quoted name), "all" (*), a stranger's and an expired certificate
titan_setup() {
	setup "[titan]
enabled = yes
authors = \$TMP/authors
$1"
	sed -i "s|\\\$TMP|$TMP|" "$TMP/t.ini"
	author_cert dung; author_cert all; author_cert stranger; expired_cert old
	cat >"$TMP/authors" <<EOT
# the newsroom's authors
$(fingerprint dung) "Mỹ Dung" thoi-su
$(fingerprint all | tr 'A-F' 'a-f' | tr -d :) Admin *
$(fingerprint old) Old thoi-su
EOT
}

# up CERT URL [FILE] [titan.py options]: an upload; HDR and STATUS
up() {
	_c=$1 _u=$2; shift 2
	if [ "$_c" = - ]; then
		$TITAN "$@" "$GP" "$_u" >"$TMP/resp" 2>"$TMP/resp.err"
	else
		$TITAN --cert "$TMP/$_c.pem" --key "$TMP/$_c.key" "$@" "$GP" "$_u" \
		    >"$TMP/resp" 2>"$TMP/resp.err"
	fi
	HDR=$(head -n 1 "$TMP/resp" | tr -d '\r')
	BODY=$(tail -n +2 "$TMP/resp")
	STATUS=$(printf '%s' "$HDR" | cut -c1-2)
}

# upfile CERT PATH FILE [options]: up to titan://localhost:PORT/PATH
upfile() {
	_c=$1 _p=$2 _f=$3; shift 3
	up "$_c" "titan://localhost:$GP/$_p" --file "$_f" "$@"
}

# expect_hdr TEXT: the reply's header is exactly TEXT
expect_hdr() {
	[ "$HDR" = "$1" ] || fail "header '$HDR', want '$1'"
}

# gopher_has TEXT SELECTOR
gopher_has() {
	gopher "$2"; printf '%s' "$GOPHER" | grep -qF -- "$1"
}

articles() {
	printf 'title: Họp tổ dân phố số 9\ndate: 2026-01-02 09:00\n\nBà con bàn việc làm đường hẻm Bạch Tuyết.\n' >"$TMP/a.md"
	printf '# Thông báo cắt nước\n\nKhu phố 3 tạm ngưng cấp nước để sửa ống Ngọc Hân.\n' >"$TMP/b.gmi"
	printf '<html><head><title>Hội chợ xuân</title><meta name="date" content="2026-01-04"></head><body><article><h1>Hội chợ xuân</h1><p>Hội chợ mở cửa ở công viên Hoàng Lan, có nhiều gian hàng.</p></article></body></html>\n' >"$TMP/c.html"
}

test_titan_publish() {
	titan_setup; articles; start_server
	# Markdown, by its MIME type; the author's name goes in its header
	upfile dung thoi-su/2026-01-02-hop-to-dan-pho "$TMP/a.md" --mime text/markdown
	expect_hdr "30 gemini://localhost:$GP/thoi-su/2026-01-02-hop-to-dan-pho"
	grep -qx 'author: Mỹ Dung' "$TMP/capsule/thoi-su/2026-01-02-hop-to-dan-pho.md" ||
		fail "no author line: $(head -3 "$TMP/capsule/thoi-su/2026-01-02-hop-to-dan-pho.md")"
	# gemtext: the spec's default type
	upfile dung thoi-su/2026-01-03-cat-nuoc "$TMP/b.gmi"
	expect_hdr "30 gemini://localhost:$GP/thoi-su/2026-01-03-cat-nuoc"
	[ -f "$TMP/capsule/thoi-su/2026-01-03-cat-nuoc.gmi" ] || fail "no .gmi"
	# HTML, by its extension, anywhere (*)
	upfile all the-thao/2026-01-04-hoi-cho.html "$TMP/c.html" --mime text/html
	expect_hdr "30 gemini://localhost:$GP/the-thao/2026-01-04-hoi-cho"
	grep -q '<meta name="author" content="Admin">' "$TMP/capsule/the-thao/2026-01-04-hoi-cho.html" ||
		fail "no author meta"
	# live over both protocols: page, category, date archive, search, feeds
	wait_for 20 body_has "Bà con bàn việc làm đường hẻm" "gemini://localhost/thoi-su/2026-01-02-hop-to-dan-pho" ||
		fail "article: $HDR"
	expect_body "Mỹ Dung"
	wait_for 20 body_has "Thông báo cắt nước" "gemini://localhost/thoi-su/" || fail "category"
	wait_for 20 body_has "Hội chợ xuân" "gemini://localhost/date/2026/01/04/" || fail "date archive"
	wait_for 20 body_has "2026-01-02-hop-to-dan-pho" "gemini://localhost/search?B%E1%BA%A1ch%20Tuy%E1%BA%BFt" ||
		fail "search: $BODY"
	wait_for 20 body_has "Thông báo cắt nước" "gemini://localhost/atom.xml" || fail "feed"
	wait_for 20 body_has "Hội chợ xuân" "gemini://localhost/the-thao/atom.xml" || fail "category feed"
	wait_for 20 gopher_has "Bà con bàn việc làm" "/thoi-su/2026-01-02-hop-to-dan-pho" || fail "gopher article"
	wait_for 20 gopher_has "Hội chợ xuân" "/the-thao/" || fail "gopher category"
	wait_for 20 gopher_has "Thông báo cắt nước" "/date/2026/01/03/" || fail "gopher date"
	wait_for 20 gopher_has "cat-nuoc" "$(printf '/search\tNg%sc H%sn' ọ â)" || fail "gopher search"
	# replaced: the new text is served, the old one kept hidden
	printf 'title: Họp tổ dân phố số 9 (bổ sung)\ndate: 2026-01-02 09:00\nauthor: Ban biên tập\n\nBà con thống nhất làm đường trong tháng Hai.\n' >"$TMP/a2.md"
	upfile dung thoi-su/2026-01-02-hop-to-dan-pho.md "$TMP/a2.md"
	expect_status 30
	wait_for 20 body_has "thống nhất làm đường" "gemini://localhost/thoi-su/2026-01-02-hop-to-dan-pho" || fail "replaced"
	expect_body "Ban biên tập"
	grep -q 'Bạch Tuyết' "$TMP/capsule/thoi-su/.2026-01-02-hop-to-dan-pho.md.1" || fail "no backup"
	gem "gemini://localhost/thoi-su/.2026-01-02-hop-to-dan-pho.md.1"
	expect_status 51
	# another format for the same article: one source stays
	upfile dung thoi-su/2026-01-03-cat-nuoc "$TMP/a.md" --mime text/markdown
	expect_status 30
	[ -f "$TMP/capsule/thoi-su/2026-01-03-cat-nuoc.md" ] && [ ! -f "$TMP/capsule/thoi-su/2026-01-03-cat-nuoc.gmi" ] &&
		[ -f "$TMP/capsule/thoi-su/.2026-01-03-cat-nuoc.gmi.1" ] || fail "two sources: $(ls -a "$TMP/capsule/thoi-su")"
	# removed (size=0): gone from the site, kept for undo
	upfile all the-thao/2026-01-04-hoi-cho /dev/null
	expect_hdr "30 gemini://localhost:$GP/the-thao/"
	gem "gemini://localhost/the-thao/2026-01-04-hoi-cho"
	expect_status 51
	[ -f "$TMP/capsule/the-thao/.2026-01-04-hoi-cho.html.1" ] || fail "removed: no backup"
	wait_for 20 gopher_has "3" "/the-thao/2026-01-04-hoi-cho" || fail "gopher still has it"
	upfile all the-thao/2026-01-04-hoi-cho /dev/null
	expect_status 51
	# a file, in a folder made for it
	printf '%%PDF-1.4\n' >"$TMP/k.pdf"
	upfile dung thoi-su/tai-lieu/2026/ke-hoach.pdf "$TMP/k.pdf"
	expect_hdr "30 gemini://localhost:$GP/thoi-su/tai-lieu/2026/ke-hoach.pdf"
	gem "gemini://localhost/thoi-su/tai-lieu/2026/ke-hoach.pdf"
	expect_hdr "20 application/pdf"
	# openssl s_client as the client: the line, then the bytes
	n=$(wc -c <"$TMP/b.gmi")
	{ printf 'titan://localhost:%s/thoi-su/2026-01-05-ossl;mime=text/gemini;size=%s\r\n' "$GP" "$n"
	  cat "$TMP/b.gmi"; } | openssl s_client -quiet -connect "127.0.0.1:$GP" \
	    -servername localhost -cert "$TMP/dung.pem" -key "$TMP/dung.key" \
	    2>/dev/null >"$TMP/ossl"
	head -n 1 "$TMP/ossl" | tr -d '\r' | grep -qx "30 gemini://localhost:$GP/thoi-su/2026-01-05-ossl" ||
		fail "s_client: $(cat "$TMP/ossl")"
	# a resumed TLS 1.3 session still carries the certificate
	upfile dung thoi-su/2026-01-06-resumed "$TMP/b.gmi" --resume
	grep -qx resumed "$TMP/resp" || fail "not resumed: $(cat "$TMP/resp")"
	grep -q "^30 gemini://localhost:$GP/thoi-su/2026-01-06-resumed" "$TMP/resp" ||
		fail "resumed upload: $(cat "$TMP/resp")"
	# the publish page: the author's categories and titan:// links
	up dung "gemini://localhost:$GP/publish"
	expect_hdr "20 text/gemini; charset=utf-8; lang=vi"
	expect_body "# Đăng bài"; expect_body "Đăng nhập với tên Mỹ Dung."
	expect_body "Tải lên một tệp rỗng để gỡ bài"
	expect_body "=> titan://localhost:$GP/thoi-su/2026-01-02-hop-to-dan-pho Thay bài 2026-01-02 Họp tổ dân phố số 9 (bổ sung)"
	printf '%s' "$BODY" | grep -qx "=> titan://localhost:$GP/thoi-su/20[0-9-]*-bai-moi Bài mới" ||
		fail "no new article's link: $BODY"
	expect_body "## Thời sự (/thoi-su/)"
	printf '%s' "$BODY" | grep -q 'Signed in\|Replace\|New article' && fail "English: $BODY"
	printf '%s' "$BODY" | grep -q 'the-thao' && fail "another author's category"
	up all "gemini://localhost:$GP/publish"
	expect_body "## Thể thao (/the-thao/)"; expect_body "## Bóng đá (/the-thao/bong-da/)"
	up - "gemini://localhost:$GP/publish"
	expect_status 60
	up stranger "gemini://localhost:$GP/publish"
	expect_status 61
	gopher "/publish"
	printf '%s' "$GOPHER" | grep -q '^3' || fail "gopher /publish: $GOPHER"
	# the scan's warnings: the author is sent to the page that shows them
	printf 'title: Hẹn gặp\ndate: 2026-01-07\nlang: vi_VN!\n\nNgôn ngữ viết sai.\n' >"$TMP/w.md"
	upfile dung thoi-su/2026-01-07-hen "$TMP/w.md" --mime text/markdown
	expect_hdr "30 gemini://localhost:$GP/publish?/thoi-su/2026-01-07-hen"
	up dung "gemini://localhost:$GP/publish?/thoi-su/2026-01-07-hen"
	expect_body "thoi-su/2026-01-07-hen.md: lang 'vi_VN!' is not a language tag"
	expect_body "=> gemini://localhost:$GP/thoi-su/2026-01-07-hen Đã đăng: Hẹn gặp"
	expect_body "Cảnh báo:"
	expect_body "=> gemini://localhost:$GP/ Trang chủ"
	up dung "gemini://localhost:$GP/publish?/thoi-su/khong-co"
	expect_body "Không có trên trang."
	alive
	expect_log "titan: Mỹ Dung published /thoi-su/2026-01-02-hop-to-dan-pho"
	stop_server || fail "exit status"
}

# The publish page of an English site, and a [labels] override
test_titan_publish_en() {
	titan_setup "[labels]
replace = Rewrite"
	sed -i 's/^lang = vi$/lang = en/' "$TMP/t.ini"
	start_server
	up dung "gemini://localhost:$GP/publish"
	expect_hdr "20 text/gemini; charset=utf-8; lang=en"
	expect_body "# Publish"; expect_body "Signed in as Mỹ Dung."
	expect_body "Upload an empty file to remove an article."
	printf '%s' "$BODY" | grep -qx "=> titan://localhost:$GP/thoi-su/20[0-9-]*-new-article New article" ||
		fail "no new article's link: $BODY"
	expect_body " Rewrite "
	printf '%s' "$BODY" | grep -q 'Đăng\|Replace' && fail "not English: $BODY"
	up dung "gemini://localhost:$GP/publish?/thoi-su/nowhere"
	expect_body "Not on the site."
	expect_body "=> gemini://localhost:$GP/ Home"
	printf '%s' "$BODY" | grep -q 'Warnings' && fail "warnings: $BODY"
	stop_server || fail "exit status"
}

# nothing_written: the tree has only what make_capsule and the test put
nothing_written() {
	[ -z "$(find "$TMP/capsule" -newer "$TMP/authors" -type f)" ] ||
		fail "written: $(find "$TMP/capsule" -newer "$TMP/authors" -type f)"
}

test_titan_refusals() {
	titan_setup "token = s3cr3t"; articles; start_server
	U=thoi-su/2026-01-02-x
	upfile - "$U" "$TMP/a.md" --token s3cr3t
	expect_status 60
	upfile stranger "$U" "$TMP/a.md" --token s3cr3t
	expect_status 61
	printf '%s' "$HDR" | grep -qi "$(fingerprint stranger | tr -d : | tr 'A-F' 'a-f')" ||
		fail "61 without the fingerprint: $HDR"
	upfile old "$U" "$TMP/a.md" --token s3cr3t
	expect_hdr "62 This certificate is expired"
	upfile dung "$U" "$TMP/a.md"
	expect_hdr "61 No token"
	upfile dung "$U" "$TMP/a.md" --token wrong
	expect_hdr "61 Wrong token"
	upfile dung the-thao/2026-01-02-x "$TMP/a.md" --token s3cr3t
	expect_hdr "61 Mỹ Dung may not write in /the-thao/"
	up dung "titan://localhost:$GP/$U" --raw
	expect_hdr "59 no size parameter"
	up dung "titan://localhost:$GP/$U;size=12;size=3" --raw
	expect_status 59
	up dung "titan://example.org/$U;size=1" --raw
	expect_status 53
	upfile dung "$U" "$TMP/a.md" --token s3cr3t --size 1048577
	expect_hdr "50 Too large: 1048577 bytes, at most 1048576"
	upfile dung "../../etc/x" "$TMP/a.md" --token s3cr3t
	expect_status 59
	upfile dung "x" "$TMP/a.md" --token s3cr3t
	expect_status 59
	upfile dung "thoi-su/.an" "$TMP/a.md" --token s3cr3t
	expect_hdr "59 a hidden name"
	upfile dung "thoi-su/page" "$TMP/a.md" --token s3cr3t
	expect_hdr "59 a reserved name"
	upfile dung "date/x" "$TMP/a.md" --token s3cr3t
	expect_status 59
	upfile dung "thoi-su/b%C3%A0i" "$TMP/a.md" --token s3cr3t
	expect_status 59
	upfile dung "khong-co/x" "$TMP/a.md" --token s3cr3t
	expect_hdr "59 No category /khong-co/"
	upfile dung "thoi-su/x" "$TMP/a.md" --token s3cr3t --mime image/png
	expect_status 59
	# what the scan would skip is not written
	printf '   \n' >"$TMP/empty.md"
	upfile dung thoi-su/2026-01-02-trong "$TMP/empty.md" --token s3cr3t --mime text/markdown
	expect_hdr "59 Not published: thoi-su/2026-01-02-trong.md:1: empty file"
	printf 'x\377y\n' >"$TMP/bad.gmi"
	upfile dung thoi-su/2026-01-02-bad "$TMP/bad.gmi" --token s3cr3t
	expect_status 59
	nothing_written
	# and with the token, it goes
	upfile dung "$U" "$TMP/a.md" --token s3cr3t --mime text/markdown
	expect_status 30
	alive
	stop_server || fail "exit status"
}

test_titan_cut() {
	titan_setup "[limits]
write_timeout = 2"; articles; start_server
	head -c 100000 /dev/zero | tr '\0' 'a' >"$TMP/big.txt"
	# the client goes after half of the body
	upfile dung thoi-su/2026-01-02-cut "$TMP/big.txt" --mime text/plain --cut 50000
	# the client stops sending: the deadline ends it
	$PYTHON - "$GP" "$TMP/dung.pem" "$TMP/dung.key" >"$TMP/held" 2>&1 <<'PY'
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30),
                    server_hostname="localhost")
s.sendall(b"titan://localhost:%s/thoi-su/2026-01-02-held;size=1000;mime=text/plain\r\n" % sys.argv[1].encode() + b"x" * 10)
out = b""
try:
    while True:
        d = s.recv(4096)
        if not d:
            break
        out += d
except (OSError, ssl.SSLError):
    pass
print(out.decode(errors="replace").strip())
PY
	grep -q '^59 request timeout' "$TMP/held" || fail "held: $(cat "$TMP/held")"
	wait_for 20 log_has "59 /thoi-su/2026-01-02-held" || fail "no log line"
	nothing_written
	[ -z "$(find "$TMP/capsule" -name '.titan*')" ] || fail "a temporary left"
	log_has "titan: Mỹ Dung published" && fail "published"
	# the server is fine: the next one goes
	upfile dung thoi-su/2026-01-02-whole "$TMP/big.txt" --mime text/plain
	expect_status 30
	{ printf 'author: Mỹ Dung\n'; cat "$TMP/big.txt"; } |
		cmp -s - "$TMP/capsule/thoi-su/2026-01-02-whole.txt" || fail "not whole"
	alive
	stop_server || fail "exit status"
}

# A write the master's stop cut short leaves its temporary behind: the
# next start removes those, and only those
test_titan_leftovers() {
	titan_setup
	C=$TMP/capsule
	mkdir -p "$C/thoi-su/tai-lieu" "$C/.git" "$TMP/outside"
	for f in thoi-su/.titan.4242.0 the-thao/bong-da/.titan.1.17 \
	    thoi-su/tai-lieu/.titan.99.3; do
		echo half >"$C/$f"
	done
	# look-alikes: not the pattern, a hidden folder, a link, a folder
	for f in thoi-su/.titan.4242 thoi-su/.titan.4242.0.md thoi-su/titan.1.2 \
	    thoi-su/.titan.x.1 thoi-su/.titan.1.2x .titan.1 .git/.titan.1.2 \
	    thoi-su/.2026-01-02-x.md.1; do
		echo keep >>"$C/$f"
	done
	echo outside >"$TMP/outside/.titan.5.5"
	ln -s "$TMP/outside" "$C/thoi-su/lien-ket"
	ln -s "$TMP/outside/.titan.5.5" "$C/thoi-su/.titan.6.6"
	mkdir "$C/thoi-su/.titan.7.7"
	start_server
	for f in thoi-su/.titan.4242.0 the-thao/bong-da/.titan.1.17 \
	    thoi-su/tai-lieu/.titan.99.3; do
		[ ! -e "$C/$f" ] || fail "$f left"
		expect_log "titan: removed $C/$f, a write cut short by a stop"
	done
	for f in thoi-su/.titan.4242 thoi-su/.titan.4242.0.md thoi-su/titan.1.2 \
	    thoi-su/.titan.x.1 thoi-su/.titan.1.2x .titan.1 .git/.titan.1.2 \
	    thoi-su/.2026-01-02-x.md.1 thoi-su/.titan.7.7; do
		[ -e "$C/$f" ] || fail "$f removed"
	done
	[ -f "$TMP/outside/.titan.5.5" ] && [ -L "$C/thoi-su/.titan.6.6" ] ||
		fail "through a link"
	grep -c 'titan: removed' "$TMP/log" | grep -qx 3 || fail "$(grep 'titan: removed' "$TMP/log")"
	# the site is served as before
	gem "gemini://localhost/thoi-su/"
	expect_status 20
	stop_server || fail "exit status"
}

test_titan_concurrent() {
	titan_setup; start_server
	i=0
	while [ $i -lt 8 ]; do
		{ printf 'title: Phiên bản %s\ndate: 2026-01-02\n\n' $i
		  head -c 30000 /dev/zero | tr '\0' "$i"; echo; } >"$TMP/v$i.md"
		$TITAN --cert "$TMP/dung.pem" --key "$TMP/dung.key" --mime text/markdown \
		    --file "$TMP/v$i.md" "$GP" "titan://localhost:$GP/thoi-su/2026-01-02-mot-bai" \
		    >"$TMP/c$i" 2>&1 &
		HELPERS="$HELPERS $!"
		i=$((i + 1))
	done
	wait $HELPERS; HELPERS=
	i=0
	while [ $i -lt 8 ]; do
		grep -q '^30 ' "$TMP/c$i" || fail "upload $i: $(cat "$TMP/c$i")"
		i=$((i + 1))
	done
	# one whole version (with its author's line), never a mix
	f=$TMP/capsule/thoi-su/2026-01-02-mot-bai.md
	v=$(sed -n 's/^title: Phiên bản //p' "$f")
	[ -n "$v" ] && { printf 'author: Mỹ Dung\n'; cat "$TMP/v$v.md"; } | cmp -s - "$f" ||
		fail "not one whole version: $(head -c 200 "$f")"
	wait_for 20 body_has "Phiên bản $v" "gemini://localhost/thoi-su/2026-01-02-mot-bai" || fail "served: $BODY"
	alive
	stop_server || fail "exit status"
}

# The tree read-only, as bantin.service has it without a drop-in that
# says ReadWritePaths= (ProtectSystem=strict): bantin says so at start,
# and an upload is refused with the reason, nothing written. The tree
# is made read-only in a mount namespace of the server's own.
test_titan_read_only() {
	if ! unshare -m true 2>/dev/null; then
		echo "no mount namespace (not root): not tested"
		return 0
	fi
	titan_setup; articles
	cat >"$TMP/bantin-ro" <<EOT
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$1" "\$1" &&
    mount -o remount,bind,ro "\$1" && shift && exec "\$@"' \\
    sh "$TMP/capsule" "$BANTIN" "\$@"
EOT
	chmod +x "$TMP/bantin-ro"
	BANTIN=$TMP/bantin-ro start_server
	expect_log "titan: $TMP/capsule: not writable (Read-only file system): uploads will be refused; bantin.ini(5), [titan], says how to allow them"
	upfile dung thoi-su/2026-01-02-hop-to-dan-pho "$TMP/a.md" --mime text/markdown
	expect_hdr "40 Cannot write it: Read-only file system"
	[ -z "$(find "$TMP/capsule" -name '*hop-to-dan-pho*' -o -name '.titan.*')" ] ||
		fail "written: $(find "$TMP/capsule" -name '*hop-to-dan-pho*' -o -name '.titan.*')"
	gem "gemini://localhost/thoi-su/"
	expect_status 20
	stop_server || fail "exit status"
}

# Titan off (the default): no certificate asked for, titan:// is
# another scheme's request, /publish is not a page
test_titan_off() {
	setup; start_server
	openssl s_client -msg -connect "127.0.0.1:$GP" -servername localhost \
	    </dev/null >"$TMP/s" 2>&1
	grep -q 'CertificateRequest' "$TMP/s" && fail "a certificate asked for"
	author_cert dung
	upfile dung thoi-su/x /dev/null
	expect_status 53
	gem "gemini://localhost/publish"
	expect_status 51
	stop_server || fail "exit status"
}

# A bad authors file is refused like the configuration: -n, start, reload
test_titan_authors_file() {
	titan_setup; start_server
	openssl s_client -msg -connect "127.0.0.1:$GP" -servername localhost \
	    </dev/null >"$TMP/s" 2>&1
	grep -q 'CertificateRequest' "$TMP/s" || fail "no certificate asked for"
	cp "$TMP/authors" "$TMP/authors.good"
	printf '%s Dung\n' "$(fingerprint stranger)" >>"$TMP/authors"
	"$BANTIN" -c "$TMP/t.ini" -n >"$TMP/n.out" 2>&1 && fail "-n took it"
	grep -qF "$TMP/authors:5: no categories" "$TMP/n.out" || fail "-n: $(cat "$TMP/n.out")"
	kill -HUP "$PID"
	wait_for 20 log_has "reload failed" || fail "reload took it"
	expect_log "titan:authors: $TMP/authors:5: no categories"
	# the running authors still publish; the stranger is not one
	articles
	upfile dung thoi-su/2026-01-02-sau "$TMP/a.md" --mime text/markdown
	expect_status 30
	upfile stranger thoi-su/2026-01-02-sau "$TMP/a.md" --mime text/markdown
	expect_status 61
	stop_server || fail "exit status"
	"$BANTIN" -d -c "$TMP/t.ini" >/dev/null 2>"$TMP/start.err" && fail "started"
	grep -qF "$TMP/authors:5: no categories" "$TMP/start.err" "$TMP/log" || fail "start: $(tail -3 "$TMP/start.err")"
	cp "$TMP/authors.good" "$TMP/authors"
}
