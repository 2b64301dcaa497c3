# tests_content.sh: pages, search, live content and counters over the
# real binary (issues 6, 2 and 4).

test_page_kinds() {
	setup; start_server
	gem "gemini://localhost/thoi-su/"
	expect_status 20; expect_body "# Thời sự"
	expect_body "=> /thoi-su/2021-03-04-giao-thong 2021-03-04 Phân luồng giao thông dịp lễ"
	expect_body "=> /thoi-su/atom.xml"
	gem "gemini://localhost/the-thao/"
	expect_body "=> /the-thao/bong-da/ Bóng đá"
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"
	expect_status 20
	expect_body "# Chi bộ hoàn thành Đại hội"
	expect_body "MỸ DUNG"
	expect_body "## Đảm bảo đúng yêu cầu"
	expect_body "=> /thoi-su/2021-03-04-giao-thong"
	gem "gemini://localhost/date/"
	expect_body "=> /date/2022/"
	gem "gemini://localhost/date/2020/05/"
	expect_body "=> /date/2020/05/21/"
	gem "gemini://localhost/date/2020/05/21/"
	expect_body "=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 Chi bộ hoàn thành Đại hội"
	gem "gemini://localhost/date/2020/13/"
	expect_status 51
	gem "gemini://localhost/atom.xml"
	case $HDR in "20 application/atom+xml"*) ;; *) fail "atom: $HDR" ;; esac
	printf '%s' "$BODY" | $PYTHON -c 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); assert len(d.getElementsByTagName("entry")) == 3' || fail "atom not valid"
	gem "gemini://localhost/stats"
	expect_status 20
}

test_category_paging() {
	setup
	for i in $(seq -w 1 25); do
		printf 'title: Tin số %s\ndate: 2019-01-%s\n\nNội dung %s.\n' "$i" "$i" "$i" >"$TMP/capsule/the-thao/2019-01-$i-tin-$i.md"
	done
	start_server
	gem "gemini://localhost/the-thao/"
	expect_body "=> /the-thao/page/2/"
	gem "gemini://localhost/the-thao/page/3/"
	expect_status 20
	expect_body "Tin số 01"
	gem "gemini://localhost/the-thao/page/4/"
	expect_status 51
}

test_search_gemini() {
	setup; start_server
	gem "gemini://localhost/search"
	[ "$HDR" = "10 Nhập từ khóa tìm kiếm" ] || fail "prompt: $HDR"
	gem "gemini://localhost/search?"
	expect_status 10 "empty query"
	for q in "dai%20hoi%20dang" "%C4%90%E1%BA%A1i%20H%E1%BB%99i%20%C4%90%E1%BA%A3ng" "DANG" "b%C3%ACnh%20th%E1%BA%A1nh" "binh%20thanh"; do
		gem "gemini://localhost/search?$q"
		expect_status 20 "$q"
		expect_body "=> /thoi-su/2020-05-21-chi-bo-dai-hoi"
	done
	gem "gemini://localhost/search?%22to%20chuc%20dai%20hoi%22"
	expect_status 20
	gem "gemini://localhost/search?khongcotu"
	expect_status 20 "no match is a page"
	expect_body "Không tìm thấy"
	long=$($PYTHON -c "print('a' * 201)")
	gem "gemini://localhost/search?$long"
	expect_status 20 "too long is a page"
	gem "gemini://localhost/search?x%0D%0A%3D%3E%20%2Fevil%20evil"
	! printf '%s' "$BODY" | grep -q '^=> /evil' || fail "query formed a link"
	gem "gemini://localhost/search?%22%20OR%20*%20NEAR(%20a:b%20'%3B%20DROP"
	expect_status 20 "FTS syntax"
}

test_live_content_rescan() {
	RESCAN=1 setup; start_server
	printf '<html><head><title>Tin HTML mới</title><meta name="author" content="THANH HÀ"></head><body><nav>menu</nav><p>Đoạn&nbsp;một.</p></body></html>\n' >"$TMP/capsule/thoi-su/2024-02-02-tin-html.html"
	wait_for 30 status_is 20 "gemini://localhost/thoi-su/2024-02-02-tin-html"
	expect_status 20 "new article after a rescan"
	expect_body "Tin HTML mới"
	! printf '%s' "$BODY" | grep -q menu || fail "nav kept"
	rm "$TMP/capsule/thoi-su/2024-02-02-tin-html.html"
	wait_for 30 status_is 51 "gemini://localhost/thoi-su/2024-02-02-tin-html"
	expect_status 51 "removed article"
}

# Pages are kept per worker (pagecache.c): a kept page still counts its
# visit and shows the number of this moment, on both protocols, and a
# changed article is served new after the rescan.
test_page_cache_live_numbers() {
	WORKERS=1 RESCAN=1 setup; start_server
	art=/thoi-su/2020-05-21-chi-bo-dai-hoi
	for n in 1 2 3; do
		gem "gemini://localhost/"
		expect_body "Số lượt truy cập: $n" || return 1
	done
	gopher /
	printf '%s' "$GOPHER" | grep -q "^iSố lượt truy cập: 4	" ||
		fail "gopher home: visit 4 not shown"
	gem "gemini://localhost$art"
	expect_body "Số lượt người xem: 1"
	gopher "$art"
	printf '%s' "$GOPHER" | grep -q "^Số lượt người xem: 2" ||
		fail "gopher article: views 2 not shown"
	gopher "$art"
	printf '%s' "$GOPHER" | grep -q "^Số lượt người xem: 3" ||
		fail "gopher article: views 3 not shown"
	gem "gemini://localhost$art"
	expect_body "Số lượt người xem: 4"
	# a Gopher+ probe is not counted and does not take the cache's copy
	gopher "$art	+"
	gem "gemini://localhost$art"
	expect_body "Số lượt người xem: 5"
	gem "gemini://localhost/stats"
	expect_body "Số lượt truy cập: 10"
	# the marker never reaches a reader
	! grep -rq BANTIN "$TMP/resp" || fail "hole marker in a reply"
	printf '%s' "$GOPHER" | grep -q BANTIN && fail "hole marker in gopher"
	# a changed article: the new text after the rescan, the edit in a
	# later second than the file's first version, as an editor's is
	src="$TMP/capsule/thoi-su/2020-05-21-chi-bo-dai-hoi.md"
	wait_for 10 later_than "$(stat -c %Y "$src")"
	printf '\nĐoạn bổ sung sau khi sửa.\n' >>"$src"
	wait_for 30 body_has "Đoạn bổ sung" "gemini://localhost$art"
	expect_body "Đoạn bổ sung sau khi sửa."
	gopher "$art"
	printf '%s' "$GOPHER" | grep -q "Đoạn bổ sung" ||
		fail "gopher: changed article not served"
}

test_bad_article_skipped() {
	setup
	printf 'title: Hỏng\ndate: 2020-13-45\n\nx\n' >"$TMP/capsule/thoi-su/bad-date.md"
	printf 'title: X\n\n\377\376 invalid\n' >"$TMP/capsule/thoi-su/2020-01-01-bad-utf8.gmi"
	start_server
	grep -q 'thoi-su/bad-date.md:2: ' "$TMP/log" || fail "no file:line warning for the date"
	grep -q 'thoi-su/2020-01-01-bad-utf8.gmi' "$TMP/log" || fail "no warning for UTF-8"
	gem "gemini://localhost/thoi-su/bad-date"
	expect_status 51
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"
	expect_status 20 "the rest is served"
}

test_incremental_reindex() {
	setup
	$PYTHON - "$TMP/capsule/kho" <<'PY'
import os, sys
d = sys.argv[1]; os.makedirs(d)
for i in range(1000):
    with open(os.path.join(d, "2021-01-01-bai-%04d.md" % i), "w") as f:
        f.write("title: Bài %d\ndate: 2021-01-01\n\nNội dung bài số %d về Đà Nẵng.\n" % (i, i))
PY
	start_server
	grep -q '1003 articles.*1003 sources read' "$TMP/log" || fail "first start: $(grep sources "$TMP/log")"
	stop_server
	touch "$TMP/capsule/kho/2021-01-01-bai-0500.md"
	: >"$TMP/log"
	start_server
	grep -q '1003 articles.*; 1 sources read' "$TMP/log" || fail "restart: $(grep sources "$TMP/log")"
	gem "gemini://localhost/search?da%20nang%20500"
	expect_body "=> /kho/2021-01-01-bai-0500"
	rm -f "$TMP/state/catalog.db"*
	printf 'garbage' >"$TMP/state/catalog.db"
	stop_server; : >"$TMP/log"; start_server
	grep -q 'catalog' "$TMP/log" || fail "no log line about the damaged catalog"
	gem "gemini://localhost/search?da%20nang%20500"
	expect_body "=> /kho/2021-01-01-bai-0500"
}

# counters: the visit counter and article views, exact under concurrency
counter_value() { sed -n "s/^site \([0-9]*\)$/\1/p" "$TMP/state/counters"; }
article_views() { awk -v p="$1" '$2 == p {print $1}' "$TMP/state/counters"; }

# concurrent_hits: 160 visits, 80 of them views of ART, 8 clients at a
# time over both protocols, and requests that count nothing
concurrent_hits() {
	$PYTHON - "$GP" "$HP" "$ART" "$HERE" <<'PY' || fail "requests failed"
import sys, threading
sys.path.insert(0, sys.argv[4])
from clients import gemini, gopher
gp, hp, art = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
errors = []
def worker(i):
    for j in range(10):
        path = art if j % 2 == 0 else "/"
        r = gemini(gp, path)
        if not r.startswith(b"20"): errors.append(r[:40])
        r = gopher(hp, path)
        if not r.endswith(b".\r\n"): errors.append(r[:40])
ts = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
# not counted: attachments, errors, probes
for sel in ("/thoi-su/anh/hoi-nghi.png", "/nope", "/\t$"):
    gopher(hp, sel)
sys.exit(1 if errors else 0)
PY
}

test_counters_exact_concurrent() {
	WORKERS=2 FLUSH=60 setup; start_server
	art=$ART
	concurrent_hits
	gem "gemini://localhost/thoi-su"
	gem "gemini://localhost/nope"
	stop_server
	[ "$(counter_value)" = 160 ] || fail "site counter $(counter_value), want 160"
	[ "$(article_views $art)" = 80 ] || fail "article views $(article_views $art), want 80"
	# a restart continues from the stored counts and shows them
	start_server
	gem "gemini://localhost/"
	expect_body "Số lượt truy cập: 161"
	gem "gemini://localhost$art"
	expect_body "Số lượt người xem: 81"
	stop_server
	[ "$(counter_value)" = 162 ] || fail "after restart $(counter_value)"
}

site_at_least() { [ "$(counter_value)" -ge "$1" ] 2>/dev/null; }

test_counters_kill9_file_parses() {
	FLUSH=1 setup; start_server
	i=0
	while [ $i -lt 5 ]; do
		for j in 1 2 3; do gem "gemini://localhost/"; done
		# a flush has written this round's visits
		wait_for 30 site_at_least $((3 * i + 3)) || fail "round $i not flushed"
		# the master holds the counts: it dies, and the parent
		# ends with it
		m=$(master_pid); workers=$(pgrep -P "$m")
		kill -KILL "$m"; wait "$PID" 2>/dev/null || true
		PID=
		# the workers stop when the master dies (PR_SET_PDEATHSIG) and
		# hold the listening sockets until then
		wait_for 30 gone $workers || fail "workers left after kill -9"
		start_server || fail "restart $i after kill -9 (counter file damaged?)"
		i=$((i + 1))
	done
	stop_server
	# every round was on file before its kill, and no visit since
	n=$(counter_value)
	[ "$n" = 15 ] || fail "site counter $n after kills, want 15"
	# a flush cut by kill -9 leaves its temp file; the next start removes it
	ls "$TMP/state" | grep -q 'counters.tmp' && fail "temp file left: $(ls "$TMP/state" | tr '\n' ' ')"
	true
}

counts_files() { ls "$TMP/state" | grep -c '^counters\.counts\.'; }
file_counts() {
	[ "$(counter_value)" = "$1" ] || fail "site counter $(counter_value), want $1"
	[ "$(article_views $ART)" = "$2" ] || fail "views $(article_views $ART), want $2"
}

# The whole instance is killed (master, workers, parent at once) before
# any flush: the workers' counts are in the counts file, and the next
# start counts every one of them, in the file and on the pages
test_counters_killed_before_flush() {
	WORKERS=2 FLUSH=600 setup; start_server
	concurrent_hits
	[ ! -e "$TMP/state/counters" ] || fail "flushed before the kill: $(cat "$TMP/state/counters")"
	[ "$(counts_files)" = 1 ] || fail "counts files: $(ls "$TMP/state")"
	kill_server || fail "kill"
	start_server
	expect_log "160 visits and 80 views that $TMP/state/counters lacks"
	[ "$(counter_value)" = 160 ] || fail "site counter $(counter_value) after the kill, want 160"
	[ "$(article_views $ART)" = 80 ] || fail "views $(article_views $ART) after the kill, want 80"
	# the old counts file went with the start's flush
	[ "$(counts_files)" = 1 ] || fail "counts files: $(ls "$TMP/state")"
	gem "gemini://localhost/"
	expect_body "Số lượt truy cập: 161"
	gem "gemini://localhost$ART"
	expect_body "Số lượt người xem: 81"
	stop_server
	[ "$(counter_value)" = 162 ] || fail "after the stop $(counter_value)"
	[ "$(counts_files)" = 0 ] || fail "counts files after the stop: $(ls "$TMP/state")"
}

# Killed at random moments of a steady load and of the flushes (one a
# second), four times: each start has every visit answered before the
# kill, exactly
test_counters_killed_while_flushing() {
	FLUSH=1 setup; start_server
	kill_rounds 4 file_counts
	stop_server
	file_counts $KILLED_VISITS $KILLED_VIEWS
	[ "$(counts_files)" = 0 ] || fail "counts files after the stop: $(ls "$TMP/state")"
}

test_counters_damaged_file_refused() {
	setup
	mkdir -p "$TMP/state"
	printf 'site 12\n7 /thoi-su/x\nnonsense here\n' >"$TMP/state/counters"
	if "$BANTIN" -d -c "$TMP/t.ini" 2>"$TMP/log"; then fail "started"; fi
	grep -q "counters:3: " "$TMP/log" || fail "no file:line reason: $(cat "$TMP/log")"
	grep -q '^site 12$' "$TMP/state/counters" || fail "file changed"
}

test_counters_unwritable_keeps_serving() {
	FLUSH=1 setup
	sed -i "s|^flush_interval = 1|flush_interval = 1\nfile = $TMP/cdir/counters|" "$TMP/t.ini"
	mkdir "$TMP/cdir"
	start_server
	gem "gemini://localhost/"
	rm -rf "$TMP/cdir"; printf 'x' >"$TMP/cdir"		# the folder is now a file
	gem "gemini://localhost/"; gem "gemini://localhost/"
	wait_for 30 log_has "Not a directory"
	expect_status 20
	[ "$(grep -c 'counter' "$TMP/log")" -ge 1 ] || fail "failure not logged"
	# the flushes that fail after it (one a second) log nothing more
	sleep 2
	[ "$(grep -c 'counter.*Not a directory\|counters.*Not a directory' "$TMP/log")" -le 1 ] || fail "logged more than once"
	rm "$TMP/cdir"; mkdir "$TMP/cdir"
	wait_for 30 grep -q '^site 3$' "$TMP/cdir/counters"
	grep -q '^site 3$' "$TMP/cdir/counters" || fail "counts not written once possible: $(cat "$TMP/cdir/counters" 2>&1)"
}

test_counters_exact_across_reloads() {
	WORKERS=2 FLUSH=1 setup; start_server
	art=/thoi-su/2020-05-21-chi-bo-dai-hoi
	$PYTHON - "$GP" "$HP" "$art" "$PID" "$HERE" <<'PY' || fail "requests failed"
import os, signal, sys, threading, time
sys.path.insert(0, sys.argv[5])
from clients import gemini, gopher
gp, hp, art, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
bad = []
def gem(path):
    r = gemini(gp, path)
    if not r.startswith(b"20"): bad.append(r[:30])
def gop(sel):
    r = gopher(hp, sel)
    if not r.endswith(b".\r\n"): bad.append(r[:30])
def worker():
    for j in range(25):
        gem(art) if j % 2 else gop(art)
ts = [threading.Thread(target=worker) for _ in range(4)]
[t.start() for t in ts]
for _ in range(3):            # reloads while the load runs
    time.sleep(0.3)
    os.kill(pid, signal.SIGHUP)
[t.join() for t in ts]
sys.exit(1 if bad else 0)
PY
	wait_for 30 log_has "reloaded"
	stop_server
	[ "$(grep -c 'reloaded' "$TMP/log")" -ge 1 ] || fail "no reload happened"
	[ "$(counter_value)" = 100 ] || fail "site counter $(counter_value), want 100"
	[ "$(article_views $art)" = 100 ] || fail "views $(article_views $art), want 100"
}

test_sigterm_finishes_inflight() {
	WORKERS=1 setup
	head -c 1000000 /dev/urandom >"$TMP/capsule/thoi-su/anh/big.bin"
	start_server
	$PYTHON - "$GP" "$PID" "$TMP/capsule/thoi-su/anh/big.bin" <<'PY' || fail "reply cut by SIGTERM"
import os, signal, socket, ssl, sys, time
gp, pid, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", gp), timeout=20), server_hostname="localhost")
s.sendall(b"gemini://localhost/thoi-su/anh/big.bin\r\n")
data = s.recv(1000)
time.sleep(0.3)                    # the server fills the socket, waits
os.kill(pid, signal.SIGTERM)       # stop while the reply is in flight
time.sleep(0.5)
while True:
    d = s.recv(65536)
    if not d: break
    data += d
body = data[data.index(b"\r\n") + 2:]
sys.exit(0 if body == open(path, "rb").read() else 1)
PY
	wait "$PID"; rc=$?; PID=
	[ $rc -eq 0 ] || fail "exit status $rc"
}

# Reloads re-examine the folders inotify named (site_walk.c): with no
# symbolic link in the tree every folder is watched, and each change is
# served after a SIGHUP with the folders that had no event taken as
# they were: an article edited (and its new text searchable), added,
# removed, renamed, and a folder replaced whole.
test_inotify_reload() {
	RESCAN=0 setup
	rm "$TMP/capsule/thoi-su/leak.txt" "$TMP/capsule/thoi-su/leakdir"
	start_server
	c=$TMP/capsule
	printf 'title: Chi bộ sửa bài\ndate: 2020-05-21 11:15\n\nTừ khinhkhicau mới.\n' >"$c/thoi-su/2020-05-21-chi-bo-dai-hoi.md"
	kill -HUP "$PID"
	wait_for 30 body_has "Chi bộ sửa bài" "gemini://localhost$ART" ||
		fail "edited article not served"
	gem "gemini://localhost/search?khinhkhicau"
	expect_body "Chi bộ sửa bài"
	printf 'title: Bài thêm\ndate: 2023-03-03\n\nThêm.\n' >"$c/the-thao/2023-03-03-them.gmi"
	kill -HUP "$PID"
	wait_for 30 status_is 20 "gemini://localhost/the-thao/2023-03-03-them" ||
		fail "added article not served"
	rm "$c/the-thao/2023-03-03-them.gmi"
	kill -HUP "$PID"
	wait_for 30 status_is 51 "gemini://localhost/the-thao/2023-03-03-them" ||
		fail "removed article still served"
	mv "$c/thoi-su/2021-03-04-giao-thong.gmi" "$c/thoi-su/2021-03-04-phan-luong.gmi"
	kill -HUP "$PID"
	wait_for 30 status_is 20 "gemini://localhost/thoi-su/2021-03-04-phan-luong" ||
		fail "renamed article not served"
	gem "gemini://localhost/thoi-su/2021-03-04-giao-thong"
	expect_status 51 "old name of a renamed article"
	mkdir "$c/.moi"
	printf '[category]\ntitle = Bóng đá mới\n' >"$c/.moi/_category.ini"
	printf 'title: Giải mới\ndate: 2022-08-01\n\nMới.\n' >"$c/.moi/2022-08-01-giai-moi.gmi"
	mv "$c/the-thao/bong-da" "$c/.cu"
	mv "$c/.moi" "$c/the-thao/bong-da"
	kill -HUP "$PID"
	wait_for 30 status_is 20 "gemini://localhost/the-thao/bong-da/2022-08-01-giai-moi" ||
		fail "article of a replaced folder not served"
	gem "gemini://localhost/the-thao/bong-da/2022-07-01-giai-phuong"
	expect_status 51 "article of the folder replaced"
	gem "gemini://localhost/the-thao/bong-da/"
	expect_body "Bóng đá mới"
	grep -qE 'folders read, [1-9][0-9]* unchanged|the last snapshot patched' "$TMP/log" ||
		fail "no reload took a folder as it was"
	alive
	stop_server || fail "exit status after reloads"
}

# A reload that patches the running snapshot (only articles changed)
# keeps every count, through workers of three generations: the views of
# an article it kept, of one it added, and of one it removed, into the
# file; and the added one's tag page and the removed one's absence.
test_patched_reload_counts() {
	RESCAN=0 WORKERS=2 FLUSH=1 setup
	rm "$TMP/capsule/thoi-su/leak.txt" "$TMP/capsule/thoi-su/leakdir"
	start_server
	c=$TMP/capsule
	new=/the-thao/2023-06-06-bai-va
	n=0; while [ $n -lt 5 ]; do gem "gemini://localhost$ART"; n=$((n + 1)); done
	printf 'title: Bài vá\ndate: 2023-06-06\ntags: vá lỗi\n\nMột bài thêm.\n' >"$c$new.gmi"
	kill -HUP "$PID"
	# the poll that finds it is its first view
	wait_for 30 status_is 20 "gemini://localhost$new" ||
		fail "added article not served"
	expect_log "the last snapshot patched: 1 sources read"
	n=0; while [ $n -lt 3 ]; do gem "gemini://localhost$new"; n=$((n + 1)); done
	n=0; while [ $n -lt 4 ]; do gem "gemini://localhost$ART"; n=$((n + 1)); done
	gem "gemini://localhost/tags/va-loi/"
	expect_body "Bài vá"
	rm "$c$new.gmi"
	kill -HUP "$PID"
	# until the new generation serves, the old one answers the polls,
	# and each of those is a view like any other (more of them on a
	# busy or sanitized run)
	seen=0 end=$(( $(date +%s) + 30 ))
	while gem "gemini://localhost$new"; [ "$STATUS" != 51 ]; do
		[ "$STATUS" = 20 ] && seen=$((seen + 1))
		if [ "$(date +%s)" -ge $end ]; then
			fail "removed article still served"
			break
		fi
		sleep 0.1
	done
	gem "gemini://localhost$ART"
	expect_status 20 "a kept article after two patches"
	gem "gemini://localhost/tags/va-loi/"
	expect_status 51 "the removed article's tag"
	[ "$(grep -c 'the last snapshot patched' "$TMP/log")" -ge 2 ] ||
		fail "the reloads were not patches"
	alive
	stop_server || fail "exit status"
	[ "$(article_views $ART)" = 10 ] ||
		fail "kept article: $(article_views $ART) views, want 10"
	[ "$(article_views $new)" = $((4 + seen)) ] ||
		fail "removed article: $(article_views $new) views, want $((4 + seen))"
}

# The periodic rescan asks the watch, not a walk.
test_inotify_rescan() {
	RESCAN=1 setup
	rm "$TMP/capsule/thoi-su/leak.txt" "$TMP/capsule/thoi-su/leakdir"
	start_server
	printf 'title: Tự thấy\ndate: 2023-04-04\n\nKhông cần SIGHUP.\n' >"$TMP/capsule/thoi-su/2023-04-04-tu-thay.gmi"
	wait_for 30 status_is 20 "gemini://localhost/thoi-su/2023-04-04-tu-thay" ||
		fail "new article not found by the rescan"
	grep -qE 'folders read, [1-9][0-9]* unchanged|the last snapshot patched' "$TMP/log" ||
		fail "the rescan's reload read every folder"
	alive
	stop_server || fail "exit status"
}

# A queue that overflowed makes the next reload read every folder.
test_inotify_overflow() {
	RESCAN=0 setup
	rm "$TMP/capsule/thoi-su/leak.txt" "$TMP/capsule/thoi-su/leakdir"
	start_server
	c=$TMP/capsule
	# more events than the queue holds, two files in turn (the same
	# event twice in a row is one)
	$PYTHON - "$c/thoi-su/2020-05-21-chi-bo-dai-hoi.md" "$c/thoi-su/2021-03-04-giao-thong.gmi" <<'PY' || fail "utime"
import os, sys
n = int(open("/proc/sys/fs/inotify/max_queued_events").read()) + 2
t = 1700000000
for i in range(n):
    os.utime(sys.argv[1 + i % 2], (t + i, t + i))
PY
	printf 'title: Sau tràn\ndate: 2023-04-05\n\nSau tràn.\n' >"$c/the-thao/2023-04-05-sau-tran.gmi"
	kill -HUP "$PID"
	wait_for 30 status_is 20 "gemini://localhost/the-thao/2023-04-05-sau-tran" ||
		fail "article after an overflow not served"
	# the start's scan and the reload's
	[ "$(grep -c 'folders read, 0 unchanged' "$TMP/log")" -ge 2 ] ||
		fail "an overflow did not read every folder"
	alive
	stop_server || fail "exit status"
}
