# tests_logs.sh: where the log goes ([server] log: a file, refused
# when it cannot be used), the access log's lines as a log analyser
# parses them, and both files opened again on SIGHUP after logrotate
# moved them away, whether the reload goes through or not.

# logs_setup: a test server whose log is $TMP/bantin.log and whose
# access log is $TMP/access.log
logs_setup() {
	setup
	printf '[server]\nlog = %s\naccess_log = %s\n' "$TMP/bantin.log" \
	    "$TMP/access.log" >>"$TMP/t.ini"
	SERVER_LOG=$TMP/bantin.log
}

# access_has TEXT [FILE]: the access log (or FILE) has TEXT
access_has() {
	grep -qF -- "$1" "${2:-$TMP/access.log}" 2>/dev/null
}

# fetched_into PATH FILE: a request for PATH is written to FILE (the
# workers that drain after a reload may still write to the old one)
fetched_into() {
	gem "gemini://localhost$1"
	access_has "\"gemini://localhost:$GP$1\"" "$2"
}

# Every line of both files parses, with the regular expressions a log
# analyser would use: the access log's as the combined log format
# (GoAccess: --log-format=COMBINED), the log's request lines as
# README documents them.
test_access_log_lines_parse() {
	WORKERS=1 logs_setup; start_server
	gem "gemini://localhost/"; expect_status 20
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"; expect_status 20
	gem "gemini://localhost/kh%C3%B4ng%20c%C3%B3%22"; expect_status 51
	gem "gemini://localhost/search?%C4%91%E1%BA%A1i%20h%E1%BB%99i"; expect_status 20
	gem "khong phai URL"; expect_status 59
	gopher "/thoi-su/"
	gopher "$(printf '/search\tgiao thong')"
	wait_for 30 access_has "/search?giao%20thong\"" || fail "no Gopher search line"
	[ ! -s "$TMP/log" ] || fail "stderr is not the log: $(cat "$TMP/log")"
	$PYTHON - "$TMP/access.log" "$TMP/bantin.log" "$GP" "$HP" <<'PY' || fail "lines do not parse"
import datetime, re, sys
access, log, gp, hp = sys.argv[1:5]
combined = re.compile(
    r'^(?P<host>[0-9a-f.:]+) - - \[(?P<time>[^\]]+)\] '
    r'"(?P<req>[^"\s]+)" (?P<status>\d{2}) (?P<bytes>\d+) "-" "-"$')
seen = set()
for line in open(access, encoding="ascii"):
    m = combined.match(line.rstrip("\n"))
    if not m:
        sys.exit("access log: %r" % line)
    datetime.datetime.strptime(m["time"], "%d/%b/%Y:%H:%M:%S %z")
    assert m["host"] == "127.0.0.1", line
    seen.add((m["req"], m["status"]))
    if m["status"] == "20":
        assert int(m["bytes"]) > 0, line
want = {
    ("gemini://localhost:%s/" % gp, "20"),
    ("gemini://localhost:%s/thoi-su/2020-05-21-chi-bo-dai-hoi" % gp, "20"),
    ("gemini://localhost:%s/kh%%C3%%B4ng%%20c%%C3%%B3%%22" % gp, "51"),
    ("gemini://localhost:%s/search?%%C4%%91%%E1%%BA%%A1i%%20h%%E1%%BB%%99i" % gp, "20"),
    ("-", "59"),
    ("gopher://localhost:%s/thoi-su/" % hp, "20"),
    ("gopher://localhost:%s/search?giao%%20thong" % hp, "20"),
}
if want - seen:
    sys.exit("missing %s in %s" % (want - seen, seen))
# the request log line: "worker N: proto peer status path bytes ms"
request = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d worker \d+: '
                     r'(gemini|gopher) 127\.0\.0\.1 \d\d \S.* \d+ '
                     r'\d+\.\dms$')
n = sum(1 for line in open(log, encoding="utf-8")
        if request.match(line.rstrip("\n")))
if n != 7:
    sys.exit("%d request lines in the log" % n)
PY
	# and GoAccess, where it is installed, reads every line
	command -v goaccess >/dev/null || return 0
	goaccess "$TMP/access.log" --log-format=COMBINED --no-strict-status \
	    -o "$TMP/report.json" >"$TMP/goaccess.out" 2>&1 ||
		fail "goaccess: $(cat "$TMP/goaccess.out")"
	$PYTHON -c 'import json, sys; g = json.load(open(sys.argv[1]))["general"]
assert g["valid_requests"] == g["total_requests"] == 7, g' "$TMP/report.json" ||
		fail "goaccess did not read every line"
}

# tree_pids: our server ($PID) and every process under it, each found
# by the parent its /proc/N/stat names (after the name, which may hold
# spaces and parentheses)
tree_pids() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$PID" '{
		s = $0; sub(/.*\) /, "", s); split(s, f, " "); pp[$1] = f[2]
	} END {
		n = 1; list[1] = root; print root
		for (i = 1; i <= n; i++)
			for (p in pp)
				if (pp[p] == list[i]) { list[++n] = p; print p }
	}'
}

# holding FILE: the processes of our server that have FILE open, by
# PID and name
holding() {
	for _p in $(tree_pids); do
		_n=$(cat "/proc/$_p/comm" 2>/dev/null)
		[ -n "$(find "/proc/$_p/fd" -lname "$1" 2>/dev/null)" ] &&
			echo "$_p $_n"
	done
	return 0
}

# let_go FILE...: no process of our server has one of them open, so
# that the disk space of moved logs comes back
let_go() {
	for _f; do
		[ -z "$(holding "$_f")" ] || return 1
	done
}

# logrotate's way: rename, then SIGHUP. The master writes to the new
# files at once, the workers of the new generation too, and no process
# of ours keeps the old ones open once the old workers are done; and
# when the reload fails (a broken configuration), a new generation on
# the running site and the running key process take the new files all
# the same.
test_logs_reopened_on_sighup() {
	logs_setup; start_server
	gem "gemini://localhost/truoc"; expect_status 51
	wait_for 30 access_has '/truoc"' || fail "no access line"
	mv "$TMP/access.log" "$TMP/access.log.1"
	mv "$TMP/bantin.log" "$TMP/bantin.log.1"
	kill -HUP "$PID"
	wait_for 30 log_has_in "$TMP/bantin.log" "reloaded: generation 2" ||
	    fail "the log was not opened again: $(cat "$TMP/bantin.log.1")"
	wait_for 30 fetched_into /sau "$TMP/access.log" ||
	    fail "new workers do not write the new access log"
	access_has '/truoc"' "$TMP/access.log.1" || fail "the old lines moved"
	! access_has '/truoc"' || fail "old lines in the new file"
	grep -q ' worker [0-9]*: gemini 127.0.0.1 51 /sau ' "$TMP/bantin.log" ||
	    fail "request lines do not reach the new log"
	[ -n "$(holding "$TMP/bantin.log")" ] || fail "holding finds nothing"
	wait_for 30 let_go "$TMP/bantin.log.1" "$TMP/access.log.1" ||
	    fail "the moved files stay open: bantin.log.1 in $(holding "$TMP/bantin.log.1"); access.log.1 in $(holding "$TMP/access.log.1")"

	# the reload fails; the files are new all the same
	cp "$TMP/t.ini" "$TMP/good.ini"
	printf '[gemini]\nport = nonsense\n' >>"$TMP/t.ini"
	mv "$TMP/access.log" "$TMP/access.log.2"
	mv "$TMP/bantin.log" "$TMP/bantin.log.2"
	kill -HUP "$PID"
	wait_for 30 log_has_in "$TMP/bantin.log" "log files reopened: generation 3" ||
	    fail "no new generation after a failed reload: $(cat "$TMP/bantin.log" "$TMP/bantin.log.2")"
	grep -q 'reload failed' "$TMP/bantin.log" || fail "the failure is not in the new log"
	wait_for 30 fetched_into /sau-nua "$TMP/access.log" ||
	    fail "workers write to the moved file after a failed reload"
	# the running key process, forked before the files moved, takes
	# the new ones from the parent too
	wait_for 30 let_go "$TMP/bantin.log.2" "$TMP/access.log.2" ||
	    fail "the moved files stay open: bantin.log.2 in $(holding "$TMP/bantin.log.2"); access.log.2 in $(holding "$TMP/access.log.2")"
	alive
	stop_server || fail "exit status"
	grep -q ' stopped$' "$TMP/bantin.log" || fail "no stop line in the new log"
}

# log_has_in FILE TEXT
log_has_in() {
	grep -qF -- "$2" "$1" 2>/dev/null
}

# A destination that cannot be used stops bantin before it starts,
# saying why on stderr, in the foreground or not: it never runs mute.
test_log_destination_refused() {
	setup
	cp "$TMP/t.ini" "$TMP/good.ini"
	# a folder where the file should be (root may write anywhere else)
	printf '[server]\nlog = %s\n' "$TMP/capsule" >>"$TMP/t.ini"
	for fg in -d ""; do
		if timeout 60 "$BANTIN" $fg -c "$TMP/t.ini" 2>"$TMP/refused"; then
			fail "started ($fg) with an unusable log"
		fi
		grep -q "t.ini: server:log: $TMP/capsule: Is a directory" "$TMP/refused" ||
			fail "reason ($fg): $(cat "$TMP/refused")"
	done
	{ cat "$TMP/good.ini"; printf '[server]\naccess_log = %s\n' "$TMP/capsule"; } >"$TMP/t.ini"
	if timeout 60 "$BANTIN" -d -c "$TMP/t.ini" 2>"$TMP/refused"; then
		fail "started with an unusable access log"
	fi
	grep -q "server:access_log: $TMP/capsule: Is a directory" "$TMP/refused" ||
		fail "access log reason: $(cat "$TMP/refused")"
	# a folder that is not there: -n says so already
	{ cat "$TMP/good.ini"; printf '[server]\nlog = %s/nowhere/bantin.log\n' "$TMP"; } >"$TMP/t.ini"
	if "$BANTIN" -n -c "$TMP/t.ini" 2>"$TMP/refused"; then
		fail "-n accepted a log in a missing folder"
	fi
	grep -q "server:log: $TMP/nowhere: No such file or directory" "$TMP/refused" ||
		fail "-n: $(cat "$TMP/refused")"
	# syslog where no daemon listens
	if [ ! -e /dev/log ]; then
		{ cat "$TMP/good.ini"; printf '[server]\nlog = syslog\n'; } >"$TMP/t.ini"
		if timeout 60 "$BANTIN" -d -c "$TMP/t.ini" 2>"$TMP/refused"; then
			fail "started with syslog and no /dev/log"
		fi
		grep -q "server:log: syslog: /dev/log: " "$TMP/refused" ||
			fail "syslog: $(cat "$TMP/refused")"
	fi
	# and the place that works: started, logging there
	cp "$TMP/good.ini" "$TMP/t.ini"
	printf '[server]\nlog = %s\n' "$TMP/bantin.log" >>"$TMP/t.ini"
	SERVER_LOG=$TMP/bantin.log start_server
	grep -q ' ready: ' "$TMP/bantin.log" || fail "not in the log file"
}
