# tests_lang_tz.sh: an article's own language (issue 13, item 1), and
# [site] timezone and dates with offsets (item 3), over the real binary
# on both protocols.

# lang_articles: an English article, an English HTML page, a French
# one and one with a bad tag, on the Vietnamese test site
lang_articles() {
	printf 'title: Online public services\nlang: en\ndate: 2025-09-10 16:00\nauthor: Lan Anh\n\nThe district opened [its portal](https://example.org/).\n' \
	    >"$TMP/capsule/thoi-su/2025-09-10-online.md"
	printf '<!DOCTYPE html><html lang="en-GB"><head><title>Road works</title><meta name="author" content="Ann"><meta property="article:published_time" content="2025-09-09T08:00:00+07:00"></head><body><p>Closed until May.</p></body></html>\n' \
	    >"$TMP/capsule/thoi-su/road-works.html"
	printf 'title: Nouvelles\nlang: fr\ndate: 2025-09-08\nauthor: Luc\n\nTexte.\n' \
	    >"$TMP/capsule/thoi-su/2025-09-08-nouvelles.md"
	printf 'title: Sai thẻ\nlang: en_US\ndate: 2025-09-07\n\nx\n' \
	    >"$TMP/capsule/thoi-su/2025-09-07-sai.md"
	mkdir -p "$TMP/state"
	printf 'bantin-counters 2\nsite 1234567\n1500 /thoi-su/2025-09-10-online\n1234 /thoi-su/2020-05-21-chi-bo-dai-hoi\nend 2\n' \
	    >"$TMP/state/counters"
}

test_lang_english_article() {
	WORKERS=1 setup "$(printf '[labels]\nby = Người viết\n[site]\ntimezone = Asia/Ho_Chi_Minh')"
	lang_articles; start_server
	gem "gemini://localhost/thoi-su/2025-09-10-online"
	[ "$HDR" = "20 text/gemini; charset=utf-8; lang=en" ] || fail "header: $HDR"
	expect_body "10 September 2025 16:00 · By: Lan Anh"
	expect_body "Views: 1,501"
	expect_body "=> / Home"
	! printf '%s' "$BODY" | grep -q 'Tháng\|Người viết\|Trang chủ\|lượt' || fail "Vietnamese labels: $BODY"
	# the page cache fills in the number in the page's language too
	gem "gemini://localhost/thoi-su/2025-09-10-online"
	expect_body "Views: 1,502"
	# a Vietnamese article keeps the site's labels and override
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"
	[ "$HDR" = "20 text/gemini; charset=utf-8; lang=vi" ] || fail "header: $HDR"
	expect_body "21 Tháng Năm 2020 11:15 · Người viết: MỸ DUNG"
	expect_body "Số lượt người xem: 1.235"
	# listings keep the site's language
	gem "gemini://localhost/thoi-su/"
	[ "$HDR" = "20 text/gemini; charset=utf-8; lang=vi" ] || fail "listing: $HDR"
	expect_body "=> /thoi-su/2025-09-10-online 2025-09-10 Online public services"
	expect_body "=> / Trang chủ"
	gem "gemini://localhost/"
	expect_body "Số lượt truy cập: 1.234.5"
	# Gopher: the same labels, and the references heading
	gopher "/thoi-su/2025-09-10-online"
	for t in "10 September 2025 16:00 · By: Lan Anh" "Views: 1,50" "References" "Home"; do
		printf '%s' "$GOPHER" | grep -qF "$t" || fail "gopher lacks '$t': $GOPHER"
	done
	! printf '%s' "$GOPHER" | grep -q 'Liên kết\|Tháng\|Trang chủ' || fail "gopher: Vietnamese labels"
	gopher "/thoi-su/2020-05-21-chi-bo-dai-hoi"
	printf '%s' "$GOPHER" | grep -qF "Người viết: MỸ DUNG" || fail "gopher vi: $GOPHER"
}

test_lang_tags_html_feed() {
	setup "$(printf '[site]\ntimezone = UTC')"
	lang_articles; start_server
	gem "gemini://localhost/thoi-su/road-works"
	[ "$HDR" = "20 text/gemini; charset=utf-8; lang=en-GB" ] || fail "html: $HDR"
	# in UTC, 08:00+07:00 is 01:00
	expect_body "9 September 2025 01:00 · By: Ann"
	# French: its tag, the site's labels
	gem "gemini://localhost/thoi-su/2025-09-08-nouvelles"
	[ "$HDR" = "20 text/gemini; charset=utf-8; lang=fr" ] || fail "fr: $HDR"
	expect_body "8 Tháng Chín 2025 · Tác giả: Luc"
	# a bad tag: ignored, with a warning naming the file
	gem "gemini://localhost/thoi-su/2025-09-07-sai"
	[ "$HDR" = "20 text/gemini; charset=utf-8; lang=vi" ] || fail "bad tag: $HDR"
	expect_log "thoi-su/2025-09-07-sai.md: lang 'en_US' is not a language tag (such as vi or en-US): ignored"
	# the feed: the site's language, each entry in another says so
	gem "gemini://localhost/thoi-su/atom.xml"
	expect_status 20
	printf '%s' "$BODY" | python3 -c '
import sys, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
assert d.documentElement.getAttribute("xml:lang") == "vi"
got = {}
for e in d.getElementsByTagName("entry"):
    got[e.getElementsByTagName("id")[0].firstChild.data.rsplit("/", 1)[1]] = e.getAttribute("xml:lang")
want = {"2025-09-10-online": "en", "road-works": "en-GB", "2025-09-08-nouvelles": "fr", "2025-09-07-sai": "", "2020-05-21-chi-bo-dai-hoi": ""}
for k, v in want.items():
    assert got.get(k) == v, (k, got.get(k))
' || fail "feed xml:lang"
}

# tz_articles: one article per way of giving a date, all at 16:00 in
# Hà Nội (09:00 UTC) on 10 September 2025
tz_articles() {
	mkdir -p "$TMP/capsule/gio"
	printf 'title: Có múi giờ\ndate: 2025-09-10T16:00:00+07:00\n\nThân bài.\n' \
	    >"$TMP/capsule/gio/co-mui-gio.md"
	printf 'title: Giờ UTC\ndate: 2025-09-10 09:00Z\n\nThân bài.\n' \
	    >"$TMP/capsule/gio/gio-utc.md"
	printf 'title: Không múi giờ\ndate: 2025-09-10 16:00\n\nThân bài.\n' \
	    >"$TMP/capsule/gio/khong-mui-gio.md"
	printf '<html><head><title>Trang HTML</title><meta property="article:published_time" content="2025-09-10T11:00:00+02:00"></head><body><p>Thân bài.</p></body></html>\n' \
	    >"$TMP/capsule/gio/trang-html.html"
}

# wait_body URL TEXT: fetch until the body holds TEXT (a reload), 5 s
wait_body() {
	_i=0
	while [ $_i -lt 25 ]; do
		gem "$1"
		printf '%s' "$BODY" | grep -qF -- "$2" && return 0
		sleep 0.2; _i=$((_i + 1))
	done
	fail "$1 never showed '$2'"
}

test_tz_atom_keeps_offsets() {
	setup "$(printf '[site]\ntimezone = Asia/Ho_Chi_Minh')"
	tz_articles; start_server
	gem "gemini://localhost/gio/atom.xml"
	expect_status 20
	printf '%s' "$BODY" | python3 -c '
import sys, xml.dom.minidom as m
from datetime import datetime
d = m.parseString(sys.stdin.buffer.read())
es = d.getElementsByTagName("entry")
assert len(es) == 4, len(es)
for e in es:
    for tag in ("published", "updated"):
        t = e.getElementsByTagName(tag)[0].firstChild.data
        assert t == "2025-09-10T16:00:00+07:00", (tag, t)
        assert datetime.fromisoformat(t).timestamp() == 1757494800
' || fail "Atom times"
	! printf '%s' "$BODY" | grep -q 'T16:00:00Z' || fail "a local time written as UTC"
	# every article: its date line and gemsub date in Hà Nội's clock
	for a in co-mui-gio gio-utc khong-mui-gio trang-html; do
		gem "gemini://localhost/gio/$a"
		expect_status 20 "$a"
		expect_body "10 Tháng Chín 2025 16:00"
	done
	gem "gemini://localhost/date/2025/09/10/"
	expect_status 20
	[ "$(printf '%s\n' "$BODY" | grep -c '^=> /gio/.* 2025-09-10 ')" = 4 ] || fail "day archive: $BODY"
	gopher "/gio/gio-utc"
	printf '%s' "$GOPHER" | grep -qF "10 Tháng Chín 2025 16:00" || fail "gopher date line: $GOPHER"
}

test_tz_utc_converts() {
	setup "$(printf '[site]\ntimezone = UTC')"
	tz_articles
	# 23:30 in Hà Nội is still the 10th in UTC, 06:30 on the 11th is not
	printf 'title: Khuya\ndate: 2025-09-11T06:30:00+07:00\n\nx\n' >"$TMP/capsule/gio/khuya.md"
	start_server
	gem "gemini://localhost/gio/atom.xml"
	expect_body "<published>2025-09-10T09:00:00Z</published>"
	expect_body "<published>2025-09-10T16:00:00Z</published>"
	expect_body "<published>2025-09-10T23:30:00Z</published>"
	[ "$(printf '%s\n' "$BODY" | grep -c '<published>2025-09-10T09:00:00Z</published>')" = 3 ] || fail "three articles at 09:00Z"
	gem "gemini://localhost/gio/co-mui-gio"
	expect_body "10 Tháng Chín 2025 09:00"
	gem "gemini://localhost/gio/khong-mui-gio"
	expect_body "10 Tháng Chín 2025 16:00"
	gem "gemini://localhost/gio/"
	expect_body "=> /gio/khuya 2025-09-10 Khuya"
	gem "gemini://localhost/date/2025/09/11/"
	expect_status 51 "no article on the 11th in UTC"
}

test_tz_bad_name_refused() {
	setup "$(printf '[site]\ntimezone = Mars/Olympus')"
	! "$BANTIN" -c "$TMP/t.ini" -n >"$TMP/out" 2>&1 || fail "-n accepted a bad zone"
	grep -qF "site:timezone: unknown time zone 'Mars/Olympus'" "$TMP/out" || fail "$(cat "$TMP/out")"
	grep -qF "configuration refused" "$TMP/out" || fail "not refused"
	gen_config "$(printf '[site]\ntimezone = ../../../etc/passwd')"
	! "$BANTIN" -c "$TMP/t.ini" -n >"$TMP/out" 2>&1 || fail "-n accepted a path"
	grep -qF "site:timezone: '../../../etc/passwd' is not a time zone name" "$TMP/out" || fail "$(cat "$TMP/out")"
	gen_config "$(printf '[site]\ntimezone = Asia/Ho_Chi_Minh')"
	"$BANTIN" -c "$TMP/t.ini" -nn >"$TMP/out" 2>&1 || fail "$(cat "$TMP/out")"
	grep -qF "site.timezone = Asia/Ho_Chi_Minh" "$TMP/out" || fail "dump: $(cat "$TMP/out")"
}

test_tz_reload_new_zone() {
	RESCAN=0 setup "$(printf '[site]\ntimezone = UTC')"
	tz_articles; start_server
	gem "gemini://localhost/gio/co-mui-gio"
	expect_body "10 Tháng Chín 2025 09:00"
	# a bad zone is refused: the running one stays
	gen_config "$(printf '[site]\ntimezone = Nowhere/Else')"
	kill -HUP "$PID"
	wait_for 30 log_has "reload failed" || fail "the bad zone was not refused"
	expect_log "site:timezone: unknown time zone 'Nowhere/Else'"
	expect_log "reload failed"
	gem "gemini://localhost/gio/co-mui-gio"
	expect_body "10 Tháng Chín 2025 09:00"
	# a good one: every date is read again in it
	gen_config "$(printf '[site]\ntimezone = Asia/Ho_Chi_Minh')"
	kill -HUP "$PID"
	wait_body "gemini://localhost/gio/co-mui-gio" "10 Tháng Chín 2025 16:00"
	gem "gemini://localhost/gio/atom.xml"
	expect_body "<published>2025-09-10T16:00:00+07:00</published>"
	! printf '%s' "$BODY" | grep -q 'Z</published>' || fail "a date left in UTC"
	alive
	stop_server || fail "exit status after reload"
}

# log_clocks ZONE: every stamped line of the log is within two minutes
# of now in ZONE (14 hours from UTC, so a line stamped in the zone the
# server was started in stands out)
log_clocks() {
	_now=$(TZ=$1 date +%s)
	_off=$(TZ=$1 date +%z)
	grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} ' "$TMP/log" |
	    cut -c1-19 | sort -u | while read -r _d _t; do
		_s=$(date -d "$_d $_t $_off" +%s)
		[ $((_now - _s)) -le 120 ] && [ $((_s - _now)) -le 120 ] ||
			{ echo "stamped $_d $_t, now in $1: $(TZ=$1 date '+%F %T')"; return 1; }
	done
}

# [site] timezone is the log's clock too, in every process: the
# parent's lines (start, SIGHUP) and the master's and workers' read the
# same, before and after a scan switched the master to it
test_tz_log_one_clock() {
	RESCAN=0 setup "$(printf '[site]\ntimezone = Pacific/Kiritimati')"
	tz_articles
	export TZ=UTC
	start_server
	gem "gemini://localhost/gio/co-mui-gio"
	kill -HUP "$PID"
	wait_for 30 log_has "reloaded: generation 2" || fail "no reload"
	expect_log "SIGHUP: reloading"
	out=$(log_clocks Pacific/Kiritimati) || fail "$out"
	[ -z "$out" ] || fail "$out"
}
