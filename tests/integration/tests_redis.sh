# tests_redis.sh: [counter] backend = redis. Each test starts its own
# redis-server (lib.sh's redis_start) on a free loopback port, its
# append-only file (fsynced at every write) in the scratch folder so
# that a restart keeps its data, and stops it by PID; no other Redis is
# touched. The counts in Redis and on the pages must be exact: none
# lost, none counted twice, whatever happens to Redis or to bantin.

# redis_setup [extra ini]: setup, with a Redis port RP (not started)
redis_setup() {
	FLUSH=${FLUSH:-1} setup "[counter]
backend = redis
redis = 127.0.0.1:${RPORT:=$(free_ports 1)}
redis_prefix = t:
$1"
	RP=$RPORT
}

# hits GEMINI GOPHER: that many requests of the home page and as many of
# the article, over each protocol (each counts a visit; the article's
# a view too)
hits() {
	$PYTHON - "$GP" "$HP" "$ART" "$HERE" "$1" "$2" <<'PY' || fail "requests failed"
import sys
sys.path.insert(0, sys.argv[4])
from clients import gemini, gopher
gp, hp, art = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
bad = 0
for i in range(int(sys.argv[5])):
    bad += not gemini(gp, "/").startswith(b"20")
    bad += not gemini(gp, art).startswith(b"20")
for i in range(int(sys.argv[6])):
    bad += not gopher(hp, "/").endswith(b".\r\n")
    bad += not gopher(hp, art).endswith(b".\r\n")
sys.exit(1 if bad else 0)
PY
}

# redis_has SITE VIEWS: Redis holds exactly these counts
redis_has() {
	[ "$(rcli get t:site)" = "$1" ] &&
	    [ "$(rcli hget t:views "$ART")" = "$2" ]
}

# expect_redis SITE VIEWS: Redis reaches exactly these counts, and
# stays there (a batch sent twice would add to them)
expect_redis() {
	wait_for 60 redis_has "$1" "$2" || fail "Redis has site $(rcli get t:site), views $(rcli hget t:views "$ART"); want $1 and $2"
	sleep 2
	redis_has "$1" "$2" || fail "Redis moved on to site $(rcli get t:site), views $(rcli hget t:views "$ART"); want $1 and $2"
}

# shown N [STATE]: the master's total, as the counter file has it, is
# N visits: what the next page shows, its own visit added. Every page
# counts a visit, so a test waits for this, not for a page
file_site() { sed -n 's/^site \([0-9]*\)$/\1/p' "${1:-$TMP/state}/counters"; }
shown() { [ "$(file_site "$2")" = "$1" ]; }

# page_shows N [STATE]: once the master has N, the home page shows N + 1
page_shows() {
	wait_for 30 shown "$1" "$2" || fail "the master has $(file_site "$2") visits, not $1"
	gem "gemini://localhost/"
	expect_body "Số lượt truy cập: $(($1 + 1))"
}

test_redis_counts_exact() {
	redis_setup; redis_start; start_server
	hits 10 7
	expect_redis 34 17
	# Redis's batch number of the instance: one a flush with counts
	[ "$(rcli get t:batch:$(hostname):$GP)" -ge 1 ] || fail "no batch key"
	# what another instance adds shows here at the next flush
	rcli incrby t:site 100 >/dev/null
	rcli hincrby t:views "$ART" 50 >/dev/null
	page_shows 134
	gem "gemini://localhost$ART"
	expect_body "Số lượt người xem: 68"
	stop_server
	expect_redis 136 68
	# at stop the file says it all went: no batch, nothing unsent
	grep -q '^batch \|^unsent ' "$TMP/state/counters" && fail "journal: $(cat "$TMP/state/counters")"
	grep -qx "site 136" "$TMP/state/counters" || fail "file: $(cat "$TMP/state/counters")"
}

test_redis_down_and_back() {
	redis_setup; redis_start; start_server
	hits 5 5
	expect_redis 20 10
	redis_stop
	hits 4 3
	wait_for 30 log_has "counts wait in memory" || fail "Redis's absence not logged"
	# pages go on counting meanwhile
	page_shows 34
	sleep 3
	redis_start
	wait_for 60 log_has "answers again" || fail "Redis's return not logged"
	expect_redis 35 17
	# once when it went, once when it came back, not at each try
	[ "$(grep -c 'counts wait in memory' "$TMP/log")" = 1 ] || fail "logged $(grep -c 'counts wait' "$TMP/log") times"
	[ "$(grep -c 'answers again' "$TMP/log")" = 1 ] || fail "return logged more than once"
}

# The batch reaches Redis, which applies it, and the answer is lost:
# bantin cannot know, sends it again under its number, and Redis
# counts it once
test_redis_answer_lost() {
	redis_setup; redis_start
	PP=$(free_ports 1)
	$PYTHON "$HERE/redis_proxy.py" "$PP" "$RP" "$TMP/arm" >"$TMP/proxy.log" 2>&1 &
	HELPERS="$HELPERS $!"
	wait_for 30 grep -q listening "$TMP/proxy.log" || fail "proxy"
	sed -i "s/^redis = .*/redis = 127.0.0.1:$PP/" "$TMP/t.ini"
	start_server
	hits 3 3
	expect_redis 12 6
	inst=$(hostname):$GP
	seq=$(rcli get t:batch:$inst)
	: >"$TMP/arm"
	hits 5 2
	wait_for 60 grep -q dropped "$TMP/proxy.log" || fail "no batch dropped"
	wait_for 30 log_has "counts wait in memory" || fail "lost answer not seen"
	expect_redis 26 13
	wait_for 30 log_has "answer was lost): counted once" || fail "no batch sent again"
	# the batch dropped was the next one, sent again and applied once
	[ "$(rcli get t:batch:$inst)" -gt "$seq" ] || fail "batch number"
	gem "gemini://localhost$ART"
	expect_body "Số lượt người xem: 14"
}

# Redis hangs in the middle of a batch (SIGSTOP), is killed, and comes
# back from its append-only file: the batch is sent again, counted once
test_redis_stalled_then_killed() {
	redis_setup; redis_start; start_server
	hits 2 2
	expect_redis 8 4
	kill -STOP "$RPID"
	hits 3 1
	# a flush waits one second for Redis's answer, then gives up
	wait_for 60 log_has "counts wait in memory" || fail "stall not seen"
	redis_stop KILL
	redis_start
	expect_redis 16 8
}

# bantin stops while Redis is down: the counts wait in the counter
# file, are sent once when both are back, and never twice
test_redis_restart_bantin_while_down() {
	redis_setup; redis_start; start_server
	hits 3 2
	expect_redis 10 5
	redis_stop
	hits 4 0
	stop_server
	grep -q '^unsent \|^batch ' "$TMP/state/counters" || fail "no journal: $(cat "$TMP/state/counters")"
	start_server
	hits 1 1
	# the pages count on from the file meanwhile
	page_shows 22
	stop_server
	start_server
	redis_start
	expect_redis 23 11
	gem "gemini://localhost$ART"
	expect_body "Số lượt người xem: 12"
}

# The whole instance is killed before any flush (only the start's
# reading of its batch number reached Redis): the next start sends
# every count the workers made, once
test_redis_killed_before_flush() {
	FLUSH=600 redis_setup; redis_start; start_server
	hits 10 7
	kill_server || fail "kill"
	[ -z "$(rcli get t:site)" ] || fail "sent before the kill: $(rcli get t:site)"
	# -C import sees them too, not yet sent
	if "$BANTIN" -c "$TMP/t.ini" -C import >"$TMP/out" 2>&1; then fail "imported"; fi
	grep -q "not yet sent to Redis" "$TMP/out" || fail "import said: $(cat "$TMP/out")"
	start_server
	expect_redis 34 17
	page_shows 34
	gem "gemini://localhost$ART"
	expect_body "Số lượt người xem: 18"
	stop_server
	expect_redis 36 18
}

# Killed at random moments of a steady load and of the flushes, three
# times: after each start Redis has every count answered, exactly
test_redis_killed_while_flushing() {
	redis_setup; redis_start; start_server
	kill_rounds 3 expect_redis
}

# -C import seeds Redis from a counter file once; -C export writes
# Redis's counts back in the file's format
test_redis_import_export() {
	redis_setup; redis_start
	mkdir -p "$TMP/state"
	printf 'site 1000\n40 %s\n7 /the-thao/a%%20b\nend 2\n' "$ART" >"$TMP/state/counters"
	"$BANTIN" -c "$TMP/t.ini" -C import >"$TMP/out" 2>&1 || fail "import: $(cat "$TMP/out")"
	grep -q "1000 visits, the views of 2 paths" "$TMP/out" || fail "import said: $(cat "$TMP/out")"
	[ "$(rcli get t:site)" = 1000 ] || fail "site $(rcli get t:site)"
	[ "$(rcli hget t:views '/the-thao/a b')" = 7 ] || fail "escaped path"
	# once: Redis has counts now
	if "$BANTIN" -c "$TMP/t.ini" -C import >"$TMP/out" 2>&1; then fail "imported twice"; fi
	grep -q "has counts under t:\* already: -f replaces them" "$TMP/out" || fail "refusal: $(cat "$TMP/out")"
	[ "$(rcli get t:site)" = 1000 ] || fail "changed by a refused import"
	rcli incrby t:site 5 >/dev/null
	"$BANTIN" -c "$TMP/t.ini" -C import -f >"$TMP/out" 2>&1 || fail "import -f: $(cat "$TMP/out")"
	[ "$(rcli get t:site)" = 1000 ] || fail "-f did not replace"
	start_server
	hits 2 1
	expect_redis 1006 43
	stop_server
	"$BANTIN" -c "$TMP/t.ini" -C export >"$TMP/exported" 2>"$TMP/out" || fail "export: $(cat "$TMP/out")"
	grep -qx "site 1006" "$TMP/exported" || fail "export: $(cat "$TMP/exported")"
	grep -qx "43 $ART" "$TMP/exported" || fail "export: $(cat "$TMP/exported")"
	grep -qx "7 /the-thao/a%20b" "$TMP/exported" || fail "export: $(cat "$TMP/exported")"
	# it is a counter file: a file backend starts from it
	cp "$TMP/exported" "$TMP/state/counters"
	sed -i 's/^backend = redis/backend = file/' "$TMP/t.ini"
	start_server
	gem "gemini://localhost/"
	expect_body "Số lượt truy cập: 1.007"
	# a file with counts Redis has not acknowledged is not imported
	stop_server
	printf 'site 5\nredis x 3\nunsent 2\nend 2\n' >"$TMP/state/counters"
	rcli flushall >/dev/null
	if "$BANTIN" -c "$TMP/t.ini" -C import >"$TMP/out" 2>&1; then fail "imported a journal"; fi
	grep -q "not yet sent to Redis" "$TMP/out" || fail "refusal: $(cat "$TMP/out")"
	# no Redis: the reason, and exit 1
	redis_stop
	if "$BANTIN" -c "$TMP/t.ini" -C export >"$TMP/out" 2>&1; then fail "exported from no Redis"; fi
	grep -q "^bantin: -C export: Redis 127.0.0.1:$RP: Connection refused" "$TMP/out" || fail "export said: $(cat "$TMP/out")"
}

# Two instances on copies of one tree share one Redis: each page shows
# the sum
test_redis_two_instances() {
	redis_setup; redis_start; start_server
	set -- $(free_ports 2)
	mkdir "$TMP/two"
	cp -R "$TMP/capsule" "$TMP/two/capsule"
	sed -e "s|^port = $GP\$|port = $1|; s|^port = $HP\$|port = $2|" \
	    -e "s|$TMP/state|$TMP/two/state|; s|$TMP/capsule|$TMP/two/capsule|" \
	    "$TMP/t.ini" >"$TMP/two/t.ini"
	"$BANTIN" -d -c "$TMP/two/t.ini" 2>"$TMP/two/log" &
	PID2=$!
	HELPERS="$HELPERS $PID2"
	wait_for 60 grep -q ' ready: ' "$TMP/two/log" || fail "second instance: $(tail -n 5 "$TMP/two/log")"
	GP1=$GP HP1=$HP
	hits 4 3
	GP=$1 HP=$2
	hits 2 5
	expect_redis 28 14
	# each instance under its own name: host name and Gemini port
	[ "$(rcli keys 't:batch:*' | wc -l)" = 2 ] || fail "batch keys: $(rcli keys 't:batch:*')"
	page_shows 28 "$TMP/two/state"
	GP=$GP1 HP=$HP1
	page_shows 29
	gem "gemini://localhost$ART"
	expect_body "Số lượt người xem: 15"
	kill -TERM "$PID2"; wait "$PID2" || fail "second instance's exit"
	stop_server
	expect_redis 31 15
}

# A reload (SIGHUP) to backend = redis: from then on the counts go to
# Redis; those counted before stay in the file alone
test_redis_backend_on_reload() {
	redis_setup; redis_start
	sed -i 's/^backend = redis/backend = file/' "$TMP/t.ini"
	start_server
	hits 2 0
	wait_for 30 shown 4 || fail "file: $(file_site)"
	sed -i 's/^backend = file/backend = redis/' "$TMP/t.ini"
	kill -HUP "$PID"
	wait_for 30 log_has "counter: Redis 127.0.0.1:$RP" || fail "no Redis client after the reload"
	hits 1 1
	expect_redis 4 2
	grep -q "^redis $(hostname):$GP " "$TMP/state/counters" || fail "no journal: $(cat "$TMP/state/counters")"
}

# export_gives_up ADDR TEXT: -C export fails, saying TEXT of Redis at
# ADDR, once its deadline of 10 s is past (and not long after: the
# emulator of make check-cross is slow, not that slow)
export_gives_up() {
	_t0=$(date +%s)
	if "$BANTIN" -c "$TMP/t.ini" -C export >/dev/null 2>"$TMP/out"; then
		fail "exported from $1"
	fi
	_t=$(($(date +%s) - _t0))
	[ "$_t" -ge 9 ] && [ "$_t" -le 30 ] ||
		fail "gave up after $_t s, not 10: $(cat "$TMP/out")"
	grep -qF "bantin: -C export: Redis $1: $2" "$TMP/out" ||
		fail "export said: $(cat "$TMP/out")"
}

# The deadlines reach the socket as meant, on a 32-bit board too:
# there Debian's hiredis has a 32-bit time_t, and read bantin's 64-bit
# struct timeval of 1 s as 1 us, of 10 s as 10 us. -C export waits its
# 10 s for a Redis that takes the connection and never answers, then
# as long for a connect that is never taken (make check-cross runs it)
test_redis_deadlines() {
	redis_setup; redis_start
	kill -STOP "$RPID"
	export_gives_up "127.0.0.1:$RP" "no answer in 10000 ms"
	kill -CONT "$RPID"
	"$BANTIN" -c "$TMP/t.ini" -C export >"$TMP/exported" 2>"$TMP/out" ||
		fail "export: $(cat "$TMP/out")"
	grep -qx "site 0" "$TMP/exported" || fail "export: $(cat "$TMP/exported")"
	# a listener whose queue is full (a connection it never accepts):
	# the kernel drops the next SYN
	$PYTHON - "$TMP/full" <<'PY' &
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
c = socket.create_connection(s.getsockname())
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(300)
PY
	HELPERS="$HELPERS $!"
	wait_for 30 test -s "$TMP/full" || fail "no full listener"
	FP=$(cat "$TMP/full")
	sed -i "s/^redis = .*/redis = 127.0.0.1:$FP/" "$TMP/t.ini"
	export_gives_up "127.0.0.1:$FP" "no connection in 10000 ms"
}

# redis = a unix socket's path: the counts go through it, -C export
# reads them, and a socket that is not there is named with the reason
test_redis_unix_socket() {
	redis_setup
	RSOCK=$TMP/redis.sock
	sed -i "s|^redis = .*|redis = $RSOCK|" "$TMP/t.ini"
	redis_start; start_server
	hits 3 2
	expect_redis 10 5
	stop_server
	expect_redis 10 5
	"$BANTIN" -c "$TMP/t.ini" -C export >"$TMP/exported" 2>"$TMP/out" ||
		fail "export: $(cat "$TMP/out")"
	grep -qx "site 10" "$TMP/exported" || fail "export: $(cat "$TMP/exported")"
	grep -qx "5 $ART" "$TMP/exported" || fail "export: $(cat "$TMP/exported")"
	redis_stop
	if "$BANTIN" -c "$TMP/t.ini" -C export >"$TMP/out" 2>&1; then fail "exported from no Redis"; fi
	grep -q "^bantin: -C export: Redis $RSOCK: No such file or directory" "$TMP/out" ||
		fail "export said: $(cat "$TMP/out")"
}
