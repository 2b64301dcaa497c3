# tests_catalog.sh: the catalog's first build, and what a crash in the
# middle of it leaves.

# catalog_rows FILE: the articles the catalog FILE holds (0: none, or
# no file)
catalog_rows() {
	$PYTHON - "$1" <<'EOF'
import os, sqlite3, sys
n = 0
if os.path.exists(sys.argv[1]):
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    n = db.execute("SELECT count(*) FROM article").fetchone()[0]
print(n)
EOF
}

# building: the index process is at work on catalog.db.new (which
# grows at its end: its pages wait in SQLite's cache until then)
building() {
	I=$(index_pid) && [ -n "$I" ] && [ -f "$TMP/state/catalog.db.new" ]
}

# A kill -9 of the master while the empty catalog is first built (its
# file, catalog.db.new, written by the index process): nothing
# half-built is put in place, and the next start builds it again, then
# serves and finds every article.
test_first_build_killed() {
	setup
	rm -rf "$TMP/capsule"
	N=6000
	$PYTHON "$PWD/tests/gen_scale.py" "$TMP/capsule" -n $N >/dev/null
	"$BANTIN" -d -c "$TMP/t.ini" 2>>"$TMP/log" &
	PID=$!
	# bounds for ASan on a busy machine, where the first build of
	# 6,000 articles took over a minute; a quick one waits no longer
	wait_for 300 building || fail "no first build seen"
	M=$(master_pid) || fail "no master"
	kill -KILL "$M"
	! grep -q ' ready: ' "$TMP/log" || fail "built before the kill"
	# the parent and the index process go with it
	wait_for 30 gone "$PID" "$I" || fail "the parent or index outlived it"
	wait "$PID" 2>/dev/null || true
	PID=
	[ -f "$TMP/state/catalog.db.new" ] || fail "no catalog.db.new left"
	[ "$(catalog_rows "$TMP/state/catalog.db")" = 0 ] ||
		fail "a half-built catalog in place"

	START_WAIT=300 start_server
	expect_log "catalog: first build of $N entries"
	grep -q "site $TMP/capsule: $N articles" "$TMP/log" ||
		fail "not $N articles"
	[ ! -e "$TMP/state/catalog.db.new" ] || fail "catalog.db.new left"
	# a sample of the articles is served
	for f in $(cd "$TMP/capsule" && find . -mindepth 2 \( -name '*.md' -o -name '*.gmi' \
	    -o -name '*.txt' -o -name '*.html' \) | sort | awk 'NR % 400 == 1'); do
		f=${f#./}
		status_is 20 "gemini://localhost/${f%.*}" || fail "$f not served"
	done
	# and every English one found: each says "taking part" (its lead)
	gem "gemini://localhost/search?%22taking%20part%22"
	expect_status 20
	expect_body "$((N / 10)) bài"
	stop_server || fail "stop"
	# a restart finds the catalog whole, and reads no file again: the
	# stop left the snapshot, which the start takes as it is
	start_server
	grep -q "as the last run left it" "$TMP/start.log" ||
		fail "the image not taken"
	stop_server || fail "stop"
	# without the image, the catalog has every file
	rm "$TMP/state/site.image"
	start_server
	grep -q "0 sources read" "$TMP/start.log" || fail "files read again"
}

# kill_master: kill -9 the master; the parent goes with it
kill_master() {
	M=$(master_pid) || fail "no master"
	kill -KILL "$M"
	wait_for 30 gone "$PID" || fail "the parent outlived the master"
	wait "$PID" 2>/dev/null || true
	PID=
}

# A restart starts from the snapshot the last stop left (site.image)
# when the tree is as it was, and reads the folders that changed while
# the server was down; a cut image, or one beside another catalog, is
# not used.
test_image_restart() {
	RESCAN=0 setup
	rm "$TMP/capsule/thoi-su/leak.txt" "$TMP/capsule/thoi-su/leakdir"
	c=$TMP/capsule
	# a start that did not take an image writes one once it serves: a
	# kill -9 then still leaves the next start one to take
	start_server
	wait_for 30 test -s "$TMP/state/site.image" ||
		fail "no image written after the first start"
	kill_master
	start_server
	grep -q "as the last run left it" "$TMP/start.log" ||
		fail "the image not taken"
	gem "gemini://localhost$ART"
	expect_status 20
	gem "gemini://localhost/search?chi%20bo"
	expect_body "=> $ART"
	stop_server || fail "stop"
	# changed while down: edited in place, added, removed
	printf 'title: Sửa khi nghỉ
date: 2020-05-21 11:15

Từ khinhkhicau mới.
' >"$c/thoi-su/2020-05-21-chi-bo-dai-hoi.md"
	printf 'title: Bài thêm
date: 2023-03-03

Thêm.
' >"$c/the-thao/2023-03-03-them.gmi"
	rm "$c/thoi-su/2021-03-04-giao-thong.gmi"
	start_server
	! grep -q "as the last run left it" "$TMP/start.log" ||
		fail "the image taken whole after changes"
	grep -q "folders read, [1-9][0-9]* unchanged" "$TMP/start.log" ||
		fail "unchanged folders not taken from the image"
	gem "gemini://localhost$ART"
	expect_body "Sửa khi nghỉ"
	gem "gemini://localhost/search?khinhkhicau"
	expect_body "Sửa khi nghỉ"
	gem "gemini://localhost/the-thao/2023-03-03-them"
	expect_status 20 "added while down"
	gem "gemini://localhost/thoi-su/2021-03-04-giao-thong"
	expect_status 51 "removed while down"
	stop_server || fail "stop"
	# a kill leaves the image of the last stop, older than the tree:
	# the folders changed since are read again
	start_server
	grep -q "as the last run left it" "$TMP/start.log" ||
		fail "the image of the last stop not taken"
	printf 'title: Sửa trước khi chết
date: 2020-05-21 11:15

Bài.
' >"$c/thoi-su/2020-05-21-chi-bo-dai-hoi.md"
	kill -HUP "$PID"
	wait_for 30 body_has "Sửa trước khi chết" "gemini://localhost$ART" ||
		fail "edited article not served"
	kill_master
	start_server
	! grep -q "as the last run left it" "$TMP/start.log" ||
		fail "a stale image taken whole"
	gem "gemini://localhost$ART"
	expect_body "Sửa trước khi chết"
	stop_server || fail "stop"
	# a cut image: a warning, and the site loaded whole
	head -c 3000 "$TMP/state/site.image" >"$TMP/x"
	mv "$TMP/x" "$TMP/state/site.image"
	start_server
	grep -q "site image: .*cut, damaged or old" "$TMP/start.log" ||
		fail "no warning for a cut image"
	gem "gemini://localhost$ART"
	expect_body "Sửa trước khi chết"
	stop_server || fail "stop"
	# another catalog (this one removed): not the image's
	rm -f "$TMP/state/catalog.db"*
	start_server
	! grep -q "as the last run left it" "$TMP/start.log" ||
		fail "the image taken beside a new catalog"
	gem "gemini://localhost/search?truoc%20khi%20chet"
	expect_body "Sửa trước khi chết"
	alive
	stop_server || fail "stop"
}

# A start that takes the image whole reads nothing from the catalog
# before it serves: the catalog's check comes after, and a damaged one
# is rebuilt by a full scan, search and all.
test_image_damaged_catalog() {
	RESCAN=0 setup
	rm "$TMP/capsule/thoi-su/leak.txt" "$TMP/capsule/thoi-su/leakdir"
	start_server
	stop_server || fail "stop"
	[ -s "$TMP/state/site.image" ] || fail "no image"
	# its first page whole (the header, the schema), the two after it
	# not; the page size is the file's (header offset 16)
	$PYTHON - "$TMP/state/catalog.db" <<'PY' || fail "damage"
import sys
with open(sys.argv[1], "r+b") as f:
    size = int.from_bytes(f.read(18)[16:18], "big")
    size = 65536 if size == 1 else size
    f.seek(size)
    f.write(b"\xa5" * 2 * size)
PY
	: >"$TMP/log"
	start_server
	grep -q "as the last run left it" "$TMP/start.log" ||
		fail "the image not taken"
	wait_for 30 grep -q "damaged.*rebuilding" "$TMP/log" ||
		fail "the damage not found after ready"
	wait_for 30 grep -q "reloaded" "$TMP/log" || fail "no full scan"
	gem "gemini://localhost/search?chi%20bo"
	expect_body "=> $ART"
	alive
	stop_server || fail "stop"
}
