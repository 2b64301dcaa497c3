# tests_limits.sh: the limits per client address: the cap on open
# connections (over every worker and both protocols), the request
# rate, the TLS handshake's deadline, and counts that come back
# whichever way a connection ends (deadlines, errors, a reload's
# drain, a worker killed). Clients come from 127.0.0.1, 127.0.0.2...
# (limits.py binds them); every wait is a poll with a generous bound.

LIMITS="$PYTHON $HERE/limits.py"

# probe_is WANT PORT SRC [gopher]: a request from SRC gets a reply
# starting WANT, or "refused"; PROBE is what it got
probe_is() {
	_want=$1; shift
	PROBE=$($LIMITS probe "$@")
	case $PROBE in "$_want"*) return 0 ;; esac
	return 1
}

# hold_conns PORT SRC N [gopher]: N connections from SRC, accepted and
# held in the background (HOLD: the holder's PID) until release
hold_conns() {
	rm -f "$TMP/held"
	$LIMITS hold "$1" "$2" "$3" "$TMP/held" $4 &
	HOLD=$!; HELPERS="$HELPERS $HOLD"
	wait_for 60 test -s "$TMP/held" || fail "holding $3 from $2: no answer"
	[ "$(cat "$TMP/held")" = "held $3" ] ||
		fail "holding $3 from $2: $(cat "$TMP/held")"
}

release() {
	kill "$HOLD" 2>/dev/null
	wait "$HOLD" 2>/dev/null || true
}

# cap_is N: 127.0.0.1 may hold N connections to the Gemini port, not
# one more; then they are closed and a request is served again. Run
# after each way of ending connections: a count left behind, or one
# taken off twice, shows here.
cap_is() {
	hold_conns "$GP" 127.0.0.1 "$1"
	probe_is refused "$GP" 127.0.0.1 || fail "one over $1: $PROBE"
	release
	wait_for 30 probe_is "20 " "$GP" 127.0.0.1 || fail "after closing: $PROBE"
}

test_limits_per_ip_cap() {
	PER_IP=4 WORKERS=2 REQ_TIMEOUT=60 setup; start_server
	hold_conns "$GP" 127.0.0.1 4
	# one over the cap, whichever worker accepts it, on either protocol
	for i in 1 2 3 4 5; do
		probe_is refused "$GP" 127.0.0.1 || fail "Gemini, one over: $PROBE"
	done
	probe_is refused "$HP" 127.0.0.1 gopher || fail "Gopher, one over: $PROBE"
	# another address is served meanwhile
	probe_is "20 " "$GP" 127.0.0.2 || fail "127.0.0.2, Gemini: $PROBE"
	probe_is "i" "$HP" 127.0.0.2 gopher || fail "127.0.0.2, Gopher: $PROBE"
	# refusals are counted in a line now and then, not one each
	wait_for 30 log_has "over max_connections_per_ip (4), the last from 127.0.0.1" ||
		fail "no log line"
	[ "$(grep -c 'over max_connections_per_ip' "$TMP/log")" -lt 6 ] ||
		fail "a log line per refusal"
	! grep -q '\(gemini\|gopher\) 127\.0\.0\.1 [0-9][0-9] ' "$TMP/log" ||
		fail "a refused connection was answered"
	release
	# closed: served again, and the cap is 4 again, not fewer
	wait_for 30 probe_is "20 " "$GP" 127.0.0.1 || fail "after closing: $PROBE"
	cap_is 4
	# Gopher connections count as well
	hold_conns "$HP" 127.0.0.1 4 gopher
	probe_is refused "$GP" 127.0.0.1 || fail "4 Gopher, then Gemini: $PROBE"
	release
	wait_for 30 probe_is "20 " "$GP" 127.0.0.1 || fail "after Gopher: $PROBE"
	alive
}

# Each way a connection ends gives its count back, once. The deadlines
# are short, for the steps that wait for them, but not too short for
# cap_is: its held connections must outlive request_timeout from the
# first one's accept to the probe's, two Python starts and four
# handshakes of an ASan build on a loaded machine (3 s was not enough).
test_limits_counts_come_back() {
	PER_IP=4 WORKERS=2 HANDSHAKE=3 REQ_TIMEOUT=10 setup; start_server
	# cut in the handshake by handshake_timeout
	out=$($LIMITS spoil "$GP" 127.0.0.1 4 stuck)
	[ "$out" = "closed 4 of 4" ] || fail "stuck handshakes: $out"
	cap_is 4
	# a TLS error (HTTP on the Gemini port)
	out=$($LIMITS spoil "$GP" 127.0.0.1 4 garbage)
	[ "$out" = "closed 4 of 4" ] || fail "garbage: $out"
	cap_is 4
	# request_timeout: held after the handshake, with no request
	hold_conns "$GP" 127.0.0.1 4
	wait_for 60 probe_is "20 " "$GP" 127.0.0.1 || fail "request timeouts: $PROBE"
	release
	cap_is 4
	# Gopher: one that closes before its selector ends
	hold_conns "$HP" 127.0.0.1 4 gopher
	release
	cap_is 4
	alive
}

# The table outlives a generation: the connections an old worker
# still holds while it drains count for the new ones, and come back
# when the drain closes them.
test_limits_survive_reload() {
	PER_IP=4 WORKERS=1 REQ_TIMEOUT=60 setup; start_server
	hold_conns "$GP" 127.0.0.1 4
	kill -HUP "$PID"
	wait_for 30 log_has "reloaded: generation 2" || fail "no reload"
	probe_is refused "$GP" 127.0.0.1 || fail "new generation, one over: $PROBE"
	probe_is "20 " "$GP" 127.0.0.2 || fail "127.0.0.2: $PROBE"
	# the drain ends them (in 10 s), the holder still open
	wait_for 60 probe_is "20 " "$GP" 127.0.0.1 || fail "after the drain: $PROBE"
	release
	cap_is 4
}

sockets() { ls -l "/proc/$1/fd" 2>/dev/null | grep -c 'socket:'; }

# A worker killed with connections open never closes them: the master
# forgets every count, and the live worker counts its own again.
test_limits_worker_killed() {
	PER_IP=4 WORKERS=2 REQ_TIMEOUT=60 setup; start_server
	more=
	set -- $(worker_pids)
	a=$1 b=$2 base_a=$(sockets "$1") base_b=$(sockets "$2")
	hold_conns "$GP" 127.0.0.1 4
	# kill the one that holds fewer; k stay open in the other
	na=$(( $(sockets "$a") - base_a )) nb=$(( $(sockets "$b") - base_b ))
	if [ "$na" -le "$nb" ]; then x=$a k=$nb; else x=$b k=$na; fi
	[ $((na + nb)) -eq 4 ] || fail "held $na + $nb"
	kill -KILL "$x"
	wait_for 30 log_has "(pid $x) killed by signal 9" || fail "not reaped"
	[ "$k" -eq 0 ] || wait_for 30 log_has "$k open connection" ||
		fail "not counted again"
	# k counted, the killed one's not: 4 - k more, then refused
	if [ "$k" -lt 4 ]; then
		$LIMITS hold "$GP" 127.0.0.1 $((4 - k)) "$TMP/more" &
		more=$!; HELPERS="$HELPERS $more"
		wait_for 60 test -s "$TMP/more" || fail "no more held"
		[ "$(cat "$TMP/more")" = "held $((4 - k))" ] ||
			fail "killed worker's counts stayed: $(cat "$TMP/more")"
	fi
	probe_is refused "$GP" 127.0.0.1 || fail "over the cap after the kill: $PROBE"
	if [ -n "$more" ]; then kill "$more"; wait "$more" 2>/dev/null || true; fi
	release
	wait_for 30 probe_is "20 " "$GP" 127.0.0.1 || fail "after closing: $PROBE"
	cap_is 4
}

test_limits_rate() {
	RATE=1 setup "rate_burst = 2"; start_server
	# 8 requests at once, a burst of 2: most are told to wait
	$LIMITS burst "$GP" 127.0.0.1 8 >"$TMP/burst"
	grep -q '^20 ' "$TMP/burst" || fail "none served: $(cat "$TMP/burst")"
	grep -qx '44 1' "$TMP/burst" || fail "no 44: $(cat "$TMP/burst")"
	[ "$(grep -c '^20 ' "$TMP/burst")" -lt 8 ] || fail "all served"
	wait_for 30 log_has "gemini 127.0.0.1 44 (slow down)" || fail "44 not logged"
	# another address has its own bucket
	probe_is "20 " "$GP" 127.0.0.2 || fail "127.0.0.2: $PROBE"
	# Gopher: an error item, in the site's language
	$LIMITS burst "$HP" 127.0.0.3 8 gopher >"$TMP/burst"
	grep -q '^i' "$TMP/burst" || fail "no menu: $(cat "$TMP/burst")"
	grep -q '^3Quá nhiều yêu cầu, xin thử lại sau 1 giây' "$TMP/burst" ||
		fail "no error item: $(cat "$TMP/burst")"
	wait_for 30 log_has "gopher 127.0.0.3 44 (slow down)" || fail "not logged"
	# the bucket fills again: served after a wait
	wait_for 30 probe_is "20 " "$GP" 127.0.0.1 || fail "never again: $PROBE"
	alive
}

test_limits_handshake_timeout() {
	HANDSHAKE=1 REQ_TIMEOUT=60 setup; start_server
	# a handshake left unfinished is cut long before request_timeout;
	# a connection idle after its handshake is not
	$LIMITS stall "$GP" 127.0.0.1 50 >"$TMP/stall"
	head -n 1 "$TMP/stall" | grep -q '^closed after' ||
		fail "stuck handshake: $(cat "$TMP/stall")"
	sed -n 2p "$TMP/stall" | grep -q '^20 ' ||
		fail "idle after the handshake: $(cat "$TMP/stall")"
	wait_for 30 log_has "closed 1 connection still in the TLS handshake after handshake_timeout (1 s)" ||
		fail "not logged"
	alive
}
