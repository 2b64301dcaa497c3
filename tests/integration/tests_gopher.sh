# tests_gopher.sh: the Gopher front end (issue 3) with curl and lynx.

# menu_ok FILE: every line has four TAB-separated fields, ends with "."
menu_ok() {
	$PYTHON -c '
import sys
data = sys.stdin.buffer.read()
assert data.endswith(b".\r\n"), "no final ."
lines = data[:-3].split(b"\r\n")
assert lines[-1] == b"", "menu lines must end with CRLF"
for l in lines[:-1]:
    f = l.split(b"\t")
    assert len(f) == 4, "not 4 fields: %r" % l
    assert f[0][:1] in b"0123456789+gIThis", "bad type: %r" % l
    assert len(f[0][1:].decode()) <= 71, "label over 70 columns: %r" % l
' <"$1" || fail "menu malformed"
}

# gcurl URL: fetch into $TMP/g (exact bytes) and $out (for grep)
gcurl() {
	curl -s "$1" >"$TMP/g"
	out=$(cat "$TMP/g")
}

test_gopher_home_menu() {
	setup; start_server
	gcurl "gopher://127.0.0.1:$HP/1/"
	menu_ok "$TMP/g"
	printf '%s' "$out" | grep -q "^1Thời sự (2 bài)	/thoi-su/	localhost	$HP" || fail "no category item"
	printf '%s' "$out" | grep -q "^7Tìm kiếm	/search	localhost	$HP" || fail "no search item"
	printf '%s' "$out" | grep -q "^02020-05-21 Chi bộ hoàn thành Đại hội	/thoi-su/2020-05-21-chi-bo-dai-hoi	" || fail "no article item"
	printf '%s' "$out" | grep -q "^iSố lượt truy cập: 1	" || fail "no visit counter"
	alive
	expect_log "gopher 127.0.0.1 20 / "
}

test_gopher_menus_every_kind() {
	setup; start_server
	for sel in /thoi-su/ /the-thao/ /the-thao/bong-da/ /date/ /date/2020/ /date/2020/05/ /date/2020/05/21/ /stats; do
		gcurl "gopher://127.0.0.1:$HP/1$sel"
		menu_ok "$TMP/g"
		printf '%s' "$out" | grep -q '^3' && fail "$sel: error"
	done
	out=$(curl -s "gopher://127.0.0.1:$HP/1/date/2020/05/21/")
	printf '%s' "$out" | grep -q "^0.*Chi bộ hoàn thành Đại hội	/thoi-su/2020-05-21-chi-bo-dai-hoi	" || fail "day listing"
	out=$(curl -s "gopher://127.0.0.1:$HP/1/thoi-su/")
	printf '%s' "$out" | grep -q "^I.*	/thoi-su/anh/hoi-nghi.png	\|^1.*/thoi-su/2021" >/dev/null || true
	true
}

test_gopher_article_text() {
	setup; start_server
	gcurl "gopher://127.0.0.1:$HP/0/thoi-su/2020-05-21-chi-bo-dai-hoi"
	printf '%s' "$out" | grep -q "Chi bộ hoàn thành Đại hội" || fail "no title"
	printf '%s' "$out" | grep -q "MỸ DUNG" || fail "no author"
	printf '%s' "$out" | grep -q "Quận Bình Thạnh tổ chức" || fail "no body"
	[ "$(tail -c 3 "$TMP/g" | od -An -c | tr -d ' ')" = '.\r\n' ] || fail "no final ."
	$PYTHON -c '
import sys, unicodedata
for l in sys.stdin.read().split("\r\n")[:-2]:
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else (0 if unicodedata.combining(c) else 1) for c in l)
    assert w <= 70 or l.startswith("[") or "://" in l, "line over 70 columns: %r" % l
    assert not (l.startswith(".") and l != "." and not l.startswith("..")), "lone dot line"
' <"$TMP/g" || fail "wrapping"
	# the link of the gmi article becomes a numbered reference
	out=$(curl -s "gopher://127.0.0.1:$HP/0/thoi-su/2021-03-04-giao-thong")
	printf '%s' "$out" | grep -q '\[1\]' || fail "no numbered reference"
}

test_gopher_same_content_as_gemini() {
	setup; start_server
	gem "gemini://localhost/thoi-su/"
	glinks=$(printf '%s' "$BODY" | sed -n 's/^=> \(\/thoi-su\/[^ ]*\) .*/\1/p' | grep -v '/$' | grep -v atom | sort)
	hlinks=$(curl -s "gopher://127.0.0.1:$HP/1/thoi-su/" | awk -F '\t' '$1 ~ /^0/ && $2 ~ /^\/thoi-su\// {print $2}' | grep -v atom | sort)
	[ -n "$glinks" ] || fail "no Gemini links"
	[ "$glinks" = "$hlinks" ] || fail "listings differ: [$glinks] vs [$hlinks]"
	gem "gemini://localhost/the-thao/bong-da/2022-07-01-giai-phuong"
	expect_body "Mười hai đội tham dự."
	curl -s "gopher://127.0.0.1:$HP/0/the-thao/bong-da/2022-07-01-giai-phuong" | grep -q "tham dự" || fail "gopher article differs"
}

test_gopher_search_type7() {
	setup; start_server
	gcurl "gopher://127.0.0.1:$HP/7/search%09dai%20hoi"
	menu_ok "$TMP/g"
	printf '%s' "$out" | grep -q "	/thoi-su/2020-05-21-chi-bo-dai-hoi	" || fail "no hit"
	out=$(curl -s "gopher://127.0.0.1:$HP/1/search")
	printf '%s' "$out" | grep -q "^7" || fail "no search prompt item"
	out=$(curl -s "gopher://127.0.0.1:$HP/1/search%3Fdai%2520hoi")
	printf '%s' "$out" | grep -q "	/thoi-su/2020-05-21-chi-bo-dai-hoi	" || fail "no hit via ? selector"
}

test_gopher_caps_probe_http() {
	setup; start_server
	out=$(curl -s "gopher://127.0.0.1:$HP/0/caps.txt")
	printf '%s' "$out" | grep -q '^CAPS' || fail "caps.txt"
	printf '%s' "$out" | grep -q 'ServerDefaultEncoding=UTF-8' || fail "encoding"
	gopher "/	\$"
	case $GOPHER in +*) ;; *) fail "probe answer: $(printf '%s' "$GOPHER" | head -c 40)" ;; esac
	# a Gopher+ client asking for caps.txt gets it framed
	gopher "/caps.txt	+"
	case $GOPHER in "+-1"*CAPS*) ;; *) fail "caps.txt probe: $(printf '%s' "$GOPHER" | head -c 40)" ;; esac
	gopher "/caps.txt	!"
	case $GOPHER in +-2*+INFO:*) ;; *) fail "caps.txt attributes: $(printf '%s' "$GOPHER" | head -c 40)" ;; esac
	gopher "GET / HTTP/1.1"
	case $GOPHER in HTTP/1.0\ 400*) ;; *) fail "HTTP answer: $(printf '%s' "$GOPHER" | head -c 40)" ;; esac
}

test_gopher_bad_input() {
	setup; start_server
	long=$($PYTHON -c "print('/' + 'a' * 1100)")
	for sel in "$long" "/../outside.txt" "/%2e%2e/outside.txt" "/thoi-su/..%2f..%2foutside.txt" \
	    "/%c0%ae%c0%ae/outside.txt" "/thoi-su/.hidden.gmi" "/_private.gmi"; do
		gopher "$sel"
		case $GOPHER in 3*) ;; *) fail "$sel: $(printf '%s' "$GOPHER" | head -c 60)" ;; esac
		printf '%s' "$GOPHER" | grep -q 'outside the capsule\|secret' && fail "$sel leaked"
	done
	out=$(printf '/a\000b\r\n' | $PYTHON -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read())
print(s.recv(100).decode("latin-1"))' "$HP")
	case $out in 3*) ;; *) fail "NUL: $out" ;; esac
	out=$(printf '/\377\r\n' | $PYTHON -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read())
print(s.recv(100).decode("latin-1"))' "$HP")
	case $out in 3*) ;; *) fail "invalid UTF-8: $out" ;; esac
	alive
}

test_gopher_hostile_title() {
	setup
	printf 'title: Tin\tgiả\r=> /evil\ndate: 2021-01-01\n\nx\n' >"$TMP/capsule/thoi-su/2021-01-01-x.md"
	start_server
	gcurl "gopher://127.0.0.1:$HP/1/thoi-su/"
	menu_ok "$TMP/g"
	printf '%s' "$out" | grep -q '^1/evil\|	/evil	' && fail "title formed an item"
	true
}

test_gopher_lynx() {
	setup; start_server
	out=$(lynx -dump -nolist "gopher://127.0.0.1:$HP/1/" 2>&1)
	printf '%s' "$out" | grep -q "Thời sự" || fail "lynx home: $out"
	out=$(lynx -dump "gopher://127.0.0.1:$HP/0/thoi-su/2020-05-21-chi-bo-dai-hoi" 2>&1)
	printf '%s' "$out" | grep -q "Quận Bình Thạnh tổ chức" || fail "lynx article"
	out=$(lynx -dump "gopher://127.0.0.1:$HP/1/date/2020/" 2>&1)
	printf '%s' "$out" | grep -q "2020" || fail "lynx archive"
}

test_gopher_ascii_charset() {
	setup
	sed -i "s/^enabled = yes/enabled = yes\ncharset = ascii/" "$TMP/t.ini"
	start_server
	out=$(curl -s "gopher://127.0.0.1:$HP/1/")
	printf '%s' "$out" | tr -d '\r' | LC_ALL=C grep -q '[^ -~	]' && fail "non-ASCII in ascii mode"
	curl -s "gopher://127.0.0.1:$HP/0/thoi-su/2020-05-21-chi-bo-dai-hoi" | tr -d '\r' | LC_ALL=C grep '[^ -~	]' && fail "non-ASCII article"
	curl -s "gopher://127.0.0.1:$HP/0/thoi-su/2020-05-21-chi-bo-dai-hoi" | grep -q '^Chi bo hoan thanh Dai hoi' || fail "article not transliterated"
	printf '%s' "$out" | grep -q "Thoi su" || fail "no transliteration"
	true
}

test_gopher_advertised_host() {
	setup
	sed -i "s/^enabled = yes/enabled = yes\nhost = news.example.org\nadvertised_port = 70/" "$TMP/t.ini"
	start_server
	curl -s "gopher://127.0.0.1:$HP/1/" | grep -q "	news.example.org	70" || fail "advertised host/port"
}

test_gopher_text_file_dot_terminated() {
	setup
	printf 'Liên hệ\n.\nTòa soạn\n' >"$TMP/capsule/lien-he.txt"
	start_server
	curl -s "gopher://127.0.0.1:$HP/0/lien-he.txt" >"$TMP/g"
	[ "$(tail -c 3 "$TMP/g" | od -An -c | tr -d ' ')" = '.\r\n' ] || fail "no final ."
	grep -q '^\.\.' "$TMP/g" || fail "a lone dot line not doubled"
	gem "gemini://localhost/lien-he.txt"
	case $HDR in "20 text/plain"*) ;; *) fail "gemini: $HDR" ;; esac
	expect_body "Tòa soạn"
}
