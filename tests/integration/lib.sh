# lib.sh: helpers for the integration tests. Each test gets a scratch
# folder, a generated certificate and configuration on free loopback
# ports, and a server it starts and stops itself, by PID.

BANTIN=${BANTIN:-$PWD/bantin}
HERE=$PWD/tests/integration
# python3 may be a version manager's shim (pyenv: a bash script that
# costs most of a second a call); the tests call it hundreds of times,
# so ask it once for the interpreter it runs. -S: the clients need the
# standard library only, not the start-up hooks of site-packages
PYTHON=${PYTHON:-"$(python3 -c 'import sys; print(sys.executable)') -S"}
GEMGET="$PYTHON $HERE/gemget.py"

# free_ports N: N loopback ports that are free now, picked at random
# below the kernel's ephemeral range: no client connection (this test's
# or a parallel one's) and no bind to port 0 is given one of them
# before the server binds it. Should another program get there first,
# start_server moves to new ones.
free_ports() {
	$PYTHON - "$1" <<'PY'
import random, socket, sys
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
top = low if low > 20000 else 65536
ports = []
while len(ports) < int(sys.argv[1]):
    p = random.randrange(10000, top)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    if p not in ports:
        ports.append(p)
print(*ports)
PY
}

# the article of make_capsule the counter tests count views of
ART=/thoi-su/2020-05-21-chi-bo-dai-hoi

# make_capsule DIR: a small news tree with known content
make_capsule() {
	d=$1
	mkdir -p "$d/thoi-su/anh" "$d/thoi-su/tai-lieu" "$d/the-thao/bong-da" "$d/anh-chung"
	printf '[category]\ntitle = Thời sự\ndescription = Tin trong quận\norder = 1\n' >"$d/thoi-su/_category.ini"
	printf '[category]\ntitle = Thể thao\norder = 2\n' >"$d/the-thao/_category.ini"
	printf '[category]\ntitle = Bóng đá\n' >"$d/the-thao/bong-da/_category.ini"
	cat >"$d/thoi-su/2020-05-21-chi-bo-dai-hoi.md" <<'EOT'
title: Chi bộ hoàn thành Đại hội
date: 2020-05-21 11:15
author: MỸ DUNG

Có 100% Chi bộ trực thuộc Đảng bộ khối cơ quan hoàn thành Đại hội.

## Đảm bảo đúng yêu cầu

Quận Bình Thạnh tổ chức Đại hội Đảng các cấp đúng tiến độ.
EOT
	cat >"$d/thoi-su/2021-03-04-giao-thong.gmi" <<'EOT'
# Phân luồng giao thông dịp lễ

Từ ngày 4/3, các tuyến đường chính được phân luồng.
=> /thoi-su/2020-05-21-chi-bo-dai-hoi Bài liên quan
EOT
	cat >"$d/the-thao/bong-da/2022-07-01-giai-phuong.txt" <<'EOT'
title: Giải bóng đá các phường
date: 2022-07-01

       Giải bóng đá thiếu niên các phường khai mạc sáng nay.
       Mười hai đội tham dự.
EOT
	printf '# Giới thiệu\n\nTrang tin của quận.\n' >"$d/gioi-thieu.gmi"
	printf '# Ảnh\n\nThư mục ảnh chung.\n' >"$d/anh-chung/index.gmi"
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$d/thoi-su/anh/hoi-nghi.png"
	printf '%%PDF-1.4\n%%\342\343\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$d/thoi-su/tai-lieu/ke-hoach"
	printf 'secret\n' >"$d/thoi-su/.hidden.gmi"
	printf 'x\n' >"$d/_private.gmi"
	mkdir -p "$d/.git"; printf 'x\n' >"$d/.git/config"
	printf 'outside the capsule\n' >"$TMP/outside.txt"
	ln -s "$TMP/outside.txt" "$d/thoi-su/leak.txt"
	ln -s "$TMP" "$d/thoi-su/leakdir"
}

# Redis for a test: redis-server on port RP, started and stopped by its
# PID (RPID), its append-only file fsynced at every write in
# $TMP/redis, so that a restart, even after a SIGKILL, keeps its data.
# No other Redis is touched. With RSOCK set, it listens on that unix
# socket instead, and on no port.
rcli() {
	if [ -n "$RSOCK" ]; then
		redis-cli -s "$RSOCK" "$@"
	else
		redis-cli -p "$RP" "$@"
	fi
}
redis_up() { [ "$(rcli ping 2>/dev/null)" = PONG ]; }

# redis_start: redis-server on $RP (or $RSOCK), its data in
# $TMP/redis; RPID
redis_start() {
	command -v redis-server >/dev/null || fail "no redis-server: tools/deps.sh installs it"
	mkdir -p "$TMP/redis"
	if [ -n "$RSOCK" ]; then
		set -- --port 0 --unixsocket "$RSOCK" --unixsocketperm 700
	else
		set -- --port "$RP" --bind 127.0.0.1
	fi
	redis-server "$@" --save "" \
	    --appendonly yes --appendfsync always --dir "$TMP/redis" \
	    --daemonize no >>"$TMP/redis.log" 2>&1 &
	RPID=$!
	HELPERS="$HELPERS $RPID"
	wait_for 30 redis_up || fail "redis-server: $(tail -n 5 "$TMP/redis.log")"
}

# redis_stop [SIGNAL]: stop our redis-server and wait for it
redis_stop() {
	kill -"${1:-TERM}" "$RPID"
	wait "$RPID" 2>/dev/null || true
	RPID=
}

# gen_cert DIR [NAME]: an ECDSA P-256 certificate for NAME (localhost),
# made now
gen_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 365 -subj "/CN=${2:-localhost}" -keyout "$1/key.pem" \
	    -out "$1/cert.pem" 2>/dev/null
}

# gen_config [extra ini text]: writes $TMP/t.ini for the current ports.
# The tests send many requests at once from 127.0.0.1: no rate limit
# per address unless RATE is set; PER_IP and HANDSHAKE set the others.
gen_config() {
	cat >"$TMP/t.ini" <<EOT
[server]
hostname = localhost
state_dir = $TMP/state
workers = ${WORKERS:-2}
[gemini]
listen = 127.0.0.1
port = $GP
cert = $TMP/cert.pem
key = $TMP/key.pem
[gopher]
enabled = yes
listen = 127.0.0.1
port = $HP
[site]
root = $TMP/capsule
title = Bản tin thử
lang = vi
per_page = 10
rescan_interval = ${RESCAN:-1}
[counter]
flush_interval = ${FLUSH:-1}
[limits]
request_timeout = ${REQ_TIMEOUT:-10}
max_connections = ${MAXCONN:-1024}
rate_per_ip = ${RATE:-0}
${PER_IP:+max_connections_per_ip = $PER_IP}
${HANDSHAKE:+handshake_timeout = $HANDSHAKE}
$1
EOT
}

# setup: scratch folder, ports, capsule, certificate, configuration
setup() {
	TMP=$(mktemp -d /tmp/bantin-test.XXXXXX)
	set -- "$1" $(free_ports 2)
	GP=$2 HP=$3
	make_capsule "$TMP/capsule"
	gen_cert "$TMP"
	gen_config "$1"
	PID=
}

# start_server: run bantin in the foreground (-d) and wait for "ready";
# on ports another program took meanwhile, again on new ones
start_server() {
	"$BANTIN" -c "$TMP/t.ini" -n >"$TMP/check.out" 2>&1 || {
		cat "$TMP/check.out"; return 1; }
	_try=1
	until start_once; do
		[ $_try -lt 5 ] && grep -q 'Address already in use' "$TMP/start.log" ||
			return 1
		echo "ports $GP $HP: one was taken; moving"
		set -- $(free_ports 2)
		sed -i "s/^port = $GP\$/port = $1/; s/^port = $HP\$/port = $2/" "$TMP/t.ini"
		GP=$1 HP=$2
		_try=$((_try + 1))
	done
}

# refused WHAT TEXT: -n and a start both refuse $TMP/t.ini, saying TEXT
# (on stderr: -n prints it, a start logs it there with -d)
refused() {
	if "$BANTIN" -n -c "$TMP/t.ini" >"$TMP/n.out" 2>"$TMP/n.err"; then
		fail "-n accepted $1"
	fi
	grep -qF -- "$2" "$TMP/n.err" || fail "-n, $1: $(cat "$TMP/n.err")"
	grep -q 't.ini: configuration refused$' "$TMP/n.err" || fail "-n, $1: not refused"
	! grep -q 'configuration OK' "$TMP/n.out" || fail "-n, $1: said OK"
	if timeout 60 "$BANTIN" -d -c "$TMP/t.ini" 2>"$TMP/refused"; then
		fail "started with $1"
	fi
	grep -qF -- "$2" "$TMP/refused" || fail "start, $1: $(cat "$TMP/refused")"
}

# start_once: one start; what it logged is also in $TMP/start.log. Its
# stderr goes to $TMP/log; its log too, unless SERVER_LOG names the
# file [server] log sends it to.
start_once() {
	_slog=${SERVER_LOG:-$TMP/log}
	_lines=$(cat "$_slog" 2>/dev/null | wc -l)
	"$BANTIN" -d -c "$TMP/t.ini" 2>>"$TMP/log" &
	PID=$!
	# the bound is for a loaded machine and ASan; the wait is not
	# (START_WAIT: a test whose start builds a big catalog)
	wait_for "${START_WAIT:-60}" ready_or_gone
	tail -n +$((_lines + 1)) "$_slog" >"$TMP/start.log"
	grep -q ' ready: ' "$TMP/start.log" && return 0
	if kill -0 "$PID" 2>/dev/null; then
		echo "server not ready after ${START_WAIT:-60} s"
	else
		echo "server exited during start-up:"; tail -n 20 "$TMP/start.log"
		wait "$PID"; PID=
	fi
	return 1
}

# ready_or_gone: a new "ready" line (the log may hold an earlier
# start's), or the server is no more
ready_or_gone() {
	tail -n +$((_lines + 1)) "$_slog" 2>/dev/null | grep -q ' ready: ' ||
		! kill -0 "$PID" 2>/dev/null
}

# The processes under our server ($PID, the privileged parent): the
# master, its workers, and the key process(es), by the names they give
# themselves
master_pid() { pgrep -P "$PID" -x bantin-master; }
worker_pids() { _m=$(master_pid) && pgrep -P "$_m" -x bantin-worker; }
key_pids() { pgrep -P "$PID" -x bantin-key; }
# the master's index process, while it builds an empty catalog
index_pid() { _m=$(master_pid) && pgrep -P "$_m" -x bantin-index; }
has_workers() { [ -n "$(worker_pids)" ]; }

# kill_server: the server dies at once, as on a crash or a power cut:
# SIGKILL to its master first (so that no worker is started again),
# then its parent, key process and workers; 1 if it had no master or
# no worker
kill_server() {
	_km=$(master_pid) _kk=$(key_pids) _kw=$(worker_pids)
	[ -n "$_km" ] && [ -n "$_kw" ] || return 1
	kill -KILL $_km "$PID" $_kk $_kw
	wait "$PID" 2>/dev/null
	PID=
	wait_for 30 gone $_km $_kk $_kw
}

# steady_load SECONDS: requests one after the other for SECONDS, the
# home page and the article ART in turn, over Gemini and Gopher in
# turn, each answered before the next goes (none is in flight when it
# returns); prints the visits and the views of ART they counted
steady_load() {
	$PYTHON - "$GP" "$HP" "$ART" "$1" "$HERE" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[5])
from clients import gemini, gopher
gp, hp, art = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
end = time.monotonic() + float(sys.argv[4])
visits = views = 0
while time.monotonic() < end:
    path = art if visits % 2 else "/"
    if visits % 4 < 2:
        ok = gemini(gp, path).startswith(b"20")
    else:
        ok = gopher(hp, path).endswith(b".\r\n")
    if not ok:
        sys.exit("not answered: " + path)
    visits += 1
    views += path == art
print(visits, views)
PY
}

# kill_rounds N CHECK: N times, a steady load for some seconds, the
# server killed at once and started again, then CHECK VISITS VIEWS with
# all that was answered so far (also left in KILLED_VISITS and
# KILLED_VIEWS)
kill_rounds() {
	KILLED_VISITS=0 KILLED_VIEWS=0 _kr=0
	while [ $_kr -lt "$1" ]; do
		_kl=$(steady_load "$(some_secs)") || fail "round $_kr: the load failed"
		KILLED_VISITS=$((KILLED_VISITS + ${_kl% *}))
		KILLED_VIEWS=$((KILLED_VIEWS + ${_kl#* }))
		kill_server || fail "round $_kr: kill"
		start_server
		echo "round $_kr: $KILLED_VISITS visits, $KILLED_VIEWS views"
		"$2" $KILLED_VISITS $KILLED_VIEWS
		_kr=$((_kr + 1))
	done
}

# some_secs: a number of seconds from 0.2 to 2.5, a new one each time
some_secs() {
	awk -v s="$(date +%N)" 'BEGIN { srand(s); printf "%.2f\n", 0.2 + 2.3 * rand() }'
}

# stop_server: SIGTERM our server and wait for it; 0 if it exited 0
stop_server() {
	[ -n "$PID" ] || return 0
	kill -TERM "$PID" 2>/dev/null
	wait "$PID"; rc=$?
	PID=
	return $rc
}

teardown() {
	_rc=$?
	{ set +x; } 2>/dev/null
	[ -n "$KEEP" ] && [ -n "$TMP" ] && cp -r "$TMP" "$TMP.kept" &&
		echo "kept in $TMP.kept"
	set +e
	# clients a test left running in the background (HELPERS: PIDs)
	[ -n "$HELPERS" ] && kill $HELPERS 2>/dev/null
	if [ -n "$PID" ]; then
		kill -TERM "$PID" 2>/dev/null
		# its own grace is 15 s; a SIGKILL would lose ASan's report
		wait_for 20 gone "$PID" || kill -KILL "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	PID=
	# a sanitizer report, or a worker stopped by its system call
	# filter, anywhere in the server log fails the test
	_bad='ERROR: AddressSanitizer\|LeakSanitizer\|runtime error:\|refused by the filter'
	if [ -n "$TMP" ] && grep -q "$_bad" "$TMP/log" 2>/dev/null; then
		grep -A 12 "$_bad" "$TMP/log" | head -n 30
		_rc=1
	fi
	[ -n "$TMP" ] && rm -rf "$TMP"
	TMP=
	exit $_rc
}

# gem REQUEST [gemget options]: fetch; sets HDR (first line, no CR),
# BODY (the rest) and STATUS (the two digits)
gem() {
	req=$1; shift
	GEMRC=0
	$GEMGET "$@" "$GP" "$req" >"$TMP/resp" 2>"$TMP/resp.err" || GEMRC=$?
	HDR=$(head -n 1 "$TMP/resp" | tr -d '\r')
	BODY=$(tail -n +2 "$TMP/resp")
	STATUS=$(printf '%s' "$HDR" | cut -c1-2)
}

# gopher SELECTOR: raw Gopher request over TCP; sets GOPHER
gopher() {
	GOPHER=$(printf '%s\r\n' "$1" | $PYTHON -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.stdin.buffer.read())
out = b""
while True:
    d = s.recv(65536)
    if not d: break
    out += d
sys.stdout.buffer.write(out)' "$HP")
}

fail() {
	echo "    FAIL: $*"
	return 1
}

# expect_status CODE [what]
expect_status() {
	[ "$STATUS" = "$1" ] || fail "${2:-request}: status '$HDR', want $1"
}

# expect_body TEXT: the body contains TEXT
expect_body() {
	printf '%s' "$BODY" | grep -qF -- "$1" || fail "body lacks '$1'"
}

# expect_log TEXT: the server log contains TEXT (fixed string)
expect_log() {
	grep -qF -- "$1" "$TMP/log" || fail "log lacks '$1'"
}

# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it
# succeeds; 1 if it has not within SECONDS. The bound is for a loaded
# machine; a poll ends as soon as the condition holds.
wait_for() {
	_end=$(( $(date +%s) + $1 )); shift
	case $- in *x*) set +x; _x=1 ;; *) _x= ;; esac
	until "$@"; do
		[ "$(date +%s)" -lt $_end ] || { [ -n "$_x" ] && set -x; return 1; }
		sleep 0.1
	done
	[ -n "$_x" ] && set -x
	return 0
}

# status_is CODE REQUEST: gem REQUEST answers CODE
status_is() {
	gem "$2"; [ "$STATUS" = "$1" ]
}

# body_has TEXT REQUEST: the body of gem REQUEST contains TEXT
body_has() {
	gem "$2"; printf '%s' "$BODY" | grep -qF -- "$1"
}

# later_than SECONDS: the clock is past SECONDS (since the epoch)
later_than() {
	[ "$(date +%s)" -gt "$1" ]
}

# log_has TEXT: the server log contains TEXT (fixed string)
log_has() {
	grep -qF -- "$1" "$TMP/log"
}

# gone PID...: none of these processes runs any more (zombies are gone)
gone() {
	for _p; do
		[ -e "/proc/$_p" ] && ! grep -q '^State:.*Z' "/proc/$_p/status" 2>/dev/null &&
			return 1
	done
	return 0
}

# replaced PID: the server has its two workers again, PID not one of them
replaced() {
	worker_pids >"$TMP/workers"
	! grep -qx "$1" "$TMP/workers" && [ "$(wc -l <"$TMP/workers")" -eq 2 ]
}

alive() {
	kill -0 "$PID" 2>/dev/null || fail "server crashed?"
}
