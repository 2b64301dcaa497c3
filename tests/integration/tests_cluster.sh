# tests_cluster.sh: bantin as several instances behind HAProxy (TCP
# mode, TLS end to end). Each instance is a machine in miniature: a
# folder $TMP/iN with its own copy of the content tree, the same
# certificate, key and session ticket secret as the others, its own
# state, log and loopback ports. HAProxy runs on a configuration
# written here and is started and stopped by its PID, like the
# instances.
#
# The helpers are meant to grow with the cluster: cluster_setup and
# instance_add take extra ini lines for every instance or one, and
# lb_config takes options for HAProxy's server lines (send-proxy-v2 for
# instances that read the PROXY protocol).

CLUSTER="$PYTHON $HERE/cluster.py"

# in_instance I COMMAND...: COMMAND as though instance I were the
# test's one server: lib.sh's TMP, GP, HP and PID are its own
# meanwhile, and what COMMAND changes of them is kept (start_server
# moves to other ports when one was taken). Its status is COMMAND's.
in_instance() {
	_ci=$1; shift
	_ctop=$TMP
	eval "GP=\$GP_$_ci HP=\$HP_$_ci PID=\$PID_$_ci"
	TMP=$_ctop/i$_ci
	_crc=0
	"$@" || _crc=$?
	eval "GP_$_ci=\$GP HP_$_ci=\$HP PID_$_ci=\$PID"
	TMP=$_ctop GP= HP= PID=
	return $_crc
}

# cluster_setup N [EXTRA]: lib.sh's setup (the tree, certificate and
# key every instance copies) and a ticket secret, then N instances
# $TMP/i1 to $TMP/iN, each with EXTRA in its configuration. Deadlines
# are long: a test here runs two servers and HAProxy on a busy machine.
cluster_setup() {
	_cn=$1
	REQ_TIMEOUT=${REQ_TIMEOUT:-30} HANDSHAKE=${HANDSHAKE:-30}
	setup
	trap cluster_teardown EXIT
	(umask 077 && openssl rand -hex 32 >"$TMP/ticket.key")
	INSTANCES=
	for _cj in $(seq "$_cn"); do
		instance_add "$_cj" "$2"
	done
}

# instance_add I [EXTRA]: instance I, as a machine of the cluster gets
# it: the tree copied (as rsync would), the certificate, key and ticket
# secret copied, two free ports; EXTRA goes into its configuration
instance_add() {
	mkdir -p "$TMP/i$1"
	cp -a "$TMP/capsule" "$TMP/i$1/capsule"
	cp -p "$TMP/cert.pem" "$TMP/key.pem" "$TMP/ticket.key" "$TMP/i$1/"
	set -- "$1" "$2" $(free_ports 2)
	eval "GP_$1=$3 HP_$1=$4 PID_$1="
	in_instance "$1" gen_config "[gemini]
ticket_secret = $TMP/i$1/ticket.key
$2"
	INSTANCES="$INSTANCES $1"
}

# cluster_start: every instance started (its -n first), each ready
cluster_start() {
	for _cj in $INSTANCES; do
		in_instance "$_cj" start_server || fail "instance $_cj did not start"
	done
}

# instance_stop: stop the instance in_instance names, as teardown does
instance_stop() {
	[ -n "$PID" ] || return 0
	kill -TERM "$PID" 2>/dev/null
	wait_for 20 gone "$PID" || kill -KILL "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	PID=
}

# instance_log_has I TEXT: instance I's log holds TEXT
instance_log_has() {
	grep -qF -- "$2" "$TMP/i$1/log"
}

cluster_teardown() {
	_rc=$?
	{ set +x; } 2>/dev/null
	set +e
	[ -n "$HELPERS" ] && kill $HELPERS 2>/dev/null
	HELPERS=
	lb_stop
	for _cj in $INSTANCES; do
		in_instance "$_cj" instance_stop
		# teardown looks for a sanitizer's report in $TMP/log
		cat "$TMP/i$_cj/log" >>"$TMP/log" 2>/dev/null
	done
	(exit $_rc)
	teardown
}

# lb_config [OPTIONS]: $TMP/haproxy.cfg, HAProxy in TCP mode in front of
# every instance: a Gemini frontend on LB_GP and a Gopher one on LB_HP,
# round robin, health checks that ask each instance for a page (a
# search prompt over TLS, the Gopher caps file: neither is counted),
# a connection refused tried again on the other instance. OPTIONS go on
# every server line (send-proxy-v2: the checks send it too).
lb_config() {
	set -- "$1" $(free_ports 2)
	LB_GP=$2 LB_HP=$3
	cat >"$TMP/haproxy.cfg" <<EOT
global
	log stderr format raw local0
	stats socket $TMP/haproxy.sock mode 600 level admin
	nbthread 1

defaults
	mode tcp
	log global
	option tcplog
	timeout connect 5s
	timeout client 60s
	timeout server 60s
	timeout check 10s
	retries 3
	option redispatch 1
	default-server inter 1s fall 3 rise 1

frontend gemini
	bind 127.0.0.1:$LB_GP
	default_backend gemini

frontend gopher
	bind 127.0.0.1:$LB_HP
	default_backend gopher

backend gemini
	balance roundrobin
	option tcp-check
	tcp-check connect default ssl sni str(localhost)
	tcp-check send "gemini://localhost/search\\r\\n"
	tcp-check expect rstring "^10 "
EOT
	for _cj in $INSTANCES; do
		eval "printf '\tserver i%s 127.0.0.1:%s check verify none %s\n' $_cj \$GP_$_cj \"\$1\"" >>"$TMP/haproxy.cfg"
	done
	cat >>"$TMP/haproxy.cfg" <<EOT

backend gopher
	balance roundrobin
	option tcp-check
	tcp-check connect default
	tcp-check send "caps.txt\\r\\n"
	tcp-check expect string CAPS
EOT
	for _cj in $INSTANCES; do
		eval "printf '\tserver i%s 127.0.0.1:%s check %s\n' $_cj \$HP_$_cj \"\$1\"" >>"$TMP/haproxy.cfg"
	done
}

# lb_start: HAProxy on $TMP/haproxy.cfg (checked first), in the
# foreground of a background job, its log in $TMP/haproxy.log; ready
# when its health checks find every server up
lb_start() {
	command -v haproxy >/dev/null || fail "no haproxy: tools/deps.sh installs it"
	haproxy -dW -c -q -f "$TMP/haproxy.cfg" || fail "haproxy -c: $(haproxy -c -f "$TMP/haproxy.cfg" 2>&1)"
	haproxy -db -f "$TMP/haproxy.cfg" 2>>"$TMP/haproxy.log" &
	LB_PID=$!
	set -- $INSTANCES
	wait_for 60 lb_up $(($# * 2)) || fail "HAProxy: $(lb_servers)"
}

lb_stop() {
	[ -n "$LB_PID" ] || return 0
	kill -TERM "$LB_PID" 2>/dev/null
	wait "$LB_PID" 2>/dev/null
	LB_PID=
}

# lb_servers: "backend/server STATUS" for each server, from HAProxy's
# stats socket
lb_servers() {
	$PYTHON - "$TMP/haproxy.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    data += d
for line in data.decode().splitlines():
    f = line.split(",")
    if len(f) > 17 and not line.startswith("#") and f[1] not in ("FRONTEND", "BACKEND"):
        print("%s/%s %s" % (f[0], f[1], f[17]))
PY
}

# lb_up N: exactly N servers are up
lb_up() {
	[ "$(lb_servers 2>/dev/null | grep -c ' UP$')" -eq "$1" ]
}

# lb_down SERVER...: HAProxy holds each (backend/server) down
lb_down() {
	lb_servers >"$TMP/lb.state" 2>/dev/null || return 1
	for _s; do
		grep -qx "$_s DOWN" "$TMP/lb.state" || return 1
	done
}

# answered: how many requests the load client has had answered so far
answered() {
	cat "$TMP/progress" 2>/dev/null || echo 0
}

answered_at_least() {
	[ "$(answered)" -ge "$1" ]
}

# served I PATTERN: how many requests instance I answered with 20 whose
# path begins with PATTERN
served() {
	grep -c -F -- " 20 $2" "$TMP/i$1/log" || true
}

# the ids of the requests of a load (TAG) answered, one a line, from
# every instance's log
answered_ids() {
	cat "$TMP"/i*/log | grep -o " 20 [^ ]*?$1-[gh]-[0-9]* " | sort
}

test_cluster_tickets_resume() {
	cluster_setup 2
	cluster_start
	# each instance resumes the sessions the other made
	out=$($CLUSTER resume "$GP_1" "$GP_2")
	[ "$out" = resumed ] || fail "A's session on B: $out"
	out=$($CLUSTER resume "$GP_2" "$GP_1")
	[ "$out" = resumed ] || fail "B's session on A: $out"
	# and both workers of each: a run of them on one instance
	out=$($CLUSTER resume-n "$GP_2" 8)
	[ "$out" = "resumed 8/8" ] || fail "on B: $out"
}

# one_key_process: the instance in_instance names has one key process
one_key_process() {
	[ "$(key_pids | wc -l)" -eq 1 ]
}

# another secret on one instance: no resumption across; a reload that
# brings the shared one back restores it; a reload to a file others may
# read is refused, and the running secret stays, also when a key
# process is started again
test_cluster_tickets_other_secret() {
	cluster_setup 2
	(umask 077 && openssl rand -hex 32 >"$TMP/i2/ticket.key")
	cluster_start
	out=$($CLUSTER resume "$GP_1" "$GP_2")
	[ "$out" = "full handshake" ] || fail "other secrets, A's session on B: $out"
	out=$($CLUSTER resume "$GP_2" "$GP_2")
	[ "$out" = resumed ] || fail "B's own session: $out"

	cp -p "$TMP/ticket.key" "$TMP/i2/ticket.key"
	old=$(in_instance 2 worker_pids)
	kill -HUP "$PID_2"
	wait_for 60 instance_log_has 2 "reloaded: generation 2" || fail "no reload"
	# the old workers, with the old secret, accept no more
	wait_for 60 gone $old || fail "old workers still there"
	out=$($CLUSTER resume "$GP_1" "$GP_2")
	[ "$out" = resumed ] || fail "after the reload, A's session on B: $out"

	chmod 644 "$TMP/i2/ticket.key"
	kill -HUP "$PID_2"
	wait_for 60 instance_log_has 2 "reload failed: gemini:ticket_secret: $TMP/i2/ticket.key: mode 0644 lets its group or others at it" ||
		fail "reload not refused: $(tail -n 5 "$TMP/i2/log")"
	out=$($CLUSTER resume "$GP_1" "$GP_2")
	[ "$out" = resumed ] || fail "after a refused reload, A's session on B: $out"

	# the key process the refused reload started has ended; the one
	# started when the running one dies comes with the running secret
	wait_for 60 in_instance 2 one_key_process || fail "key processes: $(in_instance 2 key_pids)"
	old=$(in_instance 2 worker_pids) k=$(in_instance 2 key_pids)
	kill -KILL $k
	wait_for 60 instance_log_has 2 "reloaded: generation 3" ||
		fail "key process not replaced: $(tail -n 5 "$TMP/i2/log")"
	wait_for 60 gone $old || fail "old workers still there"
	out=$($CLUSTER resume "$GP_1" "$GP_2")
	[ "$out" = resumed ] || fail "after a new key process, A's session on B: $out"
}

# a file start-up must not take is refused by -n and at start, by name
test_cluster_ticket_secret_refused() {
	setup
	printf '[gemini]\nticket_secret = %s\n' "$TMP/ticket.key" >>"$TMP/t.ini"
	openssl rand -hex 32 >"$TMP/ticket.key"
	chmod 644 "$TMP/ticket.key"
	refused "a secret others may read" \
	    "gemini:ticket_secret: $TMP/ticket.key: mode 0644 lets its group or others at it: a secret must be its owner's alone (chmod 600 $TMP/ticket.key)"
	chmod 640 "$TMP/ticket.key"
	refused "a secret its group may read" "gemini:ticket_secret: $TMP/ticket.key: mode 0640"
	openssl rand -hex 16 >"$TMP/ticket.key"
	chmod 600 "$TMP/ticket.key"
	refused "a short secret" \
	    "gemini:ticket_secret: $TMP/ticket.key: 16 bytes of secret, fewer than 32"
	rm "$TMP/ticket.key"
	refused "no file" "gemini:ticket_secret: $TMP/ticket.key: No such file or directory"
	(umask 077 && openssl rand 32 >"$TMP/ticket.key")
	start_server
	gem "gemini://localhost/"; expect_status 20 "with a raw secret"
}

# 200 Gemini and 200 Gopher requests through HAProxy: each answered
# once, by one instance or the other, and both take a share; a session
# resumes through HAProxy whichever instance a connection reaches
test_cluster_haproxy_spread() {
	cluster_setup 2
	cluster_start
	lb_config
	lb_start
	$CLUSTER load "$LB_GP" "$LB_HP" 200 4 s >"$TMP/load.out" 2>"$TMP/load.err" ||
		fail "load: $(cat "$TMP/load.err")"
	grep -q "^answered 400/400, failed attempts 0, wrong 0," "$TMP/load.out" ||
		fail "load: $(cat "$TMP/load.out") $(head -n 5 "$TMP/load.err")"
	[ "$(answered_ids s | uniq | wc -l)" -eq 400 ] || fail "not every request in a log"
	[ -z "$(answered_ids s | uniq -d)" ] || fail "answered twice: $(answered_ids s | uniq -d | head -n 3)"
	for p in g h; do
		a=$(served 1 "/?s-$p-") b=$(served 2 "/?s-$p-")
		echo "requests /?s-$p-: instance 1 $a, instance 2 $b"
		# round robin gives each half; a health check that times out on
		# a busy machine may take one out for a while
		[ "$a" -ge 20 ] && [ "$b" -ge 20 ] || fail "$p: one instance took almost nothing: $a, $b"
	done

	a=$(served 1 "/ ") b=$(served 2 "/ ")
	out=$($CLUSTER resume-n "$LB_GP" 20)
	[ "$out" = "resumed 20/20" ] || fail "through HAProxy: $out"
	a=$(($(served 1 "/ ") - a)) b=$(($(served 2 "/ ") - b))
	echo "resumed connections: instance 1 $a, instance 2 $b"
	[ "$a" -ge 1 ] && [ "$b" -ge 1 ] || fail "resumptions on one instance only: $a, $b"
}

# One instance dies mid-load: HAProxy's health checks take it out, a
# connection it refuses is tried on the other; the requests it held
# fail, and the client tries them again, as a reader's client would.
# Every request is answered.
test_cluster_haproxy_kill() {
	cluster_setup 2
	cluster_start
	lb_config
	lb_start
	$CLUSTER load "$LB_GP" "$LB_HP" 500 4 k "$TMP/progress" >"$TMP/load.out" 2>"$TMP/load.err" &
	HELPERS=$!
	wait_for 120 answered_at_least 150 || fail "load: $(answered) answered"
	before=$(answered)
	in_instance 2 kill_server || fail "kill instance 2"
	# mid-load: many requests were still to come
	killed=$(answered)
	[ "$killed" -le 900 ] || fail "the load was over ($killed answered) before the kill"
	# HAProxy's health checks see it
	wait_for 60 lb_down gemini/i2 gopher/i2 || fail "HAProxy: $(lb_servers)"
	lb_up 2 || fail "HAProxy: $(lb_servers)"
	wait "$HELPERS" || fail "load: $(cat "$TMP/load.err")"
	HELPERS=
	cat "$TMP/load.out"
	grep "^failed" "$TMP/load.err" || true
	set -- $(sed -n 's/^answered \([0-9]*\)\/\([0-9]*\), failed attempts \([0-9]*\), wrong \([0-9]*\), in flight at most \([0-9]*\)$/\1 \2 \3 \4 \5/p' "$TMP/load.out")
	[ $# -eq 5 ] || fail "load: $(cat "$TMP/load.out")"
	[ "$1" -eq 1000 ] && [ "$2" -eq 1000 ] || fail "answered $1 of $2"
	[ "$4" -eq 0 ] || fail "$4 wrong answers"
	# only the requests in flight when it died may fail: at most one a
	# client connection
	[ "$3" -le "$5" ] || fail "$3 failed attempts, $5 in flight at most"
	# it answered before it died; the other answered the rest
	a=$(served 1 "/?k-") b=$(served 2 "/?k-")
	echo "answered before the kill: $before to $killed; instance 1 $a, instance 2 $b"
	[ "$b" -ge 10 ] || fail "instance 2 answered $b before it died"
	# a worker killed between its reply and its log line (log lines
	# are written in batches) takes that line with it: only those of
	# the requests in flight when it died may be missing
	n=$(answered_ids k | uniq | wc -l)
	[ "$n" -le 1000 ] && [ "$n" -ge $((1000 - $5)) ] ||
		fail "$n of 1000 requests in a log, $5 in flight at most"
}

# the HAProxy configuration of docs/cluster.md, after a global section
# like Debian's, is one HAProxy takes without a warning
test_cluster_guide_haproxy_config() {
	command -v haproxy >/dev/null || fail "no haproxy: tools/deps.sh installs it"
	TMP=$(mktemp -d /tmp/bantin-test.XXXXXX)
	{
		printf 'global\n\tlog stderr format raw local0\n\n'
		awk '/^```haproxy$/ { f = 1; next } /^```$/ { f = 0 } f' docs/cluster.md
	} >"$TMP/haproxy.cfg"
	grep -q '^backend gemini' "$TMP/haproxy.cfg" || fail "no configuration in docs/cluster.md"
	haproxy -dW -c -f "$TMP/haproxy.cfg" >"$TMP/c.out" 2>&1 || fail "haproxy -c: $(cat "$TMP/c.out")"
}

# The whole: Redis, HAProxy in front sending PROXY v2 headers from
# 127.0.0.3 (the only address in proxy_from, so that a log line naming
# it is HAProxy's, not a reader's), two instances counting in Redis
# under one prefix, readers at 127.0.0.1 and 127.0.0.2 asking for the
# home page and three articles over both protocols.
WHOLE_PATHS=/,/thoi-su/2020-05-21-chi-bo-dai-hoi,/thoi-su/2021-03-04-giao-thong,/the-thao/bong-da/2022-07-01-giai-phuong

whole_setup() {
	RP=$(free_ports 1)
	cluster_setup 2 "[server]
proxy_from = 127.0.0.3
[gemini]
proxy_protocol = yes
[gopher]
proxy_protocol = yes
[counter]
backend = redis
redis = 127.0.0.1:$RP
redis_prefix = w:"
	for _cj in $INSTANCES; do
		echo "instance = i$_cj" >>"$TMP/i$_cj/t.ini"
		sed -i "/^\[server\]/a access_log = $TMP/i$_cj/access.log" "$TMP/i$_cj/t.ini"
	done
	redis_start
	cluster_start
	lb_config "send-proxy-v2 source 127.0.0.3"
	lb_start
}

# whole_load N TAG: N requests over each protocol through HAProxy, in
# the background (LOAD); whole_load_end waits for it and sets ANSWERED,
# FAILED (attempts) and MOST (in flight at most), every one answered
whole_load() {
	$CLUSTER load --from 127.0.0.1,127.0.0.2 --paths "$WHOLE_PATHS" \
	    "$LB_GP" "$LB_HP" "$1" 4 "$2" "$TMP/progress" >"$TMP/load.out" 2>"$TMP/load.err" &
	LOAD=$!
	HELPERS="$HELPERS $LOAD"
}

whole_load_end() {
	wait "$LOAD" || fail "load: $(cat "$TMP/load.err")"
	cat "$TMP/load.out"
	set -- $(sed -n 's/^answered \([0-9]*\)\/\([0-9]*\), failed attempts \([0-9]*\), wrong \([0-9]*\), in flight at most \([0-9]*\)$/\1 \2 \3 \4 \5/p' "$TMP/load.out")
	[ $# -eq 5 ] || fail "load: $(cat "$TMP/load.out")"
	[ "$1" -eq "$2" ] && [ "$4" -eq 0 ] || fail "answered $1 of $2, $4 wrong: $(head -n 5 "$TMP/load.err")"
	ANSWERED=$1 FAILED=$3 MOST=$5
}

# answered_path PATH: the load's answered requests of PATH
answered_path() {
	sed -n "s|^path $1 answered \\([0-9]*\\)\$|\\1|p" "$TMP/load.out"
}

# journal_empty I...: the counter file of each instance holds no batch
# and no count unsent: all it counted is in Redis
journal_empty() {
	for _cj; do
		[ -f "$TMP/i$_cj/state/counters" ] || return 1
		! grep -q '^batch \|^unsent ' "$TMP/i$_cj/state/counters" || return 1
	done
}

# counts_settled I...: instances I have sent all they counted, and
# Redis's total stays for 2 s
counts_settled() {
	journal_empty "$@" || return 1
	_s=$(rcli get w:site)
	sleep 2
	journal_empty "$@" && [ "$(rcli get w:site)" = "$_s" ]
}

# expect_counts SITE [PATH VIEWS]...: Redis holds exactly these counts,
# each article's views as its answered requests (every page counts a
# visit, an article a view of its own; both protocols alike)
expect_counts() {
	[ "$(rcli get w:site)" = "$1" ] || fail "Redis has $(rcli get w:site) visits, the readers were answered $1 times"
	shift
	while [ $# -gt 0 ]; do
		[ "$(rcli hget w:views "$1")" = "$2" ] || fail "Redis has $(rcli hget w:views "$1") views of $1, answered $2"
		shift 2
	done
}

# answered_views: "PATH VIEWS" for each article, from the load's tally
answered_views() {
	for _p in $(echo "$WHOLE_PATHS" | tr , ' '); do
		[ "$_p" = / ] || echo "$_p $(answered_path "$_p")"
	done
}

# whole_logs_name_readers TAG: every request of the load is logged (log
# and access log) under the reader's address, 127.0.0.1 or 127.0.0.2,
# both of them on both protocols; HAProxy's 127.0.0.3 only on its
# health checks' lines (a search prompt, the caps file: LOCAL headers)
whole_logs_name_readers() {
	cat "$TMP"/i*/log >"$TMP/all.log"
	cat "$TMP"/i*/access.log >"$TMP/all.access"
	for p in gemini gopher; do
		for a in 127.0.0.1 127.0.0.2; do
			grep -q "$p $a 20 [^ ]*?$1-" "$TMP/all.log" || fail "no $p request from $a logged"
		done
	done
	! grep "?$1-" "$TMP/all.log" | grep -v ': \(gemini\|gopher\) 127\.0\.0\.[12] 20 ' ||
		fail "a request logged under another address"
	! grep '127\.0\.0\.3' "$TMP/all.log" | grep -v ' 127\.0\.0\.3 \(10 /search\|51 /caps\.txt\) ' ||
		fail "HAProxy's address in the log"
	grep -q "^127\.0\.0\.2 .*?$1-" "$TMP/all.access" || fail "access log: $(head -n 3 "$TMP/all.access")"
	! grep '127\.0\.0\.3' "$TMP/all.access" | grep -v '/search\|/caps\.txt' ||
		fail "HAProxy's address in the access log"
}

# Redis is killed mid-load and started again on its folder: pages are
# answered meanwhile, the counts wait, and Redis ends with every
# answered request counted exactly once; the log names the readers;
# sessions resume through HAProxy whichever instance a connection
# reaches
test_cluster_whole_redis_restart() {
	whole_setup
	whole_load 1000 r
	wait_for 120 answered_at_least 500 || fail "load: $(answered) answered"
	redis_stop KILL
	at=$(answered)
	wait_for 60 answered_at_least $((at + 100)) || fail "load without Redis: $(answered) answered"
	for i in $INSTANCES; do
		wait_for 30 instance_log_has "$i" "counts wait in memory" || fail "instance $i: Redis's absence not logged"
	done
	[ "$(answered)" -lt 2000 ] || fail "the load was over before Redis came back"
	redis_start
	whole_load_end
	[ "$FAILED" -eq 0 ] || fail "$FAILED attempts failed: $(head -n 3 "$TMP/load.err")"
	# each request one log line, on one instance or the other
	[ "$(answered_ids r | uniq | wc -l)" -eq 2000 ] || fail "not every request in a log"
	[ -z "$(answered_ids r | uniq -d)" ] || fail "answered twice: $(answered_ids r | uniq -d | head -n 3)"
	out=$($CLUSTER resume-n "$LB_GP" 20)
	[ "$out" = "resumed 20/20" ] || fail "through HAProxy: $out"
	wait_for 120 counts_settled $INSTANCES || fail "counts not settled: $(rcli get w:site)"
	# resume-n asked for the home page 21 times
	expect_counts $((ANSWERED + 21)) $(answered_views)
	for i in $INSTANCES; do
		instance_log_has "$i" "answers again" || fail "instance $i: Redis's return not logged"
	done
	whole_logs_name_readers r
}

# written_since I STAMP: instance I's counter file is not the one
# stamp_of gave STAMP: a flush has written it since
stamp_of() { stat -c '%i %y' "$TMP/i$1/state/counters"; }
written_since() { [ "$(stamp_of "$1")" != "$2" ]; }

# An instance is SIGKILLed mid-load, HAProxy sends the rest to the
# other, and it is started again as an operator would. It loses no
# count: what its counter file held (the pending batch, the counts
# unsent) and what its workers counted since its last flush (its counts
# files, mapped shared, outlive the kill) reach Redis once. A request
# counted whose answer the kill cut off is tried again by the client
# and counted again, so Redis may hold up to the failed attempts more.
test_cluster_whole_instance_killed() {
	whole_setup
	whole_load 1000 k
	wait_for 120 answered_at_least 500 || fail "load: $(answered) answered"
	stamp=$(stamp_of 2)
	wait_for 60 written_since 2 "$stamp" || fail "instance 2 did not flush"
	# mid-way between two flushes, with counts only in the counts files
	sleep 0.5
	in_instance 2 kill_server || fail "kill instance 2"
	[ "$(answered)" -lt 2000 ] || fail "the load was over before the kill"
	wait_for 60 lb_down gemini/i2 gopher/i2 || fail "HAProxy: $(lb_servers)"
	whole_load_end
	[ "$FAILED" -le "$MOST" ] || fail "$FAILED failed attempts, $MOST in flight at most"
	wait_for 120 counts_settled 1 || fail "instance 1's counts not settled"
	in_instance 2 start_server || fail "instance 2 did not start again"
	wait_for 60 lb_up 4 || fail "HAProxy: $(lb_servers)"
	wait_for 120 counts_settled $INSTANCES || fail "counts not settled"
	final=$(rcli get w:site)
	echo "answered $ANSWERED, Redis counts $final visits, failed attempts $FAILED"
	[ "$final" -ge "$ANSWERED" ] || fail "lost $((ANSWERED - final)) of $ANSWERED visits"
	[ "$final" -le $((ANSWERED + FAILED)) ] ||
		fail "$((final - ANSWERED)) visits counted twice, more than the $FAILED failed attempts"
	set -- $(answered_views)
	while [ $# -gt 0 ]; do
		v=$(rcli hget w:views "$1")
		[ "$v" -ge "$2" ] && [ "$v" -le $(($2 + FAILED)) ] ||
			fail "Redis has $v views of $1, answered $2, $FAILED failed attempts"
		shift 2
	done
}

# the instance's bantin.ini of docs/cluster.md, its files and addresses
# made local, is one bantin -n takes
test_cluster_guide_bantin_ini() {
	setup
	awk '/^```ini$/ { n++; f = n == 1; next } /^```$/ { f = 0 } f' docs/cluster.md |
	    sed -e "s|/etc/bantin/|$TMP/|; s|/srv/bantin|$TMP/capsule|" \
	    -e 's|10\.0\.0\.1[0-9]|127.0.0.1|; s|10\.0\.0\.20|127.0.0.1|' \
	    -e "/^\\[server\\]/a state_dir = $TMP/state" >"$TMP/guide.ini"
	grep -q '^backend = redis' "$TMP/guide.ini" || fail "no bantin.ini in docs/cluster.md"
	(umask 077 && openssl rand -hex 32 >"$TMP/ticket.key")
	gen_cert "$TMP" news.example.org
	"$BANTIN" -n -c "$TMP/guide.ini" >"$TMP/n.out" 2>&1 || fail "bantin -n: $(cat "$TMP/n.out")"
}
